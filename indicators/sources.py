"""The register sets computed indicators count in, and the grouped query that counts them.

A source is one set of register records dated by one field: procurements advertised (by
`advertised_on`), completed (by `completed_on`), bids in completed procurements, contract
follow-ups… Every indicator definition (indicators/definitions.py) names its source and the
numbers it takes from it; `Source.by_year` turns all the numbers asked of one source into a single
`values(year).annotate(…)` query (pretix style) for every year at once, so computing every
indicator costs a fixed number of queries whatever the size of the register. The same source gives
the records behind a number (`Source.records`), so a drill-down lists exactly what was counted.

A cut-off date `as_of` keeps only records dated on or before it: earlier years are whole, the year
of `as_of` is year-to-date.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Func, IntegerField, Q

from nämndplan.economy import balance_by_year
from nämndplan.models import EconomicReport, Plan
from procurement import models as register
from procurement.checks.models import SupplierCheck
from procurement.planning import models as planning

ROWS = "_rows"  # every source query also counts its rows: a year with rows has register data


class ExtractYear(Func):
    """The calendar year of a date column, in the database's own SQL.

    Django's ExtractYear runs a Python function per row on SQLite; grouping 100,000 rows by year
    through it costs seconds. strftime and EXTRACT are native.
    """

    output_field = IntegerField()
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)"

    def as_sqlite(self, compiler, connection, **extra):
        # %%%% survives the template's own formatting and the backend's; SQLite receives %Y.
        template = "CAST(strftime('%%%%Y', %(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)


def year_end(year, as_of=None):
    """The last day of `year` that counts: 31 December, or the cut-off date within the year."""
    end = datetime.date(year, 12, 31)
    return min(end, as_of) if as_of else end


def municipality_count():
    """Commissioning municipalities per procurement, as a subquery so the outer query is not multiplied."""
    return register.count_of(register.Procurement.municipalities.through, "procurement")


@dataclass(frozen=True, eq=False)
class Source:
    key: str
    model: type
    date_field: str
    base: Q = field(default_factory=Q)  # what else a record must be (completed, in the plan…)
    municipality_path: str = "municipalities"  # how a record belongs to a municipality
    aliases: tuple = ()  # (name, function giving an expression) that conditions may refer to
    marks_activity: bool = True  # records in a year make it a year with register data

    def _select(self, queryset, municipality):
        if municipality is not None:
            queryset = queryset.filter(**{self.municipality_path: municipality})
        if self.aliases:
            queryset = queryset.alias(**{name: make() for name, make in self.aliases})
        return queryset

    def records(self, year, as_of=None, municipality=None):
        """The source's records dated in `year` (up to the cut-off date)."""
        dated = {f"{self.date_field}__gte": datetime.date(year, 1, 1), f"{self.date_field}__lte": year_end(year, as_of)}
        return self._select(self.model.objects.filter(self.base, **dated), municipality)

    def grouped(self, numbers, as_of, municipality=None):
        """The query of the numbers {name: Number} per year, for records dated by `as_of`."""
        aggregates = {name: number.aggregate() for name, number in numbers.items()}
        dated = {f"{self.date_field}__isnull": False, f"{self.date_field}__lte": as_of}
        queryset = self._select(self.model.objects.filter(self.base, **dated), municipality)
        return (
            queryset.annotate(_year=ExtractYear(self.date_field))
            .values("_year")
            .annotate(**{ROWS: Count("pk")}, **aggregates)
            .order_by()
        )

    def by_year(self, numbers, as_of, municipality=None, years=None):
        """{year: {name: value}} of the numbers {name: Number}, in one grouped query."""
        rows = self.grouped(numbers, as_of, municipality)
        return {row.pop("_year"): {k: (v or 0) for k, v in row.items()} for row in rows}


@dataclass(frozen=True, eq=False)
class StateSource(Source):
    """Records counted by their state at the end of each year (a category's strategy adopted by then),
    not by one date: conditions are functions of that day, all years in one aggregate query."""

    def records(self, year, as_of=None, municipality=None):
        return self.model.objects.all()

    def by_year(self, numbers, as_of, municipality=None, years=None):
        closing = {year: year_end(year, as_of) for year in years or () if year <= as_of.year}
        if not closing or not numbers:
            return {}
        totals = self.model.objects.aggregate(**{
            f"{name}_{year}": number.aggregate(end) for year, end in closing.items() for name, number in numbers.items()
        })
        return {year: {name: totals[f"{name}_{year}"] or 0 for name in numbers} for year in closing}


@dataclass(frozen=True, eq=False)
class EconomySource(Source):
    """The economic reports against bilaga 2: each year's deviation from the budgeted result."""

    def records(self, year, as_of=None, municipality=None):
        return EconomicReport.objects.filter(year=year, as_of__lte=year_end(year, as_of))

    def by_year(self, numbers, as_of, municipality=None, years=None):
        """The numbers name a figure of the year's Balance (deviation, budget_income), from the latest
        economic report by `as_of` of the plan in force."""
        balances = balance_by_year(Plan.objects.current(), years, as_of)
        return {
            year: {name: getattr(balance, number.field) for name, number in numbers.items()}
            for year, balance in balances.items()
        }


@dataclass(frozen=True, eq=False)
class PlanSource(Source):
    """The planned procurements of each year's adopted plan due that year (procurement/planning), dated by
    their on-time deadline (the adopted completion plus 8.2's tolerance, in the same year): a cut-off judges
    only those whose deadline has passed. A drill-down lists the late ones first."""

    def records(self, year, as_of=None, municipality=None):
        return super().records(year, as_of, municipality).select_related("procurement").late_first()


STATUS = register.Procurement.Status

ADVERTISED = Source("advertised", register.Procurement, "advertised_on")
COMPLETED = Source(
    "completed", register.Procurement, "completed_on", base=Q(status=STATUS.COMPLETED),
    aliases=(("municipality_count", municipality_count),),
)
BIDS = Source(
    "bids", register.Bid, "procurement__completed_on", base=Q(procurement__status=STATUS.COMPLETED),
    municipality_path="procurement__municipalities", marks_activity=False,
)
FOLLOW_UPS = Source("follow_ups", register.ContractFollowUp, "date", municipality_path="contract__municipalities")
PLANNED = PlanSource(
    "plan", planning.PlannedProcurement, "on_time_by",
    base=Q(plan__status=planning.ProcurementPlan.Status.ADOPTED, plan__year=ExtractYear("on_time_by")),
    marks_activity=False,
)
APPEALS = Source("appeals", register.Procurement, "appealed_on", marks_activity=False)
CANCELLED = Source(
    "cancelled", register.Procurement, "cancelled_on", base=Q(status=STATUS.CANCELLED),
    marks_activity=False,
)
TERMINATED = Source("terminated", register.Contract, "terminated_on", marks_activity=False)
ACTIVITIES = Source("activities", register.InformationActivity, "date")
EFFORTS = Source("efforts", register.CompetenceEffort, "date", municipality_path="municipality")
DIALOGUES = Source("dialogues", register.MunicipalityDialogue, "date", municipality_path="municipality")
CATEGORIES = StateSource("categories", register.Category, "", municipality_path="", marks_activity=False)
ECONOMY = EconomySource("economy", EconomicReport, "as_of", municipality_path="", marks_activity=False)


@dataclass(frozen=True, eq=False)
class LedgerSource(Source):
    """The ledger of supplier checks (procurement/checks/): an entry belongs to a municipality through its
    procurement or its contract, in subqueries so that no entry is counted twice."""

    def _select(self, queryset, municipality):
        return super()._select(queryset if municipality is None else queryset.of_municipality(municipality), None)


# Not in DATED: the ledger's entries neither make a year one with register data nor are late records.
CHECKS = LedgerSource("supplier_checks", SupplierCheck, "date", municipality_path="", marks_activity=False)
WELFARE_ACTIONS = LedgerSource(
    "welfare_actions", SupplierCheck, "action_on", base=Q(action_on__isnull=False), municipality_path="",
    marks_activity=False,
)

DATED = (ADVERTISED, COMPLETED, BIDS, FOLLOW_UPS, PLANNED, APPEALS, CANCELLED, TERMINATED, ACTIVITIES, EFFORTS,
         DIALOGUES)
