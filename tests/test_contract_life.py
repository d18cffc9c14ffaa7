"""A contract's options, its latest possible end and its status, with dates worked out by hand.

The contract of these tests ends 31 March 2027 and has two options of 12 months, each to be decided
3 months before the end it extends:
- option 1 extends 2027-03-31 → 2028-03-31 and must be decided by 2026-12-31;
- option 2 extends 2028-03-31 → 2029-03-31 and must be decided by 2027-12-31.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from procurement import contract_life
from procurement.contract_life import Status
from procurement.models import ContractOption
from procurement.services import decide_option
from tests.factories import ContractFactory

D = datetime.date
TODAY = D(2026, 12, 2)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(plan):
    contract = ContractFactory(start_date=D(2025, 4, 1), end_date=D(2027, 3, 31))
    for order in (1, 2):
        ContractOption.objects.create(contract=contract, order=order, length_months=12, notice_months=3)
    return contract


def option(contract, order):
    return contract.options.get(order=order)


def test_each_option_extends_the_end_before_it_and_is_decided_its_notice_earlier(contract):
    steps = contract.option_schedule()
    assert [(s.option.order, s.end_before, s.end_after, s.decide_by) for s in steps] == [
        (1, D(2027, 3, 31), D(2028, 3, 31), D(2026, 12, 31)),
        (2, D(2028, 3, 31), D(2029, 3, 31), D(2027, 12, 31)),
    ]


def test_the_latest_possible_end_counts_the_options_that_can_still_be_used(contract):
    assert contract.latest_possible_end(TODAY) == D(2029, 3, 31)
    # Option 1 not decided by 31 December 2026: it lapses, and option 2 with it.
    assert contract.latest_possible_end(D(2027, 1, 15)) == D(2027, 3, 31)


def test_an_option_to_decide_within_six_months_is_the_contracts_status(contract):
    assert contract.status(TODAY) == Status.OPTION
    assert contract.status_label(TODAY) == "Option att besluta"
    # Half a year earlier the decision was not yet near.
    assert contract.status(D(2026, 6, 1)) == Status.ACTIVE


def test_a_contract_without_options_left_is_in_its_last_twelve_months_then_ended(contract):
    assert contract.status(D(2027, 1, 15)) == Status.ENDING
    assert contract.status(D(2027, 4, 1)) == Status.ENDED


def test_an_early_termination_decides_the_status_once_it_takes_effect(contract):
    contract.terminated_on, contract.termination_reason = D(2026, 11, 30), "Hävt"
    assert contract.status(TODAY) == Status.TERMINATED
    assert contract.status(D(2026, 11, 29)) == Status.OPTION


def test_using_an_option_moves_the_end_and_keeps_the_latest_possible_end(contract):
    first = option(contract, 1)
    decide_option(option=first, decision="used", decided_on=D(2026, 11, 20), expected_version=first.version)
    contract.refresh_from_db()
    assert contract.end_date == D(2028, 3, 31)
    assert contract.latest_possible_end(TODAY) == D(2029, 3, 31)
    assert contract.history.first().history_change_reason == "Option 1 utnyttjad"
    # Option 2 is next: decided by 2027-12-31, so no decision is near on 2 December 2026.
    assert contract.status(TODAY) == Status.ACTIVE
    assert [s.decide_by for s in contract.option_schedule()] == [D(2026, 12, 31), D(2027, 12, 31)]


def test_an_option_used_after_its_decide_by_date_is_refused_and_nothing_changes(contract):
    first = option(contract, 1)
    with pytest.raises(ValidationError) as refused:
        # 2027-01-05 is after 2026-12-31; bounds would refuse a future date too, so the check runs at the clean.
        first.contract = contract
        first.decision, first.decided_on = "used", D(2027, 1, 5)
        first.clean()
    assert "senast 2026-12-31" in str(refused.value)
    contract.refresh_from_db()
    assert contract.end_date == D(2027, 3, 31)


def test_options_are_decided_in_order(contract):
    second = option(contract, 2)
    with pytest.raises(ValidationError, match="Option 1 har inte beslutats"):
        decide_option(option=second, decision="used", decided_on=D(2026, 11, 20), expected_version=second.version)


def test_a_declined_option_closes_the_chain(contract):
    first = option(contract, 1)
    decide_option(option=first, decision="declined", decided_on=D(2026, 11, 20), expected_version=first.version)
    contract.refresh_from_db()
    assert contract.end_date == D(2027, 3, 31)
    assert contract.latest_possible_end(TODAY) == D(2027, 3, 31)
    assert contract.status(TODAY) == Status.ENDING


def test_the_end_date_may_move_within_the_options_but_not_beyond(contract):
    contract.end_date = D(2029, 3, 31)
    contract.full_clean()
    contract.end_date = D(2029, 4, 30)
    with pytest.raises(ValidationError) as refused:
        contract.full_clean()
    assert "senast möjliga slutdatumet med avtalets optioner är 2029-03-31" in str(refused.value)


def test_a_contract_without_options_cannot_be_extended(plan):
    contract = ContractFactory(start_date=D(2025, 1, 1), end_date=D(2027, 12, 31))
    contract.end_date = D(2028, 1, 31)
    with pytest.raises(ValidationError, match="kräver en ny upphandling"):
        contract.full_clean()
    contract.end_date = D(2027, 6, 30)  # shortening is always allowed
    contract.full_clean()


def test_a_decision_needs_its_date_and_an_undecided_option_has_none(contract):
    first = option(contract, 1)
    first.decision = "used"
    with pytest.raises(ValidationError, match="Ange när beslutet"):
        first.full_clean()


def test_month_ends_are_kept_when_counting_back_the_notice():
    end = D(2027, 2, 28)

    class Pending:
        order, length_months, notice_months, decision = 1, 6, 3, "pending"

    (step,) = contract_life.option_schedule(end, [Pending()])
    assert (step.decide_by, step.end_after) == (D(2026, 11, 28), D(2027, 8, 28))
