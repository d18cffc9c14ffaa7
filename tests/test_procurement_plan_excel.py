"""The procurement plan in Excel: the export of a year's plan, the template, and the import with its preview,
all or nothing, refused for an adopted plan."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from nämndplan.models import Municipality
from procurement.planning import excel
from procurement.planning.models import PlannedProcurement, ProcurementPlan
from tests.factories import CategoryFactory, ContractFactory, ProcurementFactory, ProductGroupFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = [str(column.header) for column in excel.EDITABLE]


@pytest.fixture
def draft(plan):
    """The 2027 plan, a draft: school meals (group, two municipalities, replacing AVT-1) and a formula title."""
    food = CategoryFactory(name="Livsmedel")
    meals = ProductGroupFactory(category=food, name="Skolmat")
    CategoryFactory(name="IT")
    ProductGroupFactory(category=food, name="Frukt")
    procurement_plan = ProcurementPlan.objects.create(year=2027)
    contract = ContractFactory(number="AVT-1", start_date=D(2024, 1, 1), end_date=D(2027, 5, 31))
    first = PlannedProcurement.objects.create(
        plan=procurement_plan, title="Skolmat", category=food, product_group=meals, replaces=contract,
        planned_advertising=D(2027, 1, 10), planned_completion=D(2027, 6, 30), note="Gemensam",
    )
    first.municipalities.set(Municipality.objects.filter(name__in=["Falun", "Säter"]))
    PlannedProcurement.objects.create(plan=procurement_plan, title='=HYPERLINK("http://x")', category=food,
                                      planned_completion=D(2027, 9, 1))
    return procurement_plan


def workbook(*rows, headers=HEADERS):
    book = Workbook()
    sheet = book.active
    sheet.title = excel.SHEET
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    return _upload(book)


def _upload(book, name="plan.xlsx"):
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def export(client, year=2027):
    return client.get(reverse("procurement:plan_export"), {"ar": year})


def preview(client, upload, year=2027):
    return client.post(reverse("procurement:plan_import", args=[year]), {"file": upload})


def confirm(client, year=2027):
    return client.post(reverse("procurement:plan_import_confirm", args=[year]))


def snapshot(procurement_plan):
    return sorted(
        (p.title, p.category_id, p.product_group_id, p.replaces_id, p.planned_advertising, p.planned_completion,
         p.note, p.version, tuple(sorted(m.name for m in p.municipalities.all())))
        for p in procurement_plan.planned.prefetch_related("municipalities")
    )


# --- The export ----------------------------------------------------------------------------------------

def test_the_export_has_a_row_per_planned_procurement_with_the_register_and_the_flag(member_client, draft):
    planned = draft.planned.get(title="Skolmat")
    planned.procurement = ProcurementFactory(case_number="UHC-2027-1", status="advertised",
                                             advertised_on=D(2026, 12, 1))
    planned.start_by = D(2026, 11, 1)
    planned.save()
    response = export(member_client)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="upphandlingsplan-2027.xlsx"'
    sheet = load_workbook(BytesIO(response.content))[excel.SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Benämning", "Kategori", "Varugrupp")
    assert rows[0][-4:] == ("Starta senast", "Upphandling i registret (diarienummer)", "Status i registret",
                            "Försenad mot avtalets slut")
    meals = next(row for row in rows if row[0] == "Skolmat")
    assert meals[1:5] == ("Livsmedel", "Skolmat", "Falun, Säter", "AVT-1")
    assert [value.date() for value in meals[5:7]] == [D(2027, 1, 10), D(2027, 6, 30)]
    assert meals[7:10] == ("Gemensam", None, None)  # not adopted: no adopted dates
    assert meals[10].date() == D(2026, 11, 1)
    # planned to complete 30 June, the contract it replaces ends 31 May: late
    assert meals[11:] == ("UHC-2027-1", "Annonserad", "Ja")


def test_the_export_keeps_a_formula_like_title_as_text(member_client, draft):
    sheet = load_workbook(BytesIO(export(member_client).content))[excel.SHEET]
    cell = next(row[0] for row in sheet.iter_rows(min_row=2) if str(row[0].value).startswith("="))
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


def test_the_export_of_a_year_without_a_plan_is_not_found(member_client, draft):
    assert export(member_client, 2031).status_code == 404
    assert member_client.get(reverse("procurement:plan_export"), {"ar": "x"}).status_code == 404


def test_the_export_without_a_year_is_the_newest_plan(member_client, draft):
    ProcurementPlan.objects.create(year=2026)
    response = member_client.get(reverse("procurement:plan_export"))
    assert response["Content-Disposition"] == 'attachment; filename="upphandlingsplan-2027.xlsx"'


def test_the_plan_page_links_the_export_for_all_and_the_import_for_staff(member_user, staff_client, draft):
    import_url = reverse("procurement:plan_import", args=[2027])
    member_client = Client()
    member_client.force_login(member_user)
    member_page = member_client.get(reverse("procurement:plan_detail", args=[2027])).content.decode()
    assert "export.xlsx?ar=2027" in member_page and import_url not in member_page
    assert import_url in staff_client.get(reverse("procurement:plan_detail", args=[2027])).content.decode()


# --- The template --------------------------------------------------------------------------------------

def test_the_template_has_the_columns_and_the_lists(staff_client, draft):
    response = staff_client.get(reverse("procurement:plan_import_template"))
    book = load_workbook(BytesIO(response.content))
    header = next(book[excel.SHEET].iter_rows(values_only=True))
    assert header[:2] == ("Benämning *", "Kategori *") and header[6] == "Planerat klart *"
    lists = list(book[excel.LISTS].iter_rows(values_only=True))
    assert ("Livsmedel", "Frukt") in [row[3:5] for row in lists]
    assert "Säter" in [row[1] for row in lists]


# --- The import ----------------------------------------------------------------------------------------

def test_an_export_imported_unchanged_changes_nothing(staff_client, draft):
    before = snapshot(draft)
    upload = BytesIO(export(staff_client).content)
    upload.name = "upphandlingsplan-2027.xlsx"
    response = preview(staff_client, upload)
    checked = response.context["checked"]
    assert checked.ok, checked.errors
    assert (checked.new, checked.updated, checked.unchanged) == (0, 0, 2)
    assert "Filen ändrar ingenting i planen." in response.content.decode()
    assert confirm(staff_client).status_code == 302  # nothing kept to confirm
    assert snapshot(draft) == before


def test_a_new_row_is_previewed_then_created(staff_client, draft):
    upload = workbook(
        ["Skolmat", "Livsmedel", "Skolmat", "Falun, Säter", "AVT-1", "2027-01-10", "2027-06-30", "Gemensam"],
        ["Datorer", "it", "", "Ludvika; Gagnef", "", "", datetime.datetime(2027, 10, 1), ""],
    )
    response = preview(staff_client, upload)
    checked = response.context["checked"]
    assert (checked.new, checked.updated, checked.unchanged) == (1, 0, 1)
    assert not draft.planned.filter(title="Datorer").exists()  # the preview saves nothing
    assert confirm(staff_client).status_code == 302
    created = draft.planned.get(title="Datorer")
    assert (created.category.name, created.planned_completion, created.product_group) == ("IT", D(2027, 10, 1), None)
    assert sorted(m.name for m in created.municipalities.all()) == ["Gagnef", "Ludvika"]
    assert created.history.first().history_user.username == "uhc-test"


def test_a_changed_row_updates_the_planned_procurement_and_moves_its_version(staff_client, draft):
    upload = workbook(["skolmat", "Livsmedel", "Frukt", "Falun", "", "2027-02-01", "2027-06-30", "Gemensam"])
    checked = preview(staff_client, upload).context["checked"]
    assert [change.changed for change in checked.changes] == [
        ["Varugrupp", "Ersätter avtal (avtalsnummer)", "Planerad annonsering", "Beställande kommuner"]]
    assert confirm(staff_client).status_code == 302
    planned = draft.planned.get(title="Skolmat")
    assert (planned.product_group.name, planned.replaces, planned.planned_advertising) == ("Frukt", None, D(2027, 2, 1))
    assert [m.name for m in planned.municipalities.all()] == ["Falun"]
    assert planned.version == 2


def test_a_column_the_file_lacks_is_left_as_it_is(staff_client, draft):
    headers = ["Benämning", "Kategori", "Planerat klart"]
    upload = workbook(["Skolmat", "Livsmedel", "2027-07-31"], headers=headers)
    preview(staff_client, upload)
    confirm(staff_client)
    planned = draft.planned.get(title="Skolmat")
    assert (planned.planned_completion, planned.note, planned.replaces.number) == (D(2027, 7, 31), "Gemensam", "AVT-1")
    assert planned.municipalities.count() == 2


def test_bad_cells_are_named_by_row_column_and_value_and_nothing_is_saved(staff_client, draft):
    before = snapshot(draft)
    upload = workbook(
        ["Ny städning", "Livsmedel", "", "Falun", "", "", "2027-13-01", ""],
        ["Ny mat", "Frukost och mat", "", "Falun", "", "", "2027-05-01", ""],
        ["Ny frukt", "Livsmedel", "", "Falun, Mora", "", "", "2027-05-01", ""],
        ["Ny dryck", "Livsmedel", "", "", "", "", "2027-05-01", ""],  # a good row: not saved either
    )
    response = preview(staff_client, upload)
    assert response.context["checked"].errors == [
        (2, "Planerat klart", "2027-13-01", "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15."),
        (3, "Kategori", "Frukost och mat", "Kategorin ”Frukost och mat” finns inte i registret."),
        (4, "Beställande kommuner", "Falun, Mora",
         "Okänd kommun: Mora. Skriv de samverkande kommunernas namn åtskilda med kommatecken."),
    ]
    assert "Filen har fel. Ingenting har sparats." in response.content.decode()
    assert confirm(staff_client).status_code == 302  # nothing kept to confirm
    assert snapshot(draft) == before


def test_rows_naming_what_is_not_there_are_named(staff_client, draft):
    upload = workbook(
        ["A", "Livsmedel", "Datorer", "", "", "", "2027-05-01", ""],
        ["B", "Livsmedel", "", "", "AVT-SAKNAS", "", "2027-05-01", ""],
        ["C", "Livsmedel", "", "", "", "2027-06-01", "2027-05-01", ""],
        ["", "Livsmedel", "", "", "", "", "2027-05-01", ""],
        ["A", "livsmedel", "", "", "", "", "2027-05-01", ""],
    )
    errors = preview(staff_client, upload).context["checked"].errors
    assert errors == [
        (2, "Varugrupp", "Datorer", "Varugruppen ”Datorer” finns inte i kategorin ”Livsmedel”."),
        (3, "Ersätter avtal (avtalsnummer)", "AVT-SAKNAS",
         "Det finns inget avtal med avtalsnummer AVT-SAKNAS i registret."),
        (4, "Planerat klart", "2027-05-01", "Planerat klart kan inte ligga före planerad annonsering."),
        (5, "Benämning", "", "Fältet måste fyllas i."),
        (6, "Benämning", "A", "Upphandlingen ”A” i kategorin Livsmedel finns redan på rad 2."),
    ]


def test_an_adopted_date_in_the_file_is_refused_by_row(staff_client, draft):
    upload = workbook(["Skolmat", "Livsmedel", "", "", "", "", "2027-06-30", "", "", "2027-06-30"],
                      headers=HEADERS + ["Antagen annonsering", "Antaget klart"])
    errors = preview(staff_client, upload).context["checked"].errors
    assert errors == [(2, "Antaget klart", "2027-06-30", "De antagna datumen sätts när nämnden antar planen och "
                       "ändras aldrig genom import: lämna kolumnen tom.")]


def test_an_adopted_plan_is_refused_and_nothing_is_saved(staff_client, draft):
    ProcurementPlan.objects.filter(pk=draft.pk).update(status="adopted", adopted_on=D(2026, 12, 10))
    PlannedProcurement.objects.filter(plan=draft).update(adopted_completion=D(2027, 6, 30))
    before = snapshot(draft)
    response = preview(staff_client, workbook(["Skolmat", "Livsmedel", "", "", "", "", "2027-08-31", ""]))
    assert response.context["refused"] == [
        "Upphandlingsplan 2027 är antagen och kan inte ändras genom import. De antagna datumen ändras aldrig; "
        "ändra de planerade datumen på planens sida."]
    assert confirm(staff_client).status_code == 302
    assert snapshot(draft) == before
    assert set(draft.planned.values_list("adopted_completion", flat=True)) == {D(2027, 6, 30)}


def test_a_plan_adopted_between_preview_and_confirm_saves_nothing(staff_client, draft):
    preview(staff_client, workbook(["Ny", "Livsmedel", "", "", "", "", "2027-08-31", ""]))
    ProcurementPlan.objects.filter(pk=draft.pk).update(status="adopted", adopted_on=D(2026, 12, 10))
    response = confirm(staff_client)
    assert response.status_code == 200 and "är antagen" in response.context["refused"][0]
    assert not draft.planned.filter(title="Ny").exists()


def test_a_plan_changed_between_preview_and_confirm_is_shown_again(staff_client, draft):
    preview(staff_client, workbook(["Skolmat", "Livsmedel", "Skolmat", "Falun, Säter", "AVT-1", "2027-01-10",
                                    "2027-06-30", "Gemensam"], ["Ny", "Livsmedel", "", "", "", "", "2027-08-31", ""]))
    PlannedProcurement.objects.filter(title="Skolmat").update(note="Ändrad")
    response = confirm(staff_client)
    assert response.context["notice"].startswith("Planen har ändrats sedan förhandsgranskningen.")
    assert not draft.planned.filter(title="Ny").exists()
    assert confirm(staff_client).status_code == 302  # confirmed again: now saved
    assert draft.planned.filter(title="Ny").exists()


def test_a_file_without_the_sheet_is_refused(staff_client, draft):
    book = Workbook()
    book.active.title = "Annat"
    response = preview(staff_client, _upload(book))
    assert response.context["refused"] == ["Arbetsboken saknar bladen: Planerade upphandlingar. Utgå från mallen."]


def test_checking_costs_the_same_queries_for_more_rows(draft):
    def count(n):
        # the existing Skolmat changed, and n new ones
        rows = [(i + 2, {"title": "Skolmat" if i == 0 else f"P{i}", "category": "Livsmedel", "product_group": "Skolmat",
                         "municipalities": "Falun", "replaces": "AVT-1", "planned_completion": "2027-06-30"})
                for i in range(n + 1)]
        data = excel.reading.SheetData(excel.SHEET, set(rows[0][1]), rows)
        with CaptureQueriesContext(connection) as queries:
            assert excel.check_rows(draft, data).ok
        return len(queries)

    assert count(1) == count(20)
