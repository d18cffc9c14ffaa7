"""Every status on the dashboards says which year (and tertial) it judges, so cards and rows agree."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from dashboards.selectors import GoalCard
from dashboards.wording import Shown, judged_when, status_text
from indicators.models import IndicatorValue, Period
from tests.factories import IndicatorValueFactory, MeetingFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def june_2026(plan):
    return MeetingFactory(date=D(2026, 6, 30))


def _home(client, meeting=None, year=2026):
    return client.get(reverse("dashboards:home"), {"ar": year, **({"mote": meeting.pk} if meeting else {})})


def _cards(response):
    return {item["goal"].number: item["card"] for item in response.context["goals"]}


def _rows(response):
    return {row.indicator.code: row for item in response.context["goals"] for row in item["rows"]}


def _words(response):
    return " ".join(response.content.decode().split())


def test_a_value_of_last_year_is_counted_as_no_value_on_the_card_and_named_with_its_year_in_the_row(
    member_client, june_2026
):
    # 1.1 NKI has 92 for 2025 (more than 90: met) and nothing yet for 2026.
    IndicatorValueFactory(code="1.1", year=2025, value=Decimal("92"))
    response = _home(member_client, june_2026)
    card = _cards(response)[1]
    one_one = next(r for r in card.results if r.year == 2026 and r.value is None and r.status == "no_value")
    assert one_one is not None
    # Goal 1 in 2026 with an empty register: 1.1 no value, 1.2 no completed procurements, 1.3 no categories.
    assert (card.good, card.bad, card.no_target, card.no_value) == (0, 0, 0, 3)
    row = _rows(response)["1.1"]
    assert row.latest.year == 2025 and row.latest.status_text == "Uppfyllt (2025)"
    words = _words(response)
    assert '<p class="goal-card__year" id="kort-1-ar">2026 hittills</p>' in words
    assert 'aria-label="Måluppfyllelse 2026 hittills för mål 1"' in words
    assert "(0 utan mål, 3 utan värde)" in words
    assert '<span class="status__icon" aria-hidden="true">✓</span> Uppfyllt (2025)</span>' in words


def test_a_finished_year_is_a_full_years_card(member_client, plan):
    words = _words(_home(member_client, year=2024))
    assert '<p class="goal-card__year" id="kort-1-ar">Helåret 2024</p>' in words
    # 1.2 in 2024: 56 % against at least 80 % (the seed's history).
    assert "✗</span> Ej uppfyllt (2024)</span>" in words


def test_a_recorded_tertial_says_which_period_it_judges(member_client, june_2026):
    # 1.1 for January–April 2026: 91 > 90, judged as it stands: on track.
    IndicatorValueFactory(code="1.1", year=2026, period=Period.T1, value=Decimal("91"))
    response = _home(member_client, june_2026)
    row = _rows(response)["1.1"]
    assert row.latest.status == "on_track"
    assert row.latest.status_text == "På väg mot målet (januari–april 2026)"
    assert _cards(response)[1].good == 1  # the card counts the tertial as 2026's value


def test_baseline_and_not_comparable_are_counted_apart_from_no_value(member_client, plan):
    build_register()
    # Goal 3 in 2025 (P5 and P6 advertised, P6 completed): 3.1 averages 0 questions, measured without target;
    # 3.2 (P6 without bidders contacted), 3.4, 3.5 and 3.6 count 0 in their baseline year 2025 ("Nollmätning");
    # 3.3 is reported by hand and has no 2025 value.
    response = _home(member_client, year=2025)
    card = _cards(response)[3]
    assert (card.good, card.bad, card.baseline, card.not_comparable, card.no_target, card.no_value) == (
        0, 0, 4, 0, 1, 1)
    words = _words(response)
    assert ('◎</span><span class="tally__label">Nollmätning <span class="tally__detail">(bedöms inte)</span>'
            '</span><span class="tally__n">4</span>') in words
    assert "(1 utan mål, 1 utan värde)" in words
    # 8.6's 2024 history is in per cent against a target in hours: shown in its own unit, not judged.
    response = _home(member_client, year=2024)
    assert _cards(response)[8].not_comparable == 1
    row = _rows(response)["8.6"]
    assert row.latest.status_text == "Ej jämförbart (2024)" and row.latest.unit == "percent"
    assert '<td class="num">85,0 %</td>' in _words(response)


def test_the_card_counts_neutral_statuses_on_their_own():
    results = [SimpleNamespace(status=s) for s in ("met", "on_track", "not_met", "baseline", "not_comparable",
                                                   "no_target", "no_value")]
    card = GoalCard(goal=None, rows=[], results=[*results, None])
    # 8 indicators: 2 good, 1 bad, 1 baseline, 1 not comparable, 1 without target, 2 without value (one has none).
    assert (card.good, card.bad, card.baseline, card.not_comparable, card.no_target, card.no_value) == (
        2, 1, 1, 1, 1, 2)


def test_what_a_status_judges_is_said_in_words():
    full_year = SimpleNamespace(year=2025, status="met", origin="computed", period="year", to_date=False)
    to_date = SimpleNamespace(year=2026, status="off_track", origin="computed", period="year", to_date=True)
    tertial = SimpleNamespace(year=2026, status="on_track", origin="recorded", period="t2", to_date=True)
    assert judged_when(full_year) == "2025" and status_text(full_year) == "Uppfyllt (2025)"
    assert status_text(to_date) == "Inte på väg mot målet (2026 hittills)"
    assert status_text(tertial) == "På väg mot målet (januari–augusti 2026)"
    # In a table row headed by its year only the period is added.
    assert Shown(tertial, indicator=None).status_in_row == "På väg mot målet (januari–augusti)"
    assert Shown(full_year, indicator=None).status_in_row == "Uppfyllt"


def test_the_goal_page_says_the_year_of_this_years_status(member_client, plan):
    response = member_client.get(reverse("dashboards:goal_detail", args=[1]), {"ar": 2024})
    page = " ".join(response.content.decode().split())
    assert "<dt>Måluppfyllelse</dt><dd> <span class=\"status status--not_met\">" in page
    assert "Ej uppfyllt (2024)</span>" in page


def test_a_recorded_value_has_a_change_link_for_those_who_may_correct_it(client, staff_user, member_client, plan):
    value = IndicatorValueFactory(code="1.1", year=2025, value=Decimal("92"))
    url = reverse("dashboards:goal_detail", args=[1])
    edit = reverse("indicators:value_update", args=[value.pk])
    page = member_client.get(url).content.decode()
    assert edit not in page  # a committee member may not change values
    client.force_login(staff_user)
    words = " ".join(client.get(url).content.decode().split())
    assert (f'<a class="edit-link no-print" href="{edit}">Ändra<span class="visually-hidden"> värdet för 1.1, '
            "helår 2025</span></a>") in words
    # The plan's history is recorded too; a value computed from the register has no link: 1.2 has the
    # plan's 2021–2024 and the register's 2026 (P1 and P5 of P1, P2, P5).
    history = IndicatorValue.objects.get(indicator__code="1.1", year=2024, municipality=None)
    assert reverse("indicators:value_update", args=[history.pk]) in words
    build_register()
    words = " ".join(client.get(url, {"ar": 2026}).content.decode().split())
    assert "66,7 %" in words
    assert [y for y in range(2021, 2027) if f"värdet för 1.2, helår {y}<" in words] == [2021, 2022, 2023, 2024]
