"""Journey: chef UhC writes the analysis, previews, freezes the report and downloads the PDF."""

import datetime
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ops.roles import CHIEF
from reports.models import Report
from tests.factories import MeetingFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chief_writes_freezes_and_downloads_the_report(page, live_server, plan):
    MeetingFactory(date=datetime.date(2026, 5, 20), title="Sammanträde 20 maj")
    UserFactory(username="chef-resa", role=CHIEF, first_name="Cecilia", last_name="Chef")
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("chef-resa")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()

    page.get_by_role("link", name="Rapporter").first.click()
    page.goto(f"{live_server.url}/rapporter/?ar=2026")
    page.get_by_role("button", name="Skriv rapport").click()
    page.get_by_label("Analys av verksamheten").fill("Verksamheten följer planen. Samordningen ökar.")
    page.get_by_label("Analys av inriktningsmål 1").fill("Andelen samordnade upphandlingar når målet.")
    page.get_by_role("button", name="Spara och förhandsgranska").click()
    expect(page.get_by_text("Utkast – inte fastställt").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("Samordningen ökar.")

    page.get_by_role("link", name="Fastställ").click()
    page.get_by_label("Jag har granskat rapporten och vill fastställa den.").check()
    page.get_by_role("button", name="Fastställ rapporten").click()
    expect(page.locator("body")).to_contain_text("Fastställd")
    expect(page.locator("body")).to_contain_text("Cecilia Chef")
    report = Report.objects.get()
    assert report.is_frozen and report.frozen_by.username == "chef-resa"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    download = download_info.value
    assert download.suggested_filename == "Uppfoljning-2026-05-20.pdf"
    with open(download.path(), "rb") as handle:
        content = handle.read()
    assert content == bytes(report.pdf)
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)
    assert "Samordningen ökar." in text and "Sida 1(" in text
