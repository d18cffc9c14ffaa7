"""The goal page: every indicator's trend as a plotly figure built in Python, with a table alternative."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db


class _Tables(HTMLParser):
    """The rows of every table marked data-table-for="<chart id>", as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._current, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table-for" in attrs:
            self._current = self.tables.setdefault(attrs["data-table-for"], [])
        elif tag == "tr" and self._current is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._current = None
        elif tag == "tr" and self._row is not None:
            self._current.append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(page):
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def _figures(page):
    """The figures exactly as the browser receives them (json_script)."""
    match = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def _trace(figure, name):
    return next(t for t in figure["data"] if t["name"] == name)


@pytest.fixture
def june_2026(plan):
    """The register of tests/register_world.py seen at a meeting on 30 June 2026."""
    build_register()
    return MeetingFactory(date=datetime.date(2026, 6, 30), title="Junisammanträdet")


def test_the_figure_has_the_values_and_the_target_line(member_client, plan):
    page = member_client.get(reverse("dashboards:goal_detail", args=[1]) + "?ar=2024").content.decode()
    figure = _figures(page)["chart-1-2"]
    values = _trace(figure, "Värde")
    assert values["type"] == "bar"
    assert values["x"] == ["2021", "2022", "2023", "2024"]
    assert values["y"] == [59.0, 57.0, 58.0, 56.0]
    assert values["text"] == ["59,0 %", "57,0 %", "58,0 %", "56,0 %"]  # shares with one decimal
    assert values["customdata"][3] == "<b>2024</b><br>Värde: 56,0 %<br>Mål: minst 80 %<br>Ej uppfyllt"
    target = _trace(figure, "Mål")
    assert target["y"] == [80.0, 80.0, 80.0, 80.0] and target["line"]["dash"] == "dash"
    assert figure["layout"]["separators"] == ", "
    assert figure["layout"]["yaxis"]["ticksuffix"] == " %"


def test_the_table_alternative_has_the_same_numbers_as_the_figure(member_client, plan):
    page = member_client.get(reverse("dashboards:goal_detail", args=[1]) + "?ar=2024").content.decode()
    figures, tables = _figures(page), _tables(page)
    for chart_id in ("chart-1-1", "chart-1-2"):
        header, *rows = tables[chart_id]
        assert header == ["År", "Värde", "Mål", "Måluppfyllelse", "Källa"]
        bars = _trace(figures[chart_id], "Värde")
        assert [r[0] for r in rows] == bars["x"]
        assert [r[1] for r in rows] == bars["text"]
    header, *rows = tables["chart-1-2"]
    assert rows[3] == ["2024", "56,0 %", "minst 80 %", "✗ Ej uppfyllt", "Inrapporterat"]  # the row's year heads it


def test_the_chart_is_an_image_with_a_summary_for_screen_readers(member_client, plan):
    page = member_client.get(reverse("dashboards:goal_detail", args=[1]) + "?ar=2024").content.decode()
    match = re.search(r'<div class="chart" id="chart-1-1" data-chart="chart-1-1" role="img" aria-label="([^"]*)"', page)
    assert match is not None
    assert "2021: 88,1; 2022: 89,9; 2023: 86,6; 2024: 93,0." in match.group(1)
    assert "Mål 2024: mer än 90. Måluppfyllelse: Uppfyllt." in match.group(1)


def test_charts_are_drawn_by_our_own_script_and_no_script_is_inline(member_client, plan):
    page = member_client.get(reverse("dashboards:goal_detail", args=[1])).content.decode()
    assert '<script src="/static/vendor/plotly.min.js" defer></script>' in page
    assert '<script src="/static/js/dashboard.js" defer></script>' in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "cdn" not in page.lower()


def test_a_within_target_is_a_band_and_an_increase_target_is_words(member_client, plan):
    figures = _figures(member_client.get(reverse("dashboards:goal_detail", args=[8]) + "?ar=2024").content.decode())
    band = [t for t in figures["chart-8-1"]["data"] if t["name"].startswith("Målintervall")]
    assert [t["y"] for t in band] == [[-3.0, -3.0, -3.0], [3.0, 3.0, 3.0]]
    assert band[1]["fill"] == "tonexty"
    figures = _figures(member_client.get(reverse("dashboards:goal_detail", args=[5]) + "?ar=2025").content.decode())
    increase = figures["chart-5-4"]
    assert [t["name"] for t in increase["data"]] == ["Värde"]  # no line to draw
    assert increase["layout"]["title"]["text"] == "Mål: Ska öka jämfört med föregående år"


def test_a_k_of_n_target_is_a_line_at_k(member_client, june_2026):
    url = reverse("dashboards:goal_detail", args=[1]) + f"?ar=2026&mote={june_2026.pk}"
    figure = _figures(member_client.get(url).content.decode())["chart-1-3"]
    assert _trace(figure, "Mål")["y"] == [12.0, 12.0]  # 12 av 12 categories, 2025 and 2026
    assert _trace(figure, "Värde")["y"] == [1.0]  # K1's strategy of March 2025
    assert _trace(figure, "Hittills i år")["y"] == [2.0]  # K1 and K2 (June 2026) by 30 June
    assert figure["layout"]["yaxis"]["range"] == [0, 12.5]


def test_the_meeting_sets_this_years_value_to_date_and_the_drill_down_link(member_client, june_2026):
    url = reverse("dashboards:goal_detail", args=[1]) + f"?ar=2026&mote={june_2026.pk}"
    response = member_client.get(url)
    page = response.content.decode()
    assert "Värden till och med 30 juni 2026 (sammanträdet)." in page
    coordinated = next(p for p in response.context["panels"] if p.indicator.code == "1.2")
    # Completed by 30 June 2026: P1, P2, P5; coordinated P1 and P5 → 2 / 3.
    assert str(coordinated.current.value) == "66.7" and coordinated.current.to_date
    assert "Värde 2026 hittills" in page and "66,7 %" in page
    assert "På väg mot målet" in page
    assert 'href="/indikatorer/1.2/underlag/2026/?till=2026-06-30"' in page
    assert "Underlag 2026: 2 samordnade upphandlingar av 3 avslutade upphandlingar." in page
    assert "Andel av de upphandlingar som avslutats under året" in page  # how it is computed


def test_recorded_values_say_so_and_the_latest_comment_is_shown(member_client, plan):
    page = member_client.get(reverse("dashboards:goal_detail", args=[8]) + "?ar=2024").content.decode()
    assert "<strong>Kommentar 2024:</strong> positiv avvikelse" in page
    assert "Inrapporterat" in page
    assert 'href="/indikatorer/8.1/"' not in page  # the indicator link carries the cut-off date
    assert 'href="/indikatorer/8.1/?till=' in page


def test_the_goal_page_has_a_menu_of_all_goals_with_the_current_one_marked(member_client, plan):
    page = member_client.get(reverse("dashboards:goal_detail", args=[3]) + "?ar=2024").content.decode()
    assert '<a href="/mal/3/?ar=2024" aria-current="page">Mål 3</a>' in page
    assert '<a href="/mal/8/?ar=2024">Löpande verksamhet</a>' in page
    assert 'href="/mal/1/" aria-current="true">Mål</a>' in page  # the main menu's "Mål"


def test_headings_go_in_order(member_client, plan):
    page = member_client.get(reverse("dashboards:goal_detail", args=[4])).content.decode()
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", page)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_unknown_goal_is_404_even_with_filters(member_client, plan):
    assert member_client.get(reverse("dashboards:goal_detail", args=[9]) + "?ar=1900").status_code == 404


def test_a_coming_meeting_is_prepared_with_what_is_known_today(member_client, plan):
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    meeting = MeetingFactory(date=datetime.date(today.year, 12, 31))
    response = member_client.get(reverse("dashboards:goal_detail", args=[1]), {"ar": today.year, "mote": meeting.pk})
    assert response.context["filters"].as_of == min(meeting.date, today)
    if meeting.date > today:
        assert "inför sammanträdet" in response.content.decode()
