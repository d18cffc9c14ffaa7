"""Flags over the register, worked out by hand (procurement/integrity.py), and their page.

In 2026, with the default thresholds:
- P1 open, awarded, one bid: single bid (Falun and Borlänge).
- P2 open, awarded, three bids, the two not awarded disqualified: all but the awarded disqualified.
- P3 open, awarded, two bids, the other valid: nothing.
- P4 open, advertised, one bid, no award decision: nothing (the bids are secret).
- P5 restricted, 19 days from advertising to the last day for tenders (< 25): short period.
- P6 open, 30 days (not < 30): nothing.
- P7 cancelled after one bid: cancelled after bids; P8 cancelled without bids: nothing.
- P9 appealed 1 May 2026: appealed.
- C1 terminated 1 June 2026 before its end in 2027: terminated early; C2 ended as agreed: nothing.
- P10 completed 92 days after its planned day (> 60): late; P11 46 days after: nothing.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement import integrity
from procurement.models import IntegrityRule, Procurement, SubmissionMinimum
from tests.factories import ContractFactory, ProcurementFactory, SupplierFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def awarded(number, bidders, *, awarded_to, disqualified=(), procedure="open", **fields):
    return ProcurementFactory(case_number=number, procedure=procedure, status="awarded", advertised_on=D(2026, 2, 1),
                              awarded_on=D(2026, 4, 1), bids=bidders, bids__awarded=awarded_to,
                              bids__disqualified=disqualified, **fields)


@pytest.fixture
def register(plan):
    a, b, c = SupplierFactory(), SupplierFactory(), SupplierFactory()
    awarded("P1", [a], awarded_to=[a])
    awarded("P2", [a, b, c], awarded_to=[a], disqualified=[b, c])
    awarded("P3", [a, b], awarded_to=[a])
    ProcurementFactory(case_number="P4", status="advertised", advertised_on=D(2026, 2, 1), bids=[a])
    ProcurementFactory(case_number="P5", procedure="restricted", status="advertised", advertised_on=D(2026, 3, 1),
                       tender_deadline=D(2026, 3, 20))
    ProcurementFactory(case_number="P6", status="advertised", advertised_on=D(2026, 3, 1),
                       tender_deadline=D(2026, 3, 31))
    cancelled = {"status": "cancelled", "advertised_on": D(2026, 2, 1), "cancelled_on": D(2026, 5, 1),
                 "cancellation_reason": "Budget saknas"}
    ProcurementFactory(case_number="P7", bids=[b], **cancelled)
    ProcurementFactory(case_number="P8", **cancelled)
    ProcurementFactory(case_number="P9", status="advertised", advertised_on=D(2026, 2, 1), appealed_on=D(2026, 5, 1))
    ContractFactory(number="C1", start_date=D(2025, 1, 1), end_date=D(2027, 12, 31), terminated_on=D(2026, 6, 1),
                    termination_reason="Hävt")
    ContractFactory(number="C2", start_date=D(2025, 1, 1), end_date=D(2026, 6, 30))
    done = {"status": "completed", "advertised_on": D(2026, 1, 10), "awarded_on": D(2026, 5, 1),
            "planned_completion": D(2026, 6, 30)}
    ProcurementFactory(case_number="P10", completed_on=D(2026, 9, 30), **done)
    ProcurementFactory(case_number="P11", completed_on=D(2026, 8, 15), **done)


def flagged_numbers(code):
    records = integrity.flagged(code, integrity.Settings.load())
    field = "number" if records.model.__name__ == "Contract" else "case_number"
    return sorted(records.values_list(field, flat=True))


@pytest.mark.parametrize("code, expected", [
    ("single_bid", ["P1"]), ("all_disqualified", ["P2"]), ("short_period", ["P5"]),
    ("cancelled_after_bids", ["P7"]), ("appealed", ["P9"]), ("terminated_early", ["C1"]),
    ("completed_late", ["P10"]),
])
def test_each_flag_picks_what_was_worked_out_by_hand(register, code, expected):
    assert flagged_numbers(code) == expected


def test_clean_data_has_no_flags(plan):
    a, b = SupplierFactory(), SupplierFactory()
    awarded("OK1", [a, b], awarded_to=[a], tender_deadline=D(2026, 3, 15))
    ContractFactory(number="OK2", start_date=D(2025, 1, 1), end_date=D(2026, 6, 30))
    assert all(c.total == 0 for c in integrity.counts())


def test_thresholds_and_minimums_are_settings_in_admin(register):
    IntegrityRule.objects.filter(code="single_bid").update(threshold=2)
    assert flagged_numbers("single_bid") == ["P1", "P3"]
    SubmissionMinimum.objects.filter(procedure=Procurement.Procedure.OPEN).update(days=31)
    assert flagged_numbers("short_period") == ["P5", "P6"]
    IntegrityRule.objects.filter(code="appealed").update(active=False)
    assert "appealed" not in [c.flag.code for c in integrity.counts()]


def test_counts_per_year_and_municipality(register):
    by_code = {c.flag.code: c for c in integrity.counts()}
    assert by_code["single_bid"].by_year == {2026: 1}
    assert by_code["single_bid"].by_municipality == {(2026, "Falun"): 1, (2026, "Borlänge"): 1}
    assert by_code["terminated_early"].by_municipality == {(2026, "Falun"): 1}


def test_the_counts_take_two_queries_a_flag_whatever_the_register(register):
    with CaptureQueriesContext(connection) as queries:
        integrity.counts()
    assert len(queries) == 2 + 2 * len(integrity.FLAGS)


def test_the_page_lists_a_flag_with_its_explanation(staff_client, register):
    page = staff_client.get(reverse("procurement:flags") + "?flagga=single_bid&ar=2026").content.decode()
    assert "Ett enda anbud i öppet förfarande" in page and "P1" in page and "P3" not in page
    assert "skäl att öppna akten, aldrig ett omdöme" in page
    assert staff_client.get(reverse("procurement:flags") + "?flagga=finns-inte").status_code == 404


def test_committee_members_do_not_see_the_flag_pages(member_client, register):
    assert member_client.get(reverse("procurement:flags")).status_code == 403
    assert member_client.get(reverse("procurement:data_quality")).status_code == 403


def test_goal_3s_page_counts_the_flags_per_year_and_municipality(member_client, register):
    response = member_client.get(reverse("dashboards:goal_detail", args=[3]) + "?ar=2026")
    page = response.content.decode()
    summary = response.context["flags"]
    single = next(row for row in summary.rows if row[0].flag.code == "single_bid")
    assert single[1][-1] == 1  # 2026
    assert single[2][summary.municipalities.index("Borlänge")] == 1
    assert "Flaggor i registret" in page and "Antal flaggade per kommun 2026" in page
    assert "/register/flaggor/" not in page  # members see the counts, not the flagged records
    assert member_client.get(reverse("dashboards:goal_detail", args=[1])).context["flags"] is None


def test_a_meetings_cut_off_leaves_out_later_flags(member_client, register):
    summary = integrity.counts(years=[2026], as_of=D(2026, 4, 30))
    by_code = {c.flag.code: c.total for c in summary}
    assert by_code["appealed"] == 0 and by_code["single_bid"] == 1  # appealed 1 May; advertised 1 February
