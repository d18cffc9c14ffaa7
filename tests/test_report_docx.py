"""The report as a Word file (python-docx): headings in Word's styles, tables, charts, page-number fields,
escaped texts, and that a frozen report's file never changes. The PDF is a stand-in here (tests/test_report_pdf.py
tests the real one)."""

import datetime
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from nämndplan.models import Plan
from procurement.models import Category, Procurement
from reports.docx import CONTENT_TYPE, chart_png, clean, render_docx
from reports.models import Report
from reports.services import create_report, freeze_report, reopen_report
from reports.snapshot import build_snapshot
from tests.factories import IndicatorValueFactory, MeetingFactory, ProcurementFactory, ReportFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db
MAY_20 = datetime.date(2026, 5, 20)
# Characters XML forbids (\x01, \x0b, \x1f; a NUL byte never reaches the text: Django's forms refuse it and
# PostgreSQL cannot store it, so clean() is tested with it on its own).
HOSTILE = "Analysen: <script>alert(1)</script> & <b>fet</b>\x01 text\x0b med\x1f styrtecken.\n\nAndra stycket."
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(autouse=True)
def setting(db, fake_pdf, monkeypatch):
    """The year's first meeting (the full-year follow-up of 2025), so May's report covers 2026 to its cut-off;
    the real Word file (fake_pdf stands in for both files elsewhere)."""
    monkeypatch.setattr("reports.services.render_docx", render_docx)
    MeetingFactory(date=datetime.date(2026, 2, 18))
    build_register()


def _report(chief_user):
    report = create_report(meeting=MeetingFactory(date=MAY_20), user=chief_user)[0]
    report.overall_analysis = HOSTILE
    report.case_number = "GNU 2026/34"
    report.save()
    analysis = report.goal_analyses.get(goal__number=4)
    analysis.text = "Hållbarhetskraven ökar."
    analysis.save()
    return report


@pytest.fixture
def frozen(plan, chief_user):
    return freeze_report(report=_report(chief_user), user=chief_user)


def opened(content):
    return Document(BytesIO(content))


def styled(document, style):
    return [p.text for p in document.paragraphs if p.style.name == style]


def rows_of(document):
    """Every table row as a list of cell texts (one space for each run of whitespace)."""
    return [[" ".join(cell.text.split()) for cell in row.cells] for table in document.tables for row in table.rows]


def part_xml(content, name):
    return zipfile.ZipFile(BytesIO(content)).read(name).decode("utf-8")


def test_the_chapters_are_in_words_own_heading_styles(frozen):
    document = opened(bytes(frozen.docx))
    assert styled(document, "Title") == ["Uppföljning av nämndplan 2026–2028"]
    chapters = styled(document, "Heading 1")
    assert chapters[:4] == ["1 Analys av verksamheten", "2 Förändringar sedan förra rapporten", "3 Måluppfyllelse",
                            "4 Särskilda uppdrag 2026"]
    assert chapters[4:] == ["5 Avtalsförvaltning", "6 Personal", "7 Ekonomiskt utfall och helårsprognos",
                            "8 Avvikelser"]
    goals = [text for text in styled(document, "Heading 2") if text.startswith("3.")]
    assert goals[0].startswith("3.1 Inriktningsmål 1: ") and len(goals) == len(frozen.snapshot["goals"])
    assert "8.2 Överprövningar" in styled(document, "Heading 2")
    assert styled(document, "Heading 3").count("Analys") == len(frozen.snapshot["goals"])


def test_the_cover_says_what_the_pdfs_cover_says(frozen):
    text = "\n".join(p.text for p in opened(bytes(frozen.docx)).paragraphs[:12])
    assert text.startswith("Gemensamma nämnden för upphandlingssamverkan\nUpphandlingscenter\n")
    assert "Uppföljningsrapport till nämndens sammanträde 20 maj 2026" in text
    assert "Uppgifterna avser perioden: 1 januari – 20 maj 2026" in text
    assert "Diarienummer: GNU 2026/34" in text
    assert "Status: Fastställd " in text


def test_the_tables_hold_the_snapshots_figures_in_swedish_format(frozen):
    document = opened(bytes(frozen.docx))
    rows = rows_of(document)
    # 1.2: 2024's 56,0 % and 2026's 100,0 % (P1 and P5 completed by 20 May, both coordinated).
    row = next(r for r in rows if r[0] == "1.2")
    assert row[1].startswith("Andel samordnade upphandlingar av avslutade upphandlingar")
    assert "2 av 2 avslutade upphandlingar" in row[1]
    assert "56,0 %" in row and row[-2] == "100,0 %" and row[-1] == "På väg mot målet"
    # 3.1's average (10 + 4 + 7 + 0) / 4 = 5,25 → 5,3.
    assert next(r for r in rows if r[0] == "3.1")[-2] == "5,3"
    header = rows[[r[0] for r in rows].index("Kod")]
    assert header[2:] == ["Mål 2026", "2022", "2023", "2024", "2025", "2026 t.o.m. 20/5", "Status"]
    assert any(r[0] == "Resultat" for r in rows)  # the economy table
    # Deviations listed: P4 appealed and cancelled, A2 terminated.
    flat = " ".join(" ".join(r) for r in rows)
    assert "Inga anbud" in flat and "Hävt: leveransproblem" in flat and "Avslag – upphandlingen står sig" in flat


def test_every_tables_header_row_repeats_on_each_page(frozen):
    tables = opened(bytes(frozen.docx)).tables
    assert len(tables) > 10
    for table in tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(f"{W}tblHeader") is not None
        assert all(row._tr.trPr is None or row._tr.trPr.find(f"{W}tblHeader") is None for row in table.rows[1:])


def test_the_footer_numbers_the_pages_with_page_and_numpages_fields(frozen):
    footer = part_xml(bytes(frozen.docx), "word/footer1.xml")
    assert ">Sida </w:t>" in footer
    assert footer.index(" PAGE ") < footer.index(">(</w:t>") < footer.index(" NUMPAGES ") < footer.index(">)</w:t>")
    assert footer.count('w:fldCharType="begin"') == footer.count('w:fldCharType="end"') == 2


def test_the_table_of_contents_is_a_toc_field_over_the_headings(frozen):
    content = bytes(frozen.docx)
    body = part_xml(content, "word/document.xml")
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert '<w:updateFields w:val="true"/>' in part_xml(content, "word/settings.xml")
    document = opened(content)
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Innehåll")
    assert texts[start + 1] == "1 Analys av verksamheten"  # the field's result until Word updates it


def test_the_charts_are_png_images_with_their_alt_texts(frozen):
    document = opened(bytes(frozen.docx))
    charts = [goal["chart"] for goal in frozen.snapshot["goals"] if goal["chart"]["svg"]]
    shapes = document.inline_shapes
    assert len(charts) > 0 and len(shapes) == len(charts)
    for shape, chart in zip(shapes, charts, strict=True):
        assert shape._inline.docPr.get("descr") == chart["alt"]
        image = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
        assert image.content_type == "image/png" and image.blob.startswith(b"\x89PNG")


def test_the_chiefs_text_is_text_with_the_characters_xml_forbids_removed(frozen):
    content = bytes(frozen.docx)
    paragraphs = [p.text for p in opened(content).paragraphs]
    assert "Analysen: <script>alert(1)</script> & <b>fet</b> text med styrtecken." in paragraphs
    assert "Andra stycket." in paragraphs  # a blank line starts a new paragraph, as in the PDF
    assert "Hållbarhetskraven ökar." in paragraphs
    body = part_xml(content, "word/document.xml")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;fet" in body and "<script>" not in body


def test_clean_removes_what_xml_1_0_forbids_and_keeps_the_rest():
    assert clean("a\x00b\x08c\x0bd\x0ce\x1ff\ufffeg") == "abcdefg"
    assert clean("rad 1\r\nrad 2\rrad 3\ttab & <x> ö\x7f") == "rad 1\nrad 2\nrad 3\ttab & <x> ö\x7f"
    assert clean(None) == ""


def test_a_frozen_reports_word_file_is_the_same_bytes_after_register_changes(client, chief_user, frozen):
    client.force_login(chief_user)
    url = reverse("reports:report_docx", args=[frozen.pk])
    before = client.get(url)
    assert before["Content-Type"] == CONTENT_TYPE
    assert before["Content-Disposition"] == 'attachment; filename="Uppfoljning-2026-05-20.docx"'
    assert before.content == bytes(frozen.docx)

    # A procurement for one municipality completed on 1 May, and NKI reported for January–April.
    ProcurementFactory(
        case_number="P7", category=Category.objects.get(name="K1"), municipalities=["Säter"],
        status=Procurement.Status.COMPLETED, advertised_on=datetime.date(2026, 3, 1),
        awarded_on=datetime.date(2026, 4, 1), completed_on=datetime.date(2026, 5, 1),
    )
    IndicatorValueFactory(code="1.1", year=2026, period="t1", value=91)

    assert client.get(url).content == before.content
    # What changed is in the register: a Word file made from it now shows 1.2 as 2 of 3.
    live = opened(render_docx(build_snapshot(Plan.objects.current(), as_of=MAY_20)))
    assert "2 av 3 avslutade upphandlingar" in next(r for r in rows_of(live) if r[0] == "1.2")[1]


def test_two_renders_of_one_snapshot_are_the_same_bytes_dated_when_it_was_frozen(frozen):
    content = bytes(frozen.docx)
    assert render_docx(frozen.snapshot) == content
    properties = opened(content).core_properties
    frozen_at = frozen.frozen_at.replace(microsecond=0).astimezone(datetime.UTC)
    assert properties.created == properties.modified == frozen_at
    assert properties.revision == 1 and properties.language == "sv-SE"
    *day, second = timezone.localtime(frozen.frozen_at).timetuple()[:6]
    stamp = (*day, second - second % 2)  # a zip entry's time has two-second steps
    assert {info.date_time for info in zipfile.ZipFile(BytesIO(content)).infolist()} == {stamp}
    assert "docProps/thumbnail.jpeg" not in zipfile.ZipFile(BytesIO(content)).namelist()


def test_a_drafts_word_file_is_live_and_marked_as_a_draft(member_client, chief_user):
    report = _report(chief_user)
    response = member_client.get(reverse("reports:report_docx", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Uppfoljning-2026-05-20-utkast.docx"'
    document = opened(response.content)
    assert [p.text for p in document.sections[0].header.paragraphs] == ["UTKAST – inte fastställt"]
    assert "Status: Utkast – inte fastställt" in [p.text for p in document.paragraphs]
    assert "1 Analys av verksamheten" in styled(document, "Heading 1")
    assert next(r for r in rows_of(document) if r[0] == "1.2")[-2] == "100,0 %"
    assert len(document.inline_shapes) > 0


def test_a_report_frozen_before_word_files_were_stored_is_made_from_its_stored_snapshot(member_client, frozen):
    older = ReportFactory(meeting=MeetingFactory(date=datetime.date(2026, 6, 10)), frozen=True,
                          snapshot=frozen.snapshot, frozen_at=frozen.frozen_at)
    assert older.docx is None
    response = member_client.get(reverse("reports:report_docx", args=[older.pk]))
    assert response.content == bytes(frozen.docx)  # the same snapshot: the same file


def test_reopening_archives_the_word_file_with_the_version(chief_client, chief_user, frozen):
    sent = bytes(frozen.docx)
    reopen_report(report=frozen, user=chief_user, reason="Fel siffra i 1.2.")
    report = Report.objects.get(pk=frozen.pk)
    assert report.docx is None and bytes(report.versions.get(number=1).docx) == sent
    response = chief_client.get(reverse("reports:report_version_docx", args=[report.pk, 1]))
    assert response.content == sent
    assert response["Content-Disposition"] == 'attachment; filename="Uppfoljning-2026-05-20-version-1.docx"'
    assert chief_client.get(reverse("reports:report_version_docx", args=[report.pk, 2])).status_code == 404
    page = chief_client.get(report.get_absolute_url()).content.decode()
    assert f'href="{reverse("reports:report_version_docx", args=[report.pk, 1])}"' in page


def test_the_report_page_links_the_word_file_beside_the_pdf(member_client, frozen):
    page = member_client.get(frozen.get_absolute_url()).content.decode()
    pdf = page.index(f'href="{reverse("reports:report_pdf", args=[frozen.pk])}"')
    assert page.index(f'href="{reverse("reports:report_docx", args=[frozen.pk])}"') > pdf


def test_the_chart_rasteriser_fetches_nothing(monkeypatch):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
           'height="10"><image xlink:href="http://example.com/x.png" width="10" height="10"/></svg>')
    asked = []

    def refuse(url, *args, **kwargs):
        asked.append(url)
        raise ValueError(url)

    monkeypatch.setattr("reports.docx._refuse_fetch", refuse)
    try:
        chart_png.__wrapped__(svg)
    except ValueError:
        pass  # refused: what matters is that our fetcher was the one asked
    assert asked == ["http://example.com/x.png"]


def test_the_word_file_is_private_and_not_stored(member_client, frozen):
    response = member_client.get(reverse("reports:report_docx", args=[frozen.pk]))
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
