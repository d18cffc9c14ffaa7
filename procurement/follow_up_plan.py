"""The follow-up plan: each active contract's planned follow-ups for a year, from its class's rule.

A class followed up n times a year has its follow-ups due at the end of each n-th of the year
(three a year: 30 April, 31 August, 31 December; one a year: 31 December), as long as the contract is
in force on that day; a contract in force only part of the year without any such day gets one, due on
its last day in the year. The follow-ups held in the year in one of the class's forms fulfil the
planned ones in order: two held meetings fulfil the first two of three. A planned follow-up not
fulfilled when its day has passed is overdue. Indicator 2.1 still counts every held follow-up.

The rule runs in two places, tested to agree (tests/test_follow_up_plan.py): in Python for one
contract's plan with its days (`year_plan`, the contract page), and as SQL annotations over the whole
register (`with_plan`), so the summary per class is one aggregate query and the lists of overdue and
due follow-ups are ordered and paged in the database, whatever the register's size.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from procurement.models import Contract, ContractFollowUp, FollowUpRule

# Used when admin has no rule for a class (see the data migration that stores these as rules).
DEFAULT_RULES = {
    "A": (3, ["meeting"]),
    "B": (1, ["meeting"]),
    "C": (1, ["email", "phone", "meeting"]),
    "D": (1, ["email", "phone", "meeting"]),
}


def ensure_default_rules(using="default"):
    """Every contract class has a rule (the defaults) in the database; rules changed in admin stay."""
    for contract_class, (per_year, forms) in DEFAULT_RULES.items():
        FollowUpRule.objects.using(using).get_or_create(
            contract_class=contract_class, defaults={"per_year": per_year, "forms": forms}
        )


def rules():
    """{class: (per_year, forms)}: the rules in admin, the defaults for a class without one."""
    stored = {r.contract_class: (r.per_year, list(r.forms)) for r in FollowUpRule.objects.all()}
    return {cls: stored.get(cls, default) for cls, default in DEFAULT_RULES.items()}


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def in_force(contract, year):
    """(first, last) day of `year` the contract is in force, or None."""
    first = max(contract.start_date, datetime.date(year, 1, 1))
    ends = [datetime.date(year, 12, 31)]
    if contract.end_date:
        ends.append(contract.end_date)
    if contract.terminated_on:
        ends.append(contract.terminated_on)
    last = min(ends)
    return (first, last) if first <= last else None


def class_days(per_year, year):
    """The days a class followed up `per_year` times is due in `year`, for a contract in force all year."""
    return [_month_end(year, round(12 * k / per_year)) for k in range(1, per_year + 1)]


def due_dates(per_year, year, window):
    """The days the follow-ups of a contract in force during `window` are due in `year`."""
    if not per_year or window is None:
        return []
    first, last = window
    inside = [d for d in class_days(per_year, year) if first <= d <= last]
    return inside or [last]


@dataclass
class ContractPlan:
    contract: Contract
    due: list  # the planned days, in order
    held: int  # follow-ups held in the year in one of the class's forms
    today: datetime.date

    @property
    def planned(self):
        return len(self.due)

    @property
    def fulfilled(self):
        return min(self.held, self.planned)

    @property
    def open_due(self):
        """The planned days not yet fulfilled, in order."""
        return self.due[self.fulfilled:]

    @property
    def overdue(self):
        return [d for d in self.open_due if d < self.today]

    @property
    def next_due(self):
        return self.open_due[0] if self.open_due else None


@dataclass
class ClassSummary:
    contract_class: str
    per_year: int
    forms: list
    contracts: int = 0
    planned: int = 0
    held: int = 0
    overdue: int = 0

    @property
    def form_labels(self):
        return form_labels(self.forms)


def year_plan(year, today, queryset=None, rule_map=None):
    """[ContractPlan] with its days for every contract in force in `year` whose class is followed up
    (for a contract's own page: the lists use `with_plan`). One query besides the rules."""
    rule_map = rule_map or rules()
    queryset = queryset if queryset is not None else Contract.objects.all()
    plans = []
    for contract in with_plan(queryset, year, today, rule_map).select_related("supplier", "responsible"
                                                                              ).order_by("number"):
        per_year, _forms = rule_map[contract.contract_class]
        due = due_dates(per_year, year, in_force(contract, year))
        plans.append(ContractPlan(contract, due, contract.plan_held, today))
    return plans


def _held_subquery(year, today, forms):
    """The contract's follow-ups in `year` up to `today` in one of `forms`, as a correlated count."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    held_until = min(end, today) if today else end
    held = (
        ContractFollowUp.objects.filter(contract=OuterRef("pk"), date__gte=start, date__lte=held_until, form__in=forms)
        .order_by().values("contract").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), 0)


class SimpleCase(Func):
    """CASE expression WHEN value THEN result … ELSE default END: the expression is written (and
    evaluated) once, where a searched CASE would repeat it in every WHEN."""

    template = "CASE %(expressions)s END"
    arg_joiner = " "

    def __init__(self, expression, cases, default=None, output_field=None):
        parts = [expression]
        for value, result in cases:
            parts += [_Keyword("WHEN", value, expression.output_field), _Keyword("THEN", result, output_field)]
        parts.append(_Keyword("ELSE", default if default is not None else Value(None), output_field))
        super().__init__(*parts, output_field=output_field)


class _Keyword(Func):
    template = "%(keyword)s %(expressions)s"

    def __init__(self, keyword, expression, output_field):
        expression = expression if hasattr(expression, "resolve_expression") else Value(expression)
        super().__init__(expression, keyword=keyword, output_field=output_field)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, keyword=self.extra["keyword"], **extra)

    def get_group_by_cols(self):
        return self.source_expressions[0].get_group_by_cols()  # a keyword is not a column to group by


def _flag(condition):
    return Case(When(condition, then=1), default=0, output_field=IntegerField())


def _total(terms):
    total = Value(0, output_field=IntegerField())
    for term in terms:
        total = total + term
    return total


class _ClassPlan:
    """The SQL of one class's plan for a contract of that class (plan_first and plan_last aliased)."""

    def __init__(self, per_year, forms, year, today):
        self.days = class_days(per_year, year)
        self.year, self.today, self.forms = year, today, forms

    def held(self):
        return _held_subquery(self.year, self.today, self.forms)

    def inside(self):  # the class's days within the contract's days in force in the year
        return _total(_flag(Q(plan_first__lte=d, plan_last__gte=d)) for d in self.days)

    def planned(self):
        return Case(When(Q(plan_inside=0), then=1), default=F("plan_inside"), output_field=IntegerField())

    def fulfilled(self):
        return Least(self.held(), self.planned())

    def overdue(self):
        """Planned days before today not fulfilled (the fulfilled ones are the first days)."""
        past = _total(_flag(Q(plan_first__lte=d, plan_last__gte=d)) for d in self.days if d < self.today)
        past = Case(When(Q(plan_inside=0), then=_flag(Q(plan_last__lt=self.today))), default=past,
                    output_field=IntegerField())
        return Greatest(past - self.fulfilled(), Value(0))

    def next_due(self):
        """The first day not fulfilled: the class's day at index (days before the contract's first) +
        held + 1 when it is within the contract's days; or its last day when no class day is inside."""
        before = _total(_flag(Q(plan_first__gt=d)) for d in self.days)
        results = [
            (k, Case(When(Q(plan_last__gte=d), then=Value(d)),
                     When(Q(plan_inside=0) & Q(plan_first__gt=self.days[k - 2]) if k > 1 else Q(plan_inside=0),
                          then=F("plan_last")),
                     default=None))
            for k, d in enumerate(self.days, start=1)
        ]
        index = ExpressionWrapper(before + self.held() + 1, output_field=IntegerField())
        return SimpleCase(index, results, output_field=DateField())


def _by_class(plans, method, output_field):
    return Case(*[When(contract_class=cls, then=getattr(plan, method)()) for cls, plan in plans.items()],
                default=None, output_field=output_field)


def with_plan(queryset, year, today, rule_map=None):
    """`queryset`'s contracts followed up in `year` (in force some day of it, in a class with follow-ups),
    annotated in SQL with the plan of `year` seen on `today` (a report's cut-off): `plan_planned`,
    `plan_held` (in the class's forms, by `today`), `plan_fulfilled`, `plan_overdue` (how many planned days
    before `today` are not fulfilled) and `plan_next_due` (the first day not fulfilled, or null).

    The same rule as `due_dates` and ContractPlan: the class's days inside the contract's days in force in
    the year, or its last day in the year when none is inside; held ones fulfil the days in order.
    """
    rule_map = rule_map or rules()
    jan1, dec31 = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    plans = {cls: _ClassPlan(per_year, forms, year, today)
             for cls, (per_year, forms) in rule_map.items() if per_year}
    return (
        queryset.filter(contract_class__in=list(plans), start_date__lte=dec31)
        .alias(
            plan_first=Greatest(F("start_date"), Value(jan1)),
            plan_last=Least(Coalesce("end_date", Value(dec31)), Coalesce("terminated_on", Value(dec31)),
                            Value(dec31)),
        )
        .filter(plan_first__lte=F("plan_last"))
        .alias(plan_inside=_by_class(plans, "inside", IntegerField()))
        .annotate(
            plan_held=_by_class(plans, "held", IntegerField()),
            plan_planned=_by_class(plans, "planned", IntegerField()),
            plan_fulfilled=_by_class(plans, "fulfilled", IntegerField()),
            plan_overdue=_by_class(plans, "overdue", IntegerField()),
            plan_next_due=_by_class(plans, "next_due", DateField()),
        )
    )


def summary_by_class(year, today, queryset=None):
    """[ClassSummary] for A–D: contracts, planned, held (fulfilling the plan) and overdue follow-ups.
    Two queries (the rules, one aggregate) whatever the register's size."""
    rule_map = rules()
    summaries = {cls: ClassSummary(cls, per_year, forms) for cls, (per_year, forms) in rule_map.items()}
    queryset = queryset if queryset is not None else Contract.objects.all()
    rows = (
        with_plan(queryset, year, today, rule_map).order_by().values("contract_class")
        .annotate(n=Count("pk"), planned=Sum("plan_planned"), held=Sum("plan_fulfilled"),
                  overdue=Sum("plan_overdue"))
    )
    for row in rows:
        summary = summaries[row["contract_class"]]
        summary.contracts, summary.planned = row["n"], row["planned"] or 0
        summary.held, summary.overdue = row["held"] or 0, row["overdue"] or 0
    return list(summaries.values())


def overdue_contracts(year, today, queryset=None):
    """The contracts with overdue follow-ups in `year`, the longest overdue first (a QuerySet to page)."""
    queryset = queryset if queryset is not None else Contract.objects.all()
    return (
        with_plan(queryset, year, today).filter(plan_overdue__gt=0)
        .select_related("supplier", "responsible").order_by("plan_next_due", "number")
    )


def due_by(until, today, queryset=None):
    """The contracts in force on `today` whose next planned follow-up this year is due by `until` (or
    overdue), earliest first: the work list's follow-ups."""
    queryset = queryset if queryset is not None else Contract.objects.all()
    in_force_today = (Q(end_date__isnull=True) | Q(end_date__gte=today)) & (
        Q(terminated_on__isnull=True) | Q(terminated_on__gt=today))
    return (
        with_plan(queryset.filter(in_force_today), today.year, today).filter(plan_next_due__lte=until)
        .order_by("plan_next_due", "number")
    )


def form_labels(forms):
    labels = dict(ContractFollowUp.Form.choices)
    return [str(labels[f]) for f in forms if f in labels]
