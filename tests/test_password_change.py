"""Every user changes their own password at /konto/losenord/."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Ett-nytt-langt-losenord-42"


def _change(client, old, new1=NEW_PASSWORD, new2=NEW_PASSWORD):
    return client.post(reverse("password_change"),
                       {"old_password": old, "new_password1": new1, "new_password2": new2})


def _logs_in(username, password):
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_the_page_is_swedish_and_linked_from_the_header(member_client, plan):
    home = member_client.get(reverse("dashboards:home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home and "Byt lösenord" in home
    page = member_client.get(reverse("password_change")).content.decode()
    assert "Gammalt lösenord" in page and "Nytt lösenord" in page


def test_a_user_changes_the_password_and_the_old_one_stops_working(member_client, member_user):
    response = _change(member_client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert "Lösenordet är bytt" in member_client.get(response["Location"]).content.decode()
    member_user.refresh_from_db()
    assert member_user.check_password(NEW_PASSWORD)
    assert not _logs_in(member_user.username, PASSWORD)
    assert _logs_in(member_user.username, NEW_PASSWORD)


def test_the_session_that_changed_the_password_stays_logged_in(member_client, plan):
    _change(member_client, PASSWORD)
    assert member_client.get(reverse("dashboards:home")).status_code == 200


def test_a_wrong_old_password_gets_the_swedish_error_and_changes_nothing(member_client, member_user):
    before = member_user.password
    response = _change(member_client, "fel-gammalt-losenord")
    assert response.status_code == 200
    assert "Ditt gamla lösenord var felaktigt ifyllt" in response.content.decode()
    member_user.refresh_from_db()
    assert member_user.password == before


def test_a_new_password_that_breaks_the_rules_is_refused(member_client, member_user):
    before = member_user.password
    response = _change(member_client, PASSWORD, new1="kort", new2="kort")
    assert response.status_code == 200
    assert "Det här lösenordet är för kort" in response.content.decode()
    member_user.refresh_from_db()
    assert member_user.password == before


def test_the_change_needs_a_csrf_token(member_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_user)
    assert _change(client, PASSWORD).status_code == 403
    member_user.refresh_from_db()
    assert member_user.check_password(PASSWORD)


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_can_change_the_password_too(client):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    assert _change(client, PASSWORD).status_code == 302
