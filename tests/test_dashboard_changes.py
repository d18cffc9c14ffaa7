"""Changes since the last meeting on the start page and the goal pages, against the figures last shown."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.wording import difference_text
from indicators.models import Publication
from tests.factories import IndicatorValueFactory, MeetingFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db
D = datetime.date


def _figure(year, value, status, unit):
    return {"year": year, "value": value, "status": status, "unit": unit}


@pytest.fixture
def november_report(plan):
    """The register of tests/register_world.py; the November meeting's frozen figures; a December meeting to view."""
    build_register()
    # Reported after the November meeting: NKI 2026 fell to 88,5 (not more than 90: not on track).
    IndicatorValueFactory(code="1.1", year=2026, value=Decimal("88.5"))
    november = MeetingFactory(date=D(2026, 11, 10))
    Publication.objects.create(meeting=november, year=2026, as_of=D(2026, 11, 10), figures={
        "1.1": _figure(2026, "92.0", "on_track", "index"),
        "1.2": _figure(2026, "55.6", "off_track", "percent"),
        "2.1": _figure(2026, "3", "off_track", "count"),
        "5.2": _figure(2026, "45.0", "no_target", "percent"),
    })
    return MeetingFactory(date=D(2026, 12, 15))


def _home(client, meeting):
    return client.get(reverse("dashboards:home"), {"ar": 2026, "mote": meeting.pk})


def _goal(client, number, meeting):
    return client.get(reverse("dashboards:goal_detail", args=[number]), {"ar": 2026, "mote": meeting.pk})


@pytest.mark.parametrize(("difference", "unit", "text"), [
    ("1.2", "percent", "+1,2 procentenheter"),
    ("-0.6", "percent", "\u22120,6 procentenheter"),
    ("1", "percent", "+1,0 procentenhet"),
    ("3", "count", "+3"),
    ("-2", "count", "\u22122"),
    ("-3.5", "index", "\u22123,5"),
    ("1500", "sek", "+1\xa0500 kr"),
])
def test_a_difference_is_written_in_the_values_unit_with_its_sign(difference, unit, text):
    assert difference_text(Decimal(difference), unit) == text


def test_without_an_earlier_frozen_report_the_start_page_says_so(member_client, plan):
    page = member_client.get(reverse("dashboards:home")).content.decode()
    assert '<h2 id="sedan-rubrik">Sedan förra sammanträdet</h2>' in page
    assert "Inget tidigare sammanträde med fastställd rapport." in page
    assert member_client.get(reverse("dashboards:home")).context["since"] is None


def test_the_start_page_lists_status_changes_first_then_changed_values(member_client, november_report):
    response = _home(member_client, november_report)
    since = response.context["since"]
    # 1.1: 92 on track → 88,5 not on track. 1.2: 55,6 % not on track → 66,7 % (P1 and P5 of P1, P2, P5)
    # on track. 5.2: 45 % → 50 % (3 regional bids of 6 in P1, P2, P5), measured without target.
    # 2.1: 3 follow-ups then and now (A1 in June and September, A2 in February), still not on track.
    assert [c.indicator.code for c in since.status_changes] == ["1.1", "1.2"]
    assert [c.indicator.code for c in since.value_changes] == ["5.2"]
    assert since.unchanged == 1
    page = response.content.decode()
    assert "Sedan förra sammanträdet (10 november 2026)" in page
    assert page.index("Ändrad status") < page.index("Ändrade värden") < page.index("Alla indikatorer</h2>")
    coordinated = since.changes["1.2"]
    assert (coordinated.then_text, coordinated.now_text) == ("55,6 %", "66,7 %")
    assert coordinated.difference_text == "+11,1 procentenheter"  # 66,7 − 55,6
    assert since.changes["1.1"].difference_text == "\u22123,5"  # 88,5 − 92
    assert since.changes["5.2"].difference_text == "+5,0 procentenheter"  # 50,0 − 45,0
    words = " ".join(page.split())
    assert ("Nöjd kundindex från kommunerna</a> (2026): värde 92,0 <span aria-hidden=\"true\">→</span>"
            '<span class="visually-hidden">blev</span> 88,5 (\u22123,5). <strong>Ändrad status:</strong> '
            '<span class="status status--on_track">') in words
    assert "Inte på väg mot målet</span> <span aria-hidden=\"true\">→</span>" in words
    assert "(2026): 45,0 % <span aria-hidden=\"true\">→</span>" in words
    assert "1 indikator är oförändrad." in page
    assert f'mote={november_report.pk}#indikator-chart-1-2">' in page  # to the goal page's panel


def test_the_chosen_meetings_own_figures_are_not_the_last_meeting(member_client, november_report):
    Publication.objects.create(meeting=november_report, year=2026, as_of=D(2026, 12, 15), figures={
        "1.2": _figure(2026, "66.7", "on_track", "percent"),
    })
    since = _home(member_client, november_report).context["since"]
    assert since.meeting_date == D(2026, 11, 10)
    assert since.changes["1.2"].then_value == Decimal("55.6")


def test_each_goal_panel_has_a_line_with_the_change_and_the_status_change(member_client, november_report):
    response = _goal(member_client, 1, november_report)
    panels = {p.indicator.code: p for p in response.context["panels"]}
    assert panels["1.2"].since.status_changed and panels["1.3"].since is None
    page = response.content.decode()
    assert "Varje indikator jämförs med siffrorna som redovisades vid sammanträdet 10 november 2026." in page
    line = page[page.index('id="indikator-chart-1-2"'):page.index('id="indikator-chart-1-3"')]
    assert "Sedan sammanträdet 10 november 2026:" in line and "värdet för 2026 55,6 %" in line
    assert "55,6 %" in line and "66,7 %" in line and "(+11,1 procentenheter)" in line
    assert "Ändrad status:" in line and "panel__since--status" in line
    not_shown = page[page.index('id="indikator-chart-1-3"'):]
    assert "indikatorn fanns inte med i rapporten." in not_shown


def test_an_unchanged_indicator_says_so_on_its_panel(member_client, november_report):
    page = _goal(member_client, 2, november_report).content.decode()
    line = page[page.index('id="indikator-chart-2-1"'):page.index('id="indikator-chart-2-2"')]
    assert "värdet för 2026 är oförändrat (3)." in line and "Ändrad status" not in line


def test_a_full_year_report_is_compared_with_the_same_year_and_says_which(member_client, plan):
    """The February meeting showed 2025's full year: the April page of 2026 compares 2025 with 2025."""
    IndicatorValueFactory(code="1.1", year=2025, value=Decimal("91.4"))  # entered after February
    february = MeetingFactory(date=D(2026, 2, 10))
    Publication.objects.create(meeting=february, year=2025, as_of=D(2025, 12, 31), figures={
        "1.1": _figure(2025, "93.0", "met", "index"),
    })
    april = MeetingFactory(date=D(2026, 4, 22))
    response = _home(member_client, april)
    change = response.context["since"].changes["1.1"]
    assert (change.year, change.then_text, change.now_text) == (2025, "93,0", "91,4")
    assert change.difference_text == "\u22121,6" and not change.status_changed  # met both times
    page = response.content.decode()
    assert "för samma år som då: 2025. Därför jämförs inte 2026." in page
    assert "Sedan sammanträdet 10 februari 2026:" in _goal(member_client, 1, april).content.decode()


def test_on_track_becoming_met_when_the_year_ends_is_no_status_change(member_client, plan):
    IndicatorValueFactory(code="1.1", year=2025, value=Decimal("93"))
    december = MeetingFactory(date=D(2025, 12, 9))
    Publication.objects.create(meeting=december, year=2025, as_of=D(2025, 12, 9), figures={
        "1.1": _figure(2025, "93", "on_track", "index"),
    })
    february = MeetingFactory(date=D(2026, 2, 10))
    change = _home(member_client, february).context["since"].changes["1.1"]
    assert change.now_status == "met" and not change.status_changed and not change.changed


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["dashboards:home", "dashboards:goal_detail"])
def test_the_comparison_costs_one_query_whatever_the_number_of_figures(member_client, november_report, page,
                                                                       monkeypatch):
    url = reverse(page, args=[1] if page == "dashboards:goal_detail" else []) + f"?ar=2026&mote={november_report.pk}"
    _queries(member_client, url)  # warm the per-process caches
    with_publication = _queries(member_client, url)
    monkeypatch.setattr("dashboards.selectors.last_publication", lambda filters: None)
    without = _queries(member_client, url)
    assert with_publication == without + 1
