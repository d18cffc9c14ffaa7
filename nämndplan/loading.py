"""Loading the nämndplan (goals, assignments, budget) from its JSON.

The JSON in fixtures/ is a transcription of the plan document. Loading is idempotent: every row
is keyed on its natural key and updated in place, so running it twice changes nothing. The plan's
indicators, targets and history belong to the indicators room, which loads them on `plan_loaded`.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from nämndplan.models import BudgetLine, Goal, Municipality, Plan, SpecialAssignment
from nämndplan.signals import plan_loaded

DEFAULT_PLAN_FILE = Path(settings.BASE_DIR) / "fixtures" / "plan_2026_2028.json"


def read_plan_file(path=DEFAULT_PLAN_FILE):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def decimal_or_none(value):
    return None if value is None else Decimal(str(value))


@transaction.atomic
def load_plan(data):
    """Create or update the plan described by `data`; returns the Plan."""
    meta = data["plan"]
    plan, _ = Plan.objects.update_or_create(
        start_year=meta["start_year"],
        end_year=meta["end_year"],
        defaults={"name": meta["name"], "history_from": meta["history_from"], "vision": meta.get("vision", "")},
    )
    for order, name in enumerate(data["municipalities"], start=1):
        Municipality.objects.update_or_create(name=name, defaults={"order": order})

    goals = {}
    for goal in data["goals"]:
        goals[goal["number"]], _ = Goal.objects.update_or_create(
            plan=plan,
            number=goal["number"],
            defaults={"kind": goal["kind"], "title": goal["title"], "description": goal["description"]},
        )
    for item in data.get("special_assignments", []):
        SpecialAssignment.objects.update_or_create(
            plan=plan,
            year=item["year"],
            number=item["number"],
            defaults={"title": item["title"], "description": item["description"]},
        )
    _load_budget(plan, data.get("budget"))
    plan_loaded.send(sender=Plan, plan=plan, goals=goals, data=data)
    return plan


def _load_budget(plan, budget):
    if not budget:
        return
    for order, line in enumerate(budget["lines"], start=1):
        for year_key, year in (("budget_2025_tkr", 2025), ("budget_2026_tkr", 2026)):
            if line.get(year_key) is None:
                continue
            BudgetLine.objects.update_or_create(
                plan=plan,
                year=year,
                kind=line["kind"],
                name=line["name"],
                defaults={"amount_tkr": line[year_key], "order": order},
            )
