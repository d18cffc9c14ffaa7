"""The generator: its steps in the order they draw from the one random source."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from nämndplan.loading import read_plan_file
from procurement.demo.activities import draw_activities, draw_efforts_and_dialogues
from procurement.demo.bids import draw_bids
from procurement.demo.chance import Chance, year_end
from procurement.demo.contracts import draw_contracts, draw_follow_ups, draw_terminations
from procurement.demo.procurements import Status, draw_numbers_and_titles, draw_plan_dates, draw_procurements
from procurement.demo.profile import seed_history, year_profiles
from procurement.demo.reference import Reference, write_reference_data
from procurement.demo.requirements import draw_outcomes, draw_requirements
from procurement.demo.summary import Summary
from procurement.demo.suppliers import Suppliers, draw_suppliers
from procurement.demo.writing import (
    delete_register,
    write_activities,
    write_efforts_and_dialogues,
    write_register,
    write_suppliers,
)
from procurement.models import Procurement
from procurement.planning.legacy import plans_from_register
from procurement.planning.models import PlannedProcurement, ProcurementPlan
from procurement.signals import register_changed


class RegisterNotEmpty(Exception):
    """The register already has procurements; demo data is only generated into an empty one."""


@dataclass
class World:
    """What every step draws from and speaks of: the random source, the years with their profiles (and
    the lead-in year's), the reference data and the suppliers."""

    chance: Chance
    years: list
    profiles: dict
    reference: Reference
    suppliers: Suppliers

    @property
    def lead_in(self):
        """The year before the first, whose procurements advertised in the autumn may still run on 1 January."""
        return self.years[0] - 1


def generate(*, seed, years, scale=1.0, today=None, replace=False):
    """Fill the register with demo data for `years` (a range) and return a Summary.

    Raises RegisterNotEmpty when the register already has procurements, unless `replace`, which
    first deletes every procurement, bid, contract, follow-up, activity and supplier.
    """
    today = today or datetime.date.today()
    years = range(years[0], years[-1] + 1)
    if years[0] > today.year:
        raise ValueError("Demodata kan inte skapas för år som inte har börjat.")
    with transaction.atomic():
        if Procurement.objects.exists():
            if not replace:
                raise RegisterNotEmpty()
            delete_register()
        summary = _generate(seed, [year for year in years if year <= today.year], scale, today)
        # The demo's planned procurements as each year's adopted procurement plan, as 8.2 reads them.
        plans_from_register(Procurement, ProcurementPlan, PlannedProcurement, today=today)
        # bulk_create sends no signals: tell the indicator memo the register changed.
        register_changed.send(sender=Procurement)
        return summary


def _generate(seed, years, scale, today):
    """Draw and write the register. The order of the steps is the order of the draws: keep it."""
    plan = read_plan_file()
    chance = Chance(seed, scale, horizon=min(year_end(years[-1]), today))
    profiles = year_profiles(years, seed_history(plan), chance.rng)
    reference = write_reference_data(chance, plan["municipalities"], today)
    suppliers = draw_suppliers(chance)
    write_suppliers(suppliers)
    world = World(chance, years, profiles, reference, suppliers)
    procs = draw_procurements(world)
    draw_requirements(world, procs)
    draw_outcomes(world, procs)
    draw_plan_dates(world, procs)
    draw_bids(world, procs)
    draw_numbers_and_titles(world, procs)
    contracts = draw_contracts(world, procs)
    draw_terminations(world, contracts)
    follow_ups = draw_follow_ups(world, contracts)
    write_register(world, procs, contracts, follow_ups)
    activities = draw_activities(world, procs)
    write_activities(world, activities)
    efforts, dialogues = draw_efforts_and_dialogues(world)
    write_efforts_and_dialogues(efforts, dialogues)
    statuses = [p.status for p in procs]
    return Summary(
        categories_created=reference.categories_created, product_groups_created=reference.product_groups_created,
        suppliers=len(suppliers.objects), procurements=len(procs), planned=statuses.count(Status.PLANNED),
        completed=statuses.count(Status.COMPLETED), cancelled=statuses.count(Status.CANCELLED),
        bids=sum(len(p.bids) for p in procs), contracts=len(contracts), follow_ups=len(follow_ups),
        activities=len(activities), efforts=len(efforts), dialogues=len(dialogues), horizon=chance.horizon,
    )
