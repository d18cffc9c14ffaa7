"""Reading the workbook: the four sheets as rows of raw cell values, keyed by column.

Sheets are found by name and columns by header, forgivingly (case, spaces, the "*" the template
puts after a required column's header); a missing sheet or required column, or a column twice, refuses
the file.

A workbook is refused as unreadable whenever openpyxl or zipfile fails, which may happen while the rows
are read (a damaged part: bad checksum, malformed XML, a zip header that lies about a size), and when it
holds more rows than settings.IMPORT_MAX_ROWS, or more shared strings than those rows could use (memory).

A cell is read as the value the spreadsheet program stored. A formula the program never calculated (a
file written by a script, say) has no stored value: it is read as UNCALCULATED, which the cell's parser
refuses, rather than as an empty cell. Finding those takes a second reading of the sheets, with their
formulas; only a workbook that has formulas at all pays for it.
"""

import logging
import re
import time
import zipfile
from dataclasses import dataclass
from itertools import zip_longest

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from common.formatting import format_number
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


logger = logging.getLogger(__name__)
READING = "reading"  # the stage the progress callback is told of (models.ImportRun.Stage)


def read_workbook(source, *, progress=None):
    """Open the workbook and read the four sheets; refuse when sheets or required columns are missing or a column
    is there twice, when it has too many rows, or when it cannot be read.

    `progress(stage, done, total)`, when given, is told how many rows have been read (total 0: not known).
    """
    has_formulas = _scan(source)
    values, formulas = _open(source, data_only=True), None
    try:
        if has_formulas:
            formulas = _open(source, data_only=False)
        return _read_sheets(values, formulas, _Counter(progress))
    except ImportRefused:
        raise
    except Exception:  # openpyxl and zipfile fail in many ways while rows are read; all mean the same to the user
        logger.info("Unreadable workbook", exc_info=True)
        raise ImportRefused(MESSAGES["unreadable"]) from None
    finally:
        values.close()
        if formulas is not None:
            formulas.close()


def _read_sheets(values, formulas, counter):
    by_name = {norm(name): name for name in values.sheetnames}
    missing = [sheet for sheet in SHEETS if norm(sheet) not in by_name]
    if missing:
        raise ImportRefused(MESSAGES["missing_sheets"] % {"sheets": ", ".join(missing)})
    counter.expect(sum(max(0, (values[by_name[norm(sheet)]].max_row or 0) - 1) for sheet in SHEETS))
    problems, data = [], {}
    for sheet, columns in SHEETS.items():
        rows = _rows(values, by_name[norm(sheet)])
        if formulas is not None:
            rows = _mark_uncalculated(rows, _rows(formulas, by_name[norm(sheet)]))
        data[sheet] = _read_sheet(sheet, columns, rows, problems, counter)
    if problems:
        raise ImportRefused(problems)
    return data


class _Counter:
    """Counts the rows read, refuses the file past settings.IMPORT_MAX_ROWS and reports progress now and then."""

    def __init__(self, progress):
        self.progress, self.limit = progress, settings.IMPORT_MAX_ROWS
        self.done, self.total, self.reported_at = 0, 0, 0.0

    def expect(self, total):
        """The rows the sheets say they have (a spreadsheet program may be wrong; it is only for the progress)."""
        self.total = total if total <= self.limit else 0
        self._report()

    def add(self):
        self.done += 1
        if self.done > self.limit:
            raise ImportRefused(MESSAGES["too_many_rows"] % {"limit": format_number(self.limit)})
        if self.progress is not None and self.done % 500 == 0 and time.monotonic() - self.reported_at > 0.5:
            self._report()

    def _report(self):
        if self.progress is not None:
            self.reported_at = time.monotonic()
            self.progress(READING, self.done, self.total if self.done <= self.total else 0)


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


# A formula element, <f>, <f t="shared" …> or <f/>, and a shared string, <si>, with or without a namespace prefix.
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
SHARED_STRING_TAG = re.compile(rb"<(?:\w+:)?si[\s>/]")
# A sheet row holds at most this many cells the import reads (the Upphandlingar sheet's columns, with room).
MAX_CELLS_PER_ROW = 50


def _scan(source):
    """Whether any worksheet holds a formula, refusing a workbook with more shared strings than its rows could use.

    A scan of the XML, far quicker than reading it. openpyxl keeps every shared string in memory before it reads
    a row, so their number is what decides the memory a small file can take.
    """
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            names = archive.namelist()
            strings = sum(_count(archive, name, SHARED_STRING_TAG) for name in _shared_string_parts(archive))
            if strings > settings.IMPORT_MAX_ROWS * MAX_CELLS_PER_ROW:
                raise ImportRefused(MESSAGES["too_many_strings"] % {
                    "count": format_number(strings), "limit": format_number(settings.IMPORT_MAX_ROWS)})
            return any(_count(archive, name, FORMULA_TAG, first=True) for name in names
                       if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    except ImportRefused:
        raise
    except Exception:  # a damaged part (a bad checksum, say): the file cannot be read
        raise ImportRefused(MESSAGES["unreadable"]) from None


SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
OVERRIDE = re.compile(r"<(?:\w+:)?Override\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w+)\s*=\s*["\']([^"\']*)["\']')


def _shared_string_parts(archive):
    """The parts holding shared strings: those [Content_Types].xml names so (as openpyxl finds them), whatever
    they are called."""
    types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    parts = set()
    for element in OVERRIDE.findall(types):
        attributes = dict(ATTRIBUTE.findall(element))
        if attributes.get("ContentType") == SHARED_STRINGS_TYPE:
            parts.add(attributes.get("PartName", "").lstrip("/"))
    return [name for name in archive.namelist() if name in parts or name.lower().endswith("sharedstrings.xml")]


def _count(archive, name, tag, first=False):
    """How many times `tag` occurs in the part (with `first`: 1 as soon as it does)."""
    found = 0
    with archive.open(name) as part:
        tail = b""
        while chunk := part.read(1 << 20):
            # A tag cut in two by the chunks is found in the tail; a tag wholly in the tail was counted before.
            found += len(tag.findall(tail + chunk)) - len(tag.findall(tail))
            if found and first:
                return 1
            tail = chunk[-16:]
    return found


def _mark_uncalculated(rows, formula_rows):
    """The rows of stored values with UNCALCULATED for every formula that has none.

    Both readings are of the same XML, row for row and cell for cell: a cell that is empty among the values
    but not among the formulas holds a formula without a value.
    """
    for values, formulas in zip_longest(rows, formula_rows, fillvalue=()):
        yield tuple(UNCALCULATED if value is None and index < len(formulas) and formulas[index] is not None
                    else value for index, value in enumerate(values))


def shared(value, same, longest=200):
    """The one object kept in `same` for a repeated text (a cell's "Ja", a category, a date as text), for memory:
    tens of thousands of rows hold mostly the same few texts."""
    if isinstance(value, str) and len(value) <= longest:
        return same.setdefault(value, value)
    return value


def _read_sheet(sheet, columns, rows, problems, counter):
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
    records, same = [], {}
    for number, values in enumerate(rows, start=2):
        raw = {key: shared(values[index], same) if index < len(values) else None for key, index in found.items()}
        if not all(is_blank(value) for value in raw.values()):
            counter.add()
            records.append((number, raw))
    return SheetData(sheet, set(found), records)


def read_single_sheet(upload, sheet, columns, *, max_rows, too_many):
    """The sheet `sheet` of an uploaded workbook read with `columns`, for the small imports of one sheet (the
    supplier-check ledger, the procurement plan): the file checked as the register's is, ImportRefused with
    Swedish messages when it cannot be read, lacks the sheet, has bad headers or more than `max_rows` rows
    (`too_many`, a message with %(limit)s)."""
    from procurement.importing.checks import check_file

    check_file(upload)
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl fails in many ways on a broken file; all mean the same to the user
        raise ImportRefused(MESSAGES["unreadable"]) from None
    try:
        by_name = {norm(name): name for name in workbook.sheetnames}
        if norm(sheet) not in by_name:
            raise ImportRefused(MESSAGES["missing_sheets"] % {"sheets": sheet})
        problems = []
        rows = workbook[by_name[norm(sheet)]].iter_rows(values_only=True)
        data = _read_sheet(sheet, columns, rows, problems, _Counter(None))
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(MESSAGES["unreadable"]) from None
    finally:
        workbook.close()
    if problems:
        raise ImportRefused(problems)
    if len(data.rows) > max_rows:
        raise ImportRefused(too_many % {"limit": max_rows})
    return data
