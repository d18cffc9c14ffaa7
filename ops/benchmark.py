"""Benchmark: server time and SQL queries of the main pages, and a hand-written SQL floor.

Run by `make bench` (see the Makefile) against dedicated databases at today's volume and at ten
times it; `manage.py benchmark` measures the database it is pointed at and writes JSON, and
`manage.py benchmark --report` turns the JSON files into docs/performance.md.
"""

import statistics
import time
from dataclasses import asdict, dataclass

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from indicators import sources
from indicators.calculation import _compute_all, numbers_by_source
from indicators.definitions import DEFINITIONS
from procurement.models import Contract, ContractFollowUp, Procurement


@dataclass
class Measurement:
    name: str
    url: str
    runs: int
    median_ms: float
    p95_ms: float
    queries: int
    status: int


def pages(year):
    """(name, URL) of the pages measured: the committee's dashboards, the register's lists, the exports."""
    return [
        ("Startsidan (översikt)", "/"),
        ("Måldashboard (mål 4)", "/mal/4/"),
        ("Kommunvy (Falun)", "/kommuner/Falun/"),
        ("Upphandlingar, filtrerad lista", f"/register/upphandlingar/?year={year - 1}&status=completed"),
        ("Avtal, lista", "/register/avtal/"),
        ("Indikator 1.2", "/indikatorer/1.2/"),
        ("Indikatorexport (JSON-API)", f"/api/v1/data/?year={year}"),
        ("Indikatorexport (Excel)", f"/indikatorer/export.xlsx?ar={year}"),
    ]


def volumes(as_of):
    return {
        "procurements": Procurement.objects.count(),
        "contracts": Contract.objects.count(),
        "active_contracts": Contract.objects.active_on(as_of).count(),
        "follow_ups": ContractFollowUp.objects.count(),
    }


def _percentile(samples, fraction):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_call(name, label, call, runs, warmup=2, before=None):
    """Median and 95th percentile of `call()` in ms, with the queries of the last run.

    `before` runs ahead of each timed call, untimed (e.g. a register change, for a cold memo).
    """
    for _ in range(warmup):
        call()
    samples, queries, status = [], 0, 0
    for _ in range(runs):
        if before:
            before()
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            status = call()
            samples.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return Measurement(
        name=name,
        url=label,
        runs=runs,
        median_ms=round(statistics.median(samples), 1),
        p95_ms=round(_percentile(samples, 0.95), 1),
        queries=queries,
        status=status,
    )


def measure_pages(user, pages, runs, before=None, suffix=""):
    client = Client()
    client.force_login(user)

    def getter(url):
        def call():
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            return response.status_code

        return call

    return [time_call(name + suffix, url, getter(url), runs, before=before) for name, url in pages]


# --- The floor: the same aggregates as plain SQL ------------------------------------------------

def floor_queries(as_of):
    """(sql, params) of the grouped query per register source, compiled from the indicators' definitions.

    Running them through a cursor measures what the database itself costs, without the ORM building
    queries and shaping results: the floor under `_compute_all`. The SQL is derived, never written
    again, so the floor always counts what the indicators count.
    """
    by_source, _where = numbers_by_source(DEFINITIONS.values())
    compiled = []
    for source, numbers in by_source.items():
        if source in sources.DATED:
            compiled.append(source.grouped(numbers, as_of).query.sql_with_params())
    return compiled


def run_floor(queries):
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            cursor.fetchall()
    return 200


def measure_indicator_sets(as_of, years, runs):
    """The ORM computation of every indicator against the hand-written SQL floor."""
    orm = time_call("Alla indikatorer (ORM, utan minne)", "indicators.calculation._compute_all",
                    lambda: _compute_all(as_of, years, None) and 200, runs)
    queries = floor_queries(as_of)
    floor = time_call("Alla indikatorer (samma SQL utan ORM)", "floor_queries()", lambda: run_floor(queries), runs)
    return [orm, floor]


def as_dicts(measurements):
    return [asdict(m) for m in measurements]
