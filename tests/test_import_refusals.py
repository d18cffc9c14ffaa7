"""Files the import refuses before reading a row: wrong type, macros, too large, missing sheets or columns."""

import zipfile
from io import BytesIO

import pytest
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from procurement.importing import ImportRefused, build_template, import_register
from procurement.models import Procurement
from tests.test_import_engine import good_rows, xlsx


def upload(data, name):
    file = BytesIO(data)
    file.name = name
    return file


def refusal(file):
    with pytest.raises(ImportRefused) as refused:
        import_register(file)
    return refused.value.messages


@pytest.fixture
def template(plan):
    return build_template()


def with_vba_project(data):
    """The template with a macro project added, as Excel stores one."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00macro")
    return out.getvalue()


def test_a_file_that_is_not_xlsx_by_name_is_refused(db):
    assert refusal(upload(b"diarienummer;benamning\n", "register.csv")) == [
        "Filen ”register.csv” är inte en Excel-arbetsbok. Bara filer av typen .xlsx kan importeras."]


def test_an_old_excel_file_is_refused(db):
    assert refusal(upload(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "register.xls")) == [
        "Filen ”register.xls” är inte en Excel-arbetsbok. Bara filer av typen .xlsx kan importeras."]


def test_a_text_file_renamed_to_xlsx_is_refused(db):
    assert refusal(upload(b"Det h\xc3\xa4r \xc3\xa4r en textfil.\n", "register.xlsx")) == [
        "Filen ”register.xlsx” heter .xlsx men är ingen Excel-arbetsbok. Spara den som ”Excel-arbetsbok (.xlsx)” "
        "i kalkylprogrammet och försök igen."]


def test_a_zip_that_is_not_a_workbook_is_refused(db):
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert refusal(upload(out.getvalue(), "register.xlsx"))[0].startswith("Filen ”register.xlsx” heter .xlsx men")


MACROS = ("Filen innehåller makron och tas inte emot. Spara den som ”Excel-arbetsbok (.xlsx)” utan makron "
          "och försök igen.")


def test_a_macro_enabled_workbook_is_refused_by_its_name(template):
    assert refusal(upload(template, "register.xlsm")) == [MACROS]


def test_a_workbook_with_a_macro_project_is_refused_even_when_named_xlsx(template):
    assert refusal(upload(with_vba_project(template), "register.xlsx")) == [MACROS]


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(db):
    assert refusal(upload(b"x" * 2000, "register.xlsx")) == [
        "Filen är 2\xa0kB; den får vara högst 1\xa0000\xa0byte."]  # 2000 / 1024 = 1,95 → 2 (no-break spaces)


@pytest.mark.parametrize(("size", "limit", "message"), [
    # 12 850 000 / 1 048 576 = 12,25… MB, rounded up to 12,3; the limit of 10 MB reads "10 MB", not "10,0 MB".
    (12_850_000, 10 * 1024 * 1024, "Filen är 12,3\xa0MB; den får vara högst 10\xa0MB."),
    # Just over the limit: 10 MB + 1 byte is rounded up, so it never reads as the limit itself.
    (10 * 1024 * 1024 + 1, 10 * 1024 * 1024, "Filen är 10,1\xa0MB; den får vara högst 10\xa0MB."),
    # 1,5 MB limit: 1 572 864 bytes; the file 3 000 000 / 1 048 576 = 2,86… → 2,9.
    (3_000_000, 1_572_864, "Filen är 2,9\xa0MB; den får vara högst 1,5\xa0MB."),
])
def test_the_size_refusal_reads_well(db, settings, size, limit, message):
    settings.IMPORT_MAX_BYTES = limit
    file = BytesIO()
    file.name = "register.xlsx"
    file.size = size
    assert refusal(file) == [message]


def test_the_limit_is_ten_megabytes(settings):
    assert settings.IMPORT_MAX_BYTES == 10 * 1024 * 1024


def test_a_workbook_without_the_register_sheets_is_refused_and_says_which(db):
    workbook = Workbook()
    workbook.active.title = "Upphandlingar"
    data = BytesIO()
    workbook.save(data)
    assert refusal(upload(data.getvalue(), "register.xlsx")) == [
        "Arbetsboken saknar bladen: Anbud, Avtal, Uppföljningar. Utgå från mallen."]


def test_missing_required_columns_are_refused_and_named(template):
    workbook = load_workbook(BytesIO(template))
    procurements = workbook["Upphandlingar"]
    for cell in procurements[1]:
        if cell.value in ("Kategori *", "Status *"):
            cell.value = None
    workbook["Uppföljningar"]["C1"].value = "Sätt"
    data = BytesIO()
    workbook.save(data)
    assert refusal(upload(data.getvalue(), "register.xlsx")) == [
        "Bladet Upphandlingar saknar kolumnerna: Kategori, Status.",
        "Bladet Uppföljningar saknar kolumnerna: Form.",
    ]


def test_optional_columns_may_be_left_out_and_keep_what_the_register_has(categories):
    import_register(xlsx(good_rows()))
    workbook = load_workbook(BytesIO(build_template({"Upphandlingar": [
        {"case_number": "UhC 2026/002", "title": "IT-konsulter, ny titel", "category": "IT och telefoni",
         "municipalities": "Ludvika", "status": "Annonserad", "advertised_on": "2026-04-01"}]})))
    procurements = workbook["Upphandlingar"]
    notes_column = [cell.column for cell in procurements[1] if cell.value == "Anteckningar"][0]
    procurements.delete_cols(notes_column)
    data = BytesIO()
    workbook.save(data)

    result = import_register(upload(data.getvalue(), "register.xlsx"))

    assert result.errors == []
    procurement = Procurement.objects.get(case_number="UhC 2026/002")
    assert procurement.title == "IT-konsulter, ny titel"
    assert procurement.notes == "Andra rad"  # no Anteckningar column: kept
    assert procurement.negotiation_saving_sek is None  # column present but blank: emptied


def test_nothing_is_saved_when_a_file_is_refused(template):
    with pytest.raises(ImportRefused):
        import_register(upload(with_vba_project(template), "register.xlsx"))
    assert Procurement.objects.count() == 0
