"""Aggregates over the register, grouped by year: the raw numbers every computed indicator reads.

Each source is one query (pretix style: `values(year).annotate(Count, Sum)`) that returns
{year: {field: number}} for all years at once, so computing every indicator for every year costs
a fixed number of queries whatever the size of the register. A cut-off date `as_of` keeps only
records dated on or before it: earlier years are whole, the year of `as_of` is year-to-date.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Func, IntegerField, Q, Sum

from procurement.models import (
    ADVANCED_LEVELS,
    Bid,
    Category,
    CompetenceEffort,
    Contract,
    ContractFollowUp,
    InformationActivity,
    MunicipalityDialogue,
    Procurement,
    count_of,
)


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


def _by_year(queryset, year_expression, **aggregates):
    rows = queryset.annotate(_year=year_expression).values("_year").annotate(**aggregates).order_by()
    return {row.pop("_year"): {k: (v or 0) for k, v in row.items()} for row in rows}


def municipality_count():
    """Commissioning municipalities per procurement, as a subquery so the outer query is not multiplied."""
    return count_of(Procurement.municipalities.through, "procurement")


def _n(condition):
    return Count("pk", filter=condition)


def _advanced(field):
    """At the UHM level avancerad or spjutspets."""
    return Q(**{f"{field}__in": ADVANCED_LEVELS})


def advertised(as_of, municipality=None):
    qs = Procurement.objects.filter(advertised_on__isnull=False, advertised_on__lte=as_of)
    if municipality:
        qs = qs.filter(municipalities=municipality)
    food = Q(is_food=True)
    return _by_year(
        qs,
        ExtractYear("advertised_on"),
        total=Count("pk"),
        questions=Sum("questions_received"),
        employment=_n(Q(employment_requirement=True)),
        labour_law=_n(Q(labour_law_conditions=True)),
        reserved_n=_n(Q(reserved=True)),
        accessibility=_n(Q(accessibility_requirement=True)),
        gender_equality=_n(Q(gender_equality_requirement=True)),
        environmental=_n(Q(environmental_requirement=True)),
        env_management=_n(_advanced("env_management_level")),
        reuse=_n(_advanced("reuse_level")),
        climate_transport=_n(_advanced("climate_transport_level")),
        climate_other=_n(_advanced("climate_other_level")),
        chemicals=_n(_advanced("chemicals_level")),
        food=_n(food),
        food_organic=_n(food & Q(organic_food_requirement=True)),
        food_local=_n(food & Q(local_food_requirement=True)),
        preparedness=_n(Q(preparedness_requirement=True)),
        welfare_risk=_n(Q(welfare_crime_risk=True)),
        checks=Sum("supplier_checks"),
        actions=Sum("welfare_actions"),
    )


def completed(as_of, municipality=None):
    qs = Procurement.objects.filter(
        status=Procurement.Status.COMPLETED, completed_on__isnull=False, completed_on__lte=as_of
    )
    if municipality:
        qs = qs.filter(municipalities=municipality)
    qs = qs.annotate(municipality_count=municipality_count())
    return _by_year(
        qs,
        ExtractYear("completed_on"),
        total=Count("pk"),
        coordinated=_n(Q(municipality_count__gte=2)),
        negotiation=_n(Q(negotiation_held=True)),
        saving=Sum("negotiation_saving_sek"),
        contacted=_n(Q(bidders_contacted=True)),
        trainees=Sum("traineeships"),
        innovative=_n(Q(innovative_solution=True)),
    )


def bids(as_of, municipality=None):
    """Bids in procurements completed in the year (the year of the procurement's completion)."""
    qs = Bid.objects.filter(
        procurement__status=Procurement.Status.COMPLETED,
        procurement__completed_on__isnull=False,
        procurement__completed_on__lte=as_of,
    )
    if municipality:
        qs = qs.filter(procurement__municipalities=municipality)
    return _by_year(
        qs,
        ExtractYear("procurement__completed_on"),
        total=Count("pk"),
        regional=_n(Q(supplier__regional=True)),
        awarded_n=_n(Q(awarded=True)),
        awarded_regional=_n(Q(awarded=True, supplier__regional=True)),
    )


def follow_ups(as_of, municipality=None):
    qs = ContractFollowUp.objects.filter(date__lte=as_of)
    if municipality:
        qs = qs.filter(contract__municipalities=municipality)
    classes = {f"class_{c}": _n(Q(contract__contract_class=c)) for c in "ABCD"}
    return _by_year(qs, ExtractYear("date"), total=Count("pk"), **classes)


def events(as_of, municipality=None):
    """Appeals, cancellations and early terminations, each by its own date."""
    appeals = Procurement.objects.filter(appealed_on__isnull=False, appealed_on__lte=as_of)
    cancelled = Procurement.objects.filter(
        status=Procurement.Status.CANCELLED, cancelled_on__isnull=False, cancelled_on__lte=as_of
    )
    terminated = Contract.objects.filter(terminated_on__isnull=False, terminated_on__lte=as_of)
    if municipality:
        appeals = appeals.filter(municipalities=municipality)
        cancelled = cancelled.filter(municipalities=municipality)
        terminated = terminated.filter(municipalities=municipality)
    result = defaultdict(lambda: {"appeals": 0, "cancelled": 0, "terminated": 0})
    for key, qs, field in (
        ("appeals", appeals, "appealed_on"),
        ("cancelled", cancelled, "cancelled_on"),
        ("terminated", terminated, "terminated_on"),
    ):
        for year, row in _by_year(qs, ExtractYear(field), n=Count("pk")).items():
            result[year][key] = row["n"]
    return dict(result)


def plan_adherence(as_of, municipality=None):
    """Procurements in the upphandlingsplan due in the year (by `as_of`), and those done on time."""
    qs = Procurement.objects.filter(
        in_procurement_plan=True, planned_completion__isnull=False, planned_completion__lte=as_of
    )
    if municipality:
        qs = qs.filter(municipalities=municipality)
    on_time = Q(status=Procurement.Status.COMPLETED, completed_on__lte=F("planned_completion"))
    return _by_year(qs, ExtractYear("planned_completion"), total=Count("pk"), on_time=_n(on_time))


def activities(as_of, municipality=None):
    qs = InformationActivity.objects.filter(date__lte=as_of)
    if municipality:
        qs = qs.filter(municipalities=municipality)
    return _by_year(qs, ExtractYear("date"), total=Count("pk", distinct=True))


def municipalities_reached(as_of, municipality=None):
    """Distinct municipalities reached per year by competence efforts and by each kind of dialogue."""
    efforts = CompetenceEffort.objects.filter(date__lte=as_of)
    dialogues = MunicipalityDialogue.objects.filter(date__lte=as_of)
    if municipality:
        efforts = efforts.filter(municipality=municipality)
        dialogues = dialogues.filter(municipality=municipality)
    result = defaultdict(lambda: {"efforts": 0, "plan_remiss": 0, "preparedness": 0})
    for year, row in _by_year(efforts, ExtractYear("date"), n=Count("municipality", distinct=True)).items():
        result[year]["efforts"] = row["n"]
    kinds = MunicipalityDialogue.Kind
    for year, row in _by_year(
        dialogues,
        ExtractYear("date"),
        plan_remiss=Count("municipality", distinct=True, filter=Q(kind=kinds.PLAN_REMISS)),
        preparedness=Count("municipality", distinct=True, filter=Q(kind=kinds.PREPAREDNESS)),
    ).items():
        result[year].update(row)
    return dict(result)


def categories(as_of, years):
    """Categories with a strategy / innovation need / digital potential by the end of each year."""
    rows = list(
        Category.objects.values_list(
            "strategy_adopted_on", "innovation_need_identified_on", "digital_potential_identified_on"
        )
    )
    result = {}
    for year in years:
        end = min(datetime.date(year, 12, 31), as_of)
        if end.year != year:
            continue
        result[year] = {
            "total": len(rows),
            "strategy": sum(1 for s, _i, _d in rows if s and s <= end),
            "innovation": sum(1 for _s, i, _d in rows if i and i <= end),
            "digital": sum(1 for _s, _i, d in rows if d and d <= end),
        }
    return result



def economy(as_of, years):
    """The deviation of the result from the budgeted result, per year, from the latest economic report.

    During the year the full-year prognosis is used; a report dated 31 December gives the outcome.
    Only the plan in force counts (each plan also carries the previous year's budget).
    """
    from nämndplan.models import BudgetLine, EconomicReport, Plan

    plan = Plan.objects.current()
    reports = (
        EconomicReport.objects.filter(plan=plan, year__in=years, as_of__lte=as_of)
        .order_by("year", "as_of")
        .prefetch_related("lines__budget_line")
    )
    latest = {report.year: report for report in reports}
    budget = _by_year(
        BudgetLine.objects.filter(plan=plan, year__in=years),
        F("year"),
        income=Sum("amount_tkr", filter=Q(kind=BudgetLine.Kind.INCOME)),
        cost=Sum("amount_tkr", filter=Q(kind=BudgetLine.Kind.COST)),
    )
    result = {}
    for year, report in latest.items():
        totals = report.totals()
        year_end = report.as_of == datetime.date(year, 12, 31)
        planned = budget.get(year, {"income": totals["budget_income"], "cost": totals["budget_cost"]})
        actual = totals["outcome_result"] if year_end else totals["prognosis_result"]
        result[year] = {
            "deviation_tkr": actual - (planned["income"] - planned["cost"]),
            "budget_tkr": planned["income"],
        }
    return result
