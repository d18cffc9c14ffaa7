"""Access rules for the committee dashboards. See tests/test_access.py for how they are walked."""

from tests.access import ALL

RULES = {
    "dashboards:home": (lambda w: {}, ALL, None),
    "dashboards:goal_detail": (lambda w: {"number": 1}, ALL, None),
    "dashboards:municipality_matrix": (lambda w: {}, ALL, None),
    "dashboards:municipality_detail": (lambda w: {"name": "Borlänge"}, ALL, None),
    "dashboards:presentation": (lambda w: {}, ALL, None),
    "dashboards:presentation_goal": (lambda w: {"number": 1}, ALL, None),
    "dashboards:presentation_end": (lambda w: {}, ALL, None),
}
