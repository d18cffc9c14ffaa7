"""Writing .xlsx workbooks safely: real numbers and dates in cells, user text never a formula.

Every Excel export of the project (register lists, indicators, the follow-up report) goes
through `workbook_response` / `write_workbook`, so the formula-injection guard lives in one place.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import NamedTuple

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60
# Number formats in the file's own notation, where "," groups thousands and "." marks the decimals: a
# Swedish Excel or LibreOffice shows them as "1 436" and "56,2". A literal space is no separator there
# ("# ##0" shows 1234567 as "1234 567"). Years, case numbers and ids get no format (or "@" for text).
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
# The unit written after the number as the pages write it (common/formatting.py); the cell keeps the
# plain number (56.2, not 0.562), so sums and charts in Excel work on it.
UNIT_FORMATS = {
    "percent": '#,##0.0" %"',
    "deviation": '#,##0.0" %"',
    "sek": '#,##0" kr"',
    "tkr": '#,##0" tkr"',
    "hours": '#,##0.0" h"',
    "count": INTEGER_FORMAT,
    "average": DECIMAL_FORMAT,
    "index": DECIMAL_FORMAT,
    "grade": DECIMAL_FORMAT,
}


def unit_format(unit):
    """The Excel number format for a value in `unit` (an indicator's unit code, or "tkr")."""
    return UNIT_FORMATS.get(unit, DECIMAL_FORMAT)


class Formatted(NamedTuple):
    """A value with its own number format, for a column whose rows have different units."""

    value: object
    number_format: str


@dataclass
class Sheet:
    title: str
    headers: list
    rows: list = field(default_factory=list)
    number_formats: dict = field(default_factory=dict)  # column index -> Excel number format


def write_cell(ws, row, column, value, number_format=None):
    """Write one value: numbers and dates as such, text always as literal text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Formatted):
        value, number_format = value
    if value is None:
        return cell
    if isinstance(value, bool):
        cell.value = "Ja" if value else "Nej"
        cell.data_type = "s"
    elif isinstance(value, (int, float, Decimal)):
        cell.value = float(value) if isinstance(value, Decimal) else value
        if number_format:
            cell.number_format = number_format
    elif isinstance(value, datetime.datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        # Assigning then forcing the type keeps "=HYPERLINK(...)" (or +, -, @) as text, never a live
        # formula. Control characters pasted from word processors are not allowed in xlsx: dropped.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"
    return cell


def _width(value):
    if isinstance(value, Formatted):
        value = value.value
    if value is None:
        return 0
    if isinstance(value, (datetime.date, datetime.datetime)):
        return 11
    return min(MAX_WIDTH, max(len(line) for line in str(value).splitlines() or [""]))


HEADER_FILL = PatternFill("solid", fgColor="DDE6EE")


def write_header(ws, column, text):
    """A header cell: bold on a light fill, wrapped."""
    cell = write_cell(ws, 1, column, text)
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def sheet_title(text):
    """A title Excel accepts: at most 31 characters, none of \\ / * ? : [ ] (they become spaces)."""
    return " ".join(SHEET_TITLE_FORBIDDEN.sub(" ", str(text)).split())[:31] or "Blad"


def add_sheet(workbook, sheet):
    ws = workbook.create_sheet(title=sheet_title(sheet.title))
    widths = [_width(h) for h in sheet.headers]
    for column, header in enumerate(sheet.headers, start=1):
        write_header(ws, column, header)
    for row_index, row in enumerate(sheet.rows, start=2):
        for column, value in enumerate(row, start=1):
            write_cell(ws, row_index, column, value, sheet.number_formats.get(column - 1))
            widths[column - 1] = max(widths[column - 1], _width(value))
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = max(8, width + 2)
    ws.freeze_panes = "A2"
    if sheet.headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.headers))}{max(1, len(sheet.rows) + 1)}"
    return ws


def write_workbook(sheets):
    """Bytes of an .xlsx file with one worksheet per Sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        add_sheet(workbook, sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content, filename):
    """An .xlsx file's bytes as a download."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def workbook_response(sheets, filename):
    return xlsx_response(write_workbook(sheets), filename)
