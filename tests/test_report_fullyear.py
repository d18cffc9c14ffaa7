"""The report at the first meeting of a year is the previous year's full-year follow-up (helårsuppföljning).

The world: meetings on 18 February (the year's first) and 22 April 2026; the clock at 10 February 2026,
so the February meeting's cut-off is 10 February.
  - 1.1 (NKI, target > 90) 2025 = 91,4, known from 20 January 2026: counted, met (91,4 > 90).
  - 8.7 (deviations, measure only) 2025 = 3, known from 12 February 2026: after the cut-off, not counted.
  - 1.2 (coordinated share, target at least 80 % until 2025): two procurements completed in 2025, one
    for Falun and Borlänge and one for Falun only: 1 of 2 = 50 % < 80 %, not met.
"""

import datetime
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import Indicator, IndicatorValue
from nämndplan.models import Meeting
from ops.management.commands.setup_demo import DEMO_MEETING_DAYS
from procurement.models import Procurement
from reports.period import ReportPeriod, meeting_period
from reports.services import create_report, draft_snapshot, freeze_report
from tests.factories import MeetingFactory, ProcurementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]
D = datetime.date
FEBRUARY, APRIL = D(2026, 2, 18), D(2026, 4, 22)
TODAY = D(2026, 2, 10)


@pytest.fixture
def set_today(monkeypatch):
    def set_day(day):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return set_day


def value(code, year, number, known_from):
    return IndicatorValue.objects.create(indicator=Indicator.objects.get(code=code), year=year, value=number,
                                         known_from=known_from)


@pytest.fixture
def world(plan, chief_user, set_today):
    set_today(TODAY)
    february, april = MeetingFactory(date=FEBRUARY), MeetingFactory(date=APRIL)
    value("1.1", 2025, "91.4", D(2026, 1, 20))
    value("8.7", 2025, "3", D(2026, 2, 12))
    completed = Procurement.Status.COMPLETED
    ProcurementFactory(case_number="H1", municipalities=["Falun", "Borlänge"], status=completed,
                       advertised_on=D(2025, 2, 1), awarded_on=D(2025, 4, 1), completed_on=D(2025, 5, 1))
    ProcurementFactory(case_number="H2", municipalities=["Falun"], status=completed,
                       advertised_on=D(2025, 3, 1), awarded_on=D(2025, 8, 1), completed_on=D(2025, 9, 1))
    report = create_report(meeting=february, user=chief_user)[0]
    return {"february": february, "april": april, "report": report}


def rows(snapshot):
    return {row["code"]: row for goal in snapshot["goals"] for row in goal["indicators"]}


def test_the_first_meeting_of_a_year_covers_the_previous_year_with_what_was_known_at_its_cut_off(world):
    period = meeting_period(world["february"], TODAY)
    assert period == ReportPeriod(year=2025, as_of=D(2025, 12, 31), known_by=TODAY, full_year=True)
    assert (period.label, period.title) == ("1 januari – 31 december 2025", "Helårsuppföljning 2025")
    later = meeting_period(world["april"], D(2026, 4, 30))
    assert later == ReportPeriod(year=2026, as_of=APRIL, known_by=APRIL, full_year=False) and later.title == ""


def test_a_meeting_with_an_earlier_one_that_year_is_not_the_first():
    assert meeting_period(Meeting(date=APRIL), D(2026, 4, 30), first_of_year=False).full_year is False


def test_the_february_report_judges_2025_whole_with_the_values_known_by_its_cut_off(world):
    snapshot = draft_snapshot(world["report"])
    assert (snapshot["year"], snapshot["as_of"], snapshot["known_by"]) == (2025, "2025-12-31", "2026-02-10")
    assert snapshot["full_year"] and snapshot["heading"] == "Helårsuppföljning 2025"
    assert snapshot["period_label"] == "1 januari – 31 december 2025"
    assert snapshot["years"][-1] == 2025
    found = rows(snapshot)
    assert (found["1.1"]["value"], found["1.1"]["status_label"]) == ("91.40", "Uppfyllt")  # 91,4 > 90
    assert found["1.1"]["to_date"] is False
    assert (found["1.2"]["value"], found["1.2"]["status_label"]) == ("50.0", "Ej uppfyllt")  # 1 of 2 < 80 %
    assert found["8.7"]["value"] is None  # reported 12 February, after the cut-off of 10 February


def test_the_page_the_cover_and_the_title_say_helarsuppfoljning(chief_client, world):
    page = chief_client.get(reverse("reports:report_detail", args=[world["report"].pk])).content.decode()
    title = page[page.index("<title>"):page.index("</title>")]
    assert "Helårsuppföljning 2025" in title
    assert '<p class="cover__kind">Helårsuppföljning 2025</p>' in page
    assert "Uppgifterna avser perioden</dt><dd>1 januari – 31 december 2025" in page
    assert "Värden kända till och med</dt><dd>10 februari 2026" in page
    assert "1 januari – 10 februari" not in page and "1 januari – 1 januari" not in page
    assert "2025<span class=\"sub\">helår</span>" in page


def test_freezing_stores_31_december_and_keeps_the_values_known_then(world, set_today):
    report = freeze_report(report=world["report"], user=world["report"].log.get().user)
    assert report.period_end == D(2025, 12, 31)
    assert (report.snapshot["year"], report.snapshot["known_by"]) == (2025, "2026-02-10")
    assert "<title>Uppföljning av nämndplan 2026–2028 – Helårsuppföljning 2025</title>" in report.html
    set_today(D(2026, 3, 1))  # 8.7's 2025 value is known now, but was not at the freeze
    report.refresh_from_db()
    assert report.period() == ReportPeriod(year=2025, as_of=D(2025, 12, 31), known_by=TODAY, full_year=True)
    assert rows(report.snapshot)["8.7"]["value"] is None


def test_the_freeze_page_says_which_year_it_covers(chief_client, world):
    page = chief_client.get(reverse("reports:report_freeze", args=[world["report"].pk])).content.decode()
    assert "Rapporten är helårsuppföljning 2025: siffrorna avser perioden 1 januari – 31 december 2025" in page


def test_the_list_labels_the_first_meeting_of_the_year(member_client, world):
    page = member_client.get(reverse("reports:meeting_list"), {"ar": 2026}).content.decode()
    assert "<strong>Helårsuppföljning 2025</strong>" in page
    assert "1 januari – 22 april 2026" in page  # the April meeting covers 2026 to its date


def test_the_command_writes_the_full_year_report(world, tmp_path, capsys):
    out = tmp_path / "helar.html"
    call_command("followup_report", "--date", "2026-02-18", "--format", "html", "--output", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Helårsuppföljning 2025" in html and "1 januari – 31 december 2025" in html
    assert "helårsuppföljning 2025, utkast" in capsys.readouterr().out


def test_excel_has_the_full_year_column(chief_client, world):
    response = chief_client.get(reverse("reports:report_xlsx", args=[world["report"].pk]))
    sheet = load_workbook(BytesIO(response.content))["Indikatorer"]
    headers = next(sheet.iter_rows(max_row=1, values_only=True))
    found = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    current = headers.index("2025 t.o.m. 2025-12-31")
    assert found["1.1"][current] == 91.4 and found["1.1"][headers.index("Status")] == "Uppfyllt"


def test_the_special_assignments_are_those_of_the_year_reported(world):
    # The plan gives assignments for 2026 only: the full-year follow-up of 2025 has none.
    assert not world["report"].assignment_statuses.exists()
    april = create_report(meeting=world["april"], user=world["report"].log.get().user)[0]
    assert sorted(april.assignment_statuses.values_list("assignment__number", flat=True)) == [1, 2, 3, 4, 5]


def test_the_demo_meetings_begin_each_year_with_the_full_year_follow_up(plan):
    meetings = [Meeting.objects.create(date=D(2026, month, day)) for month, day in DEMO_MEETING_DAYS]
    first, *others = [meeting_period(m, D(2026, 12, 1)) for m in meetings]
    assert (first.full_year, first.year, first.as_of) == (True, 2025, D(2025, 12, 31))
    assert all(not p.full_year and p.year == 2026 for p in others)
