"""The Excel import in real Chromium: upload, the progress page while the worker has not run, the preview
once it has, and the saved import; axe-core finds no WCAG 2.1 AA violations on any of its pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from ops.roles import STAFF
from procurement.importing.template import build_template
from procurement.models import Procurement
from tests.factories import UserFactory
from tests.test_import_engine import good_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page):
    return [(v["id"], v["nodes"][0]["html"][:120]) for v in Axe().run(page, options=WCAG_AA).response["violations"]]


def _run_worker():
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_staff_import_a_workbook_through_the_progress_page(page, live_server, categories, tmp_path):
    UserFactory(username="uhc-import", role=STAFF)
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("uhc-import")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()

    workbook = tmp_path / "register.xlsx"
    workbook.write_bytes(build_template(good_rows()))
    page.goto(f"{live_server.url}/register/import/")
    found = {"upload": _violations(page)}
    page.get_by_label("Ifylld mall (.xlsx)").set_input_files(str(workbook))
    page.get_by_role("button", name="Förhandsgranska").click()

    # No worker has run yet: the page shows the queued run with its progress bar.
    expect(page.locator("progress#import-bar")).to_be_visible()
    found["progress"] = _violations(page)

    _run_worker()  # the dry run; the page's script polls and shows the preview when it is done
    expect(page.get_by_role("button", name="Spara importen")).to_be_visible(timeout=15_000)
    expect(page.locator("main")).to_contain_text("Filen har inga fel.")
    found["preview"] = _violations(page)
    assert not Procurement.objects.exists()

    page.get_by_role("button", name="Spara importen").click()
    _run_worker()  # the import itself
    page.wait_for_url(f"{live_server.url}/register/upphandlingar/**", timeout=15_000)
    expect(page.locator(".messages")).to_contain_text("Importen är sparad")
    assert set(Procurement.objects.values_list("case_number", flat=True)) == {"UhC 2026/001", "UhC 2026/002"}
    assert {name: v for name, v in found.items() if v} == {}
