"""Every URL, every role, and anonymous: who may read and who may change.

The matrix lists every named URL of the project (admin aside). A URL added without an entry
here fails `test_every_url_is_in_the_matrix`, so no view can slip out untested.
"""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ops.roles import CHIEF, MEMBER, STAFF
from tests.access import PUBLIC
from tests.factories import UserFactory

_MODULES = [
    importlib.import_module(f"tests.{info.name}")
    for info in pkgutil.iter_modules([str(Path(__file__).parent)])
    if info.name.startswith("access_")
]
MATRIX = {name: rule for module in _MODULES for name, rule in module.RULES.items()}


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = f"{entry.namespace}:" if entry.namespace else ""
            yield from _named_patterns(entry, prefix + ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_url_is_in_the_matrix():
    missing = sorted(set(_named_patterns()) - set(MATRIX))
    assert missing == [], f"URLs utan rad i behörighetsmatrisen: {missing}"


@pytest.fixture
def world(plan):
    world = {"plan": plan}
    for module in _MODULES:
        if hasattr(module, "build"):
            module.build(world)
    return world


def _users():
    return {role: UserFactory(username=f"user-{i}", role=role) for i, role in enumerate([STAFF, MEMBER, CHIEF])}


def _allowed(allowed, role):
    if allowed is None:
        return False
    return allowed == PUBLIC or role in allowed


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_is_sent_to_login_except_on_public_pages(client, world, name):
    kwargs, get_roles, post_roles, *options = MATRIX[name]
    anonymous_status = options[0].get("anonymous_status") if options else None
    url = reverse(name, kwargs=kwargs(world))
    for method, allowed in (("get", get_roles), ("post", post_roles)):
        response = getattr(client, method)(url)
        if anonymous_status:
            # The API answers for itself (token authentication) instead of redirecting to login.
            assert response.status_code == anonymous_status, (method, url)
        elif allowed == PUBLIC:
            assert response.status_code in (200, 302), (method, url)
            if response.status_code == 302:
                assert "logga-in" not in response["Location"] or name == "login"
        elif allowed is None:
            assert response.status_code in (302, 405), (method, url)
        else:
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("login")), (method, url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n in MATRIX if MATRIX[n][1] not in (PUBLIC,)))
def test_each_role_gets_exactly_what_it_may(client, world, name):
    kwargs, get_roles, post_roles, *_options = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world))
    for role, user in _users().items():
        client.force_login(user)
        if get_roles is not None:
            response = client.get(url)
            expected = 200 if _allowed(get_roles, role) else 403
            assert response.status_code == expected, (role, "GET", url, response.status_code)
        if post_roles is not None and name != "logout":
            response = client.post(url, {})
            if _allowed(post_roles, role):
                # Allowed: the form answers (200 with errors, or a redirect), never 403.
                assert response.status_code in (200, 302), (role, "POST", url)
            else:
                assert response.status_code == 403, (role, "POST", url, response.status_code)


@pytest.mark.django_db
def test_a_read_only_member_cannot_change_a_value(member_client, world):
    url = reverse("indicators:value_update", kwargs={"pk": world["value"].pk})
    response = member_client.post(url, {"indicator": world["value"].indicator_id, "year": 2026,
                                        "period": "t1", "value": "12", "comment": ""})
    assert response.status_code == 403
    world["value"].refresh_from_db()
    assert world["value"].value == 91


@pytest.mark.django_db
def test_logout_requires_post_and_ends_the_session(member_client):
    assert member_client.get(reverse("logout")).status_code == 405
    member_client.post(reverse("logout"))
    assert member_client.get(reverse("dashboards:home")).status_code == 302
