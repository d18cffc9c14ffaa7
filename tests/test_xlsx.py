"""The shared Excel writer: numbers stay numbers, dates stay dates, user text is never a formula."""

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from common.xlsx import Sheet, write_workbook


def _roundtrip(rows, headers=("A", "B", "C")):
    data = write_workbook([Sheet("Blad", list(headers), rows, number_formats={1: "0.0"})])
    return load_workbook(BytesIO(data))["Blad"]


def test_user_text_starting_with_formula_characters_stays_text():
    ws = _roundtrip([["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)"], ["-2+3", "=1+1", "ok"]])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type == "s", cell.value
    assert ws["A2"].value == '=HYPERLINK("http://x")'


def test_numbers_and_dates_are_real_cells():
    ws = _roundtrip([[Decimal("56.5"), 12, datetime.date(2026, 5, 20)]])
    assert ws["A2"].value == 56.5 and ws["A2"].data_type == "n"
    assert ws["B2"].value == 12
    assert ws["C2"].is_date and ws["C2"].value.date() == datetime.date(2026, 5, 20)


def test_headers_are_bold_and_columns_get_widths():
    ws = _roundtrip([["en mycket lång text i första kolumnen", 1, None]])
    assert ws["A1"].font.bold
    assert ws.column_dimensions["A"].width > ws.column_dimensions["C"].width


def test_control_characters_from_pasted_text_do_not_break_the_export():
    ws = _roundtrip([["Städ\x0btjänster\x00", "ok", None]])
    assert ws["A2"].value == "Städtjänster"
