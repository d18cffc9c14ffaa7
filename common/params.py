"""Reading query parameters: a malformed or implausible value is treated as absent, never as a server error."""

from common import bounds
from common.dates import parse_iso_date

# Whole numbers every integer column holds (PostgreSQL's integer): a larger one names no record.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def as_int(text, *, minimum=INT_MIN, maximum=INT_MAX):
    """The whole number in `text` from `minimum` to `maximum`, or None."""
    try:
        number = int(text)
    except (TypeError, ValueError):
        return None
    return number if minimum <= number <= maximum else None


def as_text(text, *, max_length=200):
    """`text` as a value to look a record up by, or None: text with a NUL character (which PostgreSQL refuses)
    or longer than `max_length` names no record."""
    if text is None or "\x00" in text or len(text) > max_length:
        return None
    return text


def as_year(text):
    """The year in `text` within common/bounds.py's years (2000 to ten years ahead), or None."""
    first, last = bounds.YearRange().bounds()
    return as_int(text, minimum=first, maximum=last)


def as_date(text, default=None):
    """The ISO date in `text` within common/bounds.py's dates (2000-01-01 to ten years ahead), or `default`."""
    date = parse_iso_date(text)
    first, last = bounds.DateRange(planned=True).bounds()
    return date if date is not None and first <= date <= last else default
