"""Writing the drawn register to the database, and deleting it.

Records are written with bulk_create in batches, so django-simple-history records no history for them.
The cancellation reasons and follow-up texts are drawn here, while writing, as they always were: moving
a draw changes everything drawn after it.
"""

from django.test.utils import override_settings

from procurement import models
from procurement.demo.contracts import follow_up_texts
from procurement.demo.procurements import cancellation_reason

BATCH_SIZE = 2000


def bulk(model, objects):
    """Insert `objects` in batches; they get their primary keys."""
    return model.objects.bulk_create(objects, batch_size=BATCH_SIZE)


def write_suppliers(suppliers):
    bulk(models.Supplier, suppliers.objects)


def write_register(world, procs, contracts, follow_ups):
    """Procurements with their municipalities and bids, then contracts with theirs, then follow-ups."""
    _write_procurements(world, procs)
    _write_contracts(world, contracts)
    rows = []
    for contract, day, form in follow_ups:
        notes, actions = follow_up_texts(world.chance.rng)
        rows.append(models.ContractFollowUp(contract_id=contract.pk, date=day, form=form, notes=notes, actions=actions))
    bulk(models.ContractFollowUp, rows)


def _write_procurements(world, procs):
    for proc, instance in zip(procs, bulk(models.Procurement, [_procurement(world, p) for p in procs]), strict=True):
        proc.pk = instance.pk
    _write_municipalities(world, models.Procurement, "procurement_id", [(p.pk, p.municipalities) for p in procs])
    suppliers = world.suppliers.objects
    bulk(models.Bid, [models.Bid(procurement_id=p.pk, supplier_id=suppliers[s].pk, disqualified=d, awarded=a)
               for p in procs for s, d, a in p.bids])


def _write_contracts(world, contracts):
    taken = set(models.Contract.objects.values_list("number", flat=True))  # contracts entered without a procurement
    for contract in contracts:
        while contract.number in taken:
            contract.number += "-D"
    instances = bulk(models.Contract, [_contract(world, c) for c in contracts])
    for contract, instance in zip(contracts, instances, strict=True):
        contract.pk = instance.pk
    _write_municipalities(world, models.Contract, "contract_id", [(c.pk, c.municipalities) for c in contracts])


def write_activities(world, activities):
    """[(models.InformationActivity, municipality indexes)] from activities.draw_activities."""
    bulk(models.InformationActivity, [activity for activity, _municipalities in activities])
    _write_municipalities(world, models.InformationActivity, "informationactivity_id",
                          [(activity.pk, municipalities) for activity, municipalities in activities])


def write_efforts_and_dialogues(efforts, dialogues):
    bulk(models.CompetenceEffort, efforts)
    bulk(models.MunicipalityDialogue, dialogues)


def _write_municipalities(world, model, owner_field, rows):
    """The many-to-many rows of `model` to its municipalities: `rows` is [(pk, municipality indexes)]."""
    through, municipalities = model.municipalities.through, world.reference.municipalities
    bulk(through, [through(**{owner_field: pk, "municipality_id": municipalities[m].pk})
                   for pk, indexes in rows for m in indexes])


def _procurement(world, proc):
    category = world.reference.categories[proc.category]
    return models.Procurement(
        case_number=proc.case_number,
        title=proc.title[:250],
        category=category,
        product_group_id=world.reference.product_groups[(category.pk, proc.product_group)],
        kind=proc.kind,
        procedure=proc.procedure,
        in_procurement_plan=proc.in_plan,
        planned_completion=proc.planned_completion,
        status=proc.status,
        advertised_on=proc.advertised,
        awarded_on=proc.awarded,
        completed_on=proc.completed,
        cancelled_on=proc.cancelled,
        cancellation_reason=cancellation_reason(world.chance.rng, proc),
        appealed_on=proc.appealed,
        appeal_outcome=proc.appeal_outcome,
        **proc.flags,
    )


def _contract(world, contract):
    return models.Contract(
        number=contract.number,
        title=contract.title,
        procurement_id=contract.proc.pk if contract.proc else None,
        supplier_id=world.suppliers.objects[contract.supplier].pk,
        contract_class=contract.contract_class,
        start_date=contract.start,
        end_date=contract.end,
        estimated_yearly_value=contract.value,
        terminated_on=contract.terminated,
        termination_reason=contract.reason,
    )


def delete_register():
    """Delete every record of the register except categories and product groups.

    Only for the local demo (--replace needs DEBUG=1). The demo records were written without history,
    so their deletion is not recorded either: that would write one historical row per record and take
    ten times as long.
    """
    from procurement.planning.models import ProcurementPlan

    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        ProcurementPlan.objects.all().delete()  # its planned procurements and consultations with it
        for model in (models.ContractFollowUp, models.Contract, models.Bid, models.InformationActivity,
                      models.CompetenceEffort, models.MunicipalityDialogue, models.Procurement, models.Supplier):
            model.objects.all().delete()
