"""Reading one cell: text, dates, Ja/Nej, whole numbers, amounts, coded choices, organisation numbers.

A cell holds what the spreadsheet program stored: a str, an int or float, a bool, or a date or
datetime for a cell typed as a date. Every parser takes any of these and returns the value for
the model field, or raises CellError with the message the user sees.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from common.bounds import AtLeast
from common.dates import parse_iso_date
from procurement.importing.columns import BOOL, CHOICE, DATE, DECIMAL, INT, OPTIONS, ORG_NUMBER, TEXT
from procurement.importing.messages import MESSAGES
from procurement.models import ContractOption
from procurement.validators import normalize_org_number, validate_org_number


class CellError(Exception):
    pass


class _Uncalculated:
    """A formula cell the spreadsheet program never calculated: the file holds no value for it (reading.py)."""

    def __repr__(self):
        return "UNCALCULATED"


UNCALCULATED = _Uncalculated()


def _refuse_uncalculated(value):
    """Every parser starts here (parse_text for those that read the cell as text): never read one as blank."""
    if value is UNCALCULATED:
        raise CellError(MESSAGES["uncalculated"])


# A date as text, with the time a spreadsheet program may add ("2026-03-15 00:00"); the time is dropped.
DATE_AND_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
TRUE_WORDS = {"ja", "j", "x", "sant", "true", "1"}
FALSE_WORDS = {"nej", "n", "falskt", "false", "0"}


def norm(value):
    """Compare names and labels forgivingly: case, spaces and dash kinds do not matter."""
    return " ".join(str(value).replace("–", "-").replace("—", "-").split()).casefold()


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def parse_text(value):
    _refuse_uncalculated(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value):
    _refuse_uncalculated(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_AND_TIME.match(str(value).strip())
    date = parse_iso_date(match.group(1)) if match else None
    if date is None:
        raise CellError(MESSAGES["date"])
    return date


def parse_bool(value):
    if isinstance(value, bool):
        return value
    word = norm(parse_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(MESSAGES["bool"])


def parse_decimal(value, message=MESSAGES["decimal"]):
    """12500, 12500.0, "12 500", "1250,5", "-3" → Decimal; whole numbers without decimals."""
    _refuse_uncalculated(value)
    if isinstance(value, bool):
        raise CellError(message)
    if isinstance(value, (int, float, Decimal)):
        text = str(value)
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace("−", "-").replace(",", ".")
        text = re.sub(r"(?i)kr$", "", text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(message) from None
    if not number.is_finite():
        raise CellError(message)
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def parse_int(value):
    number = parse_decimal(value, MESSAGES["int"])
    if number != number.to_integral_value():
        raise CellError(MESSAGES["int"])
    return int(number)


def parse_choice(value, column):
    wanted = norm(parse_text(value))
    for code, label in column.choices:
        if wanted in (norm(label), norm(code)):
            return code
    raise CellError(MESSAGES["choice"] % {"value": parse_text(value), "choices": "; ".join(column.labels)})


def parse_org_number(value):
    org_number = normalize_org_number(parse_text(value))
    try:
        validate_org_number(org_number)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None
    return org_number


def _bounds(model_field):
    """(minimum, maximum) of a number field whose validators are common.bounds.number_range's."""
    return next(validator.bounds() for validator in model_field.validators if isinstance(validator, AtLeast))


# A contract's options as the model allows them: at most 20 (their order), each 1 to 120 months long.
OPTION_COUNT = _bounds(ContractOption._meta.get_field("order"))
OPTION_MONTHS = _bounds(ContractOption._meta.get_field("length_months"))
OPTION_LENGTH = re.compile(r"[0-9]+")


def parse_options(value):
    """"12+12" → (12, 12): the lengths in months of a contract's options, in order; a number cell is one option."""
    text = parse_text(value)
    parts = [part.strip() for part in text.split("+")]
    if not all(OPTION_LENGTH.fullmatch(part) for part in parts):  # "12+", "tolv", "12,5", "-12"
        raise CellError(MESSAGES["options"] % {"value": text})
    lengths = tuple(int(part) for part in parts)
    minimum, maximum = OPTION_MONTHS
    if not all(minimum <= length <= maximum for length in lengths):
        raise CellError(MESSAGES["option_length"] % {"value": text, "minimum": minimum, "maximum": maximum})
    if len(lengths) > OPTION_COUNT[1]:
        raise CellError(MESSAGES["too_many_options"] % {"value": text, "count": len(lengths),
                                                        "maximum": OPTION_COUNT[1]})
    return lengths


PARSERS = {
    TEXT: parse_text,
    DATE: parse_date,
    BOOL: parse_bool,
    INT: parse_int,
    DECIMAL: parse_decimal,
    ORG_NUMBER: parse_org_number,
    OPTIONS: parse_options,
}


def parse_cell(column, value):
    """The value of a cell whose kind needs nothing from the register (see Lookups.parse for the others)."""
    if column.kind == CHOICE:
        return parse_choice(value, column)
    return PARSERS[column.kind](value)
