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
staging.py   the rows read from the file, kept in the database between the preview and the import
writing.py   the final write: bulk inserts and updates with their history, in one short transaction
models.py    a run in the background (its stage, progress and result) and its staged rows
tasks.py     the preview and the import as background tasks (django-tasks), run by `manage.py db_worker`
pending.py   the user's current run and uploaded file, kept between the upload and the import
forms.py, views.py, urls.py  the import in the browser

The `import_register` and `register_template` commands, the views and the tests use the names below.
"""

# The package is also a Django app (apps.py: its runs and staged rows), so it is imported before the
# models are ready: the names below are imported when first used.
_EXPORTS = {
    "check_file": "checks",
    "BIDS": "columns", "CONTRACTS": "columns", "FOLLOW_UPS": "columns", "PROCUREMENTS": "columns",
    "SUPPLIERS": "columns",
    "import_register": "engine", "import_sheets": "engine",
    "SESSION_KEY": "pending",
    "read_workbook": "reading",
    "ImportRefused": "result", "ImportResult": "result", "RowError": "result", "SheetCounts": "result",
    "build_template": "template", "template_response": "template",
}


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)


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
