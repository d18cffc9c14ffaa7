"""Dates as the system reads and writes them: ISO 8601 (YYYY-MM-DD) in URLs, commands and files."""

import calendar
import datetime
import functools
import re

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(text):
    """The date written as YYYY-MM-DD, or None for anything else (also a day not in the calendar).

    Stricter than `date.fromisoformat`, which in Python 3.11 also takes "20260520" and week dates.
    """
    text = str(text or "").strip()
    if not ISO_DATE.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


@functools.lru_cache(maxsize=8192)  # pure, and called for every option of every contract on the radar
def add_months(date, months):
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return date.replace(year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1]))
