"""The rows of a sheet as the engine sees them: values read from the cells, errors tied to columns."""

from django.core.exceptions import NON_FIELD_ERRORS

from procurement.importing.cells import CellError, is_blank
from procurement.importing.columns import COLUMNS_BY_KEY
from procurement.importing.messages import MESSAGES
from procurement.importing.result import RowError

# Non-field errors that belong to one column.
NON_FIELD_COLUMNS = {"awarded_disqualified": "awarded"}


class Row:
    """One row being imported: its parsed values and the errors found in it."""

    # Tens of thousands of rows are kept until the write (to explain a refusal by the database): no __dict__ each.
    __slots__ = ("importer", "sheet", "number", "columns", "present", "seen", "failed", "invalid", "values")

    def __init__(self, importer, sheet, number, raw):
        self.importer, self.sheet, self.number = importer, sheet, number
        self.columns = COLUMNS_BY_KEY[sheet]
        self.present = importer.sheets[sheet].present
        self.seen = set()  # (column, message) already reported
        self.failed = set()  # keys whose cell could not be read
        self.invalid = set()  # model fields full_clean found wrong
        self.values = {}
        for key in self.present:
            self._parse(self.columns[key], raw.get(key))

    @property
    def has_errors(self):
        return bool(self.seen)

    def error(self, key, message):
        """Record a message for the column `key` (None for the row as a whole), each once.

        A rule checked both in clean() (for a column) and as a database constraint (for the row)
        gives the same message twice; the one naming a column is kept.
        """
        message = str(message)
        header = str(self.columns[key].header) if key in self.columns else ""
        if (header, message) in self.seen or (not header and any(m == message for _h, m in self.seen)):
            return
        self.seen.add((header, message))
        self.importer.result.errors.append(RowError(self.sheet, self.number, header, message))

    def fail(self, key, message):
        self.failed.add(key)
        self.error(key, message)

    def _parse(self, column, raw):
        if is_blank(raw):
            if column.required:
                self.fail(column.key, MESSAGES["required"])
            else:
                self.values[column.key] = column.default
            return
        try:
            self.values[column.key] = self.importer.lookups.parse(column, raw)
        except CellError as error:
            self.fail(column.key, error)

    def validation_error(self, error, field_keys=None):
        """Spread a ValidationError from full_clean over the columns (`field_keys`: model field → column key)."""
        field_keys = field_keys or {}
        self.invalid |= set(getattr(error, "error_dict", {})) - {NON_FIELD_ERRORS}
        for name, errors in error.error_dict.items() if hasattr(error, "error_dict") else [(None, [error])]:
            for item in errors:
                key = field_keys.get(name, name)
                if name in (None, NON_FIELD_ERRORS):
                    key = NON_FIELD_COLUMNS.get(item.code)
                elif key in self.failed:
                    continue  # the cell could not be read: that message is enough
                for message in item.messages:
                    self.error(key, message)
