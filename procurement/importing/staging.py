"""The rows read from the uploaded file, kept in the database between the preview and the import.

The preview reads the workbook once (the slow part) and stages its rows; the import reads them back
instead of the file. Rows are written a chunk per transaction, so no writer waits long for them.
Cells keep the type the spreadsheet program stored: JSON has no dates, so dates, times and
uncalculated formulas are stored tagged and read back as they were.
"""

import datetime
import math

from django.db import transaction

from procurement.importing.cells import UNCALCULATED
from procurement.importing.models import StagedRow
from procurement.importing.reading import SheetData, shared

CHUNK = 1000  # rows per transaction


def stage(run, sheets):
    """Keep `sheets` (read_workbook's) as the run's staged rows, replacing any it had."""
    run.staged_rows.all().delete()
    run.columns = {name: sorted(data.present) for name, data in sheets.items()}
    run.save(update_fields=["columns", "updated_at"])
    rows = (StagedRow(run=run, sheet=name, number=number, cells={key: _encode(value) for key, value in raw.items()})
            for name, data in sheets.items() for number, raw in data.rows)
    while chunk := [row for _i, row in zip(range(CHUNK), rows, strict=False)]:
        with transaction.atomic():
            StagedRow.objects.bulk_create(chunk)


def load(run):
    """The sheets as read_workbook gave them when the run was staged."""
    sheets = {name: SheetData(name, set(keys), []) for name, keys in run.columns.items()}
    staged = StagedRow.objects.filter(run=run).order_by("id").values_list("sheet", "number", "cells")
    same = {}  # one object for each key and each repeated text (JSON gives every row its own copies)
    for name, number, cells in staged.iterator(chunk_size=CHUNK):
        sheets[name].rows.append((number, {same.setdefault(key, key): shared(_decode(value), same)
                                           for key, value in cells.items()}))
    return sheets


def discard(run):
    run.staged_rows.all().delete()


# Tags of the values JSON cannot hold. A cell holds a str, int, float, bool, None or one of these.
TYPES = {
    "datetime": (datetime.datetime, datetime.datetime.fromisoformat),
    "date": (datetime.date, datetime.date.fromisoformat),
    "time": (datetime.time, datetime.time.fromisoformat),
}


def _encode(value):
    if value is UNCALCULATED:
        return {"uncalculated": True}
    if isinstance(value, datetime.timedelta):
        return {"timedelta": value.total_seconds()}
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": str(value)}  # JSON (and PostgreSQL's jsonb) has no NaN or infinity
    for tag, (kind, _parse) in TYPES.items():  # datetime first: a datetime is also a date
        if isinstance(value, kind):
            return {tag: value.isoformat()}
    return value


def _decode(value):
    if not isinstance(value, dict):
        return value
    if value.get("uncalculated"):
        return UNCALCULATED
    if "timedelta" in value:
        return datetime.timedelta(seconds=value["timedelta"])
    if "float" in value:
        return float(value["float"])
    (tag, text), = value.items()
    return TYPES[tag][1](text)
