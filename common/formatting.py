"""Swedish number formatting shared by pages, report, Excel and API texts: one rule everywhere."""

from decimal import Decimal

from django.utils.formats import number_format

# The unit as the plan writes it after a number, keyed by the indicators' unit codes.
UNIT_SUFFIX = {
    "percent": " %",
    "deviation": " %",
    "sek": " kr",
    "hours": " h",
}


def format_number(value, unit=None):
    """56 → "56 %", 9.4 → "9,4", 1250000 → "1 250 000 kr"; None → "–"."""
    if value is None:
        return "–"
    value = Decimal(value)
    if value == value.to_integral_value():
        decimals = 0
    elif value == round(value, 1):
        decimals = 1
    else:
        decimals = 2
    text = number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{text}{UNIT_SUFFIX.get(unit, '')}"
