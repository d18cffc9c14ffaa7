"""Refused and missing pages answer in Swedish, in the site's layout, with a way back."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import bad_request, server_error

from ops.roles import STAFF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LAYOUT = "Gemensamma nämnden för upphandlingssamverkan"


def _page(response):
    return response.content.decode()


def test_refused_page_is_swedish_names_the_role_and_links_home(member_client):
    # Committee members may not report values: a staff page.
    response = member_client.get(reverse("indicators:value_create"))
    assert response.status_code == 403
    page = _page(response)
    assert "Du har inte behörighet till den här sidan" in page
    assert "Nämndledamot" in page
    assert LAYOUT in page
    assert f'href="{reverse("dashboards:home")}"' in page
    assert "Forbidden" not in page


def test_user_without_role_is_told_so(client):
    client.force_login(UserFactory())
    response = client.get(reverse("indicators:value_create"))
    assert response.status_code == 403
    assert "Ditt konto har ingen roll i systemet än." in _page(response)


def test_missing_page_is_swedish(staff_client):
    response = staff_client.get("/finns-inte/")
    assert response.status_code == 404
    page = _page(response)
    assert "Sidan finns inte" in page
    assert LAYOUT in page
    assert "Not Found" not in page


def test_missing_record_is_swedish(staff_client):
    response = staff_client.get(reverse("procurement:procurement_detail", args=[999999]))
    assert response.status_code == 404
    assert "Sidan finns inte" in _page(response)


def test_server_error_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = _page(response)
    assert "Något gick fel hos oss" in page
    assert LAYOUT in page


def test_bad_request_page_is_swedish():
    response = bad_request(RequestFactory().get("/"), exception=None)
    assert response.status_code == 400
    assert "Begäran kunde inte tolkas" in _page(response)


def test_form_without_csrf_token_is_refused_in_swedish():
    user = UserFactory(role=STAFF)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    page = _page(response)
    assert "Formuläret kunde inte skickas" in page
    assert "Ingenting sparades." in page
    assert "CSRF verification failed" not in page
