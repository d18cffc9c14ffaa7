"""Validation of Swedish organisation numbers (organisationsnummer)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORG_NUMBER_FORMAT = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_ok(digits: str) -> bool:
    """The Luhn check over all ten digits: weights 2,1,2,1… from the left, digit sums added."""
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0


def luhn_check_digit(digits: str) -> int:
    """The digit that, written after `digits`, makes the number pass `luhn_ok` (the rule stands there only)."""
    return next(digit for digit in range(10) if luhn_ok(f"{digits}{digit}"))


def normalize_org_number(value: str) -> str:
    """'5560160680' and '556016-0680' both become '556016-0680'; other shapes are returned as given."""
    value = (value or "").strip()
    match = ORG_NUMBER_FORMAT.match(value)
    return f"{match.group(1)}-{match.group(2)}" if match else value


def validate_org_number(value: str) -> None:
    match = ORG_NUMBER_FORMAT.match((value or "").strip())
    if not match:
        raise ValidationError(
            _("Organisationsnumret ska skrivas NNNNNN-NNNN (tio siffror)."), code="org_number_format"
        )
    if not luhn_ok(match.group(1) + match.group(2)):
        raise ValidationError(
            _("Organisationsnumret %(value)s har fel kontrollsiffra."),
            code="org_number_check_digit",
            params={"value": f"{match.group(1)}-{match.group(2)}"},
        )
