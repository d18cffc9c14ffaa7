"""Access rules for the ledger of supplier checks. See tests/test_access.py for how they are walked.

Only UhC staff and chef UhC read the ledger (chef UhC does not write it); committee members get 403 on
every page and see the counts on the indicator pages (tests/test_supplier_checks_pages.py).
"""

import datetime

from tests.access import CHIEF, STAFF

READERS = {STAFF, CHIEF}


def build(world):
    from procurement.checks.models import SupplierCheck
    from tests.factories import ContractFactory, ProcurementFactory, SupplierFactory

    supplier = SupplierFactory()
    procurement = ProcurementFactory(case_number="UHC-CHECK-1")
    world["check_supplier"], world["check_procurement"] = supplier, procurement
    world["check_contract"] = ContractFactory(number="AVT-CHECK-1", supplier=supplier, procurement=procurement)
    world["check"] = SupplierCheck.objects.create(
        supplier=supplier, procurement=procurement, date=datetime.date(2026, 3, 1),
        kind=SupplierCheck.Kind.IN_DEPTH, result=SupplierCheck.Result.NO_REMARK,
    )


def _pk(key):
    return lambda w: {"pk": w[key].pk}


def _none(w):
    return {}


RULES = {
    "procurement:check_list": (_none, READERS, None),
    "procurement:check_create": (_none, {STAFF}, {STAFF}),
    "procurement:check_update": (_pk("check"), {STAFF}, {STAFF}),
    "procurement:check_delete": (_pk("check"), {STAFF}, {STAFF}),
    "procurement:check_supplier": (_pk("check_supplier"), READERS, None),
    "procurement:check_contract": (_pk("check_contract"), READERS, None),
    "procurement:check_procurement": (_pk("check_procurement"), READERS, None),
    "procurement:check_high_risk": (_none, READERS, None),
    "procurement:check_import": (_none, {STAFF}, {STAFF}),
    "procurement:check_import_template": (_none, {STAFF}, None),
    "procurement:check_import_confirm": (_none, None, {STAFF}),
}
