"""Indicator results as plain data for JSON and Excel exports (one shape, one source)."""

from indicators.results import series_for_plan


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def indicator_rows(plan, year):
    """One dict per indicator: metadata, every known year's value and the status for `year`."""
    rows = []
    for series in series_for_plan(plan).values():
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
                "target_rule": {
                    "kind": target.kind,
                    "value": _number(target.value),
                    "of": target.of_n,
                }
                if target
                else None,
                "values": {str(y): _number(r.value) for y, r in series.years.items()},
                "status": result.status if result else None,
                "year": year,
            }
        )
    return rows
