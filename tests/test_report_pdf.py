"""The real PDF (WeasyPrint): its text, and that a frozen report never changes. Two renders in all."""

import datetime
import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from nämndplan.models import Plan
from procurement.models import Category, Procurement
from reports.services import create_report, freeze_report
from reports.snapshot import build_snapshot
from tests.factories import IndicatorValueFactory, MeetingFactory, ProcurementFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db
MAY_20 = datetime.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def february_meeting(db):
    """The year's first meeting (its report is the full-year follow-up of 2025), so that the
    reports of later meetings in these tests cover 2026 up to their cut-off."""
    return MeetingFactory(date=datetime.date(2026, 2, 18))


def pdf_text(content):
    reader = PdfReader(BytesIO(content))
    # One space for every run of whitespace (line breaks in table cells, non-breaking spaces).
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def frozen(plan, chief_user):
    build_register()
    report = create_report(meeting=MeetingFactory(date=MAY_20), user=chief_user)[0]
    report.overall_analysis = "Analysen: <script>alert(1)</script> och <b>fet</b> text."
    report.case_number = "GNU 2026/34"
    report.save()
    analysis = report.goal_analyses.get(goal__number=4)
    analysis.text = "Hållbarhetskraven ökar."
    analysis.save()
    return freeze_report(report=report, user=chief_user)


def test_the_pdf_holds_the_indicators_numbers_texts_and_page_numbers(frozen):
    pages = pdf_text(bytes(frozen.pdf))
    text = " ".join(pages)
    assert pages[0].startswith("Gemensamma nämnden för upphandlingssamverkan")
    assert "Uppföljning av nämndplan 2026–2028" in pages[0]
    assert "Uppgifterna avser perioden 1 januari – 20 maj 2026" in pages[0]  # frozen after the meeting
    assert "GNU 2026/34" in pages[0]
    assert re.search(r"Sida 1\(\d+\)", pages[0])
    last = len(pages)
    assert f"Sida {last}({last})" in pages[-1]
    # Indicators with codes, names and Swedish numbers: 1.2's 2024 history and its 2026 value
    # (P1 and P5 completed by 20 May, both coordinated), 3.1's average (10 + 4 + 7 + 0) / 4 = 5,25 → 5,3.
    assert "1.2 Andel samordnade upphandlingar av avslutade upphandlingar" in text
    assert "56,0 %" in text and "100,0 %" in text and "2 av 2 avslutade upphandlingar" in text
    assert "5,3" in text
    assert "Hållbarhetskraven ökar." in text
    # The chef's text with HTML in it is printed as text.
    assert "Analysen: <script>alert(1)</script> och <b>fet</b> text." in text
    # Deviations listed: P4 appealed and cancelled, A2 terminated.
    assert "Inga anbud" in text and "Hävt: leveransproblem" in text and "Avslag – upphandlingen står sig" in text
    assert "Innehåll" in pages[1] and "Ekonomiskt utfall och helårsprognos" in pages[1]


def article(page):
    """The report itself on the web page (the page around it carries a fresh CSRF token every time)."""
    return page[page.index("<article"):page.index("</article>")]


def test_a_frozen_report_stays_byte_for_byte_the_same_when_the_register_changes(client, chief_user, frozen):
    client.force_login(chief_user)
    pdf_url = reverse("reports:report_pdf", args=[frozen.pk])
    html_url = reverse("reports:report_html", args=[frozen.pk])
    page_url = reverse("reports:report_detail", args=[frozen.pk])
    pdf_before, html_before = client.get(pdf_url).content, client.get(html_url).content
    page_before = article(client.get(page_url).content.decode())
    assert pdf_before == bytes(frozen.pdf) and html_before.decode() == frozen.html

    # A procurement for one municipality completed on 1 May, and NKI reported for January–April.
    ProcurementFactory(
        case_number="P7", category=Category.objects.get(name="K1"), municipalities=["Säter"],
        status=Procurement.Status.COMPLETED, advertised_on=datetime.date(2026, 3, 1),
        awarded_on=datetime.date(2026, 4, 1), completed_on=datetime.date(2026, 5, 1),
    )
    IndicatorValueFactory(code="1.1", year=2026, period="t1", value=91)

    assert client.get(pdf_url).content == pdf_before
    assert client.get(html_url).content == html_before
    assert article(client.get(page_url).content.decode()) == page_before
    # A draft for the same date sees the change: 1.2 is now 2 of 3.
    draft = build_snapshot(Plan.objects.current(), as_of=MAY_20)
    rows = {row["code"]: row for goal in draft["goals"] for row in goal["indicators"]}
    assert (rows["1.2"]["value"], rows["1.1"]["value"]) == ("66.7", "91.00")
    frozen_rows = {row["code"]: row for goal in frozen.snapshot["goals"] for row in goal["indicators"]}
    assert (frozen_rows["1.2"]["value"], frozen_rows["1.1"]["value"]) == ("100.0", None)


def test_the_pdf_renderer_fetches_nothing_over_the_network():
    from reports.pdf import _fetcher

    fetcher = _fetcher()
    for url in ("http://example.com/logo.png", "https://example.com/a.css", "file:///etc/passwd", "ftp://x/y"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,SGVq").read() == b"Hej"
