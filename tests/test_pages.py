"""The start page, the goal page and the indicator page as a committee member sees them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_swedish(client):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="sv">' in page
    assert "Logga in" in page and "Lösenord" in page


def test_wrong_password_gets_a_swedish_message(client, member_user):
    response = client.post(reverse("login"), {"username": member_user.username, "password": "fel"})
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


def test_start_page_lists_every_goal_and_indicator_with_latest_value(member_client, plan):
    response = member_client.get(reverse("dashboards:home"))
    page = response.content.decode()
    assert response.status_code == 200
    for number in range(1, 8):
        assert f"Inriktningsmål {number}" in page
    assert "Uppföljning av den löpande verksamheten" in page
    goals = response.context["goals"]
    assert sum(len(g["rows"]) for g in goals) == 48
    latest = {ind.code: res for g in goals for ind, res in g["rows"]}
    assert latest["1.1"].year == 2024 and str(latest["1.1"].value) == "93.00"
    assert latest["5.4"].year == 2025
    assert "56,0 %" in page  # 1.2's latest value with a Swedish percent


def test_start_page_shows_status_in_words(member_client, plan):
    page = member_client.get(reverse("dashboards:home")).content.decode()
    assert "Uppfyllt" in page and "Ej uppfyllt" in page and "Mål saknas" in page


def test_indicator_page_shows_specification_targets_and_values(member_client, plan):
    response = member_client.get(reverse("indicators:indicator_detail", args=["1.2"]))
    page = response.content.decode()
    assert "Andel samordnade upphandlingar" in page
    assert "på uppdrag av minst 2 kommuner" in page
    assert "2021–2025" in page and "2026–" in page
    assert "minst 80 %" in page and "minst 60 %" in page
    rows = {r.year: r for r in response.context["rows"]}
    assert str(rows[2021].value) == "59.00" and rows[2021].status == "not_met"
    assert rows[2026].value is None and rows[2026].status == "no_value"


def test_indicator_page_uses_decimal_comma(member_client, plan):
    page = member_client.get(reverse("indicators:indicator_detail", args=["3.1"])).content.decode()
    assert "9,4" in page and "4,3" in page


def test_unknown_indicator_is_404(member_client, plan):
    assert member_client.get(reverse("indicators:indicator_detail", args=["9.9"])).status_code == 404


def test_unknown_goal_is_404(member_client, plan):
    assert member_client.get(reverse("dashboards:goal_detail", args=[42])).status_code == 404


def test_only_staff_see_the_link_to_report_values(member_client, plan):
    assert "Rapportera värde" not in member_client.get(reverse("dashboards:home")).content.decode()


def test_staff_see_the_link_to_report_values(staff_client, plan):
    assert "Rapportera värde" in staff_client.get(reverse("dashboards:home")).content.decode()
