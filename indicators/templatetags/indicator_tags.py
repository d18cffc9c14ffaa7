from django import template

from indicators.targets import Status
from procurement.templatetags.number_tags import fmt

register = template.Library()
# The one number filter (common/formatting.py), so a template of indicators or above needs one library:
# {{ result.value|fmt:indicator.unit }}.
register.filter("fmt", fmt)


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
