"""What an import gives back: the counts per sheet and every error as (sheet, row, column, message).

A file refused before any row was read raises ImportRefused instead.
"""

from dataclasses import asdict, dataclass, field

from django.utils.translation import ngettext

from common.formatting import format_number
from procurement.importing.columns import SHEETS, SUPPLIERS


class ImportRefused(Exception):
    """The file was refused before any row was read; `messages` says why, in Swedish."""

    def __init__(self, messages):
        self.messages = [str(m) for m in (messages if isinstance(messages, (list, tuple)) else [messages])]
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # as Excel shows it (the header is row 1)
    column: str  # the column header, or "" for the row as a whole
    message: str


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class ImportResult:
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: {name: SheetCounts() for name in (*SHEETS, SUPPLIERS)})
    errors: list = field(default_factory=list)
    more_errors: int = 0  # errors left out of `errors` when the result was kept (as_data)
    # Data-quality checks (procurement/quality.py) the rows would add to: [(label, how many more)], dry runs only.
    quality_warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def saved(self):
        return self.ok and not self.dry_run

    @property
    def error_count(self):
        return len(self.errors) + self.more_errors

    def as_data(self, max_errors=None):
        """The counts and (at most `max_errors` of the) errors as plain JSON-able data, for the session."""
        kept = self.errors if max_errors is None else self.errors[:max_errors]
        return {
            "dry_run": self.dry_run,
            "counts": {name: asdict(counts) for name, counts in self.counts.items()},
            "errors": [asdict(error) for error in kept],
            "more_errors": self.more_errors + len(self.errors) - len(kept),
            "quality_warnings": [list(warning) for warning in self.quality_warnings],
        }

    @classmethod
    def from_data(cls, data):
        """The result `as_data` gave."""
        order = [*SHEETS, SUPPLIERS]  # PostgreSQL's jsonb keeps keys in an order of its own
        return cls(
            dry_run=data["dry_run"],
            counts={name: SheetCounts(**data["counts"][name]) for name in sorted(
                data["counts"], key=lambda name: order.index(name) if name in order else len(order))},
            errors=[RowError(**error) for error in data["errors"]],
            more_errors=data.get("more_errors", 0),
            quality_warnings=[tuple(warning) for warning in data.get("quality_warnings", [])],
        )

    def summary(self):
        """The counts in one Swedish sentence per record type, e.g. 'Upphandlingar: 2 nya, 1 ändrad.'"""
        parts = []
        for name, counts in self.counts.items():
            words = [
                ngettext("%(n)s ny", "%(n)s nya", counts.created) % {"n": format_number(counts.created)},
                ngettext("%(n)s ändrad", "%(n)s ändrade", counts.updated) % {"n": format_number(counts.updated)},
            ]
            if counts.unchanged:
                words.append(ngettext("%(n)s oförändrad", "%(n)s oförändrade", counts.unchanged)
                             % {"n": format_number(counts.unchanged)})
            if counts.deleted:
                words.append(ngettext("%(n)s borttagen", "%(n)s borttagna", counts.deleted)
                             % {"n": format_number(counts.deleted)})
            parts.append(f"{name}: {', '.join(words)}.")
        return " ".join(parts)


def error_order(error):
    """Sheets in template order, then rows, then columns left to right (the row as a whole last)."""
    headers = [str(column.header) for column in SHEETS[error.sheet]]
    column = headers.index(error.column) if error.column in headers else len(headers)
    return list(SHEETS).index(error.sheet), error.row, column
