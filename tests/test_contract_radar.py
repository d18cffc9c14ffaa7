"""The end-date radar, grouped by the meeting before which a decision is needed (worked by hand).

Today 2 December 2026, so the horizon of 18 months ends 2 June 2028. Meetings 10 February, 20 April and
15 September 2027.
- C1 ends 31 March 2027 with two options of 12 months (3 months' notice): option 1 by 31 December 2026
  (no meeting before it: decided before the next meeting), option 2 by 31 December 2027 (the 15 September
  meeting); with both it can run to 31 March 2029, beyond the horizon: not an end.
- C2 ends 31 May 2027, no options, nothing replaces it: an end at risk, for the 20 April meeting.
- C3 ends 31 August 2027, a planned procurement replaces it: an end, not at risk, for 20 April.
- C4 ends 31 October 2027, its replacement was cancelled: at risk, for 15 September.
- C5 ends 31 January 2029 (beyond the horizon), C6 ended 30 November 2026, C7 was terminated: not shown.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement import radar
from procurement.models import ContractOption
from tests.factories import ContractFactory, MeetingFactory, ProcurementFactory

D = datetime.date
TODAY = D(2026, 12, 2)

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(plan):
    for day in (D(2027, 2, 10), D(2027, 4, 20), D(2027, 9, 15)):
        MeetingFactory(date=day)
    c1 = ContractFactory(number="C1", start_date=D(2025, 4, 1), end_date=D(2027, 3, 31))
    for order in (1, 2):
        ContractOption.objects.create(contract=c1, order=order, length_months=12, notice_months=3)
    ContractFactory(number="C2", end_date=D(2027, 5, 31))
    c3 = ContractFactory(number="C3", end_date=D(2027, 8, 31))
    ProcurementFactory(status="planned").replaces.add(c3)
    c4 = ContractFactory(number="C4", end_date=D(2027, 10, 31))
    cancelled = ProcurementFactory(status="cancelled", cancelled_on=D(2026, 10, 1), cancellation_reason="Inga anbud")
    cancelled.replaces.add(c4)
    ContractFactory(number="C5", end_date=D(2029, 1, 31))
    ContractFactory(number="C6", end_date=D(2026, 11, 30))
    ContractFactory(number="C7", end_date=D(2027, 6, 30), terminated_on=D(2026, 11, 1), termination_reason="Hävt")


def shown(groups):
    return [
        (group.meeting.date if group.meeting else None,
         [(i.contract.number, i.kind, i.date, i.at_risk) for i in group.items])
        for group in groups
    ]


def test_items_are_grouped_by_the_meeting_before_the_decision(register):
    assert shown(radar.radar(TODAY)) == [
        (None, [("C1", "option", D(2026, 12, 31), False)]),
        (D(2027, 4, 20), [("C2", "end", D(2027, 5, 31), True), ("C3", "end", D(2027, 8, 31), False)]),
        (D(2027, 9, 15), [("C4", "end", D(2027, 10, 31), True), ("C1", "option", D(2027, 12, 31), False)]),
    ]


def test_a_group_counts_its_risks(register):
    assert [g.risks for g in radar.radar(TODAY)] == [0, 1, 1]


def test_an_option_not_decided_in_time_lapses_and_the_contract_ends(register):
    # On 15 January 2027 option 1 has lapsed: C1 ends 31 March 2027 with nothing to replace it.
    items = [(i.contract.number, i.kind, i.date, i.at_risk) for i in radar.attach(radar.radar_items(D(2027, 1, 15)))]
    assert ("C1", "end", D(2027, 3, 31), True) in items
    assert not any(number == "C1" and kind == "option" for number, kind, *_ in items)


def test_the_radar_costs_seven_queries_whatever_the_register(register):
    """Four for the items as rows, one for the meetings, two for the contracts of the items."""
    with CaptureQueriesContext(connection) as queries:
        radar.radar(TODAY)
    assert len(queries) == 7
