"""The indicator memo in the configured cache, and CACHE_URL choosing that cache.

The tests marked `cache` run on whatever CACHES the settings give: the in-process cache in the ordinary
run, and a real Redis when CI runs them again with CACHE_URL=redis://… (scripts/test-redis.sh). The
Redis ones prove what only a shared cache can: two connections, and two processes, share one memo, and a
register write in one invalidates it for the others, because the data version lives in the database.
"""

import datetime
import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection

from indicators import freshness
from indicators.calculation import compute_all
from indicators.models import DataVersion
from procurement.models import Procurement
from tests.factories import SupplierFactory
from tests.register_world import build_register

ROOT = Path(__file__).resolve().parent.parent
REDIS = "django.core.cache.backends.redis.RedisCache"
END_2026 = datetime.date(2026, 12, 31)


class Counting:
    """A computation that counts how often it ran; each run gives a new value."""

    def __init__(self):
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return {"run": self.runs}


@pytest.fixture
def memo(settings):
    """The memo on, under key parts of this test's own: a shared Redis outlives a test and serves every worker."""
    settings.INDICATOR_CACHE = True
    return ("test", uuid.uuid4().hex)


@pytest.fixture
def redis(memo):
    """Only where the configured cache is a Redis that answers; CI must not skip (scripts/test-redis.sh)."""
    if django_settings.CACHES["default"]["BACKEND"] != REDIS:
        pytest.skip("CACHE_URL anger ingen Redis: testet gäller en delad cache")
    try:
        caches["default"].get("ping")
    except Exception as exc:  # redis-py's ConnectionError and timeouts alike
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"Redis på {django_settings.CACHES['default']['LOCATION']} svarar inte: {exc}")
    return memo


@pytest.mark.cache
@pytest.mark.django_db
def test_a_repeat_is_served_from_the_memo_without_computing_again(memo):
    compute = Counting()
    assert freshness.memoized(memo, compute) == {"run": 1}
    assert freshness.memoized(memo, compute) == {"run": 1}
    assert compute.runs == 1


@pytest.mark.cache
@pytest.mark.django_db
def test_a_register_write_makes_the_next_reader_compute_afresh(memo):
    compute = Counting()
    freshness.memoized(memo, compute)
    SupplierFactory()
    assert freshness.memoized(memo, compute) == {"run": 2}
    assert freshness.memoized(memo, compute) == {"run": 2}


@pytest.mark.cache
@pytest.mark.django_db
def test_a_data_version_another_process_wrote_is_seen_here(memo):
    compute = Counting()
    freshness.bump()
    freshness.memoized(memo, compute)
    # What another process's register write leaves in the database: a new token, no signal in this process.
    DataVersion.objects.filter(pk=1).update(token=uuid.uuid4().hex)
    assert freshness.memoized(memo, compute) == {"run": 2}


@pytest.mark.cache
@pytest.mark.django_db
def test_the_indicators_from_the_memo_are_those_of_the_register_and_follow_its_changes(plan, settings):
    settings.INDICATOR_CACHE = True
    build_register()
    freshness.bump()  # a version of this test's own: a shared cache may hold results from other databases
    # Advertised in 2026: P1–P4; with sysselsättningskrav P1 → 1 / 4 = 25,0 % (tests/register_world.py).
    assert compute_all(as_of=END_2026, years=[2026])["4.1"][2026].value == Decimal("25.0")
    assert compute_all(as_of=END_2026, years=[2026])["4.1"][2026].value == Decimal("25.0")  # from the memo
    p3 = Procurement.objects.get(case_number="P3")
    p3.employment_requirement = True
    p3.save()
    assert compute_all(as_of=END_2026, years=[2026])["4.1"][2026].value == Decimal("50.0")  # P1 and P3 of 4


@pytest.mark.cache
@pytest.mark.django_db
def test_two_redis_connections_share_the_memo_and_a_write_invalidates_it_for_both(redis, monkeypatch):
    # Two clients with connections of their own, as two app servers have; memoized reads the module's cache.
    first, second = caches.create_connection("default"), caches.create_connection("default")
    assert first is not second
    compute = Counting()
    freshness.bump()
    monkeypatch.setattr(freshness, "cache", first)
    assert freshness.memoized(redis, compute) == {"run": 1}
    monkeypatch.setattr(freshness, "cache", second)
    assert freshness.memoized(redis, compute) == {"run": 1}  # the first server's result
    SupplierFactory()  # a register write on the second server
    assert freshness.memoized(redis, compute) == {"run": 2}
    monkeypatch.setattr(freshness, "cache", first)
    assert freshness.memoized(redis, compute) == {"run": 2}  # the first server sees the second's fresh result
    assert compute.runs == 2
    first.close()
    second.close()


OTHER_PROCESS = """
import os, sys
import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from indicators import freshness


def compute():
    print("computed")
    return {"process": os.getpid()}


print(freshness.memoized(sys.argv[1:], compute)["process"])
"""


def _database_url():
    """The test database, for a process outside the test run (it sees what the test committed)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _other_process(key_parts):
    """The memo read by another process: (did it compute?, the pid of the process whose result it holds)."""
    unset = {"TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_CURRENT_TEST"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DEBUG="1", INDICATOR_CACHE="1", DATABASE_URL=_database_url(),
               CACHE_URL=django_settings.CACHES["default"]["LOCATION"])
    result = subprocess.run([sys.executable, "-c", OTHER_PROCESS, *key_parts], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split()
    return "computed" in lines, int(lines[-1])


@pytest.mark.cache
@pytest.mark.django_db(transaction=True)
def test_processes_share_the_memo_and_a_write_in_one_invalidates_it_for_the_others(redis):
    freshness.bump()
    computed, holder = _other_process(redis)
    assert computed and holder != os.getpid()
    # This process finds the other one's result and computes nothing.
    assert freshness.memoized(redis, lambda: pytest.fail("computed again")) == {"process": holder}
    SupplierFactory()  # a register write here
    computed, fresh = _other_process(redis)
    assert computed and fresh != holder


# --- CACHE_URL chooses the cache ------------------------------------------------------------------------

SHOW_CACHE = "import config.settings as s; print(s.CACHES['default'])"


def _cache_setting(**env):
    base = {k: v for k, v in os.environ.items() if k not in {"TESTING", "CACHE_URL"}}
    return subprocess.run([sys.executable, "-c", SHOW_CACHE], cwd=ROOT, env={**base, "DEBUG": "1", **env},
                          capture_output=True, text=True, timeout=60)


def test_without_cache_url_each_process_keeps_its_own_cache():
    result = _cache_setting()
    assert result.returncode == 0, result.stderr
    assert "django.core.cache.backends.locmem.LocMemCache" in result.stdout
    assert "'MAX_ENTRIES': 500" in result.stdout


def test_a_redis_cache_url_chooses_djangos_own_redis_backend():
    result = _cache_setting(CACHE_URL="redis://:hemligt@redis.example.se:6380/2")
    assert result.returncode == 0, result.stderr
    assert f"'BACKEND': '{REDIS}'" in result.stdout
    assert "'LOCATION': 'redis://:hemligt@redis.example.se:6380/2'" in result.stdout


def test_an_unexpected_cache_url_is_an_error_not_a_default():
    result = _cache_setting(CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "is not a Redis URL" in result.stderr
