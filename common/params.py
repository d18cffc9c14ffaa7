"""Reading query parameters: a malformed value is treated as absent, never as a server error."""

from common.dates import parse_iso_date


def as_int(text):
    """The whole number in `text`, or None."""
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def as_date(text, default=None):
    """The ISO date in `text`, or `default`."""
    return parse_iso_date(text) or default
