"""The end-date radar: contracts that end and options to decide, on the committee's meeting calendar.

Within the horizon (18 months from today):
- every option that can still be used and must be decided by then is an item on its decide-by date;
- every contract whose latest possible end (with every option still open used) falls within the
  horizon is an item on that day: it will end. Without a procurement in the register that is to
  replace it (Procurement.replaces, not cancelled) it is a risk of being without a contract.
Items are grouped by the meeting before which the decision is needed: the last meeting on or before
the item's day. An item before the next meeting needs a decision before any meeting can take it.

A fixed number of queries whatever the register's size: the items are read as plain rows, and
only the ones shown get their contracts (`attach`).
"""

import bisect
import datetime
import operator
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from common.dates import add_months
from nämndplan.models import Meeting
from procurement import contract_life
from procurement.models import Contract, ContractOption, Procurement

HORIZON_MONTHS = 18
OPTION, END = "option", "end"
END_LABEL = _("Avtalet upphör")


def option_label(step):
    return _("Option %(n)s att besluta") % {"n": step.option.order}


@dataclass
class RadarItem:
    contract_id: int
    responsible_id: int | None
    kind: str  # OPTION or END
    date: datetime.date  # the decide-by date, or the latest possible end
    step: object = None  # the OptionStep of an option item
    replaced: bool = False  # a procurement in the register is to replace the contract
    contract: Contract | None = None  # set by `attach`, for the items shown
    replaced_by: list = field(default_factory=list)  # set by `attach`: the procurements that are to replace it

    @property
    def at_risk(self):
        return self.kind == END and not self.replaced

    @property
    def label(self):
        return option_label(self.step) if self.kind == OPTION else END_LABEL


@dataclass
class RadarGroup:
    meeting: Meeting | None  # None: the decision is needed before the next meeting
    items: list = field(default_factory=list)

    @property
    def options(self):
        return sum(1 for item in self.items if item.kind == OPTION)

    @property
    def ends(self):
        return sum(1 for item in self.items if item.kind == END)

    @property
    def risks(self):
        return sum(1 for item in self.items if item.at_risk)


@dataclass(frozen=True)
class _Option:
    """What the schedule needs of an option (contract_life reads these attributes)."""

    pk: int
    order: int
    length_months: int
    notice_months: int
    decision: str


def _in_force_ending(today, horizon, queryset):
    """Contracts in force whose end (and so any option's decide-by date) can fall within the horizon."""
    longest_notice = (
        ContractOption.objects.filter(decision=ContractOption.Decision.PENDING).aggregate(m=Max("notice_months"))["m"]
        or 0
    )
    queryset = queryset if queryset is not None else Contract.objects.all()
    # Beyond the horizon only a contract with an option still to decide can have an item within it.
    with_option = Q(options__decision=ContractOption.Decision.PENDING)
    return (
        queryset.filter(end_date__gte=today)
        .filter(Q(end_date__lte=horizon) | Q(with_option, end_date__lte=add_months(horizon, longest_notice)))
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=today))
        .distinct()
    )


def _replacing():
    return Procurement.objects.exclude(status=Procurement.Status.CANCELLED)


def radar_items(today, horizon_months=HORIZON_MONTHS, queryset=None):
    """[RadarItem] within the horizon, by date (of the contracts of `queryset`, default all).

    Read as plain rows (four queries whatever the register's size); `attach` gives the items shown their
    contracts. The schedule is contract_life's, the one rule for options.
    """
    horizon = add_months(today, horizon_months)
    candidates = _in_force_ending(today, horizon, queryset)
    options = {}
    rows = ContractOption.objects.filter(contract__in=candidates.values("pk")).values_list(
        "contract_id", "pk", "order", "length_months", "notice_months", "decision")
    for contract_id, *option in rows:
        options.setdefault(contract_id, []).append(_Option(*option))
    # Every contract that a procurement not cancelled is to replace (a join; a few thousand rows at most).
    replaced = set(
        Procurement.replaces.through.objects.exclude(procurement__status=Procurement.Status.CANCELLED)
        .values_list("contract_id", flat=True)
    )
    items = []
    for pk, number, end_date, responsible_id in candidates.values_list("pk", "number", "end_date", "responsible_id"):
        steps = contract_life.open_steps(end_date, options[pk], today) if pk in options else []
        for step in steps:
            if step.decide_by <= horizon:
                items.append((step.decide_by, number, OPTION, RadarItem(pk, responsible_id, OPTION, step.decide_by,
                                                                          step, pk in replaced)))
        latest = steps[-1].end_after if steps else end_date
        if latest <= horizon:
            items.append((latest, number, END, RadarItem(pk, responsible_id, END, latest, None, pk in replaced)))
    items.sort(key=operator.itemgetter(0, 1, 2))
    return [item for *_key, item in items]


def attach(items):
    """Give `items` (anything with `contract_id`) their contracts, with supplier, responsible person and
    the procurements that are to replace them: two queries however many items."""
    ids = {item.contract_id for item in items}
    contracts = Contract.objects.filter(pk__in=ids).select_related("supplier", "responsible").prefetch_related(
        Prefetch("replaced_by", queryset=_replacing().only("id", "case_number", "title", "status"),
                 to_attr="replacing"))
    by_pk = {contract.pk: contract for contract in contracts} if ids else {}
    for item in items:
        item.contract = by_pk[item.contract_id]
        if hasattr(item, "replaced_by"):
            item.replaced_by = item.contract.replacing
    return items


def group_by_meeting(items, today):
    """[RadarGroup]: the items before the next meeting first, then per meeting, in date order (one query)."""
    meetings = list(Meeting.objects.filter(date__gte=today).order_by("date"))
    groups = {None: RadarGroup(None)} | {m.pk: RadarGroup(m) for m in meetings}
    days = [m.date for m in meetings]
    for item in items:
        before = bisect.bisect_right(days, item.date)
        groups[meetings[before - 1].pk if before else None].items.append(item)
    return [group for group in groups.values() if group.items]


def radar(today, horizon_months=HORIZON_MONTHS):
    """[RadarGroup] with every item's contract attached (the Excel export): seven queries."""
    return group_by_meeting(attach(radar_items(today, horizon_months)), today)
