"""Importing the procurement register from the Excel template, step by step.

checks.py    refuses a file before it is read: size, type by name and content, macros, zip bombs
reading.py   reads the four sheets into rows of raw cells, refusing missing sheets or columns
columns.py   the sheets and their columns: the file format the template writes and the import reads
cells.py     reads one cell: text, dates, Ja/Nej, numbers, coded choices, organisation numbers
lookups.py   what the register already has of what the file names, one query each
rows.py      one row being imported: its values and its errors
engine.py    the all-or-nothing import (`import_register`, `import_sheets`)
result.py    what an import gives back: counts, errors as (sheet, row, column, message), refusals
messages.py  every message the import shows, in Swedish
template.py  the downloadable template
pending.py   the uploaded file kept between the preview and the confirm
forms.py, views.py, urls.py  the import in the browser

The `import_register` and `register_template` commands, the views and the tests use the names below.
"""

from procurement.importing.checks import check_file
from procurement.importing.columns import BIDS, CONTRACTS, FOLLOW_UPS, PROCUREMENTS, SUPPLIERS
from procurement.importing.engine import import_register, import_sheets
from procurement.importing.pending import SESSION_KEY
from procurement.importing.reading import read_workbook
from procurement.importing.result import ImportRefused, ImportResult, RowError, SheetCounts
from procurement.importing.template import build_template, template_response

__all__ = [
    "BIDS",
    "CONTRACTS",
    "FOLLOW_UPS",
    "PROCUREMENTS",
    "SESSION_KEY",
    "SUPPLIERS",
    "ImportRefused",
    "ImportResult",
    "RowError",
    "SheetCounts",
    "build_template",
    "check_file",
    "import_register",
    "import_sheets",
    "read_workbook",
    "template_response",
]
