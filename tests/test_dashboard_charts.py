"""indicators/charts.py: figures built in Python from indicator results, valid for plotly.js."""

import datetime

import plotly.graph_objects as go
import pytest

from dashboards import charts
from indicators.results import indicator_results
from tests.register_world import build_register

pytestmark = pytest.mark.django_db
END_2026 = datetime.date(2026, 12, 31)


def test_every_indicators_figure_is_valid_for_plotly(plan):
    build_register()
    for as_of, up_to in ((END_2026, 2024), (datetime.date(2026, 5, 20), 2026)):
        for code, series in indicator_results(plan, as_of=as_of).items():
            figure = charts.trend_figure(series, up_to=up_to)
            go.Figure(figure)  # raises ValueError on a property plotly.js does not know
            assert figure["layout"]["separators"] == ", ", code


def test_a_missing_value_is_a_gap_not_zero(plan):
    series = indicator_results(plan, as_of=END_2026, years=[2023, 2024, 2025])["1.1"]
    bars = charts.trend_figure(series, up_to=2025)["data"][0]
    assert bars["y"] == [86.6, 93.0, None] and bars["text"] == ["86,6", "93,0", ""]
    assert bars["customdata"][2] == "<b>2025</b><br>Värde saknas<br>Mål: mer än 90<br>Värde saknas"


def test_hover_texts_and_labels_use_swedish_number_formats(plan):
    build_register()
    series = indicator_results(plan, as_of=END_2026, years=[2025, 2026])["2.4"]
    bars = charts.trend_figure(series, up_to=2026)["data"][0]
    assert bars["text"][-1] == "100\xa0000 kr"  # negotiation saving in P1
    assert "Värde: 100\xa0000 kr" in bars["customdata"][-1]


def test_the_year_under_way_is_its_own_hatched_trace_with_the_expected_level(plan):
    build_register()
    series = indicator_results(plan, as_of=datetime.date(2026, 5, 20), years=[2024, 2025, 2026])["2.1"]
    data = charts.trend_figure(series, up_to=2026)["data"]
    to_date = next(t for t in data if t["name"] == "Hittills i år")
    assert to_date["x"] == ["2026"] and to_date["y"] == [1.0] and to_date["marker"]["pattern"]["shape"] == "/"
    expected = next(t for t in data if t["name"] == "Väntat hittills")
    assert expected["y"] == [95.9] and expected["customdata"] == ["Väntat hittills: 95,9"]  # 250 × 140/365


def test_without_target_the_figure_and_the_summary_leave_the_target_out(plan):
    series = indicator_results(plan, as_of=END_2026, years=[2023, 2024])["2.1"]
    figure = charts.trend_figure(series, up_to=2024, show_target=False)
    assert [t["name"] for t in figure["data"]] == ["Värde"]
    assert "Mål:" not in figure["data"][0]["customdata"][0]
    summary = charts.chart_summary(series, up_to=2024, show_target=False)
    assert summary.endswith("2023: 240; 2024: 303. Målet gäller hela samverkan.")


def test_the_summary_names_the_indicator_the_years_and_the_target(plan):
    series = indicator_results(plan, as_of=END_2026, years=list(range(2021, 2025)))["8.1"]
    summary = charts.chart_summary(series, up_to=2024)
    assert summary == (
        "Stapeldiagram över 8.1 Ekonomi i balans per år, 2022–2024. 2022: 2,8 %; 2023: 2,6 %; 2024: 2,1 %. "
        "Mål 2024: avvikelse mindre än ± 3 %. Måluppfyllelse: Uppfyllt."
    )
