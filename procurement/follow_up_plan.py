"""The follow-up plan: each active contract's planned follow-ups for a year, from its class's rule.

A class followed up n times a year has its follow-ups due at the end of each n-th of the year
(three a year: 30 April, 31 August, 31 December; one a year: 31 December), as long as the contract is
in force on that day; a contract in force only part of the year without any such day gets one, due on
its last day in the year. The follow-ups held in the year in one of the class's forms fulfil the
planned ones in order: two held meetings fulfil the first two of three. A planned follow-up not
fulfilled when its day has passed is overdue. Indicator 2.1 still counts every held follow-up.

Two queries for the whole register: the rules, and the contracts in force in the year with the
number of their fulfilling follow-ups.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

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


def due_dates(per_year, year, window):
    """The days the follow-ups of a contract in force during `window` are due in `year`."""
    if not per_year or window is None:
        return []
    first, last = window
    days = [_month_end(year, round(12 * k / per_year)) for k in range(1, per_year + 1)]
    inside = [d for d in days if first <= d <= last]
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
    plans: list = field(default_factory=list, repr=False)

    @property
    def form_labels(self):
        return form_labels(self.forms)


def contracts_in_force(year, rule_map, queryset=None, today=None):
    """The contracts in force some day of `year`, each with `plan_held`: its follow-ups in the year (up to
    `today`, a report's cut-off) in one of its class's forms. One query."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    held_until = min(end, today) if today else end
    fulfilling = Q()
    for cls, (_per_year, forms) in rule_map.items():
        fulfilling |= Q(contract_class=cls, follow_ups__form__in=forms)
    dated = Q(follow_ups__date__gte=start, follow_ups__date__lte=held_until)
    queryset = queryset if queryset is not None else Contract.objects.all()
    return (
        queryset.filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gte=start))
        .annotate(plan_held=Count("follow_ups", filter=dated & fulfilling))
        .select_related("supplier", "responsible")
        .order_by("number")
    )


def year_plan(year, today, queryset=None, rule_map=None):
    """[ContractPlan] for every contract in force in `year` whose class is followed up."""
    rule_map = rule_map or rules()
    plans = []
    for contract in contracts_in_force(year, rule_map, queryset, today):
        per_year, _forms = rule_map[contract.contract_class]
        due = due_dates(per_year, year, in_force(contract, year))
        if due:
            plans.append(ContractPlan(contract, due, contract.plan_held, today))
    return plans


def summary_by_class(year, today, queryset=None):
    """[ClassSummary] for A–D: contracts, planned, held (fulfilling the plan) and overdue follow-ups."""
    rule_map = rules()
    summaries = {cls: ClassSummary(cls, per_year, forms) for cls, (per_year, forms) in rule_map.items()}
    for plan in year_plan(year, today, queryset, rule_map):
        summary = summaries[plan.contract.contract_class]
        summary.contracts += 1
        summary.planned += plan.planned
        summary.held += plan.fulfilled
        summary.overdue += len(plan.overdue)
        summary.plans.append(plan)
    return list(summaries.values())


def form_labels(forms):
    labels = dict(ContractFollowUp.Form.choices)
    return [str(labels[f]) for f in forms if f in labels]
