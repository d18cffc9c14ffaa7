"""Journey: UhC staff register a completed procurement with bids, and the indicators follow at once."""

import re

import pytest
from playwright.sync_api import expect

from ops.roles import STAFF
from tests.factories import CategoryFactory, SupplierFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def year_row(page, year):
    table = page.get_by_role("table", name="Värden, mål och måluppfyllelse per år")
    return table.get_by_role("row", name=re.compile(rf"^{year}"))


def test_staff_register_a_procurement_and_see_the_indicator_change(page, live_server, plan):
    CategoryFactory(name="Livsmedel", order=1)
    dala = SupplierFactory(name="Dala Mat AB")
    norrost = SupplierFactory(name="Norrost AB")
    UserFactory(username="uhc-resa", role=STAFF)
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("uhc-resa")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()

    # Before: the register is empty, so 1.2 has no value computed for 2026.
    page.goto(f"{live_server.url}/indikatorer/1.2/")
    row_2026 = year_row(page, 2026)
    expect(row_2026).to_contain_text("Registret har inga uppgifter")

    page.goto(f"{live_server.url}/register/upphandlingar/ny/")
    page.get_by_label(re.compile("^Diarienummer")).fill("UHC-2026-300")
    page.get_by_label(re.compile("^Benämning")).fill("Livsmedel till skolor")
    page.get_by_label(re.compile("^Kategori")).select_option(label="Livsmedel")
    municipalities = page.get_by_role("group", name=re.compile("Beställande kommuner"))
    municipalities.get_by_label("Ludvika").check()
    municipalities.get_by_label("Gagnef").check()
    page.get_by_label("Status", exact=True).select_option(label="Avslutad")
    page.get_by_label("Annonserad", exact=True).fill("2026-02-02")
    page.get_by_label("Tilldelningsbeslut", exact=True).fill("2026-04-01")
    page.get_by_label("Avslutad", exact=True).fill("2026-04-20")
    page.get_by_label("Anbudsgivare, rad 1").fill(dala.org_number)
    page.get_by_label("Tilldelat, rad 1").check()
    page.get_by_label("Anbudsgivare, rad 2").fill(norrost.org_number)
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("UHC-2026-300")

    # After: one completed procurement for two municipalities: 100 % coordinated, 1 of 1.
    page.goto(f"{live_server.url}/indikatorer/1.2/")
    row_2026 = year_row(page, 2026)
    expect(row_2026).to_contain_text("100,0 %")
    expect(row_2026).to_contain_text("1 av 1")
    expect(row_2026).to_contain_text("Beräknat från registret")
    # Bids per completed procurement (5.5): 2 bids in 1 procurement.
    page.goto(f"{live_server.url}/indikatorer/5.5/")
    expect(year_row(page, 2026)).to_contain_text("2 av 1")
    # The drill-down lists the procurement behind the number.
    page.goto(f"{live_server.url}/indikatorer/1.2/")
    year_row(page, 2026).get_by_role("link", name=re.compile("Visa underlag")).click()
    expect(page.get_by_role("link", name=re.compile("UHC-2026-300"))).to_have_count(2)
