"""Indicator results: the one computation that every page, report, export and API reads.

For each indicator and year it gives the value, where it came from, the target in force and the
status. Values come from, in this order:
1. recorded values: the plan's history as written in the seed, and figures reported by hand per
   period (the latest period that has ended by the cut-off date);
2. values computed from the register (indicators/definitions.py) for years with register data.
So historical years stay as recorded and years with register data are computed.

During the year of the cut-off date the status is "on track" / "not on track"; once the year is
over it is "met" / "not met" (indicators/targets.py). Two kinds of year are shown but not judged:
the plan's baseline year ("Nollmätning", Indicator.baseline_year), which an "increase" target of
the next year compares with, and a recorded value in another unit than the indicator's ("Ej
jämförbart"), which is not the previous year of any comparison either.

An indicator with `value_from` (8.3 from 1.1) shows the other indicator's recorded values, judged
against its own targets: one measurement, entered once.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.calculation import compute_all
from indicators.definitions import AVERAGE, DEFINITIONS, SHARE
from indicators.models import PERIOD_END, Indicator, IndicatorValue, Period, Source, Unit
from indicators.targets import Status, evaluate, evaluate_to_date, expected_to_date

ACCUMULATING_UNITS = {Unit.COUNT, Unit.SEK, Unit.HOURS}
RECORDED, COMPUTED = "recorded", "computed"


@dataclass
class YearResult:
    year: int
    value: Decimal | None
    status: str
    target: object = None  # Target or None
    comment: str = ""
    origin: str = ""  # RECORDED (plan history or reported by hand) or COMPUTED (from the register)
    period: str = Period.YEAR  # for recorded values: the period the value covers
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    to_date: bool = False  # the year is not over at the cut-off date
    expected: Decimal | None = None  # where an accumulating count should be by now
    reason: str = ""  # why there is no value
    exact: Decimal | None = None  # the unrounded computed value the status is decided on
    unit: str = ""  # the unit the value is in: the recorded value's own, else the indicator's
    value_pk: int | None = None  # the recorded IndicatorValue shown (to link to its correction); None otherwise

    @property
    def judged_value(self):
        return self.exact if self.exact is not None else self.value

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def period_label(self):
        return Period(self.period).label


@dataclass
class IndicatorSeries:
    indicator: Indicator
    definition: object = None  # indicators.definitions.Definition for computed indicators
    years: dict = field(default_factory=dict)  # year -> YearResult

    def for_year(self, year):
        return self.years.get(year)

    def latest(self, up_to=None):
        """The latest year with a value, not after `up_to`."""
        candidates = [r for y, r in self.years.items() if r.value is not None and (up_to is None or y <= up_to)]
        return max(candidates, key=lambda r: r.year) if candidates else None

    @property
    def explanation(self):
        if self.definition:
            return self.definition.explanation
        return _("Rapporteras in för hand av UhC per period (tertial eller helår).")


def _fraction_of_year(as_of):
    days = 366 if calendar.isleap(as_of.year) else 365
    return as_of.timetuple().tm_yday / days


def _recorded_for_year(values, year, as_of, municipality_id=None, known_by=None):
    """The recorded value for `year` at `as_of`: the full-year figure, else the latest tertial ended by then.

    Only values of the asked scope count (the whole committee, or one municipality), and only values
    known by `known_by` (default `as_of`): a figure reported after a meeting's cut-off is not the meeting's.
    """
    known_by = known_by or as_of
    order = [Period.T1, Period.T2, Period.YEAR]
    candidates = [
        v for v in values
        if v.year == year and v.municipality_id == municipality_id and v.known_from <= known_by
        and (v.period == Period.YEAR or datetime.date(year, *PERIOD_END[v.period]) <= as_of)
    ]
    return max(candidates, key=lambda v: order.index(v.period)) if candidates else None


def accumulates(indicator, definition):
    if definition is not None:
        return definition.accumulates
    return indicator.unit in ACCUMULATING_UNITS


def build_series(indicator, years, as_of, computed=None, judged=True, municipality_id=None, known_by=None,
                 values=None):
    """The series of one indicator whose targets and values are prefetched (no queries here).

    With `judged` false the targets are shown but no status is decided (see indicator_results).
    Recorded values count from the day they were known (`known_by`, default `as_of`). `values` are
    the recorded values to use instead of the prefetched ones (those of the indicator in `value_from`).
    """
    definition = DEFINITIONS.get(indicator.code) if indicator.source == Source.COMPUTED else None
    computed = computed or {}
    values = list(indicator.values.all() if values is None else values)
    series = IndicatorSeries(indicator, definition)
    previous_value = None
    for year in years:
        result = _year_result(
            indicator, definition, values, computed.get(year), year, as_of, municipality_id, known_by
        )
        target = indicator.target_for(year)
        result.target = target
        kind, threshold = (target.kind, target.value) if target and judged else (None, None)
        comparable = result.unit == indicator.unit
        if not comparable:
            result.status = Status.NOT_COMPARABLE
        elif result.value is not None and year == indicator.baseline_year:
            result.status = Status.BASELINE
        elif result.to_date:
            grows = accumulates(indicator, definition)
            fraction = _fraction_of_year(_measured_until(result, as_of))
            result.status = evaluate_to_date(
                kind, threshold, result.judged_value, previous_value, fraction=fraction, accumulates=grows
            )
            result.expected = expected_to_date(kind, threshold, previous_value, fraction=fraction, accumulates=grows)
        else:
            result.status = evaluate(kind, threshold, result.judged_value, previous_value)
        series.years[year] = result
        # A value in another unit is no basis for next year's "increase" or "decrease".
        previous_value = result.judged_value if comparable else None
    return series


def _measured_until(result, as_of):
    """The day a year-to-date value was measured to: a tertial's last day, else the cut-off date."""
    if result.origin == RECORDED and result.period != Period.YEAR:
        return datetime.date(result.year, *PERIOD_END[result.period])
    return as_of


def _year_result(indicator, definition, values, measure, year, as_of, municipality_id=None, known_by=None):
    to_date = year == as_of.year and as_of < datetime.date(year, 12, 31)
    result = YearResult(year=year, value=None, status=Status.NO_VALUE, to_date=to_date, unit=indicator.unit)
    if year > as_of.year:
        result.reason = _("Året har inte börjat.")
        return result
    if year < indicator.measured_from:
        result.reason = _("Indikatorn mäts från %(year)s.") % {"year": indicator.measured_from}
        return result
    recorded = _recorded_for_year(values, year, as_of, municipality_id, known_by)
    if recorded is not None:
        result.value, result.comment, result.origin = recorded.value, recorded.comment, RECORDED
        result.period, result.value_pk = recorded.period, recorded.pk
        # A shared value (value_from) is in this indicator's unit too: Indicator.clean requires the same unit.
        result.unit = recorded.unit or indicator.unit
        return result
    if definition is None:
        result.reason = _("Inget värde är rapporterat.")
        return result
    if measure is None:
        result.reason = _("Registret har inga uppgifter för året.")
        return result
    result.origin = COMPUTED
    result.numerator, result.denominator = measure.numerator, measure.denominator
    if measure.value is None:
        result.reason = _("Underlaget är tomt: inga %(base)s.") % {"base": definition.denominator_label}
        return result
    result.value = Decimal(measure.value)
    result.exact = measure.exact
    return result


def indicator_results(plan, *, as_of=None, known_by=None, municipality=None, years=None, indicators=None):
    """{code: IndicatorSeries} for the plan's indicators, in a fixed number of queries.

    `as_of` is the cut-off date (a meeting's date; default today): register records dated by then
    count. `known_by` (default `as_of`) is the day whose knowledge counts: values recorded by hand or
    from the plan count once known (IndicatorValue.known_from). A full-year follow-up at a February
    meeting covers the previous year (`as_of` 31 December) with what was known at the meeting. With `municipality`, only
    per-municipality values: recorded for that municipality, computed where the definition allows;
    statuses only where the committee's target applies to one municipality (shares, averages).
    """
    as_of = as_of or timezone.localdate()
    years = list(years or plan.all_years)
    if indicators is None:
        values = IndicatorValue.objects.filter(municipality=municipality) if municipality else (
            IndicatorValue.objects.filter(municipality__isnull=True)
        )
        values = values.select_related("municipality")
        indicators = (
            Indicator.objects.of_plan(plan)
            .select_related("goal")
            .prefetch_related("targets", Prefetch("values", queryset=values))
        )
    indicators = list(indicators)
    shared = _shared_values(indicators, municipality)
    computed = compute_all(as_of=as_of, years=years, municipality=municipality)
    series = {}
    for indicator in indicators:
        if municipality is not None and not _exists_per_municipality(indicator):
            continue
        judged = municipality is None or _target_applies_per_municipality(indicator)
        series[indicator.code] = build_series(
            indicator, years, as_of, computed.get(indicator.code), judged, municipality.pk if municipality else None,
            known_by, values=shared.get(indicator.value_from_id) if indicator.value_from_id else None,
        )
    return series


def _shared_values(indicators, municipality):
    """{indicator id: [values]} of the indicators others take their values from (8.3 from 1.1).

    One query whatever the callers prefetched: they prefetch only the asked indicators' values, and
    the indicator shared from may not be among them. No query when no indicator takes another's values.
    """
    source_ids = {i.value_from_id for i in indicators if i.value_from_id}
    if not source_ids:
        return {}
    values = IndicatorValue.objects.filter(indicator_id__in=source_ids)
    values = values.filter(municipality=municipality) if municipality else values.filter(municipality__isnull=True)
    shared = {pk: [] for pk in source_ids}
    for value in values.order_by():
        shared[value.indicator_id].append(value)
    return shared


def _target_applies_per_municipality(indicator):
    """The committee's targets for shares and averages hold for each municipality too; a count target
    ("minst 250 uppföljningar", "7 av 7 kommuner") is for the whole committee, so a single
    municipality's count gets no status ("Mål saknas")."""
    definition = DEFINITIONS.get(indicator.code)
    return definition is not None and definition.measure in (SHARE, AVERAGE)


def _exists_per_municipality(indicator):
    definition = DEFINITIONS.get(indicator.code)
    return definition is not None and definition.per_municipality and indicator.source == Source.COMPUTED
