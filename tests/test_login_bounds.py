"""The login forms refuse over-long values before anything is stored; django-axes keeps bounded records."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from config.forms import PASSWORD_MAX_LENGTH, USERNAME_MAX_LENGTH

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024
# One failed attempt keeps at most 1 024 characters of GET and of POST data (axes.helpers.get_query_str).
AXES_DATA_PER_ATTEMPT = 1024 + len("\n---------\n")


def _stored_usernames():
    return [u or "" for model in (AccessAttempt, AccessFailureLog) for u in model.objects.values_list("username",
                                                                                                        flat=True)]


@pytest.fixture(autouse=True)
def _failure_log(settings):
    # The failure log is off by default; on, it is one more place a user name could be stored.
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True


def test_a_ten_megabyte_user_name_is_refused_in_swedish_and_not_stored():
    response = Client().post(reverse("login"), {"username": "a" * TEN_MB, "password": "fel"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Får vara högst {USERNAME_MAX_LENGTH} tecken." in page
    assert len(response.content) < 100_000  # the refused name is not echoed back into the form
    assert AccessAttempt.objects.count() == 0 and AccessFailureLog.objects.count() == 0


def test_an_over_long_password_is_refused_in_swedish_and_not_stored(member_user):
    response = Client().post(reverse("login"), {"username": member_user.username, "password": "x" * TEN_MB})
    assert response.status_code == 200
    assert f"Får vara högst {PASSWORD_MAX_LENGTH} tecken." in response.content.decode()
    assert AccessAttempt.objects.count() == 0


def test_a_user_name_at_the_bound_is_still_tried_and_recorded():
    name = "b" * USERNAME_MAX_LENGTH
    response = Client().post(reverse("login"), {"username": name, "password": "fel"})
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()
    assert _stored_usernames() == [name, name]


def test_the_admin_login_refuses_an_over_long_user_name_too():
    response = Client().post(reverse("admin:login"), {"username": "a" * TEN_MB, "password": "fel"})
    assert response.status_code == 200
    assert f"Får vara högst {USERNAME_MAX_LENGTH} tecken." in response.content.decode()
    assert AccessAttempt.objects.count() == 0


def test_axes_records_at_most_the_bound_whoever_calls_authenticate():
    request = RequestFactory().post("/logga-in/")
    assert authenticate(request, username="a" * TEN_MB, password="fel") is None
    assert [len(u) for u in _stored_usernames()] == [USERNAME_MAX_LENGTH, USERNAME_MAX_LENGTH]


def test_failures_during_the_lockout_do_not_grow_the_attempt_record(member_user, settings):
    client = Client()
    for _ in range(20):
        response = client.post(reverse("login"), {"username": member_user.username, "password": "fel"})
    assert response.status_code == 429
    attempt = AccessAttempt.objects.get()
    # Five failures lock; the fifteen during the lockout are refused without being appended.
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    assert len(attempt.post_data) <= settings.AXES_FAILURE_LIMIT * AXES_DATA_PER_ATTEMPT
