"""The period a report covers: 1 January to the meeting date, but never to a day that has not come.

Reports are written and frozen before the meeting. With the register of tests/register_world.py and
one more procurement in the upphandlingsplan, PX, planned to be finished on 15 May and not finished:
8.2 (finished on time, of those planned to finish by the cut-off) is
  - on 12 May: P1 only (planned 1 May, finished 15 April) → 1 of 1 = 100 %;
  - on 20 May: P1 and PX (not finished, so late) → 1 of 2 = 50 %.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nämndplan.models import cut_off
from procurement.models import Category, Procurement
from reports.models import Report
from reports.services import create_report, draft_snapshot
from tests.factories import MeetingFactory, ProcurementFactory
from tests.register_world import adopt_plans, build_register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]
D = datetime.date
MEETING = D(2026, 5, 20)


@pytest.fixture(autouse=True)
def february_meeting(db):
    """The year's first meeting (its report is the full-year follow-up of 2025), so that the
    reports of later meetings in these tests cover 2026 up to their cut-off."""
    return MeetingFactory(date=datetime.date(2026, 2, 18))



@pytest.fixture
def set_today(monkeypatch):
    """Set the clock to 10.00 Swedish time on a day (timezone.now, and so timezone.localdate)."""

    def set_day(day):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return set_day


@pytest.fixture
def report(plan, chief_user):
    build_register()
    px = ProcurementFactory(
        case_number="PX", category=Category.objects.get(name="K1"),
        status=Procurement.Status.ADVERTISED, advertised_on=D(2026, 4, 1),
        in_procurement_plan=True, planned_completion=D(2026, 5, 15),
    )
    assert adopt_plans() == 1 and px.planned_as
    return create_report(meeting=MeetingFactory(date=MEETING), user=chief_user)[0]


def row(snapshot, code):
    return next(r for goal in snapshot["goals"] for r in goal["indicators"] if r["code"] == code)


@pytest.mark.parametrize(("meeting", "today", "expected"), [
    (D(2026, 5, 20), D(2026, 5, 12), D(2026, 5, 12)),  # written before the meeting: up to today
    (D(2026, 5, 20), D(2026, 5, 20), D(2026, 5, 20)),  # on the day
    (D(2026, 5, 20), D(2026, 6, 30), D(2026, 5, 20)),  # regenerated later: the meeting date
    (D(2027, 2, 10), D(2026, 11, 23), D(2027, 1, 1)),  # the meeting's year has not begun
])
def test_the_cut_off_is_the_meeting_date_or_today_if_that_is_earlier(meeting, today, expected):
    assert cut_off(meeting, today) == expected


def test_a_draft_written_before_the_meeting_covers_the_year_to_today(chief_client, report, set_today):
    set_today(D(2026, 5, 12))
    assert report.as_of == D(2026, 5, 12)
    snapshot = draft_snapshot(report)
    assert (snapshot["as_of"], snapshot["meeting"]["date"]) == ("2026-05-12", "2026-05-20")
    # PX is due on 15 May, after today: not late yet.
    assert (row(snapshot, "8.2")["value"], row(snapshot, "8.2")["basis"]) == ("100.0", "1 av 1 planerade att avslutas")
    page = chief_client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "Uppgifterna avser perioden" in page and "1 januari – 12 maj 2026" in page
    assert "1 januari – 20 maj 2026" not in page
    assert "Sammanträdet 20 maj 2026 har inte varit ännu" in page
    assert "t.o.m. 12/5" in page  # the indicator tables' year-to-date column


def test_freezing_before_the_meeting_stores_the_day_it_was_frozen(chief_client, chief_user, report, set_today):
    set_today(D(2026, 5, 12))
    freeze_page = chief_client.get(reverse("reports:report_freeze", args=[report.pk])).content.decode()
    assert "Siffrorna avser perioden 1 januari – 12 maj 2026." in freeze_page
    chief_client.post(reverse("reports:report_freeze", args=[report.pk]), {"confirm": "on"})
    report.refresh_from_db()
    assert report.is_frozen and report.period_end == D(2026, 5, 12)
    assert (report.snapshot["as_of"], report.snapshot["period_label"]) == ("2026-05-12", "1 januari – 12 maj 2026")
    assert row(report.snapshot, "8.2")["value"] == "100.0"
    assert "Uppföljningsrapport till nämndens sammanträde 20 maj 2026" in report.html
    assert "Uppgifterna avser perioden</dt><dd>1 januari – 12 maj 2026" in report.html

    # The meeting has been; the frozen report still covers the year to the day it was frozen.
    set_today(D(2026, 5, 25))
    chief_client.force_login(chief_user)  # the session of 12 May has expired
    report = Report.objects.select_related("meeting").get(pk=report.pk)
    assert report.as_of == D(2026, 5, 12)
    page = chief_client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "1 januari – 12 maj 2026" in page and "1 januari – 20 maj 2026" not in page


def test_a_report_frozen_after_the_meeting_keeps_the_meeting_date(chief_client, report, set_today):
    set_today(D(2026, 6, 30))
    assert report.as_of == MEETING
    chief_client.post(reverse("reports:report_freeze", args=[report.pk]), {"confirm": "on"})
    report.refresh_from_db()
    assert report.period_end == MEETING and report.snapshot["as_of"] == "2026-05-20"
    # PX was due on 15 May and is not finished: late.
    assert (row(report.snapshot, "8.2")["value"], row(report.snapshot, "8.2")["basis"]) == (
        "50.0", "1 av 2 planerade att avslutas")
    assert "Uppgifterna avser perioden</dt><dd>1 januari – 20 maj 2026" in report.html


def test_the_command_does_not_count_days_that_have_not_come(report, set_today, tmp_path):
    set_today(D(2026, 5, 12))
    out = tmp_path / "rapport.html"
    call_command("followup_report", "--date", "2026-05-20", "--format", "html", "--output", str(out))
    html = out.read_text(encoding="utf-8")
    assert "1 januari – 12 maj 2026" in html and "1 januari – 20 maj 2026" not in html
