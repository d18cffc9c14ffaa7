"""Selectors that shape indicator results for the committee's dashboards.

Every number comes from `indicators.results.indicator_results`, called once per page (once per
municipality on the matrix); this module reads the filters from the URL, then picks, groups and
counts those results for the pages. It computes no indicator value and no status of its own. The
figures last shown to the committee (a Publication) cost one query more (dashboards/changes.py).
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.utils import timezone

from common.params import as_int
from dashboards import charts
from dashboards.changes import compared_years, since_last_meeting
from dashboards.wording import BASELINE, NOT_COMPARABLE, Shown, shown
from indicators.definitions import AVERAGE, DEFINITIONS, K_OF_N, MATRIX_REACHED, MATRIX_VALUE, SHARE, codes_shown_in
from indicators.models import Indicator, IndicatorValue, Publication
from indicators.results import indicator_results
from indicators.targets import Status
from nämndplan.models import Meeting, Municipality
from procurement import integrity, radar, work_list

GOOD = {Status.MET, Status.ON_TRACK}
BAD = {Status.NOT_MET, Status.OFF_TRACK}

# How a panel shows its target: against the target, a committee-wide target not judged per
# municipality (counts), or reached/not reached (a municipality's part of a "k of 7" indicator).
TARGET, COMMITTEE_TARGET, REACHED = "target", "committee_target", "reached"


@dataclass
class Filters:
    """Year, meeting and cut-off date read from the query string (?ar=2025&mote=3)."""

    year: int
    as_of: datetime.date
    today: datetime.date
    years: list
    meetings: list
    meeting: Meeting | None = None

    @property
    def in_progress(self):
        """The chosen year is not over at the cut-off date (statuses are "on track" / "not on track")."""
        return self.year == self.as_of.year and self.as_of < datetime.date(self.year, 12, 31)

    @property
    def params(self):
        """The filters that differ from the defaults, to carry over to links."""
        params = {}
        if self.year != self.years[-1]:
            params["ar"] = self.year
        if self.meeting is not None:
            params["mote"] = self.meeting.pk
        return params

    @property
    def query(self):
        """"?ar=2025&mote=3", or "" with the default filters."""
        return f"?{urlencode(self.params)}" if self.params else ""


def read_filters(params, plan, *, today=None):
    """The filters of a GET query; an unknown year or meeting falls back to this year and today."""
    today = today or timezone.localdate()
    years = [y for y in plan.all_years if y <= today.year] or [plan.all_years[0]]
    year = as_int(params.get("ar"))
    if year not in years:
        year = years[-1]
    meetings = list(Meeting.objects.filter(date__year=year))
    meeting = next((m for m in meetings if str(m.pk) == params.get("mote", "")), None)
    # A coming meeting is prepared with what is known today: no days that have not happened yet.
    as_of = meeting.cut_off(today) if meeting else today
    return Filters(year=year, as_of=as_of, today=today, years=years, meetings=meetings, meeting=meeting)


def _trend_years(plan, filters, publication=None):
    """The years up to the chosen one, and the years the last publication judged (to compare with them)."""
    compared = compared_years(publication)
    return [y for y in plan.all_years if y <= filters.year or y in compared]


def last_publication(filters):
    """The figures of the latest meeting before the page's: before the chosen meeting's date, else the cut-off."""
    return Publication.objects.latest_before(filters.meeting.date if filters.meeting else filters.as_of)


def _indicators(plan, *, codes=None, goal=None, municipality=None):
    """Indicators with their targets and the values recorded for the committee (or one municipality)."""
    values = IndicatorValue.objects.filter(municipality=municipality) if municipality else (
        IndicatorValue.objects.filter(municipality__isnull=True)
    )
    indicators = Indicator.objects.of_plan(plan).select_related("goal")
    if codes is not None:
        indicators = indicators.filter(code__in=codes)
    if goal is not None:
        indicators = indicators.for_goal(goal)
    return indicators.prefetch_related("targets", Prefetch("values", queryset=values))


# --- Overview --------------------------------------------------------------------------------


class Row(NamedTuple):
    """An indicator in the start page's table: its latest result up to the chosen year, which may be an
    earlier year's (its status then says that year: "Uppfyllt (2025)")."""

    indicator: object
    latest: Shown | None


@dataclass
class GoalCard:
    goal: object
    rows: list  # Row per indicator for the table
    results: list  # the chosen year's YearResult of every indicator: the card counts these only

    def _count(self, statuses):
        return sum(1 for r in self.results if r is not None and r.status in statuses)

    @property
    def total(self):
        return len(self.results)

    @property
    def good(self):
        return self._count(GOOD)

    @property
    def bad(self):
        return self._count(BAD)

    @property
    def baseline(self):
        """Baseline years: a value that is measured, not judged."""
        return self._count({BASELINE})

    @property
    def not_comparable(self):
        """Values in another unit than the target: shown, not judged."""
        return self._count({NOT_COMPARABLE})

    @property
    def no_target(self):
        return self._count({Status.NO_TARGET})

    @property
    def no_value(self):
        return self.total - self.good - self.bad - self.baseline - self.not_comparable - self.no_target

    @property
    def without(self):
        return self.no_target + self.no_value


def overview(plan, filters):
    """(cards, since): one card per goal (1–7 and section 8) with its indicators' statuses for the chosen
    year, and the changes since the last meeting (None without an earlier publication)."""
    publication = last_publication(filters)
    series = indicator_results(plan, as_of=filters.as_of, years=_trend_years(plan, filters, publication))
    by_goal = {}
    for s in series.values():
        by_goal.setdefault(s.indicator.goal_id, []).append(s)
    cards = []
    for goal in plan.goals.all():
        goal_series = by_goal.get(goal.id, [])
        cards.append(GoalCard(
            goal=goal,
            rows=[Row(s.indicator, shown(s.latest(up_to=filters.year), s.indicator)) for s in goal_series],
            results=[s.for_year(filters.year) for s in goal_series],
        ))
    return cards, since_last_meeting(publication, series.values())


# --- Goal and municipality pages ----------------------------------------------------------


@dataclass
class Panel:
    """One indicator on a dashboard: its trend, this year's result and how its target is shown."""

    series: object
    rows: list  # the trend's YearResults (as Shown), oldest first
    current: object  # the chosen year's YearResult (as Shown)
    comment: object  # the latest YearResult with a comment, or None
    mode: str
    summary: str = ""
    since: object = None  # dashboards.changes.Change against the last meeting, or None

    @property
    def indicator(self):
        return self.series.indicator

    @property
    def chart_id(self):
        return charts.chart_id(self.indicator)

    @property
    def has_chart(self):
        return self.mode != REACHED and bool(self.rows)

    @property
    def show_target(self):
        return self.mode == TARGET


def judged_per_municipality(series):
    """A share or an average is judged against the target in each municipality; a count's target
    (e.g. at least 250 follow-ups) is for all seven together."""
    return series.definition is not None and series.definition.measure in (SHARE, AVERAGE)


def _mode(series, municipality):
    if municipality is None:
        return TARGET
    if series.definition is not None and series.definition.measure == K_OF_N:
        return REACHED
    return TARGET if judged_per_municipality(series) else COMMITTEE_TARGET


def panels(series_list, year, municipality=None, since=None):
    """(panels, {chart_id: figure}) for the indicators of a page; chart and table show the same years.

    `since` (dashboards.changes.SinceLastMeeting) gives each panel its change since the last meeting.
    """
    result, figures = [], {}
    # A municipality's values start with the register: its trend skips the empty years before.
    options = {"up_to": year, "skip_empty_start": municipality is not None}
    for series in series_list:
        indicator = series.indicator
        rows = charts.trend_years(series, year, skip_empty_start=options["skip_empty_start"])
        with_comment = [r for r in rows if r.comment]
        panel = Panel(series=series, rows=[Shown(r, indicator) for r in rows],
                      current=shown(series.for_year(year), indicator),
                      comment=with_comment[-1] if with_comment else None, mode=_mode(series, municipality),
                      since=since.for_indicator(indicator) if since else None)
        if panel.has_chart:
            panel.summary = charts.chart_summary(series, show_target=panel.show_target, **options)
            figures[panel.chart_id] = charts.trend_figure(series, show_target=panel.show_target, **options)
        result.append(panel)
    return result, figures


def goal_dashboard(plan, goal, filters):
    """(panels, figures, since) for one goal's indicators; `since` is None without an earlier publication."""
    publication = last_publication(filters)
    series = indicator_results(
        plan, as_of=filters.as_of, years=_trend_years(plan, filters, publication),
        indicators=_indicators(plan, goal=goal),
    )
    since = since_last_meeting(publication, series.values())
    return (*panels(series.values(), filters.year, since=since), since)


def municipality_dashboard(plan, municipality, filters):
    """([(goal, panels)], figures) for the indicators that exist per municipality."""
    series = indicator_results(
        plan, as_of=filters.as_of, municipality=municipality, years=_trend_years(plan, filters),
        indicators=_indicators(plan, municipality=municipality),
    )
    all_panels, figures = panels(series.values(), filters.year, municipality)
    groups = []
    for panel in all_panels:
        goal = panel.indicator.goal
        if not groups or groups[-1][0] != goal:
            groups.append((goal, []))
        groups[-1][1].append(panel)
    return groups, figures


# --- Municipality matrix -----------------------------------------------------------------------


@dataclass
class MatrixRow:
    series: object  # the committee's series
    committee: object  # the committee's YearResult for the year (as Shown)
    cells: list  # the municipalities' YearResults as Shown (None where the indicator has none)

    @property
    def indicator(self):
        return self.series.indicator

    @property
    def judged_per_municipality(self):
        return judged_per_municipality(self.series)

    @property
    def total_differs(self):
        """"below" when every municipality with a status reaches the target and the total does not,
        "above" the other way round, else "".

        Not a contradiction: a coordinated procurement counts once in the total and once in each
        municipality taking part, so the municipalities' shares can all lie above the total's.
        """
        statuses = [c.status for c in self.cells if c is not None and c.value is not None]
        if not self.judged_per_municipality or not statuses:
            return ""
        if self.committee.status in BAD and all(s in GOOD for s in statuses):
            return "below"
        if self.committee.status in GOOD and all(s in BAD for s in statuses):
            return "above"
        return ""


def matrix_value_codes():
    """The matrix's value rows: every share and average judged in each municipality (from the definitions),
    then the counts the definitions show there (their target is the committee's, not judged per municipality)."""
    judged = [c for c, d in DEFINITIONS.items() if d.per_municipality and d.measure in (SHARE, AVERAGE)]
    counts = [c for c in codes_shown_in(MATRIX_VALUE) if c not in judged]
    return sorted(judged, key=_plan_order) + counts


def _plan_order(code):
    return [int(part) for part in code.split(".")]


def municipality_matrix(plan, filters, municipalities):
    """(reached rows, value rows): the seven municipalities side by side for the chosen year.

    One call of indicator_results for the committee and one per municipality, each for the
    indicators of the matrix only.
    """
    reached_codes = codes_shown_in(MATRIX_REACHED)
    value_codes = matrix_value_codes()
    codes = reached_codes + value_codes
    years = [filters.year]
    committee = indicator_results(plan, as_of=filters.as_of, years=years, indicators=_indicators(plan, codes=codes))
    local = [
        indicator_results(plan, as_of=filters.as_of, municipality=m, years=years,
                          indicators=_indicators(plan, codes=codes, municipality=m))
        for m in municipalities
    ]

    def row(code):
        indicator = committee[code].indicator
        cells = [shown(results[code].for_year(filters.year), indicator) if code in results else None
                 for results in local]
        return MatrixRow(series=committee[code], committee=shown(committee[code].for_year(filters.year), indicator),
                         cells=cells)

    return [row(c) for c in reached_codes if c in committee], [row(c) for c in value_codes if c in committee]


# --- The staff's work list ---------------------------------------------------------------------


@dataclass
class WorkSummary:
    """The start page's "Att göra": the user's own tasks (everyone's are on the work list's own page)."""

    mine: object  # procurement.work_list.WorkList
    sees_everyone: bool = False  # Chef UhC: the full page shows everyone's, by person

    SHOWN = 5

    @property
    def first_tasks(self):
        """The first tasks, with their contracts (two queries)."""
        if not hasattr(self, "_first"):
            self._first = radar.attach(self.mine.tasks[: self.SHOWN])
        return self._first

    @property
    def more(self):
        return max(0, self.mine.count - self.SHOWN)



def work_summary(user, today):
    """The work list of contract management for the start page; None for those who do not manage contracts.

    Only the user's own contracts are read: the start page stays quick however many contracts there are.
    """
    if not user.has_perm("procurement.manage_contracts"):
        return None
    return WorkSummary(mine=work_list.work_list_for(user, today, attach=False),
                       sees_everyone=user.has_perm("procurement.view_all_work_lists"))



# --- Flags beside the goal about quality and unserious suppliers -------------------------------------

INTEGRITY_GOAL = 3  # "Vi håller hög kvalitet och arbetar aktivt för att motverka oseriösa leverantörer"
FLAG_YEARS = 3


@dataclass
class FlagSummary:
    """The register's flags (procurement/integrity.py) counted per year and, for the chosen year, per
    municipality, as at the cut-off: reasons to look closer, not results."""

    years: list
    year: int
    municipalities: list
    rows: list  # [(FlagCount, [count per year], [count per municipality in `year`])]


def flag_summary(goal, filters):
    """The flags for goal 3's page; None for the other goals. Two queries a flag, plus the municipalities."""
    if goal.kind != "goal" or goal.number != INTEGRITY_GOAL:
        return None
    years = [y for y in range(filters.year - FLAG_YEARS + 1, filters.year + 1)]
    municipalities = [m.name for m in Municipality.objects.order_by("order", "name")]
    rows = [
        (c, [c.by_year.get(y, 0) for y in years], [c.by_municipality.get((filters.year, m), 0) for m in municipalities])
        for c in integrity.counts(years=years, as_of=filters.as_of)
    ]
    return FlagSummary(years, filters.year, municipalities, rows)
