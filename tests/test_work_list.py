"""The work list per responsible person, worked out by hand.

Today 15 September 2026; the list looks six weeks ahead, to 27 October 2026; the radar 18 months, to
15 March 2028.
- Anna: A1 (class A, in force since 2025, one meeting held in 2026) has its 31 August follow-up overdue;
  O1 (ends 31 January 2027, one option of 12 months with 4 months' notice) has its option to decide by
  30 September 2026, and with the option it ends 31 January 2028, within the radar with nothing to
  replace it: an end at risk, listed now although it is far off.
- Bo: B1 (class B, 1 March 2026 – 28 February 2027): follow-up due 31 December (not within six weeks),
  ends 28 February 2027 with nothing to replace it: an end at risk.
- No one: X1 (class B, ends 15 October 2026, replaced by a planned procurement): its one follow-up is due
  on its last day, 15 October, and it ends then (replaced: not a risk, listed because it is within six weeks).
"""

import datetime

import pytest

from procurement.models import ContractOption
from procurement.work_list import Task, work_list_for, work_lists
from tests.factories import ContractFactory, ContractFollowUpFactory, ProcurementFactory, UserFactory

D = datetime.date
TODAY = D(2026, 9, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(plan):
    anna, bo = UserFactory(username="anna"), UserFactory(username="bo")
    a1 = ContractFactory(number="A1", contract_class="A", start_date=D(2025, 1, 1), responsible=anna)
    ContractFollowUpFactory(contract=a1, date=D(2026, 3, 10), form="meeting")
    o1 = ContractFactory(number="O1", contract_class="C", start_date=D(2025, 2, 1), end_date=D(2027, 1, 31),
                         responsible=anna)
    ContractFollowUpFactory(contract=o1, date=D(2026, 2, 1), form="email")
    ContractOption.objects.create(contract=o1, order=1, length_months=12, notice_months=4)
    ContractFactory(number="B1", contract_class="B", start_date=D(2026, 3, 1), end_date=D(2027, 2, 28),
                    responsible=bo)
    x1 = ContractFactory(number="X1", contract_class="B", start_date=D(2026, 1, 1), end_date=D(2026, 10, 15))
    ProcurementFactory(status="planned").replaces.add(x1)
    return anna, bo


def tasks(work_list):
    return [(t.kind, t.contract.number, t.date, t.overdue, t.at_risk) for t in work_list.tasks]


def test_each_person_sees_their_own_contracts_tasks(people):
    anna, bo = people
    assert tasks(work_list_for(anna, TODAY)) == [
        (Task.FOLLOW_UP, "A1", D(2026, 8, 31), True, False),
        (Task.OPTION, "O1", D(2026, 9, 30), False, False),
        (Task.END, "O1", D(2028, 1, 31), False, True),
    ]
    assert tasks(work_list_for(bo, TODAY)) == [(Task.END, "B1", D(2027, 2, 28), False, True)]


def test_contracts_without_a_responsible_person_are_listed_under_no_one(people):
    lists = work_lists(TODAY)
    assert tasks(lists[None]) == [
        (Task.END, "X1", D(2026, 10, 15), False, False),
        (Task.FOLLOW_UP, "X1", D(2026, 10, 15), False, False),
    ]
    assert set(lists) == {people[0].pk, people[1].pk, None}


def test_a_held_follow_up_leaves_the_list(people):
    anna, _ = people
    a1 = anna.contracts.get(number="A1")
    ContractFollowUpFactory(contract=a1, date=D(2026, 9, 1), form="meeting")
    assert (Task.FOLLOW_UP, "A1") not in [(t.kind, t.contract.number) for t in work_list_for(anna, TODAY).tasks]
    assert work_list_for(anna, TODAY).overdue == 0


def test_a_contract_that_has_ended_is_no_longer_followed_up(people):
    # B2 ended 30 June 2026 without its follow-up: missed, but not a task any more.
    ContractFactory(number="B2", contract_class="B", start_date=D(2024, 1, 1), end_date=D(2026, 6, 30))
    assert "B2" not in [t.contract.number for t in work_lists(TODAY)[None].tasks]


def test_the_counts_and_keys(people):
    anna, _ = people
    work = work_list_for(anna, TODAY)
    assert (work.count, work.overdue) == (3, 1)
    keys = [t.key for t in work.tasks]
    assert len(set(keys)) == 3 and keys[0].startswith("follow_up:")
