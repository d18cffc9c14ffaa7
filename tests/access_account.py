"""Access rules for the user's own account pages. See tests/test_access.py for how they are walked.

Every logged-in user changes their own password; the page needs no role.
"""

from tests.access import ALL

RULES = {
    "password_change": (lambda w: {}, ALL, ALL),
    "password_change_done": (lambda w: {}, ALL, None),
}
