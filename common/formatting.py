"""Swedish number formatting shared by pages, report, Excel and API texts: one rule everywhere.

Thousands are grouped with a non-breaking space, decimals follow a comma and a negative number
has a real minus sign (U+2212): 24859 → "24 859", 56.2 → "56,2 %", −425 → "−425 tkr". Shares are
always shown with one decimal (5 → "5,0 %") so a column of them lines up; kronor and tkr as whole
numbers. Years, case numbers, organisation numbers and ids are never numbers to format: write
them as they are.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

MINUS = "\u2212"
# The unit as the plan writes it after a number, keyed by the indicators' unit codes (and tkr).
UNIT_SUFFIX = {
    "percent": " %",
    "deviation": " %",
    "sek": " kr",
    "tkr": " tkr",
    "hours": " h",
}
# Decimals a unit always has: shares one, amounts none (a kronor field with öre passes decimals=2).
# Counts have none of their own: an expected count to date can be 6,4.
UNIT_DECIMALS = {
    "percent": 1,
    "deviation": 1,
    "average": 1,  # bids or questions per procurement: "3,8", "4,0"
    "index": 1,  # NKI and NAI as the plan writes them: "93,0"
    "grade": 1,
    "sek": 0,
    "tkr": 0,
}


def format_number(value, unit=None, *, decimals=None):
    """56.2 → "56,2 %" (percent), 9.4 → "9,4", 6678249.3 → "6 678 249 kr" (sek); None → "–".

    Without a unit's own decimals (or `decimals`), as many as the value needs, at most two.
    """
    if value is None:
        return "–"
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if decimals is None:
        decimals = UNIT_DECIMALS.get(unit, _decimals_needed(value))
    value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = number_format(abs(value), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    sign = MINUS if value < 0 else ""  # -0,04 rounds to 0,0: no sign on a zero
    return f"{sign}{text}{UNIT_SUFFIX.get(unit, '')}"


def format_as_written(value, unit=None):
    """A number the plan wrote, such as a target's level: only the decimals it has, "minst 80 %"
    rather than the measured share's "80,0 %"; "mindre än 3 %", "minst 1 250 000 kr"."""
    if value is None:
        return format_number(value, unit)
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return format_number(value, unit, decimals=_decimals_needed(value))


def _decimals_needed(value):
    if value == value.to_integral_value():
        return 0
    return 1 if value == round(value, 1) else 2
