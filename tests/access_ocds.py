"""Access rules for the OCDS download: UhC staff and Chef UhC (procurement.view_bid); committee members get 403.
See tests/test_access.py for how the rules are walked, tests/test_ocds_download.py for the answers themselves.
"""

from tests.access import CHIEF, STAFF


def build(world):
    from django.utils import timezone

    from procurement.models import Procurement
    from tests.factories import ProcurementFactory

    # Without ?ar= the download is this year's, which needs a procurement advertised this year.
    world["ocds_procurement"] = ProcurementFactory(
        case_number="UHC-OCDS-1", status=Procurement.Status.ADVERTISED, advertised_on=timezone.localdate(),
    )


def _none(w):
    return {}


RULES = {
    "procurement:ocds_export": (_none, {STAFF, CHIEF}, None),
}
