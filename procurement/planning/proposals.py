"""The plan built backwards from the contracts that end.

A contract ends in the plan when its latest possible end (procurement/contract_life.py: the agreed
end plus every option still open) falls within the plan's years: the plan year and the two after it
(the plan is multi-year, and a procurement for a contract ending early next year starts this year).
Contracts terminated early are left out: their end is decided, not planned.

For each such contract the plan proposes a procurement that must start (be advertised) by the end
minus the category's lead time (lead_times.py), and complete by the end minus the time from
completion to a signed contract. A contract ending with neither a planned procurement in the plan
nor a procurement in the register replacing it is a gap.

Queries: the contracts with their options, register replacements and the plan's planned
replacements prefetched, and the lead times: five in all, whatever the number of contracts.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from procurement.models import Contract, Procurement
from procurement.planning import lead_times as lt
from procurement.planning.models import PlannedProcurement

LOOK_BACK_YEARS = 10  # contracts whose agreed end is older than this cannot end within the plan


@dataclass(frozen=True)
class Ending:
    """A contract ending within the plan, and what the plan proposes for it."""

    contract: Contract
    end: datetime.date  # the latest possible end
    lead: lt.LeadTime

    @property
    def start_by(self):
        return self.end - datetime.timedelta(days=self.lead.days)

    @property
    def complete_by(self):
        return self.end - datetime.timedelta(days=self.lead.completion_to_contract)

    @property
    def category(self):
        procurement = self.contract.procurement
        return procurement.category if procurement else None

    @property
    def planned(self):
        return self.contract.planned_in_plan

    @property
    def replaced_by(self):
        return self.contract.replacing_procurements

    @property
    def gap(self):
        """Nothing planned in the plan and nothing in the register replaces the contract."""
        return not self.planned and not self.replaced_by


def contracts_ending(plan, today=None):
    """[Ending] of the contracts whose latest possible end falls within the plan's years, by end date."""
    today = today or timezone.localdate()
    replacing = Procurement.objects.exclude(status=Procurement.Status.CANCELLED).only("case_number", "title")
    contracts = (
        Contract.objects.filter(
            terminated_on__isnull=True, end_date__isnull=False, end_date__lte=plan.last_day,
            end_date__gte=plan.first_day.replace(year=plan.year - LOOK_BACK_YEARS),
        )
        .select_related("procurement__category", "procurement__product_group", "supplier")
        .prefetch_related(
            "options", "municipalities",
            Prefetch("replaced_by", queryset=replacing, to_attr="replacing_procurements"),
            Prefetch("planned_replacements", queryset=PlannedProcurement.objects.filter(plan=plan),
                     to_attr="planned_in_plan"),
        )
    )
    times = lt.lead_times()
    endings = []
    for contract in contracts:
        end = contract.latest_possible_end(today)
        if plan.first_day <= end <= plan.last_day:
            category_id = contract.procurement.category_id if contract.procurement else None
            endings.append(Ending(contract, end, times.get(category_id, lt.DEFAULT)))
    return sorted(endings, key=lambda e: (e.end, e.contract.number))


def gaps(endings):
    return [ending for ending in endings if ending.gap]


@dataclass(frozen=True)
class Row:
    """A planned procurement on the plan page, with its flag against the contract it replaces."""

    planned: PlannedProcurement
    late: bool  # planned to complete after the replaced contract's latest possible end


def planned_rows(plan, today=None):
    """[Row] of the plan's planned procurements, related rows fetched with them (four queries)."""
    today = today or timezone.localdate()
    return [Row(p, p.late_against_contract(today)) for p in plan.planned.with_related()]
