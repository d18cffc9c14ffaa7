"""Procurements: yearly cohorts of advertised procurements, their lifecycle up to the horizon, their
category, kind and commissioning municipalities, planned completion dates, case numbers and titles."""

import datetime
from dataclasses import dataclass, field

from procurement.demo.chance import ONE_DAY, year_end, year_start
from procurement.demo.reference import CATEGORIES, FOOD_GROUPS, draw_category, lower_first
from procurement.models import Procurement

Status = Procurement.Status
Kind = Procurement.Kind
Procedure = Procurement.Procedure

APPEAL_OUTCOMES = [
    Procurement.AppealOutcome.REJECTED, Procurement.AppealOutcome.CORRECTION,
    Procurement.AppealOutcome.WITHDRAWN, Procurement.AppealOutcome.AWARD_WITHDRAWN,
]
CANCELLATION_REASONS = [
    "Inga anbud inkom.",
    "Samtliga anbud översteg den budget som kommunerna avsatt.",
    "Inget anbud uppfyllde samtliga ska-krav.",
    "Behovet har förändrats och upphandlingen görs om med ändrad omfattning.",
    "Brister i upphandlingsdokumenten som inte kunde rättas under anbudstiden.",
    "Endast ett anbud inkom och det bedömdes inte vara konkurrenskraftigt.",
]


@dataclass(eq=False)
class DraftProcurement:
    """A procurement while it is being made up, before it becomes a model instance."""

    index: int
    advertised: datetime.date
    support: bool = False
    awarded: datetime.date | None = None
    completed: datetime.date | None = None
    expected: datetime.date | None = None  # when it would complete, for planned and running ones
    cancelled: datetime.date | None = None
    appealed: datetime.date | None = None
    appeal_outcome: str = ""
    status: str = Status.PLANNED
    kind: str = Kind.JOINT
    procedure: str = Procedure.OPEN
    municipalities: list = field(default_factory=list)
    category: int = 0
    product_group: str = ""
    in_plan: bool = True
    planned_completion: datetime.date | None = None
    flags: dict = field(default_factory=dict)
    bids: list = field(default_factory=list)  # [supplier index, disqualified, awarded]
    case_number: str = ""
    title: str = ""
    pk: int | None = None

    def year(self):
        return self.advertised.year


def by_year(procs, date_of):
    """{year: procurements} by the year of `date_of(proc)`, leaving out those where it is None."""
    groups = {}
    for proc in procs:
        day = date_of(proc)
        if day is not None:
            groups.setdefault(day.year, []).append(proc)
    return groups


# --- dates and lifecycle ---

def draw_procurements(world):
    """The cohorts of the lead-in year (what still ran on 1 January) and the years, up to the horizon,
    with their categories, kinds and municipalities."""
    procs = []
    for year in [world.lead_in, *world.years]:
        procs.extend(_cohort(world, year, start=len(procs)))
    first = year_start(world.years[0])
    procs = [p for p in procs if p.year() >= world.years[0] or (p.awarded if p.support else p.completed) >= first]
    _cancellations(world, procs)
    _appeals(world, procs)
    for proc in procs:
        _cut_at_horizon(proc, world.chance.horizon)
    _categories(world, procs)
    _kinds_and_municipalities(world, procs)
    return procs


def _cohort(world, year, start):
    """The procurements advertised in `year` (for the lead-in year: from August), with planned dates."""
    chance = world.chance
    low = datetime.date(year, 8, 1) if year == world.lead_in else year_start(year)
    size = 230 * chance.scale * chance.rng.uniform(0.97, 1.03) * ((year_end(year) - low).days + 1) / 365
    cohort = []
    for offset in range(round(size)):
        proc = DraftProcurement(index=start + offset, advertised=chance.date_between(low, year_end(year)))
        proc.support = chance.rng.random() < 0.06
        proc.awarded = chance.after(proc.advertised, 35, 100)
        if not proc.support:
            proc.completed = chance.after(proc.awarded, 12, 45)
        cohort.append(proc)
    cohort.sort(key=lambda p: (p.advertised, p.index))
    return cohort


def _cancellations(world, procs):
    chance = world.chance
    for year, chosen in _each_years_number(world, procs, "cancelled", among="advertised", until=(10, 31)):
        for proc in chosen:
            proc.cancelled = min(chance.after(proc.advertised, 7, 60), year_end(year))
            proc.awarded = proc.completed = None


def _appeals(world, procs):
    chance = world.chance
    for _year, chosen in _each_years_number(world, procs, "appeals", among="awarded", until=(12, 20)):
        for proc in chosen:
            proc.appealed = proc.awarded + datetime.timedelta(days=chance.rng.randint(3, 10))
            proc.completed = chance.after(proc.appealed, 45, 150)
            proc.appeal_outcome = chance.rng.choices(APPEAL_OUTCOMES, weights=[55, 20, 15, 10])[0]


def _each_years_number(world, procs, number, *, among, until):
    """Year after year: the year, and the profile's `number` (at this scale) of the procurements (not
    support) whose date `among` is in the year up to the day `until`, chosen at random.

    Each year is drawn when the caller asks for it, after what the caller drew for the year before.
    """
    groups = by_year([p for p in procs if not p.support], lambda p: getattr(p, among))
    for year in world.years:
        candidates = [p for p in groups.get(year, []) if getattr(p, among) <= datetime.date(year, *until)]
        yield year, world.chance.up_to(candidates, world.chance.scaled(getattr(world.profiles[year], number)))


def _cut_at_horizon(proc, horizon):
    """What has happened by the horizon decides the status; later dates are dropped."""
    proc.expected = proc.completed or proc.awarded or proc.cancelled
    if proc.advertised > horizon:
        proc.status = Status.PLANNED
        proc.advertised = proc.awarded = proc.completed = proc.cancelled = proc.appealed = None
        proc.appeal_outcome = ""
    elif proc.cancelled:
        proc.status = Status.CANCELLED if proc.cancelled <= horizon else Status.ADVERTISED
        proc.cancelled = proc.cancelled if proc.cancelled <= horizon else None
    elif proc.awarded > horizon:
        proc.status = Status.ADVERTISED
        proc.awarded = proc.completed = proc.appealed = None
        proc.appeal_outcome = ""
    else:
        if proc.appealed and proc.appealed > horizon:
            proc.appealed, proc.appeal_outcome = None, ""
        if proc.support or proc.completed > horizon:
            proc.status, proc.completed = Status.AWARDED, None
            if proc.appealed and not proc.support:
                proc.appeal_outcome = Procurement.AppealOutcome.PENDING
        else:
            proc.status = Status.COMPLETED


# --- who commissioned it, what it is ---

def _categories(world, procs):
    """Categories by weight; exactly the year's number of food procurements are food."""
    chance = world.chance
    for year, group in sorted(by_year(procs, lambda p: p.advertised).items()):
        profile = world.profiles[year]
        food = chance.up_to(group, chance.count(profile.food, year))
        food_ids = {id(p) for p in food}
        organic = {id(p) for p in chance.quota(food, profile.organic)}
        local = {id(p) for p in chance.quota(food, profile.local)}
        for proc in group:
            if id(proc) in food_ids:
                proc.category, proc.product_group = 0, chance.rng.choice(FOOD_GROUPS)
                proc.flags.update(is_food=True, organic_food_requirement=id(proc) in organic,
                                  local_food_requirement=id(proc) in local)
            else:
                _non_food_category(chance.rng, proc)
    for proc in procs:
        if proc.status == Status.PLANNED:
            _non_food_category(chance.rng, proc)


def _non_food_category(rng, proc):
    proc.category = draw_category(rng)
    groups = CATEGORIES[proc.category][2]
    proc.product_group = rng.choice(groups[len(FOOD_GROUPS):] if proc.category == 0 else groups)


def _kinds_and_municipalities(world, procs):
    """Exactly the year's share of completed procurements is coordinated (≥ 2 municipalities)."""
    rng, reference = world.chance.rng, world.reference
    coordinated = set()
    for year, group in by_year(procs, lambda p: p.completed).items():
        coordinated.update(id(p) for p in world.chance.quota(group, world.profiles[year].coordinated))
    for proc in procs:
        if proc.support:
            proc.kind, proc.in_plan = Kind.SUPPORT, False
            proc.municipalities = [reference.one_municipality(rng)]
            continue
        if proc.status == Status.COMPLETED:
            joint = id(proc) in coordinated
        else:
            year = (proc.advertised or world.chance.horizon).year
            joint = rng.random() * 100 < world.profiles[year].coordinated
        dis = rng.random() < (0.12 if joint else 0.2)
        proc.kind = Kind.DIS_CALL if dis else (Kind.JOINT if joint else Kind.MUNICIPAL)
        proc.municipalities = reference.commissioning(rng, joint)
        if dis:
            proc.procedure, proc.in_plan = Procedure.DIS, False
        else:
            proc.procedure = rng.choices(
                [Procedure.OPEN, Procedure.SIMPLIFIED, Procedure.RESTRICTED, Procedure.SELECTION,
                 Procedure.NEGOTIATED],
                weights=[48, 36, 6, 4, 6],
            )[0]
            proc.in_plan = proc.status == Status.PLANNED or rng.random() < (0.95 if joint else 0.75)


# --- the plan, numbers and titles ---

def draw_plan_dates(world, procs):
    """Planned completion dates such that the year's share of the plan is completed on time (8.2)."""
    groups = {}
    for proc in procs:
        if proc.in_plan:
            year = _planned_completion(world.chance, proc)
            if year is not None:
                groups.setdefault(year, []).append(proc)
    for year, group in sorted(groups.items()):
        share = world.profiles[year].on_time if year in world.profiles else 75
        _completed_against_plan(world.chance, year, group, share)


def _planned_completion(chance, proc):
    """Set the planned completion of a procurement not yet completed; the year it counts in for 8.2, if any."""
    rng, horizon = chance.rng, chance.horizon
    if proc.status == Status.PLANNED:
        proc.planned_completion = proc.expected + datetime.timedelta(days=rng.randint(0, 30))
        return None
    if proc.status in (Status.ADVERTISED, Status.AWARDED):
        # Running: planned around when it will be done; some of them are already late.
        proc.planned_completion = proc.expected + datetime.timedelta(days=rng.randint(-40, 30))
        return proc.planned_completion.year if proc.planned_completion <= horizon else None
    if proc.status == Status.CANCELLED:
        proc.planned_completion = min(chance.after(proc.cancelled, 20, 120), year_end(proc.cancelled.year), horizon)
        return proc.planned_completion.year
    return proc.completed.year


def _completed_against_plan(chance, year, group, share):
    """Planned dates of the group's completed procurements: `share` % of the group on time, the rest late."""
    rng = chance.rng
    completed = [p for p in group if p.status == Status.COMPLETED]
    on_time = {id(p) for p in chance.up_to(completed, round(len(group) * share / 100))}
    for proc in completed:
        day = proc.completed
        if id(proc) in on_time:
            planned = min(day + datetime.timedelta(days=rng.randint(0, 40)), year_end(year), chance.horizon)
        else:
            planned = max(day - datetime.timedelta(days=rng.randint(10, 90)), year_start(year))
            planned = planned if planned < day else day - ONE_DAY
        proc.planned_completion = planned


def draw_numbers_and_titles(world, procs):
    """Case numbers in the order of registration, a few numbers apart (other cases come between)."""
    horizon, rng = world.chance.horizon, world.chance.rng
    registered = sorted(procs, key=lambda p: (p.advertised or horizon + ONE_DAY, p.index))
    sequence = {}
    for proc in registered:
        year = (proc.advertised or horizon).year
        sequence[year] = sequence.get(year, 0) + rng.choice([1, 1, 1, 2, 3])
        proc.case_number = f"UhC {year}/{sequence[year]:04d}"
        proc.title = _title(world, proc)


def _title(world, proc):
    group, rng = proc.product_group, world.chance.rng
    if proc.kind == Kind.SUPPORT:
        return f"Upphandlingsstöd: {lower_first(group)}, {world.reference.owner(proc.municipalities[0])}"
    if proc.kind == Kind.DIS_CALL:
        return f"Avrop från DIS: {lower_first(group)}"
    if proc.kind == Kind.MUNICIPAL:
        return f"{group} till {world.reference.owner(proc.municipalities[0])}"
    return rng.choice([group, f"Ramavtal {lower_first(group)}", f"{group}, gemensam upphandling"])


def cancellation_reason(rng, proc):
    """Drawn when the procurement is written (writing.py), as it always was: the order of draws is the data."""
    if proc.status != Status.CANCELLED:
        return ""
    return rng.choice(CANCELLATION_REASONS[1:] if proc.bids else CANCELLATION_REASONS[:1] +
                      CANCELLATION_REASONS[3:5])
