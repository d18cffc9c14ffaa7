"""The import template: Swedish headers, one sheet per record type, instructions, drop-down lists."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from procurement.importing import build_template


@pytest.fixture
def workbook(categories):
    return load_workbook(BytesIO(build_template()))


def headers(ws):
    return [cell.value for cell in ws[1]]


def validation_for(ws, header):
    """The data validation covering the column with `header`, or None."""
    column = next(cell.column_letter for cell in ws[1] if cell.value == header)
    for validation in ws.data_validations.dataValidation:
        if any(column == str(rng).split(":")[0].rstrip("0123456789") for rng in validation.sqref.ranges):
            return validation
    return None


def list_values(workbook, validation):
    """The values a list validation offers, read from the hidden lists sheet."""
    sheet, cells = validation.formula1.lstrip("=").split("!")
    start, end = cells.replace("$", "").split(":")
    ws = workbook[sheet.strip("'")]
    return [row[0].value for row in ws[start:end]]


def test_it_has_one_sheet_per_record_type_an_instructions_sheet_and_hidden_lists(workbook):
    assert workbook.sheetnames == ["Instruktioner", "Upphandlingar", "Anbud", "Avtal", "Uppföljningar", "Listor"]
    assert workbook["Listor"].sheet_state == "hidden"
    assert workbook.active.title == "Instruktioner"


def test_the_headers_are_swedish_and_required_columns_are_marked(workbook):
    procurements = headers(workbook["Upphandlingar"])
    assert procurements[:7] == ["Diarienummer *", "Benämning *", "Kategori *", "Varugrupp", "Typ",
                                "Beställande kommuner *", "Förfarande"]
    for header in ["Reserverad upphandling", "I upphandlingsplanen", "Planerat klart", "Status *", "Datum annonserad",
                   "Datum tilldelningsbeslut", "Datum avslutad", "Datum avbruten", "Frågor under annonseringen",
                   "Förhandling genomförd", "Besparing genom förhandling (kr)", "Kontaktade anbudsgivare",
                   "Överprövning datum", "Överprövning utgång", "Sysselsättningskrav", "Arbetsrättsliga villkor",
                   "Krav på tillgänglighet", "Krav på jämställdhet", "Beredskapskrav", "Miljö- eller klimatkrav",
                   "Miljöledning (UHM-nivå)", "Återbruk/avfall (UHM-nivå)", "Klimat transporter (UHM-nivå)",
                   "Klimat övrigt (UHM-nivå)", "Kemikalier (UHM-nivå)", "Krav på ekologiska livsmedel",
                   "Krav på lokalproducerade livsmedel", "Förhöjd risk för välfärdsbrottslighet",
                   "Fördjupade leverantörskontroller", "Anbud diskvalificerade pga. välfärdsbrott",
                   "Väsentligt annorlunda lösning"]:
        assert header in procurements, header
    assert headers(workbook["Anbud"]) == [
        "Diarienummer *", "Leverantörens organisationsnummer *", "Leverantörens namn", "Regional verksamhet", "SMF",
        "Socialt företag eller idéburen", "Diskvalificerat", "Tilldelat"]
    assert headers(workbook["Avtal"]) == [
        "Avtalsnummer *", "Benämning *", "Diarienummer", "Leverantörens organisationsnummer *", "Leverantörens namn",
        "Kommuner *", "Avtalsklass *", "Startdatum *", "Slutdatum", "Årsvärde (kr)", "Avslutat i förtid",
        "Skäl till förtida avslut", "Avtalsförvaltare", "Kontaktperson i kommunerna", "Optioner (månader)",
        "Beslut om option (månader före slut)"]
    assert headers(workbook["Uppföljningar"]) == ["Avtalsnummer *", "Datum *", "Form *", "Anteckningar", "Åtgärder"]


def test_coded_values_have_drop_down_lists_with_the_swedish_labels(workbook):
    procurements = workbook["Upphandlingar"]
    assert list_values(workbook, validation_for(procurements, "Status *")) == [
        "Planerad", "Annonserad", "Tilldelad", "Avslutad", "Avbruten"]
    assert list_values(workbook, validation_for(procurements, "Typ")) == [
        "Gemensam upphandling", "Kommunspecifik upphandling", "DIS-avrop", "Upphandlingsstöd"]
    assert "Förenklat förfarande" in list_values(workbook, validation_for(procurements, "Förfarande"))
    assert list_values(workbook, validation_for(procurements, "Kemikalier (UHM-nivå)")) == [
        "Inget krav", "Bas", "Avancerad", "Spjutspets"]
    assert list_values(workbook, validation_for(procurements, "Reserverad upphandling")) == ["Ja", "Nej"]
    assert list_values(workbook, validation_for(procurements, "Kategori *")) == ["Livsmedel", "IT och telefoni"]
    municipalities = validation_for(procurements, "Beställande kommuner *")
    assert list_values(workbook, municipalities) == [
        "Falun", "Borlänge", "Avesta", "Gagnef", "Hedemora", "Ludvika", "Säter"]
    assert municipalities.showErrorMessage is False  # several names, comma-separated, may be typed
    assert validation_for(procurements, "Status *").showErrorMessage is True
    assert list_values(workbook, validation_for(workbook["Avtal"], "Avtalsklass *")) == [
        "A – mest kritiska", "B", "C", "D – minst kritiska"]
    assert list_values(workbook, validation_for(workbook["Uppföljningar"], "Form *")) == ["Möte", "E-post", "Telefon"]
    assert validation_for(procurements, "Frågor under annonseringen").type == "whole"


def test_the_header_row_is_frozen_and_columns_have_sensible_widths(workbook):
    ws = workbook["Upphandlingar"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws.column_dimensions["B"].width == 40  # Benämning
    assert ws.column_dimensions["A"].width >= 16
    assert workbook["Avtal"].column_dimensions["H"].number_format == "yyyy-mm-dd"  # Startdatum
    assert ws.column_dimensions["A"].number_format == "@"  # diarienummer stays text


def test_the_instructions_explain_every_column_and_the_formats(workbook):
    ws = workbook["Instruktioner"]
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)]
    general = " ".join(row[4] for row in rows if row[0] == "Allmänt")
    assert "ÅÅÅÅ-MM-DD" in general
    assert "Ja eller Nej" in general
    assert "decimalkomma" in general
    by_column = {(row[0], row[1]): row for row in rows if row[0] != "Allmänt"}
    assert len(by_column) == sum(len(headers(workbook[s])) for s in ("Upphandlingar", "Anbud", "Avtal",
                                                                       "Uppföljningar"))
    assert by_column[("Upphandlingar", "Diarienummer")][2:4] == ["Ja", "Text"]
    assert by_column[("Upphandlingar", "I upphandlingsplanen")][3] == "Ja/Nej (tom = Ja)"
    assert by_column[("Upphandlingar", "Reserverad upphandling")][3] == "Ja/Nej (tom = Nej)"
    assert by_column[("Upphandlingar", "Datum annonserad")][3] == "Datum ÅÅÅÅ-MM-DD"
    assert by_column[("Upphandlingar", "Typ")][3] == ("Välj i listan: Gemensam upphandling; Kommunspecifik "
                                                       "upphandling; DIS-avrop; Upphandlingsstöd (tom = Gemensam "
                                                       "upphandling)")
    assert "kontrollsiffra" in by_column[("Anbud", "Leverantörens organisationsnummer")][4]


def test_filled_in_rows_are_written_as_labels_and_text_never_as_formulas(categories):
    data = build_template({"Upphandlingar": [{"case_number": "=1+1", "status": "advertised", "reserved": True,
                                              "questions_received": 3}]})
    ws = load_workbook(BytesIO(data))["Upphandlingar"]
    row = {str(h).rstrip(" *"): cell for h, cell in zip(headers(ws), ws[2], strict=True)}
    assert row["Diarienummer"].value == "=1+1" and row["Diarienummer"].data_type == "s"
    assert row["Status"].value == "Annonserad"
    assert row["Reserverad upphandling"].value == "Ja"
    assert row["Frågor under annonseringen"].value == 3
