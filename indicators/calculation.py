"""Computing every register-based indicator for every year in a fixed number of queries.

The numbers of all definitions are gathered per source and asked of it at once: one grouped query
per source (indicators/sources.py), whatever the number of indicators or the size of the register.
"""

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


def numbers_by_source(definitions):
    """{source: {name: Number}}, one name per distinct number, and {(code, part): (source, name)}."""
    by_source, names, where = {}, {}, {}
    for definition in definitions:
        for part, (source, number) in zip(("numerator", "denominator"), definition.numbers, strict=False):
            key = (source.key, number.identity)
            if key not in names:
                names[key] = f"n{len(names)}"
                by_source.setdefault(source, {})[names[key]] = number
            where[definition.code, part] = (source, names[key])
    return by_source, where


def register_aggregates(definitions, as_of, years, municipality=None):
    """({source key: {year: {name: value}}}, {(code, part): (source, name)}, years with register data).

    A year has register data when any record of a source that marks activity (procurements
    advertised or completed, follow-ups, activities, competence efforts, dialogues) is dated in it.
    """
    by_source, where = numbers_by_source(definitions)
    for source in sources.DATED:
        by_source.setdefault(source, {})
    values = {source.key: source.by_year(numbers, as_of, municipality, years) for source, numbers in by_source.items()}
    active = set()
    for source in sources.DATED:
        if source.marks_activity:
            active |= set(values[source.key])
    return values, where, active


def compute_all(as_of=None, years=None, municipality=None):
    """{code: {year: Measure}} for every computed indicator (per municipality where it applies).

    Memoized per data version (indicators/freshness.py): unchanged register, same answer, no queries.
    """
    as_of = as_of or datetime.date.today()
    years = [y for y in (years or range(as_of.year - 7, as_of.year + 1)) if y <= as_of.year]
    key = (as_of.isoformat(), ",".join(map(str, years)), municipality.pk if municipality else "")
    return memoized(key, lambda: _compute_all(as_of, years, municipality))


def _compute_all(as_of, years, municipality):
    definitions = [d for d in DEFINITIONS.values() if municipality is None or d.per_municipality]
    values, where, active = register_aggregates(definitions, as_of, years, municipality)

    def number(code, part, year):
        if (code, part) not in where:
            return None
        source, name = where[code, part]
        return values[source.key].get(year, {}).get(name, 0) or 0

    results = {}
    for definition in definitions:
        years_with_data = set(values[definition.source.key]) if definition.source is sources.ECONOMY else active
        results[definition.code] = {}
        for year in (y for y in years if y in years_with_data):
            numerator = number(definition.code, "numerator", year)
            denominator = number(definition.code, "denominator", year)
            exact = definition.exact_value(numerator, denominator)
            results[definition.code][year] = Measure(
                value=definition.value(exact), exact=exact, numerator=numerator, denominator=denominator
            )
    return results
