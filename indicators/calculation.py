"""Computing every register-based indicator for every year in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from indicators import sources
from indicators.definitions import DEFINITIONS
from indicators.freshness import memoized


@dataclass
class Measure:
    value: object  # Decimal or None, rounded as shown
    numerator: object = None
    denominator: object = None
    exact: object = None  # unrounded, for judging against the target


def register_aggregates(as_of, years, municipality=None):
    """({year: {"source.field": number}}, {"register": years, "economy": years}).

    A year counts as having register data when any procurement was advertised or completed in it,
    or any follow-up, activity or dialogue is dated in it (up to `as_of`); economic years are those
    with an economic report. Indicators have no computed value in years without data.
    """
    per_source = {
        "advertised": sources.advertised(as_of, municipality),
        "completed": sources.completed(as_of, municipality),
        "bids": sources.bids(as_of, municipality),
        "follow_ups": sources.follow_ups(as_of, municipality),
        "events": sources.events(as_of, municipality),
        "plan": sources.plan_adherence(as_of, municipality),
        "activities": sources.activities(as_of, municipality),
        "reached": sources.municipalities_reached(as_of, municipality),
    }
    active_years = set()
    for name in ("advertised", "completed", "follow_ups", "activities", "reached"):
        active_years |= set(per_source[name])
    if municipality is None:
        per_source["categories"] = sources.categories(as_of, years)
        per_source["economy"] = sources.economy(as_of, years)
    rows = {}
    for year in years:
        row = {}
        for name, by_year in per_source.items():
            for field, number in by_year.get(year, {}).items():
                row[f"{name}.{field}"] = number
        rows[year] = row
    active = {"register": active_years, "economy": set(per_source.get("economy", {}))}
    return rows, active


def compute_all(as_of=None, years=None, municipality=None):
    """{code: {year: Measure}} for every computed indicator (per municipality where it applies).

    Memoized per data version (indicators/freshness.py): unchanged register, same answer, no queries.
    """
    as_of = as_of or datetime.date.today()
    years = [y for y in (years or range(as_of.year - 7, as_of.year + 1)) if y <= as_of.year]
    key = (as_of.isoformat(), ",".join(map(str, years)), municipality.pk if municipality else "")
    return memoized(key, lambda: _compute_all(as_of, years, municipality))


def _compute_all(as_of, years, municipality):
    rows, active = register_aggregates(as_of, years, municipality)
    results = {}
    for code, definition in DEFINITIONS.items():
        if municipality is not None and not definition.per_municipality:
            continue
        years_with_data = active["economy" if definition.source == "economy" else "register"]
        results[code] = {
            year: Measure(
                value=definition.value(row),
                exact=definition.exact_value(row),
                numerator=row.get(definition.numerator, 0) or 0,
                denominator=(row.get(definition.denominator, 0) or 0) if definition.denominator else None,
            )
            for year, row in rows.items()
            if year in years_with_data
        }
    return results
