"""Access rules for the register's pages (lists, details, forms), and the small builders the
register tests share. See tests/test_access.py for how the rules are walked.

Every role reads the register; only UhC staff add, change and delete. Exports are the lists
with ?export=xlsx, so they follow the lists' rules (tested in tests/test_register_lists.py).
"""

import datetime

from tests.access import ALL, STAFF

D = datetime.date


def org_number(n):
    """A valid organisation number (Luhn check digit) for a small integer n: 55NNNNNNN-C."""
    digits = f"55{n:07d}"
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    check = (10 - total % 10) % 10
    return f"{digits[:6]}-{digits[6:]}{check}"


def municipalities(*names):
    from nämndplan.models import Municipality

    return list(Municipality.objects.filter(name__in=names))


def make_category(name="Städ och lokalvård", order=1):
    from procurement.models import Category

    return Category.objects.get_or_create(name=name, defaults={"order": order})[0]


def make_supplier(name="Dala Städ AB", n=1, **fields):
    from procurement.models import Supplier

    return Supplier.objects.create(name=name, org_number=org_number(n), **fields)


def make_procurement(case_number="UHC-2026-001", towns=("Falun", "Borlänge"), bids=(), **fields):
    """A procurement; `bids` are (supplier, disqualified, awarded)."""
    from procurement.models import Bid, Procurement

    fields.setdefault("title", f"Upphandling {case_number}")
    fields.setdefault("category", make_category())
    procurement = Procurement.objects.create(case_number=case_number, **fields)
    procurement.municipalities.set(municipalities(*towns))
    for supplier, disqualified, awarded in bids:
        Bid.objects.create(procurement=procurement, supplier=supplier, disqualified=disqualified, awarded=awarded)
    return procurement


def make_contract(number="AVT-2026-001", supplier=None, towns=("Falun",), **fields):
    from procurement.models import Contract

    fields.setdefault("title", f"Avtal {number}")
    fields.setdefault("contract_class", "B")
    fields.setdefault("start_date", D(2026, 1, 1))
    contract = Contract.objects.create(number=number, supplier=supplier or make_supplier(n=900), **fields)
    contract.municipalities.set(municipalities(*towns))
    return contract


def build(world):
    from nämndplan.models import Municipality
    from procurement.models import CompetenceEffort, ContractFollowUp, InformationActivity, MunicipalityDialogue

    supplier = make_supplier(n=101)
    world["reg_supplier"] = supplier
    world["reg_procurement"] = make_procurement("UHC-ACCESS-1", bids=[(supplier, False, True)])
    world["reg_contract"] = contract = make_contract("AVT-ACCESS-1", supplier=supplier)
    world["reg_follow_up"] = ContractFollowUp.objects.create(contract=contract, date=D(2026, 3, 1), form="meeting")
    falun = Municipality.objects.get(name="Falun")
    world["reg_information"] = InformationActivity.objects.create(date=D(2026, 2, 1), kind="rfi", title="RFI städ")
    world["reg_competence"] = CompetenceEffort.objects.create(date=D(2026, 2, 2), municipality=falun, title="LOU")
    world["reg_dialogue"] = MunicipalityDialogue.objects.create(
        date=D(2026, 2, 3), municipality=falun, kind="plan_remiss"
    )


def _pk(key):
    return lambda w: {"pk": w[key].pk}


def _none(w):
    return {}


RULES = {
    "procurement:index": (_none, ALL, None),
    "procurement:procurement_list": (_none, ALL, None),
    "procurement:procurement_create": (_none, {STAFF}, {STAFF}),
    "procurement:procurement_detail": (_pk("reg_procurement"), ALL, None),
    "procurement:procurement_update": (_pk("reg_procurement"), {STAFF}, {STAFF}),
    "procurement:contract_list": (_none, ALL, None),
    "procurement:contract_create": (_none, {STAFF}, {STAFF}),
    "procurement:contract_detail": (_pk("reg_contract"), ALL, None),
    "procurement:contract_update": (_pk("reg_contract"), {STAFF}, {STAFF}),
    "procurement:followup_list": (_none, ALL, None),
    "procurement:followup_create": (_none, {STAFF}, {STAFF}),
    "procurement:followup_detail": (_pk("reg_follow_up"), ALL, None),
    "procurement:followup_update": (_pk("reg_follow_up"), {STAFF}, {STAFF}),
    "procurement:followup_delete": (_pk("reg_follow_up"), {STAFF}, {STAFF}),
    "procurement:supplier_list": (_none, ALL, None),
    "procurement:supplier_create": (_none, {STAFF}, {STAFF}),
    "procurement:supplier_detail": (_pk("reg_supplier"), ALL, None),
    "procurement:supplier_update": (_pk("reg_supplier"), {STAFF}, {STAFF}),
    "procurement:information_list": (_none, ALL, None),
    "procurement:information_create": (_none, {STAFF}, {STAFF}),
    "procurement:information_update": (_pk("reg_information"), {STAFF}, {STAFF}),
    "procurement:information_delete": (_pk("reg_information"), {STAFF}, {STAFF}),
    "procurement:competence_list": (_none, ALL, None),
    "procurement:competence_create": (_none, {STAFF}, {STAFF}),
    "procurement:competence_update": (_pk("reg_competence"), {STAFF}, {STAFF}),
    "procurement:competence_delete": (_pk("reg_competence"), {STAFF}, {STAFF}),
    "procurement:dialogue_list": (_none, ALL, None),
    "procurement:dialogue_create": (_none, {STAFF}, {STAFF}),
    "procurement:dialogue_update": (_pk("reg_dialogue"), {STAFF}, {STAFF}),
    "procurement:dialogue_delete": (_pk("reg_dialogue"), {STAFF}, {STAFF}),
}


def _field_values(form):
    """What a browser would send back for `form` as rendered: its current values, checkboxes only when ticked."""
    from django import forms

    data = {}
    for bound in form:
        value = bound.field.prepare_value(bound.value())
        if isinstance(bound.field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[bound.html_name] = value.isoformat()
        elif value is not None:
            data[bound.html_name] = str(value)
    return data


def form_data(response):
    """The POST data of the page's form (and its bid rows), as loaded: tests change what a user would type."""
    data = _field_values(response.context["form"])
    bids = response.context.get("bids")
    if bids is not None:
        data.update(_field_values(bids.management_form))
        for form in bids:
            data.update(_field_values(form))
    return data
