"""Access rules for the register's pages (lists, details, forms), and the form data the register
tests share. See tests/test_access.py for how the rules are walked.

Every role reads the register; only UhC staff add, change and delete. Exports are the lists
with ?export=xlsx, so they follow the lists' rules (tested in tests/test_register_lists.py).
"""

import datetime

from tests.access import ALL, CHIEF, STAFF

D = datetime.date


def build(world):
    from tests.factories import (
        CompetenceEffortFactory,
        ContractFactory,
        ContractFollowUpFactory,
        InformationActivityFactory,
        MunicipalityDialogueFactory,
        ProcurementFactory,
        SupplierFactory,
    )

    world["reg_supplier"] = supplier = SupplierFactory()
    world["reg_procurement"] = ProcurementFactory(case_number="UHC-ACCESS-1", bids__awarded=[supplier])
    world["reg_contract"] = contract = ContractFactory(number="AVT-ACCESS-1", supplier=supplier)
    world["reg_follow_up"] = ContractFollowUpFactory(contract=contract, date=D(2026, 3, 1))
    world["reg_option"] = contract.options.create(order=1, length_months=12, notice_months=3)
    world["reg_information"] = InformationActivityFactory(date=D(2026, 2, 1), title="RFI städ")
    world["reg_competence"] = CompetenceEffortFactory(date=D(2026, 2, 2), title="LOU")
    world["reg_dialogue"] = MunicipalityDialogueFactory(date=D(2026, 2, 3))


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
    # Contract management: staff and Chef UhC; deciding an option is the staff's.
    "procurement:work_list": (_none, {STAFF, CHIEF}, None),
    "procurement:follow_up_plan": (_none, {STAFF, CHIEF}, None),
    "procurement:radar": (_none, {STAFF, CHIEF}, None),
    "procurement:flags": (_none, {STAFF, CHIEF}, None),
    "procurement:data_quality": (_none, {STAFF, CHIEF}, None),
    "procurement:option_decision": (_pk("reg_option"), {STAFF}, {STAFF}),
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
