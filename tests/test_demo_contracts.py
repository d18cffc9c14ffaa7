"""The demo's contract management: responsible people, options and replacements, drawn once."""

import datetime

import pytest

from ops.demo_contracts import MANAGERS, add_contract_management
from procurement import contract_life
from procurement.models import Contract, ContractOption
from tests.factories import ContractFactory

D = datetime.date
TODAY = D(2026, 12, 2)

pytestmark = pytest.mark.django_db


def test_contracts_in_force_get_a_manager_and_options_once(plan):
    for n in range(20):
        ContractFactory(number=f"K{n}", start_date=D(2025, 1, 1), end_date=D(2027, 6, 30) + datetime.timedelta(n))
    ended = ContractFactory(number="ENDED", start_date=D(2022, 1, 1), end_date=D(2025, 12, 31))
    assert add_contract_management(TODAY) == 20
    in_force = Contract.objects.exclude(pk=ended.pk)
    assert not in_force.filter(responsible__isnull=True).exists()
    assert {c.responsible.username for c in in_force} <= {username for username, *_ in MANAGERS}
    assert Contract.objects.get(pk=ended.pk).responsible is None
    options = list(ContractOption.objects.all())
    assert options, "about six contracts in ten have options"
    # Every used option was decided by its decide-by date, as the register would require.
    for contract in in_force.prefetch_related("options"):
        for step in contract_life.option_schedule(contract.end_date, contract.options.all()):
            if step.option.decision == "used":
                assert step.option.decided_on <= step.decide_by
    assert add_contract_management(TODAY) == 0  # a second run adds nothing
    assert ContractOption.objects.count() == len(options)
