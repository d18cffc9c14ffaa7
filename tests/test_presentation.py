"""Meeting mode: one goal per screen, the goal page's figures, real links between the screens."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import presentation
from indicators.models import Publication
from tests.factories import MeetingFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db

D = datetime.date
START = reverse("dashboards:presentation")
END = reverse("dashboards:presentation_end")


def goal_url(number, query=""):
    return reverse("dashboards:presentation_goal", args=[number]) + query


def _text(response):
    """The page's text with its tags and runs of white space taken out."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- Which meeting ---------------------------------------------------------------------------


@pytest.fixture
def meetings_2026(plan):
    return [MeetingFactory(date=D(2026, 3, 10)), MeetingFactory(date=D(2026, 6, 30)),
            MeetingFactory(date=D(2026, 9, 15))]


def test_without_a_choice_the_next_meeting_is_shown(plan, meetings_2026):
    filters = presentation.presentation_filters({}, plan, today=D(2026, 6, 1))
    assert filters.meeting == meetings_2026[1]
    assert filters.as_of == D(2026, 6, 1)  # a coming meeting is prepared with what is known today


def test_a_meeting_on_the_day_itself_is_the_next_one(plan, meetings_2026):
    filters = presentation.presentation_filters({}, plan, today=D(2026, 6, 30))
    assert filters.meeting == meetings_2026[1]
    assert filters.as_of == D(2026, 6, 30)


def test_after_the_years_last_meeting_the_values_are_up_to_today(plan, meetings_2026):
    filters = presentation.presentation_filters({}, plan, today=D(2026, 10, 1))
    assert filters.meeting is None
    assert (filters.year, filters.as_of) == (2026, D(2026, 10, 1))


def test_a_chosen_meeting_is_read_in_its_own_year(plan):
    meeting = MeetingFactory(date=D(2025, 5, 20))
    filters = presentation.presentation_filters({"mote": str(meeting.pk)}, plan, today=D(2026, 6, 1))
    assert (filters.meeting, filters.year, filters.as_of) == (meeting, 2025, D(2025, 5, 20))
    assert filters.query == f"?ar=2025&mote={meeting.pk}"  # the links to the other screens keep it


def test_an_empty_meeting_means_the_values_up_to_today(plan, meetings_2026):
    filters = presentation.presentation_filters({"mote": ""}, plan, today=D(2026, 6, 1))
    assert filters.meeting is None
    assert filters.as_of == D(2026, 6, 1)


def test_a_chosen_year_without_a_meeting_is_not_given_the_next_meeting(plan, meetings_2026):
    filters = presentation.presentation_filters({"ar": "2025"}, plan, today=D(2026, 6, 1))
    assert (filters.meeting, filters.year) == (None, 2025)


@pytest.mark.parametrize("asked", ["999999", "x", "99999999999999999999"])
def test_an_unknown_meeting_falls_back_to_today(plan, asked):
    filters = presentation.presentation_filters({"mote": asked}, plan, today=D(2026, 6, 1))
    assert filters.meeting is None


# --- The screens and their order -------------------------------------------------------------


def _place(plan, kind, number=None):
    goals = list(plan.goals.all())
    filters = presentation.presentation_filters({"ar": "2025", "mote": ""}, plan, today=D(2026, 6, 1))
    goal = next((g for g in goals if g.number == number), None)
    return presentation.place(goals, filters, kind, goal)


def test_goal_3_is_the_third_of_seven_between_goals_2_and_4(plan):
    here = _place(plan, presentation.GOAL, 3)
    # screens: start, goals 1–7, section 8, end = 10; goal 3 is the fourth
    assert (here.goal_position, here.goal_count, here.screen_number, here.screen_count) == (3, 7, 4, 10)
    assert here.previous_url == goal_url(2, "?ar=2025")
    assert here.next_url == goal_url(4, "?ar=2025")
    assert here.exit_url == reverse("dashboards:goal_detail", args=[3]) + "?ar=2025"


def test_the_start_and_end_screens_close_the_presentation(plan):
    start, end = _place(plan, presentation.START), _place(plan, presentation.END)
    assert start.previous_url is None and start.next_url == goal_url(1, "?ar=2025")
    assert end.next_url is None and end.previous_url == goal_url(8, "?ar=2025")
    assert start.last_url == end.last_url == END + "?ar=2025"
    assert start.exit_url == reverse("dashboards:home") + "?ar=2025"


def test_section_8_follows_goal_7_and_is_not_counted_as_a_goal(plan):
    here = _place(plan, presentation.GOAL, 8)
    assert here.goal_position == 7 and here.goal_count == 7
    assert here.previous_url == goal_url(7, "?ar=2025")
    assert here.next_url == END + "?ar=2025"


# --- The analysis text ----------------------------------------------------------------------


def test_the_analysis_texts_are_read_by_goal_number_and_empty_ones_left_out():
    assert presentation.texts_by_goal({"1": "Bra år.", "2": "", "8": "Ekonomi i balans.", "x": "?"}) == {
        1: "Bra år.", 8: "Ekonomi i balans.",
    }


def test_without_a_meeting_there_is_no_analysis_text(plan):
    assert presentation.analysis_texts(None) == {}


def test_a_goal_without_an_analysis_text_has_no_analysis_section(member_client, plan):
    meeting = MeetingFactory(date=D(2026, 3, 10))
    Publication.objects.create(meeting=meeting, year=2026, as_of=meeting.date, figures={})
    assert "Chef UhC:s analys" not in _text(member_client.get(goal_url(1, f"?mote={meeting.pk}")))




def test_the_meetings_analysis_of_the_goal_is_shown(member_client, plan):
    meeting = MeetingFactory(date=D(2026, 3, 10))
    Publication.objects.create(meeting=meeting, year=2026, as_of=meeting.date, figures={},
                               analyses={"1": "Samordningen ökar.", "2": "Besparingarna håller i sig."})
    text = _text(member_client.get(goal_url(1, f"?mote={meeting.pk}")))
    assert "Chef UhC:s analys Samordningen ökar." in text
    assert "Besparingarna" not in text  # goal 2's text is on goal 2's screen


# --- The pages ------------------------------------------------------------------------------


def test_a_goal_screen_shows_value_target_and_status_with_its_year(member_client, plan):
    response = member_client.get(goal_url(1, "?ar=2024"))
    assert response.status_code == 200
    text = _text(response)
    assert "Mål 1 av 7" in text
    # 1.2 from the plan's history: 56,0 % against a target of at least 80 % in 2024
    card = text[text.index("1.2 "):]
    assert card.startswith("1.2 ")
    assert "Värde 2024 56,0 %" in card
    assert "Mål 2024 minst 80 %" in card
    assert "Ej uppfyllt (2024)" in card
    assert "Inget tidigare sammanträde med fastställd rapport." in text


def test_the_figures_are_the_goal_pages(member_client, plan):
    build_register()
    meeting = MeetingFactory(date=D(2026, 6, 30))
    query = f"?mote={meeting.pk}"
    shown = member_client.get(goal_url(1, query))
    goal_page = member_client.get(reverse("dashboards:goal_detail", args=[1]) + f"?ar=2026&mote={meeting.pk}")
    assert shown.context["filters"].as_of == goal_page.context["filters"].as_of
    text = _text(shown)
    for panel in goal_page.context["panels"]:
        assert panel.current.status_text in text, panel.indicator.code
    codes = [p.indicator.code for p in goal_page.context["panels"]]
    assert [p.indicator.code for p in shown.context["panels"]] == codes


def test_a_goal_screen_shows_the_change_since_the_last_meeting(member_client, plan):
    earlier = MeetingFactory(date=D(2025, 5, 20))
    Publication.objects.create(meeting=earlier, year=2024, as_of=earlier.date, figures={
        "1.2": {"year": 2024, "value": "55.0", "status": "not_met", "unit": "percent"},
    })
    text = _text(member_client.get(goal_url(1, "?ar=2024")))
    # 56,0 % now against 55,0 % then: 56,0 − 55,0 = +1,0 percentage point, status unchanged
    assert "Sedan sammanträdet 20 maj 2025: värdet för 2024 55,0 % → blev 56,0 % (+1,0 procentenhet)." in text


def test_the_screens_link_to_each_other_without_javascript(member_client, plan):
    page = member_client.get(goal_url(1, "?ar=2025")).content.decode()
    assert f'rel="prev" href="{START}?ar=2025"' in page
    assert f'rel="next" href="{goal_url(2, "?ar=2025")}"' in page
    assert f'href="{reverse("dashboards:goal_detail", args=[1])}?ar=2025" data-deck-exit' in page


def test_each_screen_has_a_title_of_its_own(member_client, plan):
    titles = [
        re.search(r"<title>(.*?)</title>", member_client.get(url).content.decode(), re.S).group(1)
        for url in (START, goal_url(3), goal_url(8), END)
    ]
    assert titles[0].startswith("Start – Mötesläge")
    assert titles[1].startswith("Mål 3 av 7: ")
    assert titles[2].startswith("Löpande verksamhet: ")
    assert titles[3].startswith("Slut – Mötesläge")


def test_the_start_screen_names_the_meeting_and_lists_the_goals(member_client, plan):
    meeting = MeetingFactory(date=D(2025, 5, 20))
    response = member_client.get(START + f"?mote={meeting.pk}")
    text = _text(response)
    assert "Uppföljning till sammanträdet 20 maj 2025" in text
    assert "Värden till och med 20 maj 2025 (sammanträdet)." in text
    assert response.content.decode().count(f'?ar=2025&amp;mote={meeting.pk}">Mål ') == 7


def test_an_unknown_goal_is_not_found(member_client, plan):
    assert member_client.get(goal_url(99)).status_code == 404


def test_the_overview_links_to_the_meeting_mode(member_client, plan):
    assert f'href="{START}"' in member_client.get(reverse("dashboards:home")).content.decode()


def test_the_screens_use_no_inline_script_or_style(member_client, plan):
    for url in (START, goal_url(1), END):
        page = member_client.get(url).content.decode()
        assert "<script>" not in page and "<style" not in page and "style=" not in page
        assert 'src="/static/js/presentation.js"' in page


# --- Queries --------------------------------------------------------------------------------


def _counts(client, meeting):
    counts = {}
    for url in (START, goal_url(1), goal_url(8), END, goal_url(1, f"?mote={meeting.pk}")):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    return counts


def test_the_screens_run_as_many_queries_with_30_procurements_as_with_none(member_client, plan):
    from tests.test_dashboard_queries import _grow_register_to_30_procurements

    meeting = MeetingFactory(date=D(2026, 1, 20))
    Publication.objects.create(meeting=MeetingFactory(date=D(2025, 12, 1)), year=2025, as_of=D(2025, 12, 1),
                               figures={"1.2": {"year": 2025, "value": "55.0", "status": "not_met", "unit": "percent"}})
    member_client.get(START)  # warm the per-process caches (content types, permissions)
    empty = _counts(member_client, meeting)
    _grow_register_to_30_procurements()
    full = _counts(member_client, meeting)
    print("frågor per skärm:", full)
    assert full == empty
    # Measured: the goal page's queries (tests/test_dashboard_queries.py) and a few for the screens' places.
    assert max(full.values()) <= 35


def test_freezing_a_report_publishes_its_analyses_for_meeting_mode(plan, chief_user, fake_pdf):
    from reports.models import GoalAnalysis
    from reports.services import create_report, freeze_report

    meeting = MeetingFactory(date=D(2026, 3, 10))
    report = create_report(meeting=meeting, user=chief_user)[0]
    GoalAnalysis.objects.update_or_create(report=report, goal=plan.goals.get(number=1, kind="goal"),
                                          defaults={"text": "Samordningen ökar <men> långsamt."})
    freeze_report(report=report, user=chief_user)
    assert Publication.objects.get(meeting=meeting).analyses == {"1": "Samordningen ökar <men> långsamt."}
