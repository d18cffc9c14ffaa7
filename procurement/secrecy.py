"""Bids are secret until the award decision (offentlighets- och sekretesslagen 19 kap. 3 §).

One rule for every page, list, export, API answer and report: what was bid, and that a supplier
bid at all, is seen only by the roles that work with bids, those holding `procurement.view_bid`
(UhC staff and Chef UhC; ops/roles.py keeps it from committee members). Everyone else sees how many
bids a procurement had once its award decision is made, and never who bid.
"""

from django.db.models import Q

BID_PERMISSION = "procurement.view_bid"

# A procurement whose award decision (tilldelningsbeslut) is made: its bid counts are no longer secret.
AWARD_DECIDED = Q(awarded_on__isnull=False)


def sees_bids(user):
    """Whether `user` may see bids and bidders, whatever the procurement's state."""
    return user.has_perm(BID_PERMISSION)


def counts_shown(user, procurement):
    """Whether `user` may see how many bids `procurement` had."""
    return sees_bids(user) or procurement.awarded_on is not None
