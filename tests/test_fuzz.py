"""No server error on any input: every URL pattern of the project, as every role that may reach it, with
out-of-range, malformed and huge values in its query parameters, its forms and the API.

The walk is deterministic (a fixed seed picks the values) and bounded in time: each page gets one request per
parameter and a few with every parameter at once, each form one POST per field and a few with every field
at once. Real keys come from the access matrix's world (tests/access_*.py), nonexistent ones are made up
for every path converter. Every failure is collected and reported at the end, with what was sent.
"""

import random
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ops.roles import CHIEF, MEMBER, STAFF
from tests.access import PUBLIC
from tests.factories import UserFactory
from tests.test_access import _MODULES, MATRIX

pytestmark = pytest.mark.django_db
SEED = 20261201

HUGE = "9" * 20
HOSTILE = [
    HUGE, "-" + HUGE, "2147483648", "9223372036854775808", "-1", "0", "1e309", "NaN", "99999",
    "0001-01-01", "9999-12-31", "1899-12-31", "2026-02-30", "20260520", "2026-05-20T25:00",
    "abc", "", " ", "x" * 10_000, "\x00", "a\x00b", "%", "'\";--", "<script>", "99999999999999,99", "1,5",
    "2026-W01", "Falun\x00",
]
# Query parameters every page is tried with, beside those its own forms name.
GENERIC_PARAMS = ["year", "ar", "until", "till", "municipality", "municipalities", "kommun", "mote", "per_page",
                  "page", "sort", "q", "kpi", "export", "status", "category", "active_on", "ending_within"]
NAME = re.compile(r'\bname="([^"]+)"')
FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S | re.I)
SKIPPED_NAMES = {"csrfmiddlewaretoken"}
CHUNK, MAX_CHUNKS = 4, 8  # names sent together, each with its own value; a long form in at most 8 requests
POST_ONLY_NAMES = ["token", "confirm", "reason", "field"]  # forms of pages that are only posted to


def _patterns(resolver=None, prefix=""):
    """(url name, URLPattern) for every named pattern, admin aside (Django's own, tested by Django)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _patterns(entry, prefix + namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def _converter_keys(pattern):
    """Nonexistent values for each of the pattern's path converters, by converter type."""
    keys = {}
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__
        keys[name] = ["0", "2147483648", HUGE] if kind == "IntConverter" else ["finns-inte", "ÅÄÖ", "x" * 300, "a\x00b"]
    return keys


def _urls(name, pattern, world):
    """The URL with real keys, then with each key in turn nonexistent."""
    real = MATRIX[name][0](world)
    urls = [reverse(name, kwargs=real)]
    for key, values in _converter_keys(pattern).items():
        for value in values:
            try:
                urls.append(reverse(name, kwargs={**real, key: value}))
            except Exception:  # a value the converter does not match cannot be asked for
                continue
    return urls


def _roles(allowed):
    if allowed is None:
        return []
    if allowed == PUBLIC:
        return [None, STAFF]
    return sorted(allowed)


class Walk:
    def __init__(self, clients):
        self.clients = clients
        self.rng = random.Random(SEED)
        self.failures = []
        self.requests = 0
        self.turn = 0

    def client(self, roles):
        """Each request goes to the next allowed role, so every role that may reach a page is walked."""
        self.turn += 1
        return self.clients[roles[self.turn % len(roles)]]

    def send(self, method, client, url, data):
        self.requests += 1
        response = getattr(client, method)(url, data)
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            reason = f"{error[0].__name__}: {str(error[1])[:200]}" if error else ""
            shown = {k: (v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v) for k, v in data.items()}
            self.failures.append(f"{method.upper()} {url} {shown} → {response.status_code} {reason}")
        return response

    def values(self, count):
        return self.rng.sample(HOSTILE, count)


def _names(html, *, method):
    """The field names of the page's forms of that method (GET filters or POST forms)."""
    names = []
    for match in FORM.finditer(html):
        opening = match.group(0)[: match.group(0).index(">")]
        is_post = 'method="post"' in opening.lower()
        if is_post == (method == "post"):
            names += [n for n in NAME.findall(match.group(1)) if n not in SKIPPED_NAMES]
    return list(dict.fromkeys(names))


def _filter_names(pattern):
    """The query parameters of a list's filters (django-filter), those a role does not see included."""
    filterset = getattr(getattr(pattern.callback, "view_class", None), "filterset_class", None)
    return list(filterset.base_filters) if filterset else []


def _fuzz(walk, method, roles, url, names):
    """Every name with a value of its own (a few names a request, shuffled), then every name at once with
    each of the values that found most errors and one more; a GET also asks for the export with every
    parameter set."""
    chunk = max(CHUNK, -(-len(names) // MAX_CHUNKS))
    shuffled = walk.rng.sample(names, len(names))
    for start in range(0, len(shuffled), chunk):
        data = {name: walk.values(1)[0] for name in shuffled[start:start + chunk]}
        walk.send(method, walk.client(roles), url, data)
    for value in [HUGE, "9999-12-31", "a\x00b", *walk.values(1)]:
        walk.send(method, walk.client(roles), url, {name: value for name in names})
    if method == "get":
        walk.send(method, walk.client(roles), url, {**{name: walk.values(1)[0] for name in names}, "export": "xlsx"})


@pytest.fixture
def world(plan, fake_pdf, settings):
    # The indicator pages are computed once per data version, as in production (most hostile posts change nothing).
    settings.INDICATOR_CACHE = True
    world = {"plan": plan}
    for module in _MODULES:
        if hasattr(module, "build"):
            module.build(world)
    yield world
    cache.clear()  # what was memoized belongs to this test's data


def test_no_input_gives_a_server_error(world):
    clients = {None: Client(raise_request_exception=False)}
    for index, role in enumerate([STAFF, MEMBER, CHIEF]):
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(UserFactory(username=f"fuzz-{index}", role=role))
    walk = Walk(clients)
    visited = set()
    # Logging out would end a client's session, so its form is tried last.
    patterns = sorted(_patterns(), key=lambda item: (item[0] == "logout", item[0]))
    for name, pattern in patterns:
        _kwargs, get_roles, post_roles, *_options = MATRIX[name]
        get_roles, post_roles = _roles(get_roles), _roles(post_roles)
        urls = _urls(name, pattern, world)
        for url in urls[1:]:
            walk.send("get" if get_roles else "post", walk.client(get_roles or post_roles), url, {})
        page = clients[(get_roles or post_roles)[0]].get(urls[0]) if get_roles else None
        html = page.content.decode(errors="replace") if page is not None and page.get("Content-Type", "").startswith(
            "text/html") else ""
        if get_roles:
            names = _names(html, method="get") + _filter_names(pattern) + GENERIC_PARAMS
            _fuzz(walk, "get", get_roles, urls[0], list(dict.fromkeys(names)))
        if post_roles:
            _fuzz(walk, "post", post_roles, urls[0], _names(html, method="post") or POST_ONLY_NAMES)
        visited.add(name)
    assert visited == {name for name, _pattern in _patterns()}
    assert walk.failures == [], f"{len(walk.failures)} serverfel av {walk.requests} anrop:\n" + "\n".join(
        walk.failures[:60])
