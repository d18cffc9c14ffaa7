"""Reading the workbook: the four sheets as rows of raw cell values, keyed by column.

Sheets are found by name and columns by header, forgivingly (case, spaces, the "*" the template
puts after a required column's header); a missing sheet or required column refuses the file.
"""

from dataclasses import dataclass

from openpyxl import load_workbook

from procurement.importing.cells import is_blank, norm
from procurement.importing.columns import SHEETS
from procurement.importing.messages import MESSAGES
from procurement.importing.result import ImportRefused


def _header_key(value):
    """A header as the template writes it, "Diarienummer *" for a required column, matches "Diarienummer"."""
    return norm(str(value).strip().rstrip("*"))


@dataclass
class SheetData:
    name: str
    present: set  # keys of the columns the sheet has
    rows: list  # (row number, {key: raw value})


def read_workbook(source):
    """Open the workbook and read the four sheets; refuse when sheets or required columns are missing."""
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file; all mean the same to the user
        raise ImportRefused(MESSAGES["unreadable"]) from None
    try:
        by_name = {norm(name): name for name in workbook.sheetnames}
        missing = [sheet for sheet in SHEETS if norm(sheet) not in by_name]
        if missing:
            raise ImportRefused(MESSAGES["missing_sheets"] % {"sheets": ", ".join(missing)})
        problems, data = [], {}
        for sheet, columns in SHEETS.items():
            worksheet = workbook[by_name[norm(sheet)]]
            worksheet.reset_dimensions()  # some programs write a wrong size; read what is there
            data[sheet] = _read_sheet(sheet, columns, worksheet.iter_rows(values_only=True), problems)
        if problems:
            raise ImportRefused(problems)
        return data
    finally:
        workbook.close()


def _read_sheet(sheet, columns, rows, problems):
    header = next(rows, None) or ()
    positions = {}
    for index, value in enumerate(header):
        if not is_blank(value):
            positions.setdefault(_header_key(value), index)
    found = {column.key: positions[_header_key(column.header)] for column in columns
             if _header_key(column.header) in positions}
    missing = [str(column.header) for column in columns if column.required and column.key not in found]
    if missing:
        problems.append(MESSAGES["missing_columns"] % {"sheet": sheet, "columns": ", ".join(missing)})
    records = []
    for number, values in enumerate(rows, start=2):
        raw = {key: values[index] if index < len(values) else None for key, index in found.items()}
        if not all(is_blank(value) for value in raw.values()):
            records.append((number, raw))
    return SheetData(sheet, set(found), records)
