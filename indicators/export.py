"""Indicator results as plain data for the JSON command, the API and Excel (one shape, one source)."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from common.xlsx import Formatted, Sheet, unit_format
from indicators.models import Unit
from indicators.results import indicator_results
from indicators.targets import Status


def number(value):
    """A Decimal as a JSON number: 56 rather than 56.00, 9.4 rather than "9.40"."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def cut_off(until=None):
    """The cut-off date: `until` when given (year-to-date), else today.

    Years are attributed by their own dates, so for a past year the status at today equals the
    status at its 31 December, and the values of later years stay in the output.
    """
    return until or timezone.localdate()


def target_data(target):
    if target is None:
        return None
    return {"kind": target.kind, "value": number(target.value), "of": target.of_n,
            "text": target.text or str(target.describe()), "rule": str(target.describe())}


def indicator_metadata(series):
    indicator = series.indicator
    return {
        "code": indicator.code,
        "goal": indicator.goal.number,
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "source": indicator.source,
        "measured_from": indicator.measured_from,
        "explanation": str(series.explanation),
        "specification": indicator.specification,
        "note": indicator.note,
    }


def indicator_rows(plan, year, *, until=None, municipality=None):
    """One dict per indicator: metadata, every known year's value and the status for `year`."""
    as_of = cut_off(until)
    rows = []
    for series in indicator_results(plan, as_of=as_of, municipality=municipality).values():
        indicator = series.indicator
        result = series.for_year(year)
        target = indicator.target_for(year)
        rows.append(
            {
                "code": indicator.code,
                "goal": indicator.goal.number,
                "name": indicator.name,
                "unit": indicator.unit,
                "target": (target.text or str(target.describe())) if target else None,
                "target_rule": target_data(target),
                "values": {str(y): number(r.value) for y, r in series.years.items()},
                "status": result.status if result else Status.NO_VALUE.value,
                "status_label": str(Status(result.status).label) if result else str(Status.NO_VALUE.label),
                "year": year,
                "until": as_of.isoformat(),
                "municipality": municipality.name if municipality else None,
                "origin": result.origin if result else "",
                "numerator": number(result.numerator) if result and result.numerator is not None else None,
                "denominator": number(result.denominator) if result and result.denominator is not None else None,
                "reason": str(result.reason) if result else "",
            }
        )
    return rows


def indicator_sheet(rows, years, year):
    """The rows of `indicator_rows` as the Excel sheet "Indikatorer"."""
    headers = [_("Kod"), _("Mål"), _("Indikator"), _("Enhet"), _("Målnivå %(year)s") % {"year": year}]
    headers += [str(y) for y in years] + [_("Status %(year)s") % {"year": year}, _("Täljare"), _("Nämnare")]
    units = dict(Unit.choices)
    data = [
        [r["code"], r["goal"], r["name"], str(units[r["unit"]]), r["target"] or ""]
        + [_formatted(r["values"][str(y)], r["unit"]) for y in years]
        + [r["status_label"], r["numerator"], r["denominator"]]
        for r in rows
    ]
    return Sheet(_("Indikatorer"), headers, data)


def _formatted(value, unit):
    """A value cell: a number shown in the indicator's unit ("56,2 %"), still a number for Excel."""
    return Formatted(value, unit_format(unit)) if isinstance(value, (int, float, Decimal)) else value
