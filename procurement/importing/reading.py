"""Reading the workbook: the four sheets as rows of raw cell values, keyed by column.

Sheets are found by name and columns by header, forgivingly (case, spaces, the "*" the template
puts after a required column's header); a missing sheet or required column, or a column twice, refuses
the file.

A cell is read as the value the spreadsheet program stored. A formula the program never calculated (a
file written by a script, say) has no stored value: it is read as UNCALCULATED, which the cell's parser
refuses, rather than as an empty cell. Finding those takes a second reading of the sheets, with their
formulas; only a workbook that has formulas at all pays for it.
"""

import re
import zipfile
from dataclasses import dataclass
from itertools import zip_longest

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from procurement.importing.cells import UNCALCULATED, is_blank, norm
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
    """Open the workbook and read the four sheets; refuse when sheets or required columns are missing or a column
    is there twice."""
    values, formulas = _open(source, data_only=True), None
    try:
        if _has_formulas(source):
            formulas = _open(source, data_only=False)
        by_name = {norm(name): name for name in values.sheetnames}
        missing = [sheet for sheet in SHEETS if norm(sheet) not in by_name]
        if missing:
            raise ImportRefused(MESSAGES["missing_sheets"] % {"sheets": ", ".join(missing)})
        problems, data = [], {}
        for sheet, columns in SHEETS.items():
            rows = _rows(values, by_name[norm(sheet)])
            if formulas is not None:
                rows = _mark_uncalculated(rows, _rows(formulas, by_name[norm(sheet)]))
            data[sheet] = _read_sheet(sheet, columns, rows, problems)
        if problems:
            raise ImportRefused(problems)
        return data
    finally:
        values.close()
        if formulas is not None:
            formulas.close()


def _open(source, *, data_only):
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        return load_workbook(source, read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many kinds for a broken file; all mean the same to the user
        raise ImportRefused(MESSAGES["unreadable"]) from None


def _rows(workbook, name):
    worksheet = workbook[name]
    worksheet.reset_dimensions()  # some programs write a wrong size; read what is there
    return worksheet.iter_rows(values_only=True)


# A formula element, <f>, <f t="shared" …> or <f/>, with or without a namespace prefix.
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(source):
    """Whether any worksheet of the workbook holds a formula: a scan of the XML, far quicker than reading it."""
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            return any(_part_has_formulas(archive, name) for name in archive.namelist()
                       if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    except Exception:  # a damaged part (a bad checksum, say): the file cannot be read
        raise ImportRefused(MESSAGES["unreadable"]) from None


def _part_has_formulas(archive, name):
    with archive.open(name) as part:
        tail = b""
        while chunk := part.read(1 << 20):
            if FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-16:]  # a tag cut in two by the chunks
    return False


def _mark_uncalculated(rows, formula_rows):
    """The rows of stored values with UNCALCULATED for every formula that has none.

    Both readings are of the same XML, row for row and cell for cell: a cell that is empty among the values
    but not among the formulas holds a formula without a value.
    """
    for values, formulas in zip_longest(rows, formula_rows, fillvalue=()):
        yield tuple(UNCALCULATED if value is None and index < len(formulas) and formulas[index] is not None
                    else value for index, value in enumerate(values))


def _read_sheet(sheet, columns, rows, problems):
    header = next(rows, None) or ()
    positions = {}
    known = {_header_key(column.header): column.header for column in columns}
    for index, value in enumerate(header):
        if is_blank(value):
            continue
        first = positions.setdefault(_header_key(value), index)
        if first != index and _header_key(value) in known:
            problems.append(MESSAGES["duplicate_column"] % {
                "sheet": sheet, "column": known[_header_key(value)],
                "first": get_column_letter(first + 1), "second": get_column_letter(index + 1)})
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
