"""Journey: UhC staff build next year's procurement plan from the contracts that end, send it for
consultation, record two municipalities' answers, and Chef UhC adopts it; axe-core checks each page.

Two contracts end next year with nothing planned to replace them; their category has no history, so
the proposals take the default lead time (240 days).
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from ops.roles import CHIEF, STAFF
from procurement.planning.models import PlannedProcurement, ProcurementPlan
from tests.factories import CategoryFactory, ContractFactory, ProcurementFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page):
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    assert not violations, [(v["id"], v["nodes"][0]["html"][:120]) for v in violations]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()


def test_staff_build_send_and_record_and_chief_adopts(page, live_server, plan):
    today = timezone.localdate()
    year = today.year + 1
    UserFactory(username="sara-plan", role=STAFF)
    UserFactory(username="chef-plan", role=CHIEF)
    source = ProcurementFactory(category=CategoryFactory(name="Städ och lokalvård"))
    ContractFactory(number="STAD-1", title="Städtjänster", procurement=source, start_date=datetime.date(2024, 1, 1),
                    end_date=datetime.date(year, 6, 30))
    ContractFactory(number="STAD-2", title="Fönsterputs", procurement=source, start_date=datetime.date(2024, 1, 1),
                    end_date=datetime.date(year, 10, 31))

    log_in(page, live_server, "sara-plan")
    page.get_by_role("link", name="Upphandlingsplan", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Ny upphandlingsplan").click()
    page.get_by_label("År").fill(str(year))
    page.get_by_role("button", name="Skapa planen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Upphandlingsplan {year}")
    expect(page.get_by_role("region", name="Avtal som upphör utan planerad upphandling")).to_contain_text("STAD-1")
    assert_accessible(page)

    page.get_by_role("link", name="Bygg från avtal som upphör").click()
    assert_accessible(page)
    page.get_by_label("STAD-1 Städtjänster").check()
    page.get_by_label("STAD-2 Fönsterputs").check()
    page.get_by_role("button", name="Lägg till i planen").click()
    planned = page.get_by_role("table", name=re.compile("Planerade upphandlingar"))
    expect(planned).to_contain_text("Städtjänster")
    expect(planned).to_contain_text("Fönsterputs")
    start_by = datetime.date(year, 6, 30) - datetime.timedelta(days=240)
    expect(planned).to_contain_text(start_by.isoformat())
    expect(page.get_by_text("Inga luckor")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Skicka på remiss").first.click()
    page.get_by_label("Skickad på remiss").fill(today.isoformat())
    page.get_by_role("button", name="Skicka på remiss").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Remiss av Upphandlingsplan {year}")
    assert_accessible(page)
    for municipality in ("Falun", "Borlänge"):
        page.get_by_role("link", name=f"Registrera svar från {municipality}").click()
        page.get_by_label("Svar och dialog").fill(today.isoformat())
        page.get_by_label("Kommentar").fill(f"Synpunkter från {municipality}")
        assert_accessible(page)
        page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("2 av 7 kommuner har fått planen på remiss och svarat samma år.")).to_be_visible()
    expect(page.get_by_role("link", name="Anta planen")).to_have_count(0)  # staff do not adopt

    page.get_by_role("button", name="Logga ut").click()
    log_in(page, live_server, "chef-plan")
    page.goto(f"{live_server.url}/register/upphandlingsplan/{year}/")
    page.get_by_role("link", name="Anta planen").click()
    assert_accessible(page)
    page.get_by_label("Antagen av nämnden").fill(today.isoformat())
    page.get_by_role("button", name="Anta planen").click()
    expect(page.get_by_text(f"Upphandlingsplan {year} är antagen.")).to_be_visible()
    assert_accessible(page)

    adopted = ProcurementPlan.objects.get(year=year)
    assert (adopted.status, adopted.adopted_on) == ("adopted", today)
    assert sorted(PlannedProcurement.objects.values_list("adopted_advertising", flat=True)) == [
        start_by, datetime.date(year, 10, 31) - datetime.timedelta(days=240)
    ]
