"""Workbooks the import must not misread: a column twice, and formulas the spreadsheet program never calculated.

Each test fills the template, changes it with openpyxl as another program might, and imports it. openpyxl writes
a formula without a calculated value (as a script does); a calculated one is written into the XML by hand.
"""

import re
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook

from procurement.importing import PROCUREMENTS, ImportRefused, RowError, build_template, import_register
from procurement.models import Procurement
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db
UNCALCULATED = ("Cellen har en formel utan beräknat värde. Öppna filen i kalkylprogrammet och spara den igen, "
                "eller skriv in värdet i stället för formeln.")
ROW = {"case_number": "UhC 2026/0001", "title": "Städtjänster", "category": "Städ och lokalvård",
       "municipalities": "Falun", "status": "Planerad", "questions_received": 3, "planned_completion": "2026-09-30"}


@pytest.fixture(autouse=True)
def category(plan):
    return CategoryFactory(name="Städ och lokalvård")


def workbook(rows=(ROW,)):
    return load_workbook(BytesIO(build_template({PROCUREMENTS: list(rows)})))


def column(sheet, header):
    """The column number of the header (a required column's header ends in " *")."""
    return next(cell.column for cell in sheet[1] if str(cell.value).rstrip(" *") == header)


def upload(book):
    data = BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "register.xlsx"
    return data


def refusal(file):
    with pytest.raises(ImportRefused) as refused:
        import_register(file)
    return refused.value.messages


@pytest.mark.parametrize(("typed", "header"), [
    ("Diarienummer", "Diarienummer"), ("diarienummer *", "Diarienummer"), ("Benämning", "Benämning")])
def test_a_column_twice_is_refused_with_its_sheet_row_and_columns(typed, header):
    book = workbook()
    sheet = book[PROCUREMENTS]
    first = sheet.cell(1, column(sheet, header)).column_letter
    second = sheet.cell(1, sheet.max_column + 1, typed).column_letter
    assert refusal(upload(book)) == [
        f"Bladet Upphandlingar har kolumnen ”{header}” två gånger på rad 1: i kolumn {first} och {second}. "
        "Ta bort eller byt namn på den ena."]
    assert not Procurement.objects.exists()


def test_a_column_the_import_does_not_know_may_be_there_twice():
    book = workbook()
    sheet = book[PROCUREMENTS]
    sheet.cell(1, sheet.max_column + 1, "Egen anteckning")
    sheet.cell(1, sheet.max_column + 1, "Egen anteckning")
    result = import_register(upload(book))
    assert result.errors == [] and Procurement.objects.get().title == "Städtjänster"


@pytest.mark.parametrize(
    ("header", "formula"),
    [
        ("Diarienummer", '="UhC "&"2026/0001"'),  # a required key
        ("Benämning", "=A2"),  # text
        ("Kategori", '="Städ och lokalvård"'),  # looked up in the register
        ("Status", '="Planerad"'),  # a coded choice
        ("Frågor under annonseringen", "=1+2"),  # a whole number
        ("Planerat klart", "=DATE(2026,9,30)"),  # a date
        ("Reserverad upphandling", "=TRUE()"),  # Ja/Nej
    ],
)
def test_a_formula_without_a_value_is_refused_on_its_row_and_column(header, formula):
    book = workbook()
    sheet = book[PROCUREMENTS]
    sheet.cell(2, column(sheet, header), formula)
    result = import_register(upload(book))
    assert result.errors == [RowError(PROCUREMENTS, 2, header, UNCALCULATED)]
    assert not Procurement.objects.exists()


def test_every_such_cell_is_reported_not_only_the_first():
    book = workbook([ROW, {**ROW, "case_number": "UhC 2026/0002"}])
    sheet = book[PROCUREMENTS]
    sheet.cell(2, column(sheet, "Benämning"), "=A2")
    sheet.cell(3, column(sheet, "Frågor under annonseringen"), "=1+2")
    assert import_register(upload(book)).errors == [
        RowError(PROCUREMENTS, 2, "Benämning", UNCALCULATED),
        RowError(PROCUREMENTS, 3, "Frågor under annonseringen", UNCALCULATED),
    ]


def with_calculated_value(file, sheet_index, cell, value):
    """The workbook with `value` stored as the calculated text of the formula in `cell`, as Excel saves it
    (openpyxl writes an empty value as <v/>, or as <v></v> when lxml is installed)."""
    source, out = zipfile.ZipFile(file), BytesIO()
    part = f"xl/worksheets/sheet{sheet_index + 1}.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data, found = re.subn(rf'<c r="{cell}"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v>\s*</v>)</c>'.encode(),
                                      rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{value}</v></c>'.encode(), data)
                assert found == 1
            target.writestr(item, data)
    out.seek(0)
    out.name = "register.xlsx"
    return out


def test_a_formula_with_its_calculated_value_is_imported_as_that_value():
    book = workbook()
    sheet = book[PROCUREMENTS]
    title = sheet.cell(2, column(sheet, "Benämning"), '="Städ"&"tjänster i skolor"')
    file = with_calculated_value(upload(book), book.sheetnames.index(PROCUREMENTS), title.coordinate,
                                 "Städtjänster i skolor")
    result = import_register(file)
    assert result.errors == []
    assert Procurement.objects.get().title == "Städtjänster i skolor"


def test_a_formula_in_a_cell_the_import_does_not_read_does_no_harm():
    book = workbook()
    sheet = book[PROCUREMENTS]
    sheet.cell(1, sheet.max_column + 1, "Egen uträkning")
    sheet.cell(2, sheet.max_column, "=1+1")
    assert import_register(upload(book)).errors == []
    assert Procurement.objects.get().case_number == "UhC 2026/0001"
