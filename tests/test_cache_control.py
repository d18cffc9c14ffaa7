"""Answers to a logged-in user are kept by no cache: pages, PDFs, Excel files and the API."""

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_a_page_for_a_logged_in_user_is_private_and_not_stored(member_client, plan):
    response = member_client.get(reverse("dashboards:home"))
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_a_report_pdf_is_private_and_not_stored(member_client, plan):
    report = ReportFactory(frozen=True, snapshot={})  # a stored PDF: no rendering needed
    response = member_client.get(reverse("reports:report_pdf", kwargs={"pk": report.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= _directives(response)


def test_an_excel_export_is_private_and_not_stored(member_client, plan):
    response = member_client.get(reverse("indicators:indicators_xlsx"))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    assert {"private", "no-store"} <= _directives(response)


def test_an_api_answer_to_a_token_is_private_and_not_stored(member_user, plan):
    _, token = AuthToken.objects.create(user=member_user)
    response = Client().get(reverse("api:api_kpi"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_an_api_answer_in_the_browser_session_is_private_and_not_stored(member_client, plan):
    response = member_client.get(reverse("api:api_data"))
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_a_refusal_to_a_logged_in_user_is_not_stored_either(member_client, plan):
    response = member_client.get(reverse("indicators:value_create"))
    assert response.status_code == 403
    assert "no-store" in _directives(response)


def test_the_public_accessibility_statement_may_be_cached_for_anonymous_visitors(plan):
    response = Client().get(reverse("dashboards:accessibility"))
    assert response.status_code == 200
    assert "no-store" not in _directives(response)
