"""Filters for reading the report snapshot (ISO dates, tkr amounts, embedded SVG charts)."""

import base64
import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from common.dates import parse_iso_date
from common.formatting import format_number

register = template.Library()


@register.filter
def iso_date(value, fmt="j F Y"):
    """A snapshot's ISO date ("2026-05-20") in Swedish words: {{ s.as_of|iso_date }} → 20 maj 2026."""
    date = parse_iso_date(value)
    return date_format(date, fmt) if date else "–"


@register.filter
def iso_datetime(value):
    """A snapshot's ISO timestamp as "2026-05-21 kl. 14.03" in local time."""
    if not value:
        return "–"
    moment = timezone.localtime(datetime.datetime.fromisoformat(value))
    return f"{moment:%Y-%m-%d} kl. {moment:%H.%M}"


@register.filter
def tkr(value):
    """An amount in thousand SEK: 22675 → "22 675 tkr"; None → "–"."""
    if value is None:
        return "–"
    return format_number(value, "tkr")


@register.filter
def svg_data_uri(svg):
    """An SVG string as a data: URI for <img> (works in browsers under our CSP and in WeasyPrint)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None
