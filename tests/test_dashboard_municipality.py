"""One municipality's dashboard and the seven municipalities side by side."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def december_2026(plan):
    """The register of tests/register_world.py seen at a meeting on 15 December 2026."""
    build_register()
    return MeetingFactory(date=datetime.date(2026, 12, 15))


def _detail(client, name, meeting, **extra):
    return client.get(reverse("dashboards:municipality_detail", args=[name]), {"ar": 2026, "mote": meeting.pk, **extra})


def _panels(response):
    return {p.indicator.code: p for _goal, panels in response.context["groups"] for p in panels}


def test_an_unknown_municipality_is_404(member_client, plan):
    assert member_client.get(reverse("dashboards:municipality_detail", args=["Stockholm"])).status_code == 404
    falun = reverse("dashboards:municipality_detail", args=["Falun"])
    assert member_client.get(falun, {"kommun": "Mora"}).status_code == 404


def test_the_chooser_moves_to_the_chosen_municipality_and_keeps_the_other_filters(member_client, plan):
    falun = reverse("dashboards:municipality_detail", args=["Falun"])
    response = member_client.get(falun, {"kommun": "Borlänge", "ar": 2025})
    assert response.status_code == 302
    assert response["Location"] == "/kommuner/Borl%C3%A4nge/?ar=2025"
    assert member_client.get(response["Location"]).status_code == 200


def test_only_indicators_that_exist_per_municipality_are_shown(member_client, december_2026):
    panels = _panels(_detail(member_client, "Falun", december_2026))
    assert {"1.2", "2.1", "2.2", "5.2", "7.1", "7.2", "8.2"} <= set(panels)
    assert not {"1.1", "1.3", "6.2", "8.1", "8.3"} & set(panels)


def test_falun_has_its_own_values_from_the_register(member_client, december_2026):
    response = _detail(member_client, "Falun", december_2026)
    panels = _panels(response)
    # Falun's completed procurements 2026: P1, P2, P5; coordinated P1 and P5 → 2 / 3.
    assert str(panels["1.2"].current.value) == "66.7"
    assert panels["1.2"].mode == "target" and panels["1.2"].current.status == "on_track"
    # Falun's follow-ups 2026: A1 twice (Falun and Borlänge), A2 once.
    assert panels["2.1"].current.value == 3 and panels["2.1"].mode == "committee_target"
    assert panels["2.2"].current.value == 1 and panels["2.2"].mode == "reached"
    page = response.content.decode()
    assert "Målet gäller hela samverkan och bedöms inte för en enskild kommun." in page
    assert "&amp;kommun=Falun" in page  # the drill-down is for Falun's records


def test_a_municipalitys_trend_starts_with_its_first_value(member_client, december_2026):
    response = _detail(member_client, "Falun", december_2026)
    assert [r.year for r in _panels(response)["1.2"].rows] == [2025, 2026]
    figure = response.context["figures"]["chart-1-2"]
    assert figure["data"][0]["x"] == ["2025"] and figure["data"][0]["y"] == [0.0]  # P6 alone, Falun only


def test_a_count_has_no_target_line_on_a_municipalitys_chart(member_client, december_2026):
    figure = _detail(member_client, "Falun", december_2026).context["figures"]["chart-2-1"]
    assert [t["name"] for t in figure["data"]] == ["Värde", "Hittills i år"]


def test_k_of_7_indicators_show_reached_in_words_and_symbols_without_a_chart(member_client, december_2026):
    response = _detail(member_client, "Borlänge", december_2026)
    assert "chart-7-2" not in response.context["figures"]
    page = response.content.decode()
    assert '<span class="reached reached--no"><span aria-hidden="true">✗</span> Ej nådd</span>' in page  # 7.2
    assert '<span class="reached reached--yes"><span aria-hidden="true">✓</span> Nådd</span>' in page  # 7.1


def test_the_matrix_shows_the_seven_municipalities_side_by_side(member_client, december_2026):
    response = member_client.get(reverse("dashboards:municipality_matrix"), {"ar": 2026, "mote": december_2026.pk})
    assert response.status_code == 200
    names = [m.name for m in response.context["municipalities"]]
    assert len(names) == 7
    reached = {row.indicator.code: row for row in response.context["reached_rows"]}
    assert list(reached) == ["2.2", "7.1", "7.2"]
    by_name = dict(zip(names, reached["7.1"].cells, strict=True))
    # Plan sent on remiss with dialogue in Falun, Borlänge and Avesta (1 November).
    assert [by_name[n].value for n in ("Falun", "Borlänge", "Avesta")] == [1, 1, 1]
    assert by_name["Gagnef"] is None or by_name["Gagnef"].value is None
    assert reached["7.1"].committee.value == 3
    values = {row.indicator.code: row for row in response.context["value_rows"]}
    # Every share and average judged per municipality, in the plan's order, then the count 2.1.
    assert list(values) == ["1.2", "3.1", "4.1", "4.7", "4.8", "4.9", "4.10", "4.11", "4.12", "4.13", "4.14",
                            "5.2", "5.3", "5.5", "8.2", "2.1"]
    by_name = dict(zip(names, values["5.2"].cells, strict=True))
    assert str(by_name["Borlänge"].value) == "66.7"  # P1's 3 bids, 2 regional
    page = response.content.decode()
    assert "3 av 7" in page
    assert "✗</span> Ej nådd" in page and "Ingen uppgift" in page


def test_the_matrix_year_filter_changes_the_year(member_client, december_2026):
    response = member_client.get(reverse("dashboards:municipality_matrix"), {"ar": 2025})
    reached = {row.indicator.code: row for row in response.context["reached_rows"]}
    # 2025 has register data (P5, P6) but no dialogue: none of the seven was reached. 2025 is 7.1's
    # baseline year ("Ny indikator 2025"): measured, not judged.
    assert reached["7.1"].committee.year == 2025 and reached["7.1"].committee.value == 0
    assert reached["7.1"].committee.status == "baseline"
    assert "Nådda kommuner 2025" in response.content.decode()


def test_the_menu_marks_the_municipality_pages(member_client, plan):
    page = member_client.get(reverse("dashboards:municipality_matrix")).content.decode()
    assert '<a href="/kommuner/" aria-current="page">Kommuner</a>' in page
    page = member_client.get(reverse("dashboards:municipality_detail", args=["Säter"])).content.decode()
    assert '<a href="/kommuner/" aria-current="true">Kommuner</a>' in page
    assert "<h1>Säter</h1>" in page
