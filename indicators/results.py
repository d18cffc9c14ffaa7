"""Indicator results: the one computation that every page, report, export and API reads.

For each indicator and year it gives the value (recorded history or hand-reported figures, and
from the register issue on, values computed from the register), the target in force, and the
status from `indicators.targets.evaluate`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from indicators.models import Indicator, Period
from indicators.targets import Status, evaluate


@dataclass
class YearResult:
    year: int
    value: Decimal | None
    status: str
    target: object = None  # Target or None
    comment: str = ""
    origin: str = "recorded"  # "recorded" (plan history or hand-reported) or "computed"
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def status_label(self):
        return Status(self.status).label


@dataclass
class IndicatorSeries:
    indicator: Indicator
    years: dict = field(default_factory=dict)  # year -> YearResult

    def for_year(self, year):
        return self.years.get(year)

    def latest(self, up_to=None):
        """The latest year with a value, not after `up_to`."""
        candidates = [r for y, r in self.years.items() if r.value is not None and (up_to is None or y <= up_to)]
        return max(candidates, key=lambda r: r.year) if candidates else None


def build_series(indicator, years):
    """Series for one indicator whose targets and values are prefetched (no queries)."""
    recorded = indicator.yearly_values()
    series = IndicatorSeries(indicator)
    previous_value = None
    for year in years:
        row = recorded.get(year)
        value = row.value if row else None
        target = indicator.target_for(year)
        status = evaluate(
            target.kind if target else None,
            target.value if target else None,
            value,
            previous_value,
        )
        series.years[year] = YearResult(
            year=year,
            value=value,
            status=status,
            target=target,
            comment=row.comment if row else "",
        )
        previous_value = value
    return series


def series_for_plan(plan, years=None):
    """{code: IndicatorSeries} for every indicator of the plan, in three queries."""
    years = list(years or plan.all_years)
    indicators = Indicator.objects.of_plan(plan).with_targets_and_values()
    return {indicator.code: build_series(indicator, years) for indicator in indicators}


__all__ = ["YearResult", "IndicatorSeries", "build_series", "series_for_plan", "Period"]
