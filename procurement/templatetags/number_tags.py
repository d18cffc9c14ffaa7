"""The number filter for every template: {% load number_tags %}{{ value|fmt }} or {{ value|fmt:"percent" }}.

It lives in the lowest room with templates, so the register's pages use it as well as the pages above
(indicators' `indicator_tags` offers the same filter). Years, case numbers and ids are written as they are.
"""

from django import template

from common.formatting import format_number

register = template.Library()


@register.filter
def fmt(value, unit=None):
    """A number in Swedish form with the unit's suffix: 24859 → "24 859", {{ share|fmt:"percent" }} → "5,0 %"."""
    return format_number(value, unit)
