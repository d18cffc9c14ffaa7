from django import template

from common.formatting import format_number
from indicators.targets import Status

register = template.Library()


@register.filter
def fmt(value, unit=None):
    """A number in Swedish form with the unit's suffix: {{ result.value|fmt:indicator.unit }}."""
    return format_number(value, unit)


@register.inclusion_tag("partials/status.html")
def status_badge(status):
    status = status or Status.NO_VALUE
    return {"status": status, "label": Status(status).label}


@register.filter
def target_text(target):
    """The typed target in words, with the plan's own words when they differ."""
    if target is None:
        return "–"
    return target.describe()
