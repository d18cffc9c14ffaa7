"""How the dashboards say a result: in its own unit, and with the year (and period) its status judges.

A status alone ("Uppfyllt") does not say which year it judges, and a row showing last year's value
beside this year's card made the two disagree. Every status the dashboards show goes through
`status_text`, e.g. "Uppfyllt (2025)" or "På väg mot målet (januari–april 2026)".
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.formatting import UNIT_SUFFIX, format_number
from indicators.models import Period, Unit
from indicators.targets import Status

# Statuses added with the plan's baselines and units (indicators/targets.py may not have them yet).
BASELINE = getattr(Status, "BASELINE", "baseline")
NOT_COMPARABLE = getattr(Status, "NOT_COMPARABLE", "not_comparable")
FALLBACK_LABELS = {BASELINE: gettext_lazy("Nollmätning"), NOT_COMPARABLE: gettext_lazy("Ej jämförbart")}

# Short words for the matrix's marks, which must not wrap; the full status is the mark's accessible name.
SHORT_LABELS = {
    Status.MET: gettext_lazy("Nått"),
    Status.NOT_MET: gettext_lazy("Ej nått"),
    Status.ON_TRACK: gettext_lazy("På väg"),
    Status.OFF_TRACK: gettext_lazy("Ej på väg"),
    Status.NO_TARGET: gettext_lazy("Utan mål"),
    Status.NO_VALUE: gettext_lazy("Inget värde"),
    BASELINE: gettext_lazy("Nollmätning"),
    NOT_COMPARABLE: gettext_lazy("Ej jämförbar"),
}

# Units whose differences are percentage points, not per cent.
POINTS_UNITS = {Unit.PERCENT, Unit.DEVIATION}
MINUS = "\u2212"  # the real minus sign, as common/formatting.py writes negative numbers


def unit_of(result, indicator):
    """The unit of a result's value: its own where it has one (8.6's history is in per cent), else the indicator's."""
    return getattr(result, "unit", None) or indicator.unit


def status_label(status):
    """The Swedish words of a status; unknown values are shown as they are rather than failing the page."""
    status = status or Status.NO_VALUE
    try:
        return Status(status).label
    except ValueError:
        return FALLBACK_LABELS.get(status, status)


def short_label(status):
    return SHORT_LABELS.get(status or Status.NO_VALUE, status_label(status))


def judged_when(result):
    """What a status judges: "2025", "2026 hittills", or a recorded tertial's "januari–april 2026"."""
    period = getattr(result, "period", Period.YEAR)
    if getattr(result, "origin", "") == "recorded" and period != Period.YEAR:
        return f"{str(Period(period).label).lower()} {result.year}"
    if result.to_date:
        return _("%(year)s hittills") % {"year": result.year}
    return str(result.year)


def status_text(result):
    """The status with what it judges: "Uppfyllt (2025)"."""
    return f"{status_label(result.status)} ({judged_when(result)})"


def difference_text(difference, unit):
    """A change in the value's unit, with its sign: "+1,2 procentenheter" for shares, "+3" for counts."""
    difference = Decimal(difference)
    sign = "+" if difference > 0 else MINUS if difference < 0 else "±"
    size = abs(difference)
    if unit in POINTS_UNITS:
        # The share's own number format (its decimals), with points instead of its "%".
        number = format_number(size, unit).removesuffix(UNIT_SUFFIX.get(unit, ""))
        words = _("procentenhet") if size == 1 else _("procentenheter")
        return f"{sign}{number} {words}"
    return f"{sign}{format_number(size, unit)}"


class Shown:
    """A YearResult as the dashboards show it: everything the result has, plus its unit and status in words.

    The templates read `value`, `year`, `origin` … from the result as before and `unit`, `status_text`,
    `when` and `value_pk` from here, whichever attributes indicators/results.py has.
    """

    def __init__(self, result, indicator):
        self.result, self.indicator = result, indicator

    def __getattr__(self, name):
        if name in ("result", "indicator"):  # not yet set (e.g. while copying): no delegation loop
            raise AttributeError(name)
        return getattr(self.result, name)

    @property
    def unit(self):
        return unit_of(self.result, self.indicator)

    @property
    def value_pk(self):
        """The recorded IndicatorValue behind the value (to correct it), None for a computed value."""
        return getattr(self.result, "value_pk", None)

    @property
    def when(self):
        return judged_when(self.result)

    @property
    def value_when(self):
        """The period a recorded value covers, to name it: "helår 2025", "januari–april 2026"."""
        period = getattr(self.result, "period", Period.YEAR)
        return f"{str(Period(period).label).lower()} {self.result.year}"

    @property
    def status_label(self):
        return status_label(self.result.status)

    @property
    def status_text(self):
        return status_text(self.result)

    @property
    def status_in_row(self):
        """The status in a table row headed by its year: only a tertial's period is added ("(januari–april)")."""
        period = getattr(self.result, "period", Period.YEAR)
        if getattr(self.result, "origin", "") == "recorded" and period != Period.YEAR:
            return f"{self.status_label} ({str(Period(period).label).lower()})"
        return self.status_label

    @property
    def short_label(self):
        return short_label(self.result.status)


def shown(result, indicator):
    return Shown(result, indicator) if result is not None else None
