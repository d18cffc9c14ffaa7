"""How long a procurement takes, per category, measured from the register's own history.

A category's lead time is two medians over its completed procurements:
- from advertising to completion (`advertised_on` → `completed_on`), and
- from completion to the start of the signed contract (`completed_on` → the earliest `start_date` of
  the procurement's contracts; a contract that started before the completion counts as 0 days).
Each median needs at least MIN_HISTORY procurements; below that the part takes its default. The
defaults are the usual course of an open procedure under LOU: about six months from advertising to
completion (preparation of the notice, the bid time, evaluation, the award decision and its standstill
period), and two months from completion to a contract in force.

One query for every category (the contract start is a subquery, so contracts do not multiply rows).
"""

import statistics
from dataclasses import dataclass

from django.db.models import Min, OuterRef, Subquery

from procurement.models import Contract, Procurement

MIN_HISTORY = 5
DEFAULT_ADVERTISING_TO_COMPLETION = 180  # days
DEFAULT_COMPLETION_TO_CONTRACT = 60  # days


@dataclass(frozen=True)
class LeadTime:
    advertising_to_completion: int  # days
    completion_to_contract: int  # days
    completed: int = 0  # completed procurements behind the first part
    contracted: int = 0  # those with a contract, behind the second

    @property
    def days(self):
        return self.advertising_to_completion + self.completion_to_contract

    @property
    def measured(self):
        """Both parts from the register's history (not a default)."""
        return self.completed >= MIN_HISTORY and self.contracted >= MIN_HISTORY


DEFAULT = LeadTime(DEFAULT_ADVERTISING_TO_COMPLETION, DEFAULT_COMPLETION_TO_CONTRACT)


def _median_or(values, default):
    return round(statistics.median(values)) if len(values) >= MIN_HISTORY else default


def lead_time(advertising_days, contract_days):
    """The lead time from the days each completed procurement took (lists of ints)."""
    return LeadTime(
        _median_or(advertising_days, DEFAULT_ADVERTISING_TO_COMPLETION),
        _median_or(contract_days, DEFAULT_COMPLETION_TO_CONTRACT),
        completed=len(advertising_days), contracted=len(contract_days),
    )


def lead_times():
    """{category_id: LeadTime} for every category with completed procurements; others take DEFAULT."""
    first_start = Contract.objects.filter(procurement=OuterRef("pk")).order_by().values("procurement").annotate(
        first=Min("start_date")
    ).values("first")[:1]
    rows = (
        Procurement.objects.filter(status=Procurement.Status.COMPLETED, advertised_on__isnull=False,
                                   completed_on__isnull=False)
        .annotate(contract_start=Subquery(first_start))
        .values_list("category_id", "advertised_on", "completed_on", "contract_start")
        .order_by()
    )
    advertising, contract = {}, {}
    for category_id, advertised_on, completed_on, contract_start in rows:
        advertising.setdefault(category_id, []).append((completed_on - advertised_on).days)
        if contract_start is not None:
            contract.setdefault(category_id, []).append(max((contract_start - completed_on).days, 0))
    return {category_id: lead_time(days, contract.get(category_id, [])) for category_id, days in advertising.items()}
