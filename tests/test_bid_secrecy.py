"""Bids are secret until the award decision (OSL 19 kap. 3 §): procurement/secrecy.py, page by page.

Committee members never see who bid; they see how many bids a procurement had once its award
decision is made. UhC staff and Chef UhC see everything.
"""

import datetime
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from ops.roles import CHIEF, MEMBER, STAFF
from procurement.models import Procurement
from reports.pdf import render_document
from reports.snapshot import build_snapshot
from tests.factories import ProcurementFactory, SupplierFactory

D = datetime.date
SECRET_BIDDER = "Hemlig Anbudsgivare AB"
LOSING_BIDDER = "Förlorande Anbudsgivare AB"


@pytest.fixture
def bids(plan):
    secret, losing, winner = (SupplierFactory(name=SECRET_BIDDER), SupplierFactory(name=LOSING_BIDDER),
                              SupplierFactory(name="Vinnare AB"))
    advertised = ProcurementFactory(
        case_number="UHC-2026-500", status=Procurement.Status.ADVERTISED, advertised_on=D(2026, 3, 1),
        bids=[secret],
    )
    completed = ProcurementFactory(
        case_number="UHC-2026-501", status=Procurement.Status.COMPLETED, advertised_on=D(2026, 1, 10),
        awarded_on=D(2026, 3, 1), completed_on=D(2026, 4, 1), bids=[losing, winner], bids__awarded=[winner],
    )
    return {"advertised": advertised, "completed": completed, "secret": secret, "losing": losing}


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_only_staff_and_the_chief_hold_the_permission_to_see_bids(plan):
    def holds(role):
        return Group.objects.get(name=role).permissions.filter(codename="view_bid").exists()

    assert (holds(STAFF), holds(CHIEF), holds(MEMBER)) == (True, True, False)


def test_a_member_sees_neither_bids_nor_their_count_before_the_award(member_client, bids):
    page = _page(member_client, bids["advertised"].get_absolute_url())
    assert SECRET_BIDDER not in page and "1 anbud" not in page
    assert "sekretessbelagda till tilldelningsbeslutet" in page


def test_a_member_sees_the_count_but_not_the_bidders_after_the_award(member_client, bids):
    page = " ".join(_page(member_client, bids["completed"].get_absolute_url()).split())
    assert "2 anbud, 2 giltiga, 1 tilldelat." in page
    assert LOSING_BIDDER not in page


def test_staff_and_the_chief_see_the_bidders_before_the_award(staff_client, chief_user, client, bids):
    assert SECRET_BIDDER in _page(staff_client, bids["advertised"].get_absolute_url())
    client.force_login(chief_user)
    assert SECRET_BIDDER in _page(client, bids["advertised"].get_absolute_url())


def test_the_procurement_list_gives_a_member_counts_only_after_the_award(member_client, bids):
    response = member_client.get(reverse("procurement:procurement_list"))
    counts = {row.record.case_number: row.record.bid_count for row in response.context["table"].paginated_rows}
    assert counts == {"UHC-2026-500": None, "UHC-2026-501": 2}


def test_a_member_cannot_search_the_list_by_bidder(member_client, bids):
    response = member_client.get(reverse("procurement:procurement_list"), {"supplier": SECRET_BIDDER})
    shown = {row.record.case_number for row in response.context["table"].paginated_rows}
    # The filter is not offered: the answer does not tell whether the supplier bid.
    assert shown == {"UHC-2026-500", "UHC-2026-501"}
    assert 'name="supplier"' not in response.content.decode()


def _export(client, name):
    response = client.get(reverse(f"procurement:{name}"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return rows[0], rows[1:]


def test_the_procurement_export_gives_a_member_no_secret_count_and_no_losing_bidder(member_client, bids):
    headers, rows = _export(member_client, "procurement_list")
    by_case = {row[0]: dict(zip(headers, row, strict=True)) for row in rows}
    assert by_case["UHC-2026-500"]["Antal anbud"] is None
    assert by_case["UHC-2026-501"]["Antal anbud"] == 2
    assert by_case["UHC-2026-501"]["Tilldelade leverantörer"] == "Vinnare AB"  # named by the award decision
    assert all(LOSING_BIDDER not in str(value) and SECRET_BIDDER not in str(value) for row in rows for value in row)


def test_the_supplier_pages_and_list_do_not_tell_a_member_that_a_supplier_bid(member_client, bids):
    page = _page(member_client, bids["secret"].get_absolute_url())
    assert "UHC-2026-500" not in page
    assert 'id="anbud"' not in page and "Leverantören har lämnat" not in page
    headers, _rows = _export(member_client, "supplier_list")
    assert "Antal anbud" not in headers
    list_page = _page(member_client, reverse("procurement:supplier_list"))
    assert ">Anbud<" not in list_page


def test_staff_see_the_suppliers_bids(staff_client, bids):
    assert "UHC-2026-500" in _page(staff_client, bids["secret"].get_absolute_url())
    headers, _rows = _export(staff_client, "supplier_list")
    assert "Antal anbud" in headers


def test_the_drill_down_of_a_bid_indicator_gives_a_member_the_count_without_bidders(member_client, bids):
    url = reverse("indicators:indicator_records", args=["5.2", 2026]) + "?till=2026-12-31"
    page = _page(member_client, url)
    assert LOSING_BIDDER not in page and "Vinnare AB" not in page
    assert "visas bara för UhC:s medarbetare" in page


def test_the_api_and_the_report_name_no_bidder(member_client, plan, bids):
    api = _page(member_client, reverse("api:api_data"), year="2026")
    assert SECRET_BIDDER not in api and LOSING_BIDDER not in api
    document = render_document(build_snapshot(plan, as_of=D(2026, 12, 31)))
    assert SECRET_BIDDER not in document and LOSING_BIDDER not in document
