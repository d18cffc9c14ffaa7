"""The read-only JSON API: token or session, Kolada-shaped, the same numbers as the pages."""

import datetime

import pytest
from django.urls import reverse
from knox.models import AuthToken

from tests.factories import UserFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(member_user):
    _, key = AuthToken.objects.create(user=member_user)
    return key


def test_without_credentials_the_api_answers_401(client, plan):
    response = client.get(reverse("api:api_data"))
    assert response.status_code == 401


def test_a_wrong_token_is_refused(client, plan):
    response = client.get(reverse("api:api_data"), HTTP_AUTHORIZATION="Token fel")
    assert response.status_code == 401


def test_a_user_without_a_role_is_refused(client, plan):
    _, key = AuthToken.objects.create(user=UserFactory(username="utan-roll"))
    assert client.get(reverse("api:api_kpi"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 403


def test_the_kpi_list_carries_the_metadata(client, plan, token):
    data = client.get(reverse("api:api_kpi"), HTTP_AUTHORIZATION=f"Token {token}").json()
    assert data["count"] == 48
    coordinated = next(v for v in data["values"] if v["id"] == "1.2")
    assert coordinated["goal"] == 1 and coordinated["unit"] == "percent"
    assert coordinated["target"]["kind"] == "at_least" and coordinated["target"]["value"] == 60
    assert coordinated["per_municipality"] is True
    assert "minst två" in coordinated["explanation"]


def test_data_is_shaped_like_kolada_with_history(client, plan, token):
    response = client.get(reverse("api:api_data"), {"kpi": "1.2,1.1", "year": "2023,2024"},
                          HTTP_AUTHORIZATION=f"Token {token}")
    data = response.json()
    assert response.status_code == 200 and data["count"] == 4
    row = next(v for v in data["values"] if v["kpi"] == "1.2" and v["period"] == 2024)
    assert row["municipality"] is None
    assert row["values"][0]["value"] == 56 and row["values"][0]["status"] == "not_met"
    assert row["kpi_meta"]["unit"] == "percent"


def test_data_per_municipality_and_year_to_date(client, plan, token):
    build_register()
    response = client.get(
        reverse("api:api_data"),
        {"kpi": "1.2", "year": "2026", "municipality": "Falun,Borlänge", "until": "2026-04-30"},
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    values = {v["municipality"]: v["values"][0] for v in response.json()["values"]}
    # By 30 April: Falun's completed are P1 and P5, both coordinated; Borlänge's is P1.
    assert values["Falun"]["value"] == 100 and values["Falun"]["denominator"] == 2
    assert values["Borlänge"]["value"] == 100 and values["Borlänge"]["to_date"] is True


def test_the_browser_session_works_too(member_client, plan):
    assert member_client.get(reverse("api:api_kpi")).status_code == 200


@pytest.mark.parametrize("params, field", [
    ({"year": "1999"}, "year"), ({"year": "tjugo"}, "year"),
    ({"municipality": "Mora"}, "municipality"), ({"until": "2026-13-01"}, "until"),
])
def test_bad_parameters_get_a_400_with_the_reason(client, plan, token, params, field):
    response = client.get(reverse("api:api_data"), params, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 400 and field in response.json()


def test_the_api_is_read_only(client, plan, token):
    response = client.post(reverse("api:api_data"), {}, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 405


def test_api_and_export_command_agree(client, plan, token):
    import json
    from io import StringIO

    from django.core.management import call_command

    build_register()
    out = StringIO()
    call_command("export_indicators", "--year", "2026", "--until", "2026-12-31", stdout=out)
    exported = {r["code"]: r["values"]["2026"] for r in json.loads(out.getvalue())}
    api = client.get(reverse("api:api_data"), {"year": "2026", "until": "2026-12-31"},
                     HTTP_AUTHORIZATION=f"Token {token}").json()
    from_api = {v["kpi"]: v["values"][0]["value"] for v in api["values"]}
    assert exported == from_api
    assert exported["1.2"] == 66.7 and datetime.date(2026, 12, 31)
