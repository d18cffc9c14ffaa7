"""The ledger's pages: who sees what, the list and its filters, the entry form, the per-record sections,
the high-risk list, and the Excel export and import."""

import datetime
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from procurement.checks import excel
from procurement.checks.models import SupplierCheck
from tests import access_supplier_checks
from tests.factories import ContractFactory, ProcurementFactory, SupplierFactory

D = datetime.date
Kind, Result, Action = SupplierCheck.Kind, SupplierCheck.Result, SupplierCheck.Action
pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(plan):
    supplier = SupplierFactory(name="Hemlig Städ AB")
    procurement = ProcurementFactory(case_number="UHC-2026-7", advertised_on=D(2026, 2, 1), welfare_crime_risk=True,
                                     municipalities=["Falun"])
    contract = ContractFactory(number="AVT-77", supplier=supplier, procurement=procurement, start_date=D(2026, 3, 1))
    other = SupplierFactory(name="Annan Bygg AB")
    entries = [
        SupplierCheck.objects.create(supplier=supplier, contract=contract, date=D(2026, 4, 1), kind=Kind.IN_DEPTH,
                                     result=Result.DEVIATION, action=Action.PENALTY, action_on=D(2026, 4, 20)),
        SupplierCheck.objects.create(supplier=other, procurement=ProcurementFactory(municipalities=["Avesta"]),
                                     date=D(2026, 2, 3), kind=Kind.TAXES, result=Result.NO_REMARK,
                                     note="=HYPERLINK(\"http://x\")"),
    ]
    return {"supplier": supplier, "procurement": procurement, "contract": contract, "other": other,
            "entries": entries}


def form_data(ledger, **changes):
    data = {"supplier": ledger["supplier"].org_number, "procurement": "", "contract": "AVT-77",
            "date": "2026-05-04", "kind": Kind.IN_DEPTH, "result": Result.DEVIATION, "action": Action.NOTICE,
            "action_on": "2026-05-10", "note": "Brister i personalliggaren", "version": ""}
    data.update(changes)
    return data


# --- Secrecy -------------------------------------------------------------------------------------------------

def test_a_committee_member_gets_403_on_every_ledger_page(member_client, plan):
    world = {}
    access_supplier_checks.build(world)
    for name, (kwargs, *_roles) in access_supplier_checks.RULES.items():
        url = reverse(name, kwargs=kwargs(world))
        assert member_client.get(url).status_code in (403, 405), url
        assert member_client.post(url).status_code in (403, 405), url


def test_a_committee_member_sees_the_counts_but_not_the_entries(member_client, ledger):
    page = member_client.get(reverse("indicators:indicator_detail", kwargs={"code": "3.5"}))
    assert page.status_code == 200
    assert "fördjupade leverantörskontroller" in page.content.decode().lower()
    records = member_client.get(reverse("indicators:indicator_records", kwargs={"code": "3.5", "year": 2026}))
    assert records.status_code == 200
    content = records.content.decode()
    assert records.context["numerator_total"] == 1  # the one in-depth check, counted
    assert "Leverantörskontroll 2026-04-01" not in content  # but not listed: members may not read the ledger
    assert "visas bara för de roller som får läsa dem" in content
    assert "Hemlig Städ AB" not in content and "AVT-77" not in content
    assert member_client.get(reverse("procurement:check_list")).status_code == 403


def test_chef_uhc_reads_the_ledger_but_does_not_write_it(chief_client, ledger):
    assert chief_client.get(reverse("procurement:check_list")).status_code == 200
    assert chief_client.post(reverse("procurement:check_create"), form_data(ledger)).status_code == 403


# --- The list ---------------------------------------------------------------------------------------------------

def test_the_list_filters_by_kind_and_municipality(staff_client, ledger):
    page = staff_client.get(reverse("procurement:check_list"), {"kind": Kind.IN_DEPTH})
    assert "Hemlig Städ AB" in page.content.decode() and "Annan Bygg AB" not in page.content.decode()
    page = staff_client.get(reverse("procurement:check_list"), {"municipality": ledger["entries"][1].procurement
                                                                .municipalities.get().pk})
    assert "Annan Bygg AB" in page.content.decode() and "Hemlig Städ AB" not in page.content.decode()


def test_the_supplier_section_lists_only_its_checks(staff_client, ledger):
    url = reverse("procurement:check_supplier", kwargs={"pk": ledger["other"].pk})
    content = staff_client.get(url).content.decode()
    assert "Annan Bygg AB" in content and "AVT-77" not in content
    assert staff_client.get(reverse("procurement:check_supplier", kwargs={"pk": 99999})).status_code == 404


def test_the_supplier_and_contract_pages_link_to_their_checks(staff_client, member_user, ledger):
    url = reverse("procurement:supplier_detail", kwargs={"pk": ledger["supplier"].pk})
    link = reverse("procurement:check_supplier", kwargs={"pk": ledger["supplier"].pk})
    assert link in staff_client.get(url).content.decode()
    member_client = Client()
    member_client.force_login(member_user)
    assert link not in member_client.get(url).content.decode()
    contract_url = reverse("procurement:contract_detail", kwargs={"pk": ledger["contract"].pk})
    assert reverse("procurement:check_contract", kwargs={"pk": ledger["contract"].pk}) in staff_client.get(
        contract_url).content.decode()


def test_the_export_has_every_filtered_row_with_text_kept_as_text(staff_client, ledger):
    response = staff_client.get(reverse("procurement:check_list"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kontrolldatum", "Leverantör (organisationsnummer)", "Leverantörens namn")
    assert len(rows) == 3
    note = next(cell for row in sheet.iter_rows(min_row=2) for cell in row if str(cell.value).startswith("=HYP"))
    assert note.data_type == "s"  # never a live formula


# --- The form -----------------------------------------------------------------------------------------------------

def test_staff_record_a_check_with_its_action(staff_client, ledger):
    response = staff_client.post(reverse("procurement:check_create"), form_data(ledger))
    assert response.status_code == 302
    entry = SupplierCheck.objects.get(note="Brister i personalliggaren")
    assert (entry.contract, entry.supplier, entry.action, entry.action_on) == (
        ledger["contract"], ledger["supplier"], Action.NOTICE, D(2026, 5, 10))
    assert entry.history.count() == 1


def test_a_rejected_form_keeps_what_was_typed(staff_client, ledger):
    data = form_data(ledger, result=Result.NO_REMARK)  # an action without a deviation
    response = staff_client.post(reverse("procurement:check_create"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "En åtgärd kräver att kontrollen visade en avvikelse." in content
    assert "Brister i personalliggaren" in content and "2026-05-10" in content
    assert not SupplierCheck.objects.filter(note="Brister i personalliggaren").exists()


def test_an_entry_from_the_register_is_not_edited_in_the_ledger(staff_client, ledger):
    ledger["procurement"].supplier_checks = 1
    ledger["procurement"].save()
    entry = SupplierCheck.objects.from_register().get()
    assert staff_client.get(reverse("procurement:check_update", kwargs={"pk": entry.pk})).status_code == 404
    list_page = staff_client.get(reverse("procurement:check_list")).content.decode()
    assert "Ändras i upphandlingen" in list_page


def test_the_high_risk_page_lists_the_unchecked_contract(staff_client, ledger):
    unchecked = ContractFactory(number="AVT-88", procurement=ledger["procurement"], start_date=D(2026, 3, 1))
    content = staff_client.get(reverse("procurement:check_high_risk")).content.decode()
    assert unchecked.number in content and "AVT-77" not in content  # AVT-77 was checked in April


# --- The import ------------------------------------------------------------------------------------------------

def workbook(*rows):
    book = Workbook()
    sheet = book.active
    sheet.title = excel.SHEET
    sheet.append([str(c.header) for c in excel.COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "kontroller.xlsx"
    return buffer


def test_the_template_has_the_columns(staff_client, plan):
    response = staff_client.get(reverse("procurement:check_import_template"))
    header = next(load_workbook(BytesIO(response.content))[excel.SHEET].iter_rows(values_only=True))
    assert header[0] == "Kontrolldatum *" and header[-1] == "Anteckning"


def test_an_import_with_a_bad_row_names_it_and_saves_nothing(staff_client, ledger):
    org = ledger["supplier"].org_number
    upload = workbook(
        ["2026-05-01", org, "UHC-2026-7", "", "Kreditupplysning", "Utan anmärkning", "", "", ""],
        ["2026-05-02", org, "UHC-2026-7", "", "Kreditupplysning", "Utan anmärkning", "Vite", "2026-05-03", ""],
        ["2026-05-02", org, "UHC-SAKNAS", "", "Kreditupplysning", "Utan anmärkning", "", "", ""],
    )
    before = SupplierCheck.objects.count()
    response = staff_client.post(reverse("procurement:check_import"), {"file": upload})
    errors = response.context["parsed"].errors
    assert errors == [
        (3, "Åtgärd", "Vite", "En åtgärd kräver att kontrollen visade en avvikelse."),
        (4, "Diarienummer", "UHC-SAKNAS", "Det finns ingen upphandling med diarienummer UHC-SAKNAS i registret."),
    ]
    assert SupplierCheck.objects.count() == before
    assert staff_client.post(reverse("procurement:check_import_confirm")).status_code == 302
    assert SupplierCheck.objects.count() == before  # nothing was kept to confirm


def test_an_import_is_previewed_then_saved(staff_client, ledger):
    org = ledger["supplier"].org_number
    upload = workbook(["2026-05-01", org, "", "AVT-77", "Fördjupad kontroll", "Avvikelse", "Hävning",
                       datetime.datetime(2026, 5, 9), "Hävt"])
    preview = staff_client.post(reverse("procurement:check_import"), {"file": upload})
    assert preview.context["parsed"].ok
    assert not SupplierCheck.objects.filter(note="Hävt").exists()
    response = staff_client.post(reverse("procurement:check_import_confirm"))
    assert response.status_code == 302
    entry = SupplierCheck.objects.get(note="Hävt")
    assert (entry.contract, entry.action, entry.action_on) == (ledger["contract"], Action.RESCISSION, D(2026, 5, 9))


def test_a_file_without_the_sheet_is_refused(staff_client, plan):
    upload = workbook()
    book = load_workbook(upload)
    book.active.title = "Annat"
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "fel.xlsx"
    response = staff_client.post(reverse("procurement:check_import"), {"file": buffer})
    assert response.context["refused"] == ["Arbetsboken saknar bladen: Kontroller. Utgå från mallen."]
