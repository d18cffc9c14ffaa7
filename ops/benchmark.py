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

from indicators.calculation import _compute_all


@dataclass
class Measurement:
    name: str
    url: str
    runs: int
    median_ms: float
    p95_ms: float
    queries: int
    status: int


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


# --- The floor: the same aggregates in hand-written SQL ------------------------------------------

def _year(column):
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"


def floor_queries():
    """The register aggregates behind every computed indicator, as plain SQL grouped by year."""
    adv = _year("p.advertised_on")
    comp = _year("p.completed_on")
    levels = "('avancerad', 'spjutspets')"
    return [
        f"""SELECT {adv}, COUNT(*), SUM(p.questions_received),
            SUM(CASE WHEN p.employment_requirement THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.labour_law_conditions THEN 1 ELSE 0 END), SUM(CASE WHEN p.reserved THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.accessibility_requirement THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.gender_equality_requirement THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.environmental_requirement THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.env_management_level IN {levels} THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.reuse_level IN {levels} THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.climate_transport_level IN {levels} THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.climate_other_level IN {levels} THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.chemicals_level IN {levels} THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.is_food THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.is_food AND p.organic_food_requirement THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.is_food AND p.local_food_requirement THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.preparedness_requirement THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.welfare_crime_risk THEN 1 ELSE 0 END), SUM(p.supplier_checks), SUM(p.welfare_actions)
           FROM procurement_procurement p WHERE p.advertised_on IS NOT NULL AND p.advertised_on <= %s GROUP BY 1""",
        f"""SELECT {comp}, COUNT(*), SUM(CASE WHEN m.n >= 2 THEN 1 ELSE 0 END),
            SUM(CASE WHEN p.negotiation_held THEN 1 ELSE 0 END), SUM(p.negotiation_saving_sek),
            SUM(CASE WHEN p.bidders_contacted THEN 1 ELSE 0 END), SUM(p.traineeships),
            SUM(CASE WHEN p.innovative_solution THEN 1 ELSE 0 END)
           FROM procurement_procurement p
           LEFT JOIN (SELECT procurement_id, COUNT(*) AS n FROM procurement_procurement_municipalities
                      GROUP BY procurement_id) m ON m.procurement_id = p.id
           WHERE p.status = 'completed' AND p.completed_on <= %s GROUP BY 1""",
        f"""SELECT {comp}, COUNT(*), SUM(CASE WHEN s.regional THEN 1 ELSE 0 END),
            SUM(CASE WHEN b.awarded THEN 1 ELSE 0 END), SUM(CASE WHEN b.awarded AND s.regional THEN 1 ELSE 0 END)
           FROM procurement_bid b JOIN procurement_procurement p ON p.id = b.procurement_id
           JOIN procurement_supplier s ON s.id = b.supplier_id
           WHERE p.status = 'completed' AND p.completed_on <= %s GROUP BY 1""",
        f"""SELECT {_year("f.date")}, COUNT(*), SUM(CASE WHEN c.contract_class = 'A' THEN 1 ELSE 0 END)
           FROM procurement_contractfollowup f JOIN procurement_contract c ON c.id = f.contract_id
           WHERE f.date <= %s GROUP BY 1""",
        f"""SELECT {_year("p.appealed_on")}, COUNT(*) FROM procurement_procurement p
           WHERE p.appealed_on <= %s GROUP BY 1""",
        f"""SELECT {_year("p.cancelled_on")}, COUNT(*) FROM procurement_procurement p
           WHERE p.status = 'cancelled' AND p.cancelled_on <= %s GROUP BY 1""",
        f"""SELECT {_year("c.terminated_on")}, COUNT(*) FROM procurement_contract c
           WHERE c.terminated_on <= %s GROUP BY 1""",
        f"""SELECT {_year("p.planned_completion")}, COUNT(*),
            SUM(CASE WHEN p.status = 'completed' AND p.completed_on <= p.planned_completion THEN 1 ELSE 0 END)
           FROM procurement_procurement p WHERE p.in_procurement_plan AND p.planned_completion <= %s GROUP BY 1""",
        f"""SELECT {_year("a.date")}, COUNT(*) FROM procurement_informationactivity a WHERE a.date <= %s GROUP BY 1""",
        f"""SELECT {_year("e.date")}, COUNT(DISTINCT e.municipality_id) FROM procurement_competenceeffort e
           WHERE e.date <= %s GROUP BY 1""",
        f"""SELECT {_year("d.date")}, COUNT(DISTINCT CASE WHEN d.kind = 'plan_remiss' THEN d.municipality_id END),
            COUNT(DISTINCT CASE WHEN d.kind = 'preparedness' THEN d.municipality_id END)
           FROM procurement_municipalitydialogue d WHERE d.date <= %s GROUP BY 1""",
    ]


def run_floor(as_of):
    with connection.cursor() as cursor:
        for sql in floor_queries():
            cursor.execute(sql, [as_of])
            cursor.fetchall()
    return 200


def measure_indicator_sets(as_of, years, runs):
    """The ORM computation of every indicator against the hand-written SQL floor."""
    orm = time_call("Alla indikatorer (ORM, utan minne)", "indicators.calculation._compute_all",
                    lambda: _compute_all(as_of, years, None) and 200, runs)
    floor = time_call("Alla indikatorer (handskriven SQL)", "floor_queries()", lambda: run_floor(as_of), runs)
    return [orm, floor]


def as_dicts(measurements):
    return [asdict(m) for m in measurements]
