"""Journey: a staff member sees a follow-up due on the start page, records it, and sees it leave the work
list while the follow-up plan's planned-against-held figure moves; axe-core checks the pages on the way.

The contract is class B (one follow-up a year) and in force from today for at most 20 days, so its one
planned follow-up is due on its last day, within the work list's six weeks, whatever day the test runs.
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from ops.roles import STAFF
from tests.factories import ContractFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page):
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    assert not violations, [(v["id"], v["nodes"][0]["html"][:120]) for v in violations]


def class_b_row(page, planned, held):
    """Class B's row of the plan: contracts, planned, held (fulfilling the plan), overdue."""
    table = page.get_by_role("table", name=re.compile("Planerade och genomförda uppföljningar"))
    return table.get_by_role("row", name=f"B 1 gång per år (Möte) 1 {planned} {held} 0", exact=True)


def test_staff_record_a_due_follow_up_from_the_start_page(page, live_server, plan):
    today = timezone.localdate()
    anna = UserFactory(username="anna-avtal", first_name="Anna", last_name="Avtal", role=STAFF)
    end = min(today + datetime.timedelta(days=20), datetime.date(today.year, 12, 31))
    ContractFactory(number="B-RESA", title="Skolmat", contract_class="B", start_date=today, end_date=end,
                    responsible=anna)
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("anna-avtal")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()

    # The plan before: one planned class B follow-up, none held.
    page.goto(f"{live_server.url}/register/avtal/uppfoljningsplan/")
    expect(class_b_row(page, planned=1, held=0)).to_be_visible()

    page.goto(f"{live_server.url}/")
    work = page.get_by_role("region", name="Att göra")
    expect(work).to_contain_text("B-RESA Skolmat")
    assert_accessible(page)
    work.get_by_role("link", name="Registrera uppföljning av B-RESA").click()

    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Möte").check()
    page.get_by_label("Anteckningar").fill("Genomgång av leveranserna.")
    page.get_by_role("button", name="Spara").click()

    # Back on the start page the follow-up is gone; the contract's end (nothing replaces it) stays.
    expect(page).to_have_url(f"{live_server.url}/")
    work = page.get_by_role("region", name="Att göra")
    expect(work.get_by_role("link", name="Registrera uppföljning av B-RESA")).to_have_count(0)
    expect(work).to_contain_text("Avtalet upphör: B-RESA Skolmat")
    page.goto(f"{live_server.url}/register/att-gora/")
    expect(page.get_by_role("link", name="Registrera uppföljning av B-RESA")).to_have_count(0)
    assert_accessible(page)

    # The plan after: the planned follow-up is held.
    page.goto(f"{live_server.url}/register/avtal/uppfoljningsplan/")
    expect(class_b_row(page, planned=1, held=1)).to_be_visible()
    assert_accessible(page)
