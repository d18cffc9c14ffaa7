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


def management_pages():
    """(name, URL) of contract management's pages, measured as Chef UhC (they are not the committee's):
    everyone's counts, one manager's list (the demo's "uhc", a quarter of the contracts) and its last
    page, the radar (and its risks only), the follow-up plan."""
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.filter(username="uhc").values_list("pk", flat=True).first()
    person = [("Att göra (en persons lista)", f"/register/att-gora/?person={manager}")] if manager else []
    return [
        ("Att göra (allas arbetslistor)", "/register/att-gora/"),
        *person,
        ("Slutdatumsradar", "/register/avtal/radar/"),
        ("Slutdatumsradar, risker sida 2", "/register/avtal/radar/?risk=1&sida=2"),
        ("Uppföljningsplan", "/register/avtal/uppfoljningsplan/"),
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


# --- The Excel import: a large workbook, previewed and imported by the worker ------------------

def write_register_workbook(path, *, procurements, bids, contracts, follow_ups, every_column=False,
                            category="Livsmedel", product_group="Mejeri"):
    """A filled import template of that many rows, written quickly (openpyxl's write-only mode).

    Bids go round the procurements (the first `procurements` of them awarded), contracts and their follow-ups
    belong to the first procurements; suppliers are a thousand, with valid organisation numbers. With
    `every_column`, every optional column of a procurement is filled too: the widest rows the import reads.
    """
    import datetime

    from openpyxl import Workbook

    from procurement.importing.columns import BIDS, CONTRACTS, FOLLOW_UPS, PROCUREMENTS, SHEETS
    from procurement.validators import luhn_check_digit

    def org_number(n):
        digits = f"55{n % 1000:07d}"
        return f"{digits[:6]}-{digits[6:]}{luhn_check_digit(digits)}"

    start = datetime.date(2025, 1, 1)

    def procurement(n):
        advertised = start + datetime.timedelta(days=n % 300)
        row = {"case_number": f"UhC 2026/{n:05}", "title": f"Upphandling nummer {n}", "category": category,
               "product_group": product_group, "kind": "Gemensam upphandling", "municipalities": "Falun, Borlänge",
               "procedure": "Öppet förfarande", "status": "Avslutad", "advertised_on": advertised,
               "awarded_on": advertised + datetime.timedelta(days=20),
               "completed_on": advertised + datetime.timedelta(days=30), "questions_received": n % 7,
               "is_food": "Ja", "organic_food_requirement": "Ja", "notes": "Importerad i provkörningen"}
        if every_column:
            row.update({
                "reserved": "Nej", "in_procurement_plan": "Ja", "planned_completion": advertised,
                "negotiation_held": "Ja", "negotiation_saving_sek": 10_000 + n, "bidders_contacted": "Ja",
                "appealed_on": advertised + datetime.timedelta(days=25),
                "appeal_outcome": "Avslag – upphandlingen står sig",
                "employment_requirement": "Ja", "traineeships": 2, "labour_law_conditions": "Ja",
                "accessibility_requirement": "Ja", "gender_equality_requirement": "Ja",
                "preparedness_requirement": "Ja", "environmental_requirement": "Ja", "env_management_level": "Bas",
                "reuse_level": "Bas", "climate_transport_level": "Avancerad", "climate_other_level": "Bas",
                "chemicals_level": "Spjutspets", "local_food_requirement": "Ja", "welfare_crime_risk": "Ja",
                "supplier_checks": 3, "tenders_disqualified_welfare": 1, "welfare_actions": 1,
                "welfare_actions_text": "Fördjupad kontroll av underleverantörer och uppföljning på plats.",
                "innovative_solution": "Nej",
                "notes": "Importerad i provkörningen med alla kolumner ifyllda, och en längre anteckning för att "
                         "likna vad en handläggare skriver om en upphandling.",
            })
        return row

    sheets = {
        PROCUREMENTS: (procurement(n) for n in range(procurements)),
        BIDS: ({"case_number": f"UhC 2026/{n % procurements:05}", "supplier_org": org_number(n // procurements + n),
                "supplier_name": f"Leverantör {n % 1000} AB", "sme": "Ja",
                "awarded": "Ja" if n < procurements else "Nej"}
               for n in range(bids)),
        CONTRACTS: ({"number": f"AV-{n:05}", "title": f"Avtal {n}", "case_number": f"UhC 2026/{n % procurements:05}",
                     "supplier_org": org_number(n), "supplier_name": f"Leverantör {n % 1000} AB",
                     "municipalities": "Falun", "contract_class": "B", "start_date": "2026-01-01",
                     "end_date": "2028-12-31", "estimated_yearly_value": 100_000 + n} for n in range(contracts)),
        FOLLOW_UPS: ({"contract_number": f"AV-{n % max(contracts, 1):05}", "date": "2026-06-01", "form": "Möte",
                      "notes": f"Uppföljning {n}"} for n in range(follow_ups)),
    }
    workbook = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        columns = SHEETS[name]
        sheet.append([str(column.header) for column in columns])
        for row in rows:
            sheet.append([row.get(column.key) for column in columns])
    workbook.save(path)
    return path


def measure_import(path, user):
    """Preview and import the workbook at `path` as `user`, each step run by `manage.py db_worker --batch` in a
    process of its own: the step's wall time and the worker's peak memory (its maximum resident set size)."""
    from django.conf import settings

    from procurement.importing import pending, tasks
    from procurement.importing.models import ImportRun

    with open(path, "rb") as file:
        run = pending.keep(user, path.name, iter(lambda: file.read(1 << 20), b""))
    steps = []
    for step, label in ((ImportRun.Step.PREVIEW, "Förhandsgranskning (läsa, kontrollera, prova)"),
                        (ImportRun.Step.SAVE, "Import (kontrollera igen, spara)")):
        tasks.enqueue(run, step)
        seconds, peak_mb = _worker_process(settings.BASE_DIR)
        run.refresh_from_db()
        result = pending.result_of(run)
        if run.stage != ImportRun.Stage.DONE or run.refused or result is None or result.errors:
            raise RuntimeError(f"The import's {step} did not succeed: {run.stage} {run.refused} "
                               f"{result.errors[:3] if result else ''}")
        steps.append({"name": label, "seconds": round(seconds, 1), "peak_mb": round(peak_mb)})
    counts = {sheet: counts.created + counts.updated for sheet, counts in result.counts.items()}
    run.delete()
    return {"steps": steps, "counts": counts}


def _worker_process(base_dir):
    """(seconds, peak MB) of one `db_worker --batch` run, read from the process's own resource usage."""
    import os
    import subprocess
    import sys

    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
                                "--no-startup-delay", "--interval", "0", "--verbosity", "0"], cwd=base_dir)
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"db_worker exited with {process.returncode}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024  # kilobytes on Linux
