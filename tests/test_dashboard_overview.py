"""The overview: one card per goal counting its indicators' statuses, with filters in the URL."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _cards(response):
    return {item["goal"].number: item["card"] for item in response.context["goals"]}


def _tally(card):
    return card.good, card.bad, card.no_target, card.no_value


def test_there_is_a_card_for_each_of_the_seven_goals_and_the_operations_follow_up(member_client, plan):
    response = member_client.get(reverse("dashboards:home"))
    page = response.content.decode()
    assert sorted(_cards(response)) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert page.count('class="card goal-card"') == 8
    assert '<a href="/mal/8/">' in page and "Löpande verksamhet" in page


def test_the_2024_card_of_goal_1_counts_the_seeds_history_by_hand(member_client, plan):
    # 1.1 NKI 93 > 90: met. 1.2 56 % < 80 %: not met. 1.3 is measured from 2025: no value.
    response = member_client.get(reverse("dashboards:home") + "?ar=2024")
    card = _cards(response)[1]
    assert card.total == 3
    assert _tally(card) == (1, 1, 0, 1)
    page = response.content.decode()
    assert '<span class="tally__label">Uppfyllt</span><span class="tally__n">1</span>' in page
    assert '<span class="tally__label">Ej uppfyllt</span><span class="tally__n">1</span>' in page
    assert "(0 utan mål, 1 utan värde)" in page
    assert "År 2024 är avslutat" in page


def test_the_year_filter_changes_the_numbers(member_client, plan):
    # 2023: 1.1 86,6 is not more than 90, 1.2 58 % < 80 %: both not met; 1.3 no value.
    card = _cards(member_client.get(reverse("dashboards:home") + "?ar=2023"))[1]
    assert _tally(card) == (0, 2, 0, 1)
    # Goal 5 in 2024: 5.1–5.3 and 5.5 are measured without a target, 5.4 rose from 2,6 to 2,7.
    card = _cards(member_client.get(reverse("dashboards:home") + "?ar=2024"))[5]
    assert _tally(card) == (1, 0, 4, 0)


def test_cards_link_to_the_goal_pages_with_the_same_filters(member_client, plan):
    page = member_client.get(reverse("dashboards:home") + "?ar=2024").content.decode()
    assert '<a href="/mal/3/?ar=2024">' in page


def test_the_start_page_still_lists_every_indicator_with_its_latest_value(member_client, plan):
    response = member_client.get(reverse("dashboards:home") + "?ar=2024")
    latest = {ind.code: res for g in response.context["goals"] for ind, res in g["rows"]}
    assert len(latest) == 48
    assert latest["1.2"].year == 2024 and "56,0 %" in response.content.decode()
    assert latest["5.4"].year == 2024  # the 2025 value lies after the chosen year


def test_years_show_without_a_thousands_separator(member_client, plan):
    page = member_client.get(reverse("dashboards:home") + "?ar=2024").content.decode()
    assert "2\xa0024" not in page and "2 024" not in page
    assert '<option value="2024" selected>2024</option>' in page


def test_a_meeting_sets_the_cut_off_date_and_the_page_says_so(member_client, plan):
    year = timezone.localdate().year
    meeting = MeetingFactory(date=datetime.date(year, 4, 22))
    MeetingFactory(date=datetime.date(year - 1, 9, 23))
    response = member_client.get(reverse("dashboards:home") + f"?mote={meeting.pk}")
    filters = response.context["filters"]
    assert filters.as_of == datetime.date(year, 4, 22) and filters.meeting == meeting
    page = response.content.decode()
    assert f"Värden till och med 22 april {year} (sammanträdet)." in page
    assert f'<option value="{meeting.pk}" selected>22 april {year}</option>' in page
    assert f"23 september {year - 1}" not in page  # only the chosen year's meetings are offered
    assert f'href="/mal/1/?mote={meeting.pk}"' in page


def test_a_meeting_of_another_year_is_ignored(member_client, plan):
    meeting = MeetingFactory(date=datetime.date(2025, 4, 22))
    filters = member_client.get(reverse("dashboards:home") + f"?ar=2024&mote={meeting.pk}").context["filters"]
    assert filters.year == 2024 and filters.meeting is None and filters.as_of == timezone.localdate()


@pytest.mark.parametrize("query", ["?ar=1900", "?ar=2999", "?ar=tjugo", "?mote=999999", "?mote=x&ar=", "?ar=2024.5"])
def test_bad_filter_values_fall_back_to_this_year_and_today(member_client, plan, query):
    response = member_client.get(reverse("dashboards:home") + query)
    assert response.status_code == 200
    filters = response.context["filters"]
    assert filters.year == timezone.localdate().year
    assert filters.as_of == timezone.localdate() and filters.meeting is None


def test_the_filter_form_is_a_plain_get_form_with_labels(member_client, plan):
    page = member_client.get(reverse("dashboards:home")).content.decode()
    assert '<form method="get"' in page
    assert '<label for="filter-ar">År</label>' in page
    assert '<label for="filter-mote">Sammanträde</label>' in page
