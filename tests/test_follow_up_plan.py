"""The follow-up plan by contract class, with the days and counts worked out by hand.

Year 2026, looked at on 15 September 2026, default rules (A three meetings, B one meeting, C and D one
contact by e-mail, telephone or meeting):
- A1 (class A, in force all year): due 30 April, 31 August, 31 December; one meeting held (an e-mail
  does not count for class A) → 1 fulfilled, 31 August overdue, 31 December next after it;
- B1 (class B, from 1 March 2026 to 28 February 2027): due 31 December, not yet due;
- B2 (class B, ends 30 June 2026): 31 December is after its end, so one follow-up due 30 June, overdue;
- C1 (class C, all year): one telephone contact → fulfilled;
- D0 (ended 31 December 2025): not in force in 2026, not planned.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement import follow_up_plan
from procurement.models import Contract, FollowUpRule
from tests.factories import ContractFactory, ContractFollowUpFactory

D = datetime.date
TODAY = D(2026, 9, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(plan):
    a1 = ContractFactory(number="A1", contract_class="A", start_date=D(2025, 1, 1))
    ContractFollowUpFactory(contract=a1, date=D(2026, 3, 10), form="meeting")
    ContractFollowUpFactory(contract=a1, date=D(2026, 5, 1), form="email")
    ContractFollowUpFactory(contract=a1, date=D(2025, 11, 1), form="meeting")  # last year's
    b1 = ContractFactory(number="B1", contract_class="B", start_date=D(2026, 3, 1), end_date=D(2027, 2, 28))
    b2 = ContractFactory(number="B2", contract_class="B", start_date=D(2024, 1, 1), end_date=D(2026, 6, 30))
    c1 = ContractFactory(number="C1", contract_class="C", start_date=D(2025, 1, 1))
    ContractFollowUpFactory(contract=c1, date=D(2026, 2, 1), form="phone")
    ContractFactory(number="D0", contract_class="D", start_date=D(2024, 1, 1), end_date=D(2025, 12, 31))
    return {"A1": a1, "B1": b1, "B2": b2, "C1": c1}


def plans_by_number():
    return {p.contract.number: p for p in follow_up_plan.year_plan(2026, TODAY)}


def test_the_default_rules_are_stored_for_admin():
    stored = {r.contract_class: (r.per_year, r.forms) for r in FollowUpRule.objects.all()}
    assert stored == follow_up_plan.DEFAULT_RULES


def test_each_contract_in_force_gets_its_planned_days(register):
    plans = plans_by_number()
    assert set(plans) == {"A1", "B1", "B2", "C1"}
    assert plans["A1"].due == [D(2026, 4, 30), D(2026, 8, 31), D(2026, 12, 31)]
    assert plans["B1"].due == [D(2026, 12, 31)]
    assert plans["B2"].due == [D(2026, 6, 30)]
    assert plans["C1"].due == [D(2026, 12, 31)]


def test_held_follow_ups_in_the_class_form_fulfil_the_planned_ones_in_order(register):
    plans = plans_by_number()
    a1 = plans["A1"]
    assert (a1.held, a1.fulfilled, a1.overdue, a1.next_due) == (1, 1, [D(2026, 8, 31)], D(2026, 8, 31))
    assert (plans["B1"].fulfilled, plans["B1"].overdue, plans["B1"].next_due) == (0, [], D(2026, 12, 31))
    assert plans["B2"].overdue == [D(2026, 6, 30)]
    assert (plans["C1"].fulfilled, plans["C1"].next_due) == (1, None)


def test_planned_against_held_per_class(register):
    summary = {s.contract_class: (s.contracts, s.planned, s.held, s.overdue)
               for s in follow_up_plan.summary_by_class(2026, TODAY)}
    assert summary == {"A": (1, 3, 1, 1), "B": (2, 2, 0, 1), "C": (1, 1, 1, 0), "D": (0, 0, 0, 0)}


def test_a_rule_changed_in_admin_changes_the_plan(register):
    FollowUpRule.objects.filter(contract_class="A").update(per_year=4, forms=["meeting", "email"])
    a1 = plans_by_number()["A1"]
    assert a1.due == [D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31)]
    # The e-mail counts now: two held, the first two fulfilled, none overdue on 15 September.
    assert (a1.fulfilled, a1.overdue, a1.next_due) == (2, [], D(2026, 9, 30))


def test_follow_ups_after_the_cut_off_do_not_count(register):
    # Seen on 1 March 2026 (a meeting's cut-off), A1's meeting of 10 March is not held yet.
    a1 = {p.contract.number: p for p in follow_up_plan.year_plan(2026, D(2026, 3, 1))}["A1"]
    assert (a1.held, a1.overdue) == (0, [])


def test_a_class_not_followed_up_is_not_planned(register):
    FollowUpRule.objects.filter(contract_class="C").update(per_year=0)
    assert "C1" not in plans_by_number()


def test_the_plan_costs_two_queries_whatever_the_register(register):
    with CaptureQueriesContext(connection) as queries:
        follow_up_plan.summary_by_class(2026, TODAY)
    assert len(queries) == 2


def test_a_rule_needs_a_known_form():
    rule = FollowUpRule(contract_class="A", per_year=3, forms=["brev"])
    with pytest.raises(Exception, match="Ange minst en form"):
        rule.full_clean(validate_unique=False)


def _grid(plan):
    """Contracts of every class over starts, ends and terminations around 2026, with 0–4 meetings held."""
    starts = [D(2025, 1, 1), D(2026, 2, 15), D(2026, 9, 1), D(2026, 12, 31)]
    ends = [None, D(2025, 12, 31), D(2026, 3, 31), D(2026, 6, 30), D(2026, 12, 31), D(2027, 6, 30)]
    n = 0
    for cls in "ABCD":
        for start in starts:
            for end in ends:
                if end and end < start:
                    continue
                for terminated in (None, D(2026, 5, 15)):
                    if terminated and (terminated < start or (end and terminated > end)):
                        continue
                    n += 1
                    contract = ContractFactory(number=f"G{n}", contract_class=cls, start_date=start, end_date=end,
                                               terminated_on=terminated)
                    for k in range(n % 5):
                        ContractFollowUpFactory(contract=contract, date=D(2026, 1 + 3 * k, 10),
                                                form=("meeting", "phone")[k % 2])


@pytest.mark.parametrize("per_year", [None, 2, 4, 12])
@pytest.mark.parametrize("today", [D(2026, 1, 1), D(2026, 5, 1), TODAY, D(2026, 12, 31), D(2027, 2, 1)])
def test_the_sql_plan_agrees_with_the_plan_worked_out_in_python(plan, per_year, today):
    """The lists and the summary read the SQL annotations; the contract page the Python plan: the same rule."""
    if per_year:
        FollowUpRule.objects.filter(contract_class="A").update(per_year=per_year)
    _grid(plan)
    python = {p.contract.pk: (p.planned, p.held, p.fulfilled, len(p.overdue), p.next_due)
              for p in follow_up_plan.year_plan(2026, today)}
    sql = {c.pk: (c.plan_planned, c.plan_held, c.plan_fulfilled, c.plan_overdue, c.plan_next_due)
           for c in follow_up_plan.with_plan(Contract.objects.all(), 2026, today)}
    assert python == sql and len(sql) > 50
