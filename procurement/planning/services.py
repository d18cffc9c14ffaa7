"""Writes of the procurement plan that span several rows: keyword-only, each in one transaction.

Edits of one record (a planned procurement, a consultation) go through common/locking's versions, so
two people editing the same record cannot overwrite each other.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from common.locking import EditConflict, save_versioned
from nämndplan.models import Municipality
from procurement.models import MunicipalityDialogue, Procurement
from procurement.planning.models import PlanConsultation, PlannedProcurement, PlanSettings, on_time_by

__all__ = ["EditConflict", "PlanRefused", "add_proposals", "adopt_plan", "municipalities_held",
           "record_consultation", "save_planned", "send_for_consultation", "start_procurement"]


class PlanRefused(Exception):
    """A write the plan's state does not allow; the message is for the user."""


@transaction.atomic
def add_proposals(*, plan, endings, category=None):
    """A planned procurement in `plan` for each Ending (proposals.py): title, category, product group
    and municipalities from the contract and its procurement; advertising by the start-by date.

    `category` is for contracts without a procurement in the register (whose category is unknown).
    """
    added = []
    for ending in endings:
        contract = ending.contract
        source = contract.procurement
        planned = PlannedProcurement.objects.create(
            plan=plan, title=contract.title, category=source.category if source else category,
            product_group=source.product_group if source else None, replaces=contract,
            planned_advertising=ending.start_by, planned_completion=ending.complete_by, start_by=ending.start_by,
        )
        planned.municipalities.set(contract.municipalities.all())
        added.append(planned)
    return added


@transaction.atomic
def save_planned(*, form):
    """A planned procurement's edit: its adopted dates stay as they were, the planned ones move."""
    planned = form.save(commit=False)

    def save():
        planned.save()
        form.save_m2m()

    return save_versioned(instance=planned, expected_version=form.loaded_version, save=save)


def municipalities_held(plan):
    """(municipalities with the consultation sent and answered in the same year, member municipalities)."""
    held = sum(1 for c in plan.consultations.all() if c.dialogue_held)
    return held, Municipality.objects.count()


@transaction.atomic
def send_for_consultation(*, plan, sent_on):
    """The plan on consultation (remiss): sent on `sent_on` to every member municipality not sent to yet."""
    if plan.is_adopted:
        raise PlanRefused(_("Planen är redan antagen."))
    existing = {c.municipality_id: c for c in plan.consultations.all()}
    for municipality in Municipality.objects.all():
        consultation = existing.get(municipality.pk) or PlanConsultation(plan=plan, municipality=municipality)
        if consultation.sent_on is None:
            consultation.sent_on = sent_on
            consultation.save()
    plan.status = plan.Status.CONSULTATION
    save_versioned(instance=plan, expected_version=plan.version)


@transaction.atomic
def record_consultation(*, consultation, expected_version):
    """Save the consultation as typed, and keep its register dialogue (what 7.1 counts) in step:
    a PLAN_REMISS dialogue dated on the answer while it was sent and answered in the same year, none otherwise."""
    save_versioned(instance=consultation, expected_version=expected_version)
    dialogue = consultation.dialogue
    if not consultation.dialogue_held:
        if dialogue is not None:
            consultation.dialogue = None
            consultation.save(update_fields=["dialogue"])
            dialogue.delete()
        return consultation
    dialogue = dialogue or MunicipalityDialogue(kind=MunicipalityDialogue.Kind.PLAN_REMISS)
    dialogue.municipality = consultation.municipality
    dialogue.date = consultation.answered_on
    dialogue.notes = consultation.comment or _("Svar på remissen av %(plan)s.") % {"plan": consultation.plan}
    dialogue.save()
    if consultation.dialogue_id != dialogue.pk:
        consultation.dialogue = dialogue
        consultation.save(update_fields=["dialogue"])
    return consultation


@transaction.atomic
def adopt_plan(*, plan, adopted_on, meeting=None, expected_version):
    """Adopt the plan: freeze each planned procurement's dates as adopted, with 8.2's deadline."""
    if plan.is_adopted:
        raise PlanRefused(_("Planen är redan antagen."))
    tolerance = PlanSettings.current_tolerance()
    for planned in plan.planned.all():
        planned.adopted_advertising = planned.planned_advertising
        planned.adopted_completion = planned.planned_completion
        planned.on_time_by = on_time_by(planned.planned_completion, tolerance)
        save_versioned(instance=planned, expected_version=planned.version)
    plan.status, plan.adopted_on, plan.adopted_at = plan.Status.ADOPTED, adopted_on, meeting
    save_versioned(instance=plan, expected_version=expected_version)
    return plan


@transaction.atomic
def start_procurement(*, planned, case_number, expected_version):
    """The register's Procurement from a planned one, linked to it: nothing typed twice but the case number."""
    if planned.procurement_id is not None:
        raise PlanRefused(_("Upphandlingen är redan startad."))
    procurement = Procurement(
        case_number=case_number, title=planned.title, category=planned.category,
        product_group=planned.product_group, in_procurement_plan=True,
        planned_completion=planned.completion_for_register,
    )
    procurement.full_clean()
    procurement.save()
    procurement.municipalities.set(planned.municipalities.all())
    if planned.replaces_id:
        procurement.replaces.add(planned.replaces_id)
    planned.procurement = procurement
    save_versioned(instance=planned, expected_version=expected_version)
    return procurement
