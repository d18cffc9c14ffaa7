"""Plausible ranges for every number and date the system stores: one place, reusable validators, Swedish messages.

Model fields carry these validators, so ModelForms, the admin and the Excel import (full_clean) refuse a
value out of range with the same Swedish message, before anything reaches the database. The rules
(docs/architecture.md, "Values within bounds"):

- a date lies from 1 January 2000 (before the register and the plan's history) to today when the event must
  have happened (`PAST`: a follow-up held, a procurement advertised), or to ten years after today when it may
  be planned (`PLANNED`: a meeting, a contract's end);
- a year lies from 2000 to ten years after this year (the plan's own span is checked by the forms);
- a number lies within what the business allows, always within what every database column holds
  (PostgreSQL's integer is 32 bits; SQLite keeps decimals as 64-bit floats, exact to 15 digits).

The limits ahead move with today's date; a validator holds only its kind, so migrations do not change.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from common.dates import add_months
from common.formatting import format_number

FIRST_DATE = datetime.date(2000, 1, 1)
FIRST_YEAR = FIRST_DATE.year
YEARS_AHEAD = 10
# A float (SQLite's REAL, where Django keeps decimals) holds any decimal of up to 15 digits exactly.
FLOAT_DIGITS = 15

MESSAGES = {
    "date": _("Datumet måste ligga mellan %(first)s och %(last)s."),
    "date_past": _("Datumet måste ligga mellan %(first)s och i dag (%(last)s)."),
    "year": _("Året måste ligga mellan %(first)s och %(last)s."),
    "number": _("Värdet måste ligga mellan %(minimum)s och %(maximum)s."),
    "digits": _("Värdet har fler siffror än som kan sparas exakt (högst %(digits)s siffror)."),
}


def last_date(*, planned, today=None):
    """The latest plausible date: today for what has happened, ten years ahead for what may be planned."""
    today = today or timezone.localdate()
    return add_months(today, 12 * YEARS_AHEAD) if planned else today


def last_year(today=None):
    return (today or timezone.localdate()).year + YEARS_AHEAD


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@deconstructible
class DateRange:
    """A date (or a date and time) from FIRST_DATE to today, or with `planned` to ten years ahead."""

    def __init__(self, *, planned=False):
        self.planned = planned

    def __call__(self, value):
        last = last_date(planned=self.planned)
        if value is not None and not FIRST_DATE <= _as_date(value) <= last:
            raise ValidationError(
                MESSAGES["date" if self.planned else "date_past"], code="date_out_of_range",
                params={"first": FIRST_DATE.isoformat(), "last": last.isoformat()},
            )

    def __eq__(self, other):
        return isinstance(other, DateRange) and other.planned == self.planned

    def bounds(self):
        return FIRST_DATE, last_date(planned=self.planned)


@deconstructible
class YearRange:
    """A year from FIRST_YEAR to ten years after this year."""

    def __call__(self, value):
        if value is not None and not FIRST_YEAR <= value <= last_year():
            raise ValidationError(
                MESSAGES["year"], code="year_out_of_range", params={"first": FIRST_YEAR, "last": last_year()}
            )

    def __eq__(self, other):
        return isinstance(other, YearRange)

    def bounds(self):
        return FIRST_YEAR, last_year()


def _number_params(minimum, maximum):
    return {"minimum": format_number(minimum), "maximum": format_number(maximum)}


@deconstructible
class AtLeast(MinValueValidator):
    """The lower end of a number's range, said with both ends. A MinValueValidator, so Django adds none of its own
    for an integer column (which would say the same thing a second time, in other words)."""

    def __init__(self, minimum, maximum):
        super().__init__(minimum, message=MESSAGES["number"])
        self.maximum = maximum

    def __call__(self, value):
        if value is not None and value < self.limit_value:
            raise ValidationError(self.message, code="number_out_of_range",
                                  params=_number_params(self.limit_value, self.maximum))

    def __eq__(self, other):
        return isinstance(other, AtLeast) and other.bounds() == self.bounds()

    def bounds(self):
        return self.limit_value, self.maximum


@deconstructible
class AtMost(MaxValueValidator):
    """The upper end of a number's range (a MaxValueValidator, as AtLeast is a MinValueValidator)."""

    def __init__(self, minimum, maximum):
        super().__init__(maximum, message=MESSAGES["number"])
        self.minimum = minimum

    def __call__(self, value):
        if value is not None and value > self.limit_value:
            raise ValidationError(self.message, code="number_out_of_range",
                                  params=_number_params(self.minimum, self.limit_value))

    def __eq__(self, other):
        return isinstance(other, AtMost) and other.bounds() == self.bounds()

    def bounds(self):
        return self.minimum, self.limit_value


@deconstructible
class FloatDigits:
    """A decimal a float keeps exactly: at most FLOAT_DIGITS digits (SQLite stores decimals as floats)."""

    def __call__(self, value):
        if isinstance(value, Decimal) and len(value.as_tuple().digits) > FLOAT_DIGITS:
            raise ValidationError(MESSAGES["digits"], code="too_many_digits", params={"digits": FLOAT_DIGITS})

    def __eq__(self, other):
        return isinstance(other, FloatDigits)


def number_range(minimum, maximum, *, decimal=False):
    """The validators of a number from `minimum` to `maximum`; a decimal is also kept to what a float holds."""
    return [AtLeast(minimum, maximum), AtMost(minimum, maximum), *([FloatDigits()] if decimal else [])]


# --- The ranges the models use ---------------------------------------------------------------------------

PAST = [DateRange()]  # the event has happened: not after today
PLANNED = [DateRange(planned=True)]  # may be planned: up to ten years ahead
YEAR = [YearRange()]
ORDER = number_range(0, 1000)  # a position in a list, a report's version
NUMBER = number_range(1, 100)  # a goal's or an assignment's number, n in "k of n"
COUNT = number_range(0, 100_000)  # questions, traineeships, participants, checks… in one record
TKR = number_range(0, 1_000_000)  # thousand SEK: the committee's whole budget is about 25 000 tkr
SEK = number_range(0, 10_000_000_000, decimal=True)  # kronor: a contract's yearly value, a saving
# An indicator's value or target, whatever its unit (the unit's own range is Indicator.validate_value):
# 14 digits with the two decimals, so exact in a float.
INDICATOR_NUMBER = number_range(Decimal("-999999999999.99"), Decimal("999999999999.99"), decimal=True)
