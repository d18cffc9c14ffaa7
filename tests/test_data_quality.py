"""Data-quality checks, worked out by hand (procurement/quality.py), and their page."""

import datetime

import pytest
from django.urls import reverse

from procurement import quality
from procurement.models import Supplier
from tests.factories import (
    BidFactory,
    ContractFactory,
    ContractFollowUpFactory,
    ProcurementFactory,
    SupplierFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db
GREEN = {"env_management_level": "base"}


@pytest.fixture
def register(plan):
    a, b = SupplierFactory(name="Städ AB"), SupplierFactory(name="städ ab ")
    done = {"status": "completed", "advertised_on": D(2026, 1, 10), "awarded_on": D(2026, 3, 1), **GREEN}
    clean = ProcurementFactory(case_number="Q0", completed_on=D(2026, 4, 1), bids=[a], bids__awarded=[a], **done)
    ContractFactory(number="K0", procurement=clean, supplier=a, start_date=D(2026, 4, 1))
    # Award after completion (the register's constraints allow it: both are after advertising).
    late = ProcurementFactory(case_number="Q1", completed_on=D(2026, 2, 1), bids=[a], **done)
    ContractFactory(number="K1", procurement=late, supplier=a, start_date=D(2026, 4, 1))
    ProcurementFactory(case_number="Q2", completed_on=D(2026, 4, 1), **done)  # no bids, no contract
    awarded_only = ProcurementFactory(case_number="Q3", completed_on=D(2026, 4, 1), bids=[b], bids__awarded=[b],
                                      **done)  # awarded bid, no contract with b
    ContractFactory(number="K3", procurement=awarded_only, supplier=a, start_date=D(2026, 2, 1))  # before award
    ProcurementFactory(case_number="Q4", status="advertised", advertised_on=D(2026, 5, 1),
                       tender_deadline=D(2026, 6, 1))  # no UHM levels
    ended = ContractFactory(number="K5", start_date=D(2025, 1, 1), end_date=D(2026, 3, 31))
    ContractFollowUpFactory(contract=ended, date=D(2026, 4, 15))
    Supplier.objects.filter(pk=b.pk).update(org_number=a.org_number.replace("-", ""))  # a bulk write, unnormalised
    return a, b


def test_each_check_finds_what_was_worked_out_by_hand(register):
    a, b = register
    assert [p.case_number for p in quality.records("awarded_after_completion")] == ["Q1"]
    assert [p.case_number for p in quality.records("completed_without_bids")] == ["Q2"]
    assert [p.case_number for p in quality.records("completed_without_contract")] == ["Q2"]
    assert [(x.procurement.case_number, x.supplier_id) for x in quality.records("awarded_bid_without_contract")] == [
        ("Q3", b.pk)]
    assert [c.number for c in quality.records("contract_before_award")] == ["K3"]
    assert [f.contract.number for f in quality.records("follow_up_after_end")] == ["K5"]
    assert [p.case_number for p in quality.records("advertised_without_uhm_levels")] == ["Q4"]
    assert sorted(s.pk for s in quality.records("duplicate_org_number")) == sorted([a.pk, b.pk])
    assert sorted(s.pk for s in quality.records("duplicate_name")) == sorted([a.pk, b.pk])
    assert quality.counts()["deadline_after_award"] == 0


def test_clean_data_passes_every_check(plan):
    a = SupplierFactory()
    p = ProcurementFactory(status="completed", advertised_on=D(2026, 1, 10), tender_deadline=D(2026, 2, 20),
                           awarded_on=D(2026, 3, 1), completed_on=D(2026, 4, 1), bids=[a], bids__awarded=[a], **GREEN)
    contract = ContractFactory(procurement=p, supplier=a, start_date=D(2026, 4, 1), end_date=D(2028, 3, 31))
    ContractFollowUpFactory(contract=contract, date=D(2026, 6, 1))
    BidFactory(procurement=p)
    assert quality.counts() == {check.code: 0 for check in quality.CHECKS}


def test_the_page_counts_each_check_and_lists_one(staff_client, register):
    page = staff_client.get(reverse("procurement:data_quality")).content.decode()
    assert "Avslutad upphandling utan anbud" in page and "?kontroll=completed_without_bids" in page
    listed = staff_client.get(reverse("procurement:data_quality") + "?kontroll=completed_without_bids")
    assert "Q2" in listed.content.decode() and "Q1" not in listed.content.decode()
    assert staff_client.get(reverse("procurement:data_quality") + "?kontroll=nej").status_code == 404
