"""Access rules for the procurement plan's pages. See tests/test_access.py for how they are walked.

Everyone reads the plan (it is not secret); UhC staff build it and record the consultation; only
Chef UhC adopts it; starting a planned procurement needs the register's right to add procurements.
"""

from tests.access import ALL, CHIEF, STAFF


def build(world):
    import datetime

    from nämndplan.models import Municipality
    from procurement.planning.models import PlanConsultation, PlannedProcurement, ProcurementPlan
    from tests.factories import CategoryFactory

    plan = ProcurementPlan.objects.create(year=2027)
    world["pp_plan"] = plan
    world["pp_planned"] = PlannedProcurement.objects.create(
        plan=plan, title="Skolmat", category=CategoryFactory(name="Livsmedel"),
        planned_completion=datetime.date(2027, 6, 30),
    )
    world["pp_consultation"] = PlanConsultation.objects.create(
        plan=plan, municipality=Municipality.objects.get(name="Falun"), sent_on=datetime.date(2026, 9, 1)
    )


def _year(w):
    return {"year": w["pp_plan"].year}


RULES = {
    "procurement:plan_list": (lambda w: {}, ALL, None),
    "procurement:plan_create": (lambda w: {}, {STAFF}, {STAFF}),
    "procurement:plan_detail": (_year, ALL, None),
    "procurement:plan_proposals": (_year, {STAFF}, {STAFF}),
    "procurement:plan_item_create": (_year, {STAFF}, {STAFF}),
    "procurement:plan_send": (_year, {STAFF}, {STAFF}),
    "procurement:plan_consultations": (_year, ALL, None),
    "procurement:plan_adopt": (_year, {CHIEF}, {CHIEF}),
    "procurement:plan_consultation_update": (lambda w: {"pk": w["pp_consultation"].pk}, {STAFF}, {STAFF}),
    "procurement:plan_item_update": (lambda w: {"pk": w["pp_planned"].pk}, {STAFF}, {STAFF}),
    "procurement:plan_item_start": (lambda w: {"pk": w["pp_planned"].pk}, {STAFF}, {STAFF}),
    "procurement:plan_export": (lambda w: {}, ALL, None),
    "procurement:plan_import_template": (lambda w: {}, {STAFF}, None),
    "procurement:plan_import": (_year, {STAFF}, {STAFF}),
    "procurement:plan_import_confirm": (_year, None, {STAFF}),
}
