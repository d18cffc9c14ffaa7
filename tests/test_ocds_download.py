"""The OCDS download (procurement/ocds_views.py) and its link on the register's start page."""

import datetime
import json

import pytest
from django.urls import reverse

from procurement.models import Procurement
from tests.factories import ProcurementFactory, SupplierFactory

pytestmark = pytest.mark.django_db

URL = reverse("procurement:ocds_export")


@pytest.fixture
def advertised(plan):
    secret = SupplierFactory(name="Hemlig Anbudsgivare AB")
    return ProcurementFactory(case_number="UhC 2025/0001", status=Procurement.Status.ADVERTISED,
                              advertised_on=datetime.date(2025, 9, 1), bids=[secret])


def test_staff_download_the_years_package_as_a_json_file(staff_client, advertised):
    response = staff_client.get(URL, {"ar": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ocds-uhc-2025.json"'
    package = json.loads(response.content)
    assert [r["tender"]["id"] for r in package["releases"]] == ["UhC 2025/0001"]
    assert "Hemlig Anbudsgivare" not in response.content.decode()  # no award decision: no bidder


def test_chief_uhc_downloads_it_too_and_a_committee_member_may_not(chief_client, advertised, member_user, client):
    assert chief_client.get(URL, {"ar": "2025"}).status_code == 200
    client.force_login(member_user)
    assert client.get(URL, {"ar": "2025"}).status_code == 403


def test_a_year_without_procurements_is_not_found_with_a_swedish_message(staff_client, advertised):
    response = staff_client.get(URL, {"ar": "2024"})
    assert response.status_code == 404
    assert response.content.decode() == "Inga upphandlingar annonserades 2024: det finns inget att exportera."


@pytest.mark.parametrize("year", ["tjugo", "1999", "99999999999"])
def test_a_malformed_year_is_a_bad_request(staff_client, year):
    response = staff_client.get(URL, {"ar": year})
    assert response.status_code == 400
    assert response.content.decode().startswith("Ogiltigt år: ange ?ar=ÅÅÅÅ")


def test_the_register_start_page_links_the_download_for_staff_only(client, staff_user, member_user, plan):
    link = f'href="{URL}?ar='
    client.force_login(staff_user)
    assert link in client.get(reverse("procurement:index")).content.decode()
    client.force_login(member_user)
    assert link not in client.get(reverse("procurement:index")).content.decode()
