"""Security behaviour: login throttling, headers, CSRF, escaping of user text."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_five_failed_logins_lock_the_account_from_that_address(member_user):
    client = Client()
    statuses = [
        client.post(reverse("login"), {"username": member_user.username, "password": "fel"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    response = client.post(reverse("login"), {"username": member_user.username, "password": "test-password-123"})
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_a_successful_login_works_before_the_limit(member_user):
    client = Client()
    client.post(reverse("login"), {"username": member_user.username, "password": "fel"})
    response = client.post(reverse("login"), {"username": member_user.username, "password": "test-password-123"})
    assert response.status_code == 302


def test_pages_carry_a_strict_content_security_policy(member_client, plan):
    response = member_client.get(reverse("dashboards:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy and "cdn" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_forms_need_a_csrf_token(staff_user, plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(reverse("indicators:value_create"), {"year": 2026})
    assert response.status_code == 403


def test_user_text_is_escaped_on_pages(staff_client, plan):
    from tests.factories import IndicatorValueFactory

    IndicatorValueFactory(code="1.1", year=2026, period="t1", value=91, comment='<script>alert("x")</script>')
    page = staff_client.get(reverse("indicators:indicator_detail", args=["1.1"])).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_session_cookie_is_http_only(member_user):
    client = Client()
    response = client.post(reverse("login"), {"username": member_user.username, "password": "test-password-123"})
    assert response.cookies["sessionid"]["httponly"]


def test_a_request_larger_than_the_upload_limit_is_refused_before_it_is_read(staff_client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = staff_client.post(reverse("indicators:value_create"), {"comment": "x" * 5000})
    assert response.status_code == 413
    assert "Förfrågan är för stor" in response.content.decode()


def test_behind_the_proxy_the_forwarded_address_is_throttled_not_the_proxy(member_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(5):
        attacker.post(reverse("login"), {"username": member_user.username, "password": "fel"})
    # The member, coming through the same proxy from another address, can still log in.
    member = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = member.post(reverse("login"), {"username": member_user.username, "password": "test-password-123"})
    assert response.status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_lock(member_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(6):
        # The client puts its own X-Forwarded-For first; the proxy appends the real address last.
        response = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 203.0.113.9").post(
            reverse("login"), {"username": member_user.username, "password": "fel"})
    assert response.status_code == 429
