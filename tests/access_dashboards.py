"""Access rules for the committee dashboards. See tests/test_access.py for how they are walked."""

from tests.access import ALL

RULES = {
    "home": (lambda w: {}, ALL, None),
    "goal_detail": (lambda w: {"number": 1}, ALL, None),
    "municipality_matrix": (lambda w: {}, ALL, None),
    "municipality_detail": (lambda w: {"name": "Borlänge"}, ALL, None),
}
