"""Loading the plan's indicators, their targets and their history, when the plan is loaded."""

import datetime

from indicators.models import Indicator, IndicatorValue, Period, Target
from nämndplan.loading import decimal_or_none


def history_known_from(year):
    """The day a figure of the plan's history counts as known: 1 January after its year.

    The plan restates figures the committee already had in its earlier follow-ups; dating them from
    the plan's adoption would hide 2024's figures from the meetings of 2025.
    """
    return datetime.date(year + 1, 1, 1)


def load_indicators(sender, plan, goals, data, **kwargs):
    """Receiver of `plan_loaded`: every indicator of the plan's JSON, keyed on goal and code."""
    for item in data["indicators"]:
        _load_indicator(goals[item["goal"]], item)


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
    for value in item["values"]:
        if value.get("value") is None:
            continue
        IndicatorValue.objects.update_or_create(
            indicator=indicator,
            year=value["year"],
            period=Period.YEAR,
            municipality=None,
            defaults={
                "value": decimal_or_none(value["value"]),
                "comment": value.get("comment", ""),
                "known_from": history_known_from(value["year"]),
            },
        )
