"""The end-date radar: contracts that end and options to decide, on the committee's meeting calendar.

Within the horizon (18 months from today):
- every option that can still be used and must be decided by then is an item on its decide-by date;
- every contract whose latest possible end (with every option still open used) falls within the
  horizon is an item on that day: it will end. Without a procurement in the register that is to
  replace it (Procurement.replaces, not cancelled) it is a risk of being without a contract.
Items are grouped by the meeting before which the decision is needed: the last meeting on or before
the item's day. An item before the next meeting needs a decision before any meeting can take it.

Five queries whatever the register's size.
"""

import datetime
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
    contract: Contract
    kind: str  # OPTION or END
    date: datetime.date  # the decide-by date, or the latest possible end
    step: object = None  # the OptionStep of an option item
    replaced_by: list = field(default_factory=list)  # procurements that are to replace the contract

    @property
    def at_risk(self):
        return self.kind == END and not self.replaced_by

    @property
    def label(self):
        return option_label(self.step) if self.kind == OPTION else END_LABEL


@dataclass
class RadarGroup:
    meeting: Meeting | None  # None: the decision is needed before the next meeting
    items: list = field(default_factory=list)

    @property
    def risks(self):
        return sum(1 for item in self.items if item.at_risk)


def _candidates(today, horizon, queryset=None):
    """Contracts in force whose end (and so any option's decide-by date) can fall within the horizon."""
    longest_notice = (
        ContractOption.objects.filter(decision=ContractOption.Decision.PENDING).aggregate(m=Max("notice_months"))["m"]
        or 0
    )
    replacing = Procurement.objects.exclude(status=Procurement.Status.CANCELLED).only("id", "case_number", "title",
                                                                                         "status")
    queryset = queryset if queryset is not None else Contract.objects.all()
    return (
        queryset.filter(end_date__gte=today, end_date__lte=add_months(horizon, longest_notice))
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=today))
        .select_related("supplier", "responsible")
        .prefetch_related("options", Prefetch("replaced_by", queryset=replacing, to_attr="replacing"))
        .order_by("end_date", "number")
    )


def radar_items(today, horizon_months=HORIZON_MONTHS, queryset=None):
    """[RadarItem] within the horizon, by date (of the contracts of `queryset`, default all)."""
    horizon = add_months(today, horizon_months)
    items = []
    for contract in _candidates(today, horizon, queryset):
        steps = contract_life.open_steps(contract.end_date, contract.options.all(), today)
        for step in steps:
            if step.decide_by <= horizon:
                items.append(RadarItem(contract, OPTION, step.decide_by, step, contract.replacing))
        latest = steps[-1].end_after if steps else contract.end_date
        if latest <= horizon:
            items.append(RadarItem(contract, END, latest, None, contract.replacing))
    return sorted(items, key=lambda item: (item.date, item.contract.number, item.kind))


def radar(today, horizon_months=HORIZON_MONTHS):
    """[RadarGroup]: the items before the next meeting first, then per meeting, in date order."""
    meetings = list(Meeting.objects.filter(date__gte=today).order_by("date"))
    groups = {None: RadarGroup(None)} | {m.pk: RadarGroup(m) for m in meetings}
    for item in radar_items(today, horizon_months):
        before = [m for m in meetings if m.date <= item.date]
        groups[before[-1].pk if before else None].items.append(item)
    return [group for group in groups.values() if group.items]
