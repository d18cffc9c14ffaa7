"""Loading the plan's indicators, their targets and their history, when the plan is loaded."""

import datetime
import logging

from django.core.exceptions import ValidationError

from indicators.models import Indicator, IndicatorValue, Period, Target
from nämndplan.loading import decimal_or_none

logger = logging.getLogger(__name__)


def history_known_from(year):
    """The day a figure of the plan's history counts as known: 1 January after its year.

    The plan restates figures the committee already had in its earlier follow-ups; dating them from
    the plan's adoption would hide 2024's figures from the meetings of 2025.
    """
    return datetime.date(year + 1, 1, 1)


def load_indicators(sender, plan, goals, data, **kwargs):
    """Receiver of `plan_loaded`: every indicator of the plan's JSON, keyed on goal and code.

    An indicator's `value_from` names another by code; it is set once all are loaded.
    """
    indicators = {item["code"]: _load_indicator(goals[item["goal"]], item) for item in data["indicators"]}
    for item in data["indicators"]:
        _link_value_from(indicators[item["code"]], indicators.get(item.get("value_from")), item.get("value_from"))


def _link_value_from(indicator, source, code):
    if code is not None and source is None:
        raise ValidationError(f"{indicator.code}: value_from {code!r} is not an indicator of the plan.")
    if indicator.value_from_id != (source.pk if source else None):
        indicator.value_from = source
        indicator.clean()
        indicator.save(update_fields=["value_from"])
    if source is not None:
        _remove_duplicates(indicator, source)


def _remove_duplicates(indicator, source):
    """Values an earlier load gave `indicator` itself, now taken from `source`: those equal to the source's
    are removed; one that differs is kept (it is no longer shown) and named in a warning, to be checked by hand."""
    theirs = {(v.year, v.period, v.municipality_id): v.value for v in source.values.all()}
    for value in indicator.values.all():
        if theirs.get((value.year, value.period, value.municipality_id)) == value.value:
            value._change_reason = f"Samma mätning som {source.code}: värdet hämtas därifrån."
            value.delete()
        else:
            logger.warning(
                "%s hämtar sina värden från %s, men har ett eget värde för %s (%s) som skiljer sig från %s:s. "
                "Det behålls men visas inte: kontrollera det och ta bort det i administrationen.",
                indicator.code, source.code, value.year, value.get_period_display(), source.code,
            )


def _load_indicator(goal, item):
    indicator, _ = Indicator.objects.update_or_create(
        goal=goal,
        code=item["code"],
        defaults={
            "order": item["order"],
            "name": item["name"],
            "area": item.get("area", ""),
            "specification": item["specification"],
            "unit": item["unit"],
            "direction": item["direction"],
            "source": item["source"],
            "measured_from": item["measured_from"],
            "note": item.get("note", ""),
            "baseline_year": item.get("baseline_year"),
        },
    )
    # The plan decides the targets: any target not in it (an earlier version's) is removed.
    indicator.targets.exclude(from_year__in=[t["from_year"] for t in item["targets"]]).delete()
    for target in item["targets"]:
        Target.objects.update_or_create(
            indicator=indicator,
            from_year=target["from_year"],
            defaults={
                "to_year": target.get("to_year"),
                "kind": target["kind"],
                "value": decimal_or_none(target.get("value")),
                "of_n": target.get("of"),
                "text": target.get("text", ""),
            },
        )
    for value in item.get("values", []):
        if value.get("value") is not None:
            _load_history_value(indicator, value)
    return indicator


def _load_history_value(indicator, value):
    """A figure of the plan's history: created, or brought back to the plan's figure, unless someone has
    corrected it by hand (recorded_by is set by the form): a correction stays, with its history."""
    wanted = {
        "value": decimal_or_none(value["value"]),
        "unit": value.get("unit", ""),
        "comment": value.get("comment", ""),
        "known_from": history_known_from(value["year"]),
    }
    existing = IndicatorValue.objects.filter(
        indicator=indicator, year=value["year"], period=Period.YEAR, municipality=None
    ).first()
    if existing is None:
        IndicatorValue.objects.create(indicator=indicator, year=value["year"], period=Period.YEAR, **wanted)
        return
    if existing.recorded_by_id is not None:
        return
    if any(getattr(existing, name) != wanted[name] for name in wanted):
        for name, new in wanted.items():
            setattr(existing, name, new)
        existing._change_reason = "Nämndplanens historik"
        existing.save()
