"""The next report's change chapter: status changes first, corrected figures, other changes, late entries;
and what the committee was shown (Publication) when a report is frozen.

Timeline (clock moved by hand):
  10 Feb 2026 10.00  report A, the February meeting's (full year 2025), frozen: 1.1 2025 = 91,4 (met, > 90);
                     procurement EARLY (completed 2025-06-01) was entered before.
   2 Mar 2026 10.00  1.1 2025 corrected to 92,0 ("Fel i sammanställningen"); procurement LATE entered,
                     completed 2025-11-10 (on or before A's cut-off, 31 December 2025): a late entry;
                     procurement NEW entered, advertised and completed in 2026 (after A's cut-off): not one;
                     8.7 2025 = 3 reported, known from 5 February (by A's cut-off of 10 February): a late entry.
  15 Apr 2026 10.00  report B, the April meeting's, drafted and frozen.
"""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import Indicator, IndicatorValue, Publication
from procurement.models import Procurement
from reports.services import create_report, draft_snapshot, freeze_report
from tests.factories import MeetingFactory, ProcurementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]
D = datetime.date


@pytest.fixture
def set_today(monkeypatch):
    def set_day(day):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return set_day


def completed(case, completed_on):
    """A procurement completed on that day, advertised and awarded in the same year."""
    return ProcurementFactory(case_number=case, title=f"Upphandling {case}", status=Procurement.Status.COMPLETED,
                              advertised_on=completed_on.replace(day=1, month=1),
                              awarded_on=completed_on - datetime.timedelta(days=1), completed_on=completed_on)


@pytest.fixture
def a_frozen(plan, chief_user, set_today):
    set_today(D(2026, 2, 9))
    nki = IndicatorValue.objects.create(indicator=Indicator.objects.get(code="1.1"), year=2025, value=Decimal("91.4"),
                                        known_from=D(2026, 1, 20))
    completed("EARLY", D(2025, 6, 1))
    set_today(D(2026, 2, 10))
    february = MeetingFactory(date=D(2026, 2, 18))
    report = freeze_report(report=create_report(meeting=february, user=chief_user)[0], user=chief_user)
    return {"report": report, "nki": nki}


def correct(value, new, reason, user):
    value.value, value._change_reason, value._history_user = Decimal(new), reason, user
    value.save()


@pytest.fixture
def b_draft(a_frozen, chief_user, set_today):
    set_today(D(2026, 3, 2))
    correct(a_frozen["nki"], "92.0", "Fel i sammanställningen", chief_user)
    completed("LATE", D(2025, 11, 10))
    completed("NEW", D(2026, 3, 1))
    IndicatorValue.objects.create(indicator=Indicator.objects.get(code="8.7"), year=2025, value=3,
                                  known_from=D(2026, 2, 5))
    set_today(D(2026, 4, 15))
    return create_report(meeting=MeetingFactory(date=D(2026, 4, 22)), user=chief_user)[0]


def test_a_correction_after_a_is_frozen_is_in_bs_corrected_figures_with_its_reason(b_draft, chief_user):
    changes = draft_snapshot(b_draft)["changes"]
    assert [(c["code"], c["year"], c["period_label"], c["before"], c["after"], c["reason"], c["changed_by"])
            for c in changes["corrections"]] == [
        ("1.1", 2025, "Helår", "91.40", "92.00", "Fel i sammanställningen", chief_user.username)]
    assert changes["corrections"][0]["changed_at"] == "2026-03-02T10:00:00+01:00"
    # 91,4 → 92,0 is met either way: listed as a correction, not again among the other changed values.
    assert "1.1" not in [row["code"] for row in changes["rows"]]


def test_a_procurement_entered_after_a_but_completed_by_its_cut_off_is_a_late_entry(b_draft):
    late = draft_snapshot(b_draft)["changes"]["late_records"]
    completed_rows = [(r["kind"], r["record"], r["date"]) for r in late if r["kind"] == "Avslutad upphandling"]
    assert completed_rows == [("Avslutad upphandling", "LATE Upphandling LATE", "2025-11-10")]
    assert all("EARLY" not in r["record"] and "NEW" not in r["record"] for r in late)
    assert late[0]["entered_at"] == "2026-03-02T10:00:00+01:00"


def test_a_value_entered_later_but_known_by_as_cut_off_is_a_late_entry(b_draft):
    late = draft_snapshot(b_draft)["changes"]["late_values"]
    assert [(v["code"], v["year"], v["after"], v["known_from"]) for v in late] == [("8.7", 2025, "3.00", "2026-02-05")]


def test_the_chapter_lists_status_changes_first_then_corrections_then_the_rest_then_late_entries(
        chief_client, a_frozen, chief_user, set_today):
    set_today(D(2026, 3, 2))
    correct(a_frozen["nki"], "89.0", "Dubbelräknade svar", chief_user)  # 91,4 met → 89,0 not met (≤ 90)
    completed("LATE", D(2025, 11, 10))
    set_today(D(2026, 4, 15))
    b = create_report(meeting=MeetingFactory(date=D(2026, 4, 22)), user=chief_user)[0]
    changes = draft_snapshot(b)["changes"]
    assert [(r["code"], r["before_status"], r["now_status"]) for r in changes["status_rows"]][0] == (
        "1.1", "met", "not_met")
    assert changes["rows"][:len(changes["status_rows"])] == changes["status_rows"]
    page = chief_client.get(reverse("reports:report_detail", args=[b.pk])).content.decode()
    chapter = page[page.index('id="forandringar-h"'):page.index('id="maluppfyllelse-h"')]
    order = [chapter.index(h) for h in ("2.1 Ändrad status", "2.2 Rättade siffror", "2.3 Andra ändrade värden",
                                        "2.4 Sent inrapporterat")]
    assert order == sorted(order)
    status_table = chapter[chapter.index("2.1 Ändrad status"):chapter.index("2.2 Rättade siffror")]
    assert "NKI - Nöjd kundindex från kommunerna" in status_table and "Ej uppfyllt" in status_table
    corrections = chapter[chapter.index("2.2 Rättade siffror"):chapter.index("2.3 Andra ändrade värden")]
    assert 'num">91,4</td>' in corrections and re.search(r'num">89(,0)?</td>', corrections)
    assert "Dubbelräknade svar" in corrections
    assert "LATE Upphandling LATE" in chapter[chapter.index("2.4 Sent inrapporterat"):]


def test_a_frozen_b_keeps_its_corrections_and_late_entries(b_draft, chief_user, a_frozen, set_today):
    b = freeze_report(report=b_draft, user=chief_user)
    stored = b.snapshot["changes"]
    set_today(D(2026, 4, 20))
    correct(a_frozen["nki"], "93.0", "Ny rättelse", chief_user)
    b.refresh_from_db()
    assert b.snapshot["changes"] == stored
    assert [c["after"] for c in stored["corrections"]] == ["92.00"]
    assert "Fel i sammanställningen" in b.html and "LATE Upphandling LATE" in b.html


def test_excel_has_the_corrections_and_the_late_entries(chief_client, b_draft):
    response = chief_client.get(reverse("reports:report_xlsx", args=[b_draft.pk]))
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[-5:] == ["Förändringar", "Rättade siffror", "Sent inrapporterat", "Uppföljningsplan",
                                    "Slutdatumsradar"]
    corrections = list(book["Rättade siffror"].iter_rows(min_row=2, values_only=True))
    assert [row[:7] for row in corrections] == [
        ("1.1", "NKI - Nöjd kundindex från kommunerna", 2025, "Helår", 91.4, 92, "Fel i sammanställningen")]
    late = [row[:3] for row in book["Sent inrapporterat"].iter_rows(min_row=2, values_only=True)]
    assert ("Värde 8.7", late[0][1], "2025 Helår") == late[0]
    assert ("Avslutad upphandling", "LATE Upphandling LATE", datetime.datetime(2025, 11, 10)) in late


def test_freezing_keeps_what_the_committee_was_shown(a_frozen):
    report = a_frozen["report"]
    publication = Publication.objects.get()
    assert (publication.meeting, publication.year, publication.as_of) == (report.meeting, 2025, D(2025, 12, 31))
    assert publication.published_at == report.frozen_at
    assert publication.figures["1.1"] == {"year": 2025, "value": "91.40", "status": "met", "unit": "index"}
    assert set(publication.figures) == {row["code"] for g in report.snapshot["goals"] for row in g["indicators"]}


def test_freezing_again_after_reopening_adds_a_publication(a_frozen, chief_user):
    from reports.services import reopen_report

    report = reopen_report(report=a_frozen["report"], user=chief_user, reason="Rättad NKI.")
    freeze_report(report=report, user=chief_user)
    assert Publication.objects.count() == 2
