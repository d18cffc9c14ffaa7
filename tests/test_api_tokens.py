"""API tokens are shown once, when they are made, and stored only as a digest (django-rest-knox)."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _create_token(*args, command="create_api_token"):
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def _kpi(token):
    return Client().get(reverse("api:api_kpi"), HTTP_AUTHORIZATION=f"Token {token}")


def test_the_command_prints_a_token_that_works_with_the_header_clients_use(member_user, plan):
    token, notice = _create_token(member_user.username)
    assert len(token) == 64
    assert "visas inte igen" in notice
    assert _kpi(token).status_code == 200


def test_only_a_digest_of_the_token_is_stored(member_user):
    token, _ = _create_token(member_user.username)
    stored = AuthToken.objects.get(user=member_user)
    assert token not in stored.digest and len(stored.digest) == 128  # SHA-512 in hex
    assert stored.token_key == token[:15]  # the lookup prefix, not the token
    assert token not in repr(list(AuthToken.objects.values()))


def test_a_token_expires_after_the_configured_days(member_user):
    _create_token(member_user.username, "--days", "30")
    expiry = AuthToken.objects.get(user=member_user).expiry
    assert abs(expiry - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)


def test_days_zero_makes_a_token_without_end_date(member_user):
    _create_token(member_user.username, "--days", "0")
    assert AuthToken.objects.get(user=member_user).expiry is None


def test_an_expired_token_is_refused(member_user, plan):
    _, token = AuthToken.objects.create(user=member_user, expiry=datetime.timedelta(seconds=-1))
    assert _kpi(token).status_code == 401


def test_an_unknown_user_gets_a_swedish_error():
    with pytest.raises(CommandError, match="Det finns ingen användare med användarnamnet okänd"):
        _create_token("okänd")
    assert AuthToken.objects.count() == 0


def test_an_inactive_user_gets_no_token():
    user = UserFactory(is_active=False)
    with pytest.raises(CommandError, match="inaktiv"):
        _create_token(user.username)
    assert AuthToken.objects.count() == 0


def test_admin_lists_tokens_without_showing_them(member_user):
    admin = UserFactory(is_staff=True, is_superuser=True)
    _, token = AuthToken.objects.create(user=member_user)
    client = Client()
    client.force_login(admin)
    listing = client.get(reverse("admin:knox_authtoken_changelist"))
    assert listing.status_code == 200 and member_user.username in listing.content.decode()
    digest = AuthToken.objects.get().digest
    change = client.get(reverse("admin:knox_authtoken_change", args=[digest]))
    assert change.status_code == 200
    for page in (listing, change):
        assert token not in page.content.decode()


def test_a_token_made_in_admin_is_shown_once_and_stored_as_a_digest(member_user):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.post(reverse("admin:knox_authtoken_add"), {"user": member_user.pk}, follow=True)
    stored = AuthToken.objects.get(user=member_user)
    shown = [str(m) for m in response.context["messages"] if str(m).startswith("TOKEN ")]
    assert len(shown) == 1
    token = shown[0].removeprefix("TOKEN ")
    assert stored.token_key == token[:15] and token not in stored.digest
    again = client.get(reverse("admin:knox_authtoken_changelist")).content.decode()
    assert token not in again


def test_the_old_command_name_still_makes_a_token_for_existing_scripts(member_user, plan):
    token, _notice = _create_token(member_user.username, command="drf_create_token")
    assert len(token) == 64 and _kpi(token).status_code == 200
