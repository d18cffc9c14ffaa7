"""Writing, previewing, freezing and reopening a follow-up report in the browser (PDF rendering faked).

The real PDF is tested in tests/test_report_pdf.py; here render_pdf returns fixed bytes, so the
rules around it run fast.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nämndplan.models import SpecialAssignment
from reports.models import AssignmentStatus, GoalAnalysis, Report, ReportLog
from reports.services import create_report, ensure_parts, report_parts
from tests.conftest import FAKE_PDF
from tests.factories import IndicatorValueFactory, MeetingFactory
from tests.register_world import build_register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]
MAY_20 = datetime.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def february_meeting(db):
    """The year's first meeting (its report is the full-year follow-up of 2025), so that the
    reports of later meetings in these tests cover 2026 up to their cut-off."""
    return MeetingFactory(date=datetime.date(2026, 2, 18))



@pytest.fixture
def report(plan, chief_user):
    meeting = MeetingFactory(date=MAY_20, title="Sammanträde 20 maj")
    return create_report(meeting=meeting, user=chief_user)[0]


def texts(report, **changes):
    """A complete POST of the report form, with `changes` on top."""
    data = {"case_number": "GNU 2026/12", "overall_analysis": "Verksamheten går enligt plan.",
            "staff_text": "Två nyanställda.", "version": Report.objects.get(pk=report.pk).edit_version}
    for number in range(1, 9):
        data[f"goal_{number}"] = ""
    for item in report.assignment_statuses.select_related("assignment"):
        data[f"assignment_{item.assignment.number}_status"] = item.status
        data[f"assignment_{item.assignment.number}_text"] = item.status_text
    data.update(changes)
    return data


def url(name, report):
    return reverse(f"reports:{name}", args=[report.pk])


def test_a_new_report_has_a_row_per_goal_and_per_assignment_of_the_year(report):
    assert report.goal_analyses.count() == 8
    assert sorted(report.assignment_statuses.values_list("assignment__number", flat=True)) == [1, 2, 3, 4, 5]
    assert report.log.get().action == ReportLog.Action.CREATED


def test_chief_creates_the_report_of_a_meeting_once(chief_client, plan):
    meeting = MeetingFactory(date=MAY_20)
    create = reverse("reports:report_create", args=[meeting.pk])
    first = chief_client.post(create)
    second = chief_client.post(create)
    report = Report.objects.get(meeting=meeting)
    assert first["Location"] == second["Location"] == url("report_edit", report)
    # The POST made the parts: one analysis per goal (1–7 and section 8), one status per assignment of 2026.
    assert report.goal_analyses.count() == 8 and report.assignment_statuses.count() == 5


def row_counts():
    return [model.objects.count() for model in (Report, GoalAnalysis, AssignmentStatus, ReportLog)]


def test_showing_the_edit_page_writes_nothing(chief_client, report):
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        response = chief_client.get(url("report_edit", report))
    assert response.status_code == 200 and "Analys av inriktningsmål 7" in response.content.decode()
    assert row_counts() == before == [1, 8, 5, 1]
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_an_assignment_added_after_the_report_was_made_is_shown_and_stored_when_the_texts_are_saved(
    chief_client, report, plan
):
    SpecialAssignment.objects.create(plan=plan, year=2026, number=6, title="Nytt uppdrag", status="in_progress",
                                     status_text="Påbörjat i juni.")
    page = chief_client.get(url("report_edit", report)).content.decode()
    assert "Status för uppdrag 6" in page and "Påbörjat i juni." in page
    assert report.assignment_statuses.count() == 5  # showing the form stored nothing
    response = chief_client.post(url("report_edit", report), texts(
        report, assignment_6_status="delayed", assignment_6_text="Försenat av sjukdom.",
    ))
    assert response.status_code == 302
    status = report.assignment_statuses.get(assignment__number=6)
    assert (status.status, status.status_text) == ("delayed", "Försenat av sjukdom.")
    assert report.assignment_statuses.count() == 6


def test_making_the_parts_twice_or_at_once_stores_each_row_once(report, monkeypatch):
    report.goal_analyses.filter(goal__number=3).delete()
    stale = report_parts(report)  # what a second request saw before the first one stored goal 3
    ensure_parts(report)
    ensure_parts(report)
    assert report.goal_analyses.count() == 8
    monkeypatch.setattr("reports.services.report_parts", lambda report, plan=None: stale)
    ensure_parts(report)  # the second request inserts goal 3's row again: the conflict is ignored, not a 500
    assert report.goal_analyses.count() == 8 and report.assignment_statuses.count() == 5


def test_chief_writes_the_texts_and_assignment_statuses(chief_client, report):
    response = chief_client.post(url("report_edit", report), texts(
        report, goal_3="Fler leverantörskontroller.\n\nNytt stycke.",
        assignment_2_status="in_progress", assignment_2_text="Kategoriteam bildat.",
    ))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.case_number, report.overall_analysis) == ("GNU 2026/12", "Verksamheten går enligt plan.")
    assert report.goal_analyses.get(goal__number=3).text == "Fler leverantörskontroller.\n\nNytt stycke."
    status = report.assignment_statuses.get(assignment__number=2)
    assert (status.status, status.status_text) == ("in_progress", "Kategoriteam bildat.")
    # The plan's assignment shows the latest report's status.
    assert SpecialAssignment.objects.get(year=2026, number=2).status == "in_progress"
    page = chief_client.get(url("report_detail", report)).content.decode()
    assert "<p>Fler leverantörskontroller.</p>\n\n<p>Nytt stycke.</p>" in page
    assert "Kategoriteam bildat." in page and "GNU 2026/12" in page


def test_html_in_the_texts_is_shown_as_text(chief_client, report):
    chief_client.post(url("report_edit", report), texts(
        report, overall_analysis="<script>alert(1)</script> och <b>fet</b>", staff_text="<img src=x onerror=alert(2)>",
    ))
    page = chief_client.get(url("report_detail", report)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; och &lt;b&gt;fet&lt;/b&gt;" in page
    assert "<script" not in page and "<b>fet" not in page and "<img src=x" not in page
    document = chief_client.get(url("report_html", report)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document and "<script" not in document


def test_a_draft_is_previewed_with_the_numbers_of_the_meeting_date(chief_client, report):
    build_register()
    page = chief_client.get(url("report_detail", report)).content.decode()
    assert "Utkast – inte fastställt" in page
    assert "1 januari – 20 maj 2026" in page
    # 1.2 on 20 May: completed P1 (2 kommuner) and P5 (2) → 2 of 2 coordinated.
    assert "100,0 %" in page and "2 av 2 avslutade upphandlingar" in page


def test_freezing_needs_the_confirmation(chief_client, report):
    response = chief_client.post(url("report_freeze", report), {})
    assert response.status_code == 200
    assert "Bekräfta att rapporten ska fastställas." in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_freezing_stores_the_snapshot_the_document_and_the_pdf(chief_client, chief_user, report):
    chief_user.first_name, chief_user.last_name = "Karin", "Chef"
    chief_user.save()
    response = chief_client.post(url("report_freeze", report), {"confirm": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.FROZEN and report.frozen_by == chief_user
    assert bytes(report.pdf) == FAKE_PDF
    assert report.snapshot["as_of"] == "2026-05-20" and report.snapshot["frozen"]["by"] == "Karin Chef"
    assert "Fastställd" in report.html and "Karin Chef" in report.html
    assert report.log.filter(action=ReportLog.Action.FROZEN, user=chief_user).exists()
    page = chief_client.get(url("report_detail", report)).content.decode()
    assert "Karin Chef" in page and "Fastställd" in page
    pdf = chief_client.get(url("report_pdf", report))
    assert pdf.content == FAKE_PDF
    assert pdf["Content-Disposition"] == 'attachment; filename="Uppfoljning-2026-05-20.pdf"'


def test_a_frozen_report_cannot_be_edited_or_frozen_again(chief_client, report):
    chief_client.post(url("report_freeze", report), {"confirm": "on"})
    response = chief_client.post(url("report_edit", report), texts(report, overall_analysis="Ändrad"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.overall_analysis == ""
    assert chief_client.post(url("report_freeze", report), {"confirm": "on"}).status_code == 302
    assert report.log.filter(action=ReportLog.Action.FROZEN).count() == 1


def test_reopening_requires_a_reason_and_is_logged(chief_client, chief_user, report):
    chief_client.post(url("report_freeze", report), {"confirm": "on"})
    response = chief_client.post(url("report_reopen", report), {"reason": "   "})
    assert "Ange varför rapporten öppnas för ändring." in response.content.decode()
    report.refresh_from_db()
    assert report.is_frozen

    chief_client.post(url("report_reopen", report), {"reason": "Fel siffra i ekonomin."})
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and report.pdf is None and report.snapshot is None
    entry = report.log.get(action=ReportLog.Action.REOPENED)
    assert (entry.user, entry.reason) == (chief_user, "Fel siffra i ekonomin.")
    page = chief_client.get(url("report_detail", report)).content.decode()
    assert "Öppnad för ändring" in page and "Fel siffra i ekonomin." in page


@pytest.mark.parametrize("role_client", ["member_client", "staff_client"])
def test_members_and_staff_read_but_cannot_write_freeze_reopen_or_export(request, role_client, report, plan):
    client = request.getfixturevalue(role_client)
    assert client.get(url("report_detail", report)).status_code == 200  # the draft, read-only
    assert client.post(url("report_edit", report), texts(report, overall_analysis="Nej")).status_code == 403
    assert client.post(url("report_freeze", report), {"confirm": "on"}).status_code == 403
    assert client.get(url("report_xlsx", report)).status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and report.overall_analysis == ""

    from reports.services import freeze_report

    chief = report.log.get().user
    freeze_report(report=report, user=chief)
    assert client.get(url("report_pdf", report)).content == FAKE_PDF
    assert client.post(url("report_reopen", report), {"reason": "Vill ändra"}).status_code == 403
    report.refresh_from_db()
    assert report.is_frozen


def test_the_next_draft_lists_the_indicators_that_changed_since_the_last_frozen_report(chief_client, report):
    build_register()
    chief_client.post(url("report_freeze", report), {"confirm": "on"})
    report.refresh_from_db()
    IndicatorValueFactory(code="1.1", year=2026, period="t1", value=91)
    next_meeting = MeetingFactory(date=datetime.date(2026, 6, 10))
    following = create_report(meeting=next_meeting, user=report.frozen_by)[0]
    page = chief_client.get(url("report_detail", following)).content.decode()
    changes = page[page.index('id="forandringar-h"'):page.index('id="maluppfyllelse-h"')]
    assert "Jämfört med den fastställda rapporten per 20 maj 2026" in changes
    assert "NKI - Nöjd kundindex från kommunerna" in changes and ">91,0<" in changes
    # 1.3: K2's strategy was adopted on 1 June, so 1 category then and 2 now.
    assert "Antal kategorier med kategoristrategi" in changes
    # 4.1 is P1 of the four advertised on both dates (25 %): not listed.
    assert "Andel upphandlingar med sysselsättningskrav" not in changes


def test_the_excel_export_holds_the_report_tables(chief_client, report):
    from io import BytesIO

    from openpyxl import load_workbook

    build_register()
    response = chief_client.get(url("report_xlsx", report))
    assert response["Content-Disposition"] == 'attachment; filename="Uppfoljning-2026-05-20-utkast.xlsx"'
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[:2] == ["Indikatorer", "Ekonomi"]
    rows = {row[1]: row for row in book["Indikatorer"].iter_rows(min_row=2, values_only=True)}
    headers = next(book["Indikatorer"].iter_rows(max_row=1, values_only=True))
    current = headers.index("2026 t.o.m. 2026-05-20")
    assert rows["1.2"][current] == 100 and rows["1.2"][headers.index("2024")] == 56
    assert rows["4.1"][current] == 25  # P1 of the four advertised by 20 May
    appeals = list(book["Överprövningar"].iter_rows(min_row=2, values_only=True))
    assert appeals == [("P4", "Upphandling P4", datetime.datetime(2026, 2, 1), "Avslag – upphandlingen står sig")]


def _goal_table(page, number):
    start = page.index(f"Siffror för inriktningsmål {number}</caption>")
    return page[start:page.index("</table>", start)]


def test_the_edit_page_shows_each_goals_figures_beside_its_text_as_the_report_will(chief_client, report):
    from common.formatting import format_number
    from reports.services import draft_snapshot

    build_register()
    page = chief_client.get(url("report_edit", report)).content.decode()
    goal_1 = next(g for g in draft_snapshot(report)["goals"] if g["number"] == 1)
    table = _goal_table(page, 1)
    assert '<th scope="col">Status</th>' in table and '<th scope="row">' in table
    for row in goal_1["indicators"]:
        assert row["code"] in table and format_number(row["value"], row["unit"]) in table
    assert "Andel samordnade upphandlingar av avslutade upphandlingar" in table
    assert "Siffror för den löpande verksamheten" in page  # section 8 too
    assert page.index("Siffror för inriktningsmål 1") < page.index('name="goal_2"')


def test_the_edit_page_runs_as_many_queries_whatever_the_register_size(chief_client, report):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from procurement.models import Category
    from tests.factories import ProcurementFactory

    build_register()
    with CaptureQueriesContext(connection) as small:
        assert chief_client.get(url("report_edit", report)).status_code == 200
    ProcurementFactory.create_batch(10, category=Category.objects.get(name="K1"), appealed_on=datetime.date(2026, 3, 1))
    with CaptureQueriesContext(connection) as bigger:
        chief_client.get(url("report_edit", report))
    assert len(bigger) == len(small) < 120  # the draft snapshot (see test_report_snapshot) and the form
