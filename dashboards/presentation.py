"""Meeting mode: the goal pages as screens for the projector, one goal per screen.

Every figure comes from `dashboards.selectors.goal_dashboard`, exactly as on the goal page; this module
only picks the meeting, orders the screens (a start screen, the goals 1–7 and section 8, an end screen)
and finds the analysis text of each goal.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from common.params import as_int
from dashboards.selectors import read_filters
from indicators.models import Publication
from nämndplan.models import Goal, Meeting

START, GOAL, END = "start", "goal", "end"


def presentation_filters(params, plan, *, today=None):
    """The dashboards' filters (read_filters) with the meeting mode's defaults.

    Without ?mote= and ?ar= the next meeting of this year is shown (values up to today if none is left);
    ?mote=<pk> alone is read in the meeting's own year; an empty ?mote= means values up to today.
    """
    today = today or timezone.localdate()
    meeting = _meeting_asked(params, today)
    if meeting is not None:
        params = {"ar": str(meeting.date.year), "mote": str(meeting.pk)}
    return read_filters(params, plan, today=today)


def _meeting_asked(params, today):
    if params.get("mote") and "ar" not in params:
        return Meeting.objects.filter(pk=as_int(params["mote"])).first()
    if "mote" not in params and "ar" not in params:
        return Meeting.objects.filter(date__gte=today, date__year=today.year).order_by("date").first()
    return None


def analysis_texts(meeting):
    """{goal number: text}: chef UhC's analysis of each goal as presented at `meeting`.

    The texts are written in the meeting's report (reports.GoalAnalysis), which the dashboards may not
    read (the two are sibling rooms). They reach the dashboards as the report's figures do, through the
    meeting's Publication (indicators), written when the report is frozen: a draft's text is not shown.
    """
    if meeting is None:
        return {}
    publication = Publication.objects.filter(meeting=meeting).order_by("-published_at").only("analyses").first()
    return texts_by_goal(publication.analyses) if publication else {}


def texts_by_goal(analyses):
    """{"1": "text", "2": ""} (as stored in JSON) → {1: "text"}: the goals with a text, by number."""
    return {int(number): text for number, text in (analyses or {}).items() if str(number).isdigit() and text}


@dataclass(frozen=True)
class Screen:
    kind: str
    goal: Goal | None = None

    @property
    def path(self):
        if self.kind == GOAL:
            return reverse("dashboards:presentation_goal", args=[self.goal.number])
        return reverse("dashboards:presentation" if self.kind == START else "dashboards:presentation_end")


@dataclass
class Place:
    """Where a screen lies in the presentation: its neighbours, the first and last screens, the goal's position.

    The links keep the page's filters (`query`), so every screen shows the same meeting.
    """

    screens: list
    index: int
    query: str

    def _url(self, index):
        return self.screens[index].path + self.query

    @property
    def screen(self):
        return self.screens[self.index]

    @property
    def previous_url(self):
        return self._url(self.index - 1) if self.index > 0 else None

    @property
    def next_url(self):
        return self._url(self.index + 1) if self.index < len(self.screens) - 1 else None

    @property
    def first_url(self):
        return self._url(0)

    @property
    def last_url(self):
        return self._url(len(self.screens) - 1)

    @property
    def exit_url(self):
        """Leaving the presentation: to the goal page of the goal shown, else to the overview."""
        if self.screen.kind == GOAL:
            return self.screen.goal.get_absolute_url() + self.query
        return reverse("dashboards:home") + self.query

    @property
    def goal_count(self):
        """The inriktningsmål (1–7): section 8 is not counted in "Mål 3 av 7"."""
        return sum(1 for s in self.screens if s.kind == GOAL and s.goal.kind == Goal.Kind.GOAL)

    @property
    def goal_position(self):
        return sum(1 for s in self.screens[1:self.index + 1] if s.kind == GOAL and s.goal.kind == Goal.Kind.GOAL)

    @property
    def screen_number(self):
        return self.index + 1

    @property
    def screen_count(self):
        return len(self.screens)

    @property
    def goals(self):
        return [s.goal for s in self.screens if s.kind == GOAL]


def place(goals, filters, kind, goal=None):
    """The Place of the start screen, a goal's screen or the end screen among the plan's `goals`."""
    screens = [Screen(START), *[Screen(GOAL, g) for g in goals], Screen(END)]
    index = {START: 0, END: len(screens) - 1}.get(kind)
    if index is None:
        index = screens.index(Screen(GOAL, goal))
    return Place(screens=screens, index=index, query=filters.query)
