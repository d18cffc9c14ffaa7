"""The register in real Chromium: a staff member registers a procurement with its bids, finds it
with the filter, and axe-core finds no WCAG 2.1 AA violations on the register's pages."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ops.roles import STAFF
from procurement.models import Procurement
from tests.factories import (
    CategoryFactory,
    ContractFactory,
    ContractFollowUpFactory,
    ProcurementFactory,
    SupplierFactory,
    UserFactory,
    valid_org_number,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def log_in(page, live_server):
    UserFactory(username="uhc-webb", role=STAFF, first_name="Anna", last_name="Andersson")
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("uhc-webb")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()


def test_staff_register_a_procurement_with_bids_and_find_it_again(page, live_server, plan):
    CategoryFactory(name="Städ", order=1)
    SupplierFactory(name="Dala Städ AB", org_number=valid_org_number(1))
    SupplierFactory(name="Falu Bygg AB", org_number=valid_org_number(2))
    log_in(page, live_server)

    page.get_by_role("link", name="Upphandlingar", exact=True).click()
    page.get_by_role("link", name="Ny upphandling").click()
    page.get_by_label(re.compile("^Diarienummer")).fill("UHC-2026-200")
    page.get_by_label(re.compile("^Benämning")).fill("Städtjänster")
    page.get_by_label(re.compile("^Kategori")).select_option(label="Städ")
    page.get_by_role("group", name=re.compile("Beställande kommuner")).get_by_label("Falun").check()
    page.get_by_role("group", name=re.compile("Beställande kommuner")).get_by_label("Säter").check()
    page.get_by_label("Status", exact=True).select_option(label="Tilldelad")
    page.get_by_label("Annonserad", exact=True).fill("2026-03-01")
    page.get_by_label("Tilldelningsbeslut", exact=True).fill("2026-02-01")  # before the advertising: refused
    # One shared list suggests the suppliers by name; the box takes the organisation number.
    expect(page.locator("datalist#leverantorer-forslag option")).to_have_count(2)
    expect(page.get_by_label("Anbudsgivare, rad 1")).to_have_attribute("list", "leverantorer-forslag")
    page.get_by_label("Anbudsgivare, rad 1").fill("550000-0012")
    page.get_by_label("Tilldelat, rad 1").check()
    page.get_by_label("Anbudsgivare, rad 2").fill("5500000020")  # without the hyphen
    page.get_by_role("button", name="Spara", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Tilldelningsbeslutet kan inte komma före annonseringen.")
    expect(page.get_by_label("Anbudsgivare, rad 2")).to_have_value("5500000020")  # kept as typed
    page.get_by_label("Tilldelningsbeslut", exact=True).fill("2026-04-01")
    page.get_by_role("button", name="Spara", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("UHC-2026-200 Städtjänster")
    expect(page.get_by_text("2 anbud, 2 giltiga, 1 tilldelat.")).to_be_visible()
    assert Procurement.objects.get(case_number="UHC-2026-200").bids.count() == 2

    page.get_by_role("link", name="Upphandlingar", exact=True).first.click()
    page.get_by_label("Sök").fill("städtjänster")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("table")).to_contain_text("UHC-2026-200")
    expect(page.locator("caption")).to_contain_text("1 träff")


def test_the_register_pages_have_no_wcag_violations(page, live_server, plan):
    dala, falu = SupplierFactory(name="Dala Städ AB"), SupplierFactory(name="Falu Bygg AB")
    procurement = ProcurementFactory(case_number="UHC-2026-201", bids__awarded=[dala], bids__disqualified=[falu],
                                     status="advertised", advertised_on=D(2026, 2, 1))
    for i in range(26):
        ProcurementFactory(case_number=f"UHC-2025-{i:03d}", status="advertised", advertised_on=D(2025, 1 + i % 12, 1))
    contract = ContractFactory(number="AVT-2026-201", supplier=dala, procurement=procurement,
                               estimated_yearly_value=500000)
    follow_up = ContractFollowUpFactory(contract=contract, date=D(2026, 5, 1))
    log_in(page, live_server)
    paths = [
        "/register/", "/register/upphandlingar/?sort=-advertised_on&requirements=coordinated",
        f"/register/upphandlingar/{procurement.pk}/", f"/register/upphandlingar/{procurement.pk}/andra/",
        "/register/upphandlingar/ny/", "/register/avtal/", f"/register/avtal/{contract.pk}/",
        "/register/avtal/nytt/", "/register/uppfoljningar/", f"/register/uppfoljningar/{follow_up.pk}/",
        f"/register/uppfoljningar/ny/?contract={contract.pk}", f"/register/uppfoljningar/{follow_up.pk}/ta-bort/",
        "/register/leverantorer/", f"/register/leverantorer/{dala.pk}/", "/register/leverantorer/ny/",
        "/register/aktiviteter/information/", "/register/aktiviteter/kompetens/ny/", "/register/aktiviteter/dialoger/",
    ]
    found = {}
    for path in paths:
        page.goto(live_server.url + path)
        violations = Axe().run(page, options=WCAG_AA).response["violations"]
        if violations:
            found[path] = [(v["id"], v["nodes"][0]["html"][:120]) for v in violations]
    # A form with errors: the summary, the invalid fields and the bid rows.
    page.goto(f"{live_server.url}/register/upphandlingar/{procurement.pk}/andra/")
    page.get_by_label("Frågor under annonseringen").fill("-1")
    page.get_by_label("Anbudsgivare, rad 3").fill("550000-0099")  # no such supplier
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Antalet kan inte vara negativt.")
    expect(page.get_by_role("alert")).to_contain_text("Ingen leverantör med organisationsnumret 550000-0099")
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    if violations:
        found["form with errors"] = [(v["id"], v["nodes"][0]["html"][:120]) for v in violations]
    assert found == {}
