"""Plans from the register's two plan fields (`in_procurement_plan`, `planned_completion`), as they were kept
before the plan was a plan: one adopted plan per year of the planned completion, each procurement a planned
procurement adopted on that date and linked to it, so 8.2 keeps its history.

Used by the data migration (with its historical models) and by anything that still writes the old fields.
"""

import datetime

from procurement.planning.models import Tolerance, on_time_by

NOTE = "Skapad ur registrets fält ”med i upphandlingsplanen” och ”planerat klart”."


def plans_from_register(Procurement, ProcurementPlan, PlannedProcurement, tolerance=Tolerance.SAME_MONTH,
                        today=None):
    """Adopt the register's planned procurements not yet in a plan; returns how many were added. A plan is
    taken as adopted on 1 January of its year, or on `today` (default: the real today) when that is earlier."""
    today = today or datetime.date.today()
    procurements = (
        Procurement.objects.filter(in_procurement_plan=True, planned_completion__isnull=False, planned_as__isnull=True)
        .prefetch_related("municipalities", "replaces").order_by("planned_completion", "pk")
    )
    plans, added = {}, 0
    for procurement in procurements:
        year = procurement.planned_completion.year
        if year not in plans:
            plans[year], _created = ProcurementPlan.objects.get_or_create(
                year=year, defaults={"status": "adopted", "adopted_on": min(datetime.date(year, 1, 1), today),
                                     "note": NOTE},
            )
        plan = plans[year]
        if plan.status != "adopted":
            continue  # a plan kept as a plan already: its procurements are planned there
        completion = procurement.planned_completion
        planned = PlannedProcurement.objects.create(
            plan=plan, title=procurement.title, category_id=procurement.category_id,
            product_group_id=procurement.product_group_id,
            replaces=next(iter(procurement.replaces.all()), None),
            planned_advertising=procurement.advertised_on if procurement.advertised_on and
            procurement.advertised_on <= completion else None,
            planned_completion=completion, adopted_completion=completion,
            on_time_by=on_time_by(completion, tolerance), procurement=procurement,
        )
        planned.adopted_advertising = planned.planned_advertising
        planned.save(update_fields=["adopted_advertising"])
        planned.municipalities.set(procurement.municipalities.all())
        added += 1
    return added
