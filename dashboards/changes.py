"""Changes since the last meeting: the page's figures beside those the committee was last shown.

The figures shown at a meeting are kept as a Publication when its report is frozen. Each
indicator is compared for the year the publication judged: a December report's 2026 figure is set
against the page's result for 2026, even when the page shows 2027 (its year is then said).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from common.formatting import format_number
from dashboards.charts import chart_id
from dashboards.wording import difference_text, status_label, unit_of
from indicators.targets import Status

# A year that ends as it was going is no change of status: "på väg mot målet" became "uppfyllt".
SAME_JUDGEMENT = {Status.ON_TRACK: Status.MET, Status.OFF_TRACK: Status.NOT_MET}


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _judgement(status):
    status = status or Status.NO_VALUE
    return SAME_JUDGEMENT.get(status, status)


@dataclass
class Change:
    """One indicator then (at the last meeting) and now (on the page), for the same year."""

    indicator: object
    year: int
    then_value: Decimal | None
    then_unit: str
    then_status: str
    now: object  # the page's YearResult for `year`

    @property
    def panel_id(self):
        """The indicator's panel on its goal page, to link to."""
        return f"indikator-{chart_id(self.indicator)}"

    @property
    def now_value(self):
        return self.now.value

    @property
    def now_unit(self):
        return unit_of(self.now, self.indicator)

    @property
    def now_status(self):
        return self.now.status or Status.NO_VALUE

    @property
    def comparable(self):
        return self.then_unit == self.now_unit

    @property
    def value_changed(self):
        return self.then_value != self.now_value or not self.comparable

    @property
    def status_changed(self):
        return _judgement(self.then_status) != _judgement(self.now_status)

    @property
    def changed(self):
        return self.value_changed or self.status_changed

    @property
    def then_text(self):
        return format_number(self.then_value, self.then_unit)

    @property
    def now_text(self):
        return format_number(self.now_value, self.now_unit)

    @property
    def difference_text(self):
        """"+0,6 procentenheter", or "" when one side has no value or the units differ."""
        if self.then_value is None or self.now_value is None or not self.comparable:
            return ""
        return difference_text(self.now_value - self.then_value, self.now_unit)

    @property
    def then_status_label(self):
        return status_label(self.then_status)

    @property
    def now_status_label(self):
        return status_label(self.now_status)


@dataclass
class SinceLastMeeting:
    """The page's figures against those of the latest publication before the page's cut-off."""

    publication: object
    changes: dict  # code -> Change, in the page's order

    @property
    def meeting_date(self):
        return self.publication.meeting.date

    @property
    def status_changes(self):
        return [c for c in self.changes.values() if c.status_changed]

    @property
    def value_changes(self):
        """Changed values whose status stayed the same (those with a new status are listed first)."""
        return [c for c in self.changes.values() if c.value_changed and not c.status_changed]

    @property
    def unchanged(self):
        return sum(1 for c in self.changes.values() if not c.changed)

    @property
    def years(self):
        return sorted({c.year for c in self.changes.values()})

    def for_indicator(self, indicator):
        return self.changes.get(indicator.code)


def compared_years(publication):
    """The years a publication's figures judge (normally its own year only)."""
    if publication is None:
        return set()
    years = {f.get("year") for f in publication.figures.values() if isinstance(f, dict)}
    return {y for y in years | {publication.year} if isinstance(y, int)}


def since_last_meeting(publication, series_list):
    """SinceLastMeeting for the indicators of `series_list`, or None without a publication.

    The series must hold the publication's years (see compared_years); an indicator the publication
    did not show, or whose year the page has no result for, is left out.
    """
    if publication is None:
        return None
    changes = {}
    for series in series_list:
        indicator = series.indicator
        figure = publication.figures.get(indicator.code)
        if not isinstance(figure, dict):
            continue
        year = figure.get("year") or publication.year
        now = series.for_year(year)
        if now is None:
            continue
        changes[indicator.code] = Change(
            indicator=indicator, year=year, then_value=_decimal(figure.get("value")),
            then_unit=figure.get("unit") or indicator.unit, then_status=figure.get("status") or Status.NO_VALUE,
            now=now,
        )
    return SinceLastMeeting(publication=publication, changes=changes)
