"""The snapshot: the one data structure the report's HTML, PDF and Excel are made from."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.snapshot import build_snapshot, period_label
from tests.factories import ContractFactory, EconomicReportFactory, ProcurementFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db
MAY_20 = datetime.date(2026, 5, 20)


def rows(snapshot):
    return {row["code"]: row for goal in snapshot["goals"] for row in goal["indicators"]}


def test_the_period_is_the_year_up_to_the_meeting():
    assert period_label(MAY_20) == "1 januari – 20 maj 2026"


def test_it_is_plain_json_with_every_goal_indicator_and_assignment(plan):
    snapshot = build_snapshot(plan, as_of=MAY_20)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert [g["number"] for g in snapshot["goals"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert len(rows(snapshot)) == 48
    assert snapshot["years"] == [2022, 2023, 2024, 2025, 2026]
    assert [a["number"] for a in snapshot["assignments"]] == [1, 2, 3, 4, 5]
    assert all(g["chart"]["svg"].startswith("<svg") for g in snapshot["goals"])
    assert [r["code"] for r in snapshot["staff"]["indicators"]] == ["8.4", "8.5", "8.6"]


def test_indicator_rows_carry_target_value_history_and_status(plan):
    build_register()
    row = rows(build_snapshot(plan, as_of=MAY_20))["1.2"]
    assert row["target"]["text"] == "minst 60 %"
    assert (row["value"], row["status"], row["status_label"]) == ("100.0", "on_track", "På väg mot målet")
    assert [p["value"] for p in row["history"]][2] == "56.00"  # 2024 from the plan
    assert row["origin_label"] == "Beräknat från registret" and row["basis"] == "2 av 2 avslutade upphandlingar"


def test_deviations_list_appeals_cancellations_and_terminations_of_the_year_to_date(plan):
    build_register()
    deviations = build_snapshot(plan, as_of=MAY_20)["deviations"]
    assert deviations["appeals"] == [{"case_number": "P4", "title": "Upphandling P4", "date": "2026-02-01",
                                      "outcome": "Avslag – upphandlingen står sig"}]
    assert deviations["cancelled"] == [{"case_number": "P4", "title": "Upphandling P4", "date": "2026-02-10",
                                        "reason": "Inga anbud"}]
    assert deviations["terminated"] == [{"number": "A2", "title": "Livsmedel", "supplier": "Nordgross AB",
                                         "date": "2026-03-01", "reason": "Hävt: leveransproblem"}]
    assert build_snapshot(plan, as_of=datetime.date(2026, 1, 31))["deviations"]["appeals"] == []


@pytest.mark.parametrize(("as_of", "expected"), [
    # appeals: P4 (1 Feb), PA (15 Jun); PB's appeal was in 2025. Cancelled: P4 (10 Feb); PC has a
    # cancellation date but was resumed (not cancelled). Terminated early: A2 (1 Mar), A3 (1 Sep).
    (MAY_20, {"8.8": 1, "8.9": 1, "8.10": 1}),
    (datetime.date(2026, 12, 31), {"8.8": 2, "8.9": 1, "8.10": 2}),
])
def test_each_deviation_number_is_the_length_of_its_list(plan, as_of, expected):
    from procurement.models import Category, Procurement, Supplier

    build_register()
    k1 = Category.objects.get(name="K1")
    ProcurementFactory(case_number="PA", category=k1, appealed_on=datetime.date(2026, 6, 15))
    ProcurementFactory(case_number="PB", category=k1, appealed_on=datetime.date(2025, 12, 1))
    ProcurementFactory(case_number="PC", category=k1, status=Procurement.Status.ADVERTISED,
                       advertised_on=datetime.date(2026, 1, 20), cancelled_on=datetime.date(2026, 3, 1))
    ContractFactory(number="A3", title="Fordon", procurement=Procurement.objects.get(case_number="P6"),
                    supplier=Supplier.objects.get(name="Nordgross AB"), contract_class="B",
                    start_date=datetime.date(2025, 7, 1), terminated_on=datetime.date(2026, 9, 1),
                    termination_reason="Uppsagt")
    deviations = build_snapshot(plan, as_of=as_of)["deviations"]
    numbers = {row["code"]: row["value"] for row in deviations["indicators"]}
    lists = {"8.8": deviations["appeals"], "8.9": deviations["cancelled"], "8.10": deviations["terminated"]}
    for code, records in lists.items():
        assert Decimal(numbers[code]) == len(records) == expected[code], code
    assert [p["case_number"] for p in deviations["appeals"]] == ["P4", "PA"][:expected["8.8"]]
    assert [c["number"] for c in deviations["terminated"]] == ["A2", "A3"][:expected["8.10"]]


def test_without_an_economic_report_the_budget_is_shown_and_the_outcome_is_missing(plan):
    economy = build_snapshot(plan, as_of=MAY_20)["economy"]
    assert economy["available"] is False
    income = economy["groups"][0]
    assert income["label"] == "Intäkter" and income["total"]["budget"] == 22675 + 1084 + 1100
    assert income["total"]["outcome"] is None and economy["result"]["deviation"] is None


def test_the_economy_is_the_latest_economic_report_by_the_meeting_against_bilaga_2(plan):
    EconomicReportFactory(plan=plan, as_of=datetime.date(2026, 4, 30), lines=lambda line: (
        100, line.amount_tkr + (200 if line.name == "Övriga omkostnader" else 0)))
    EconomicReportFactory(plan=plan, as_of=datetime.date(2026, 8, 31))  # after the meeting
    economy = build_snapshot(plan, as_of=MAY_20)["economy"]
    assert economy["available"] and economy["as_of"] == "2026-04-30"
    costs = economy["groups"][1]
    other = next(line for line in costs["lines"] if line["name"] == "Övriga omkostnader")
    assert (other["budget"], other["prognosis"], other["deviation"]) == (2762, 2962, -200)
    # Income 24 859, costs 23 859 + 200 (bilaga 2's cost lines as written): result 800, 200 worse than budget.
    assert economy["result"] == {"budget": 1000, "outcome": 0, "prognosis": 800, "deviation": -200}
    assert economy["balance"]["code"] == "8.1"


def test_it_takes_a_fixed_number_of_queries_whatever_the_register_size(plan):
    from procurement.models import Category

    build_register()
    with CaptureQueriesContext(connection) as small:
        build_snapshot(plan, as_of=MAY_20)
    ProcurementFactory.create_batch(5, title="Överprövad", category=Category.objects.get(name="K1"),
                                    appealed_on=datetime.date(2026, 3, 1))
    with CaptureQueriesContext(connection) as bigger:
        snapshot = build_snapshot(plan, as_of=MAY_20)
    assert len(snapshot["deviations"]["appeals"]) == 6
    assert len(bigger) == len(small) < 80  # 5.3–5.5 add the flags (2 a flag), the checks (1 each), plan, ledger


def test_changes_across_a_year_end_compare_with_how_that_year_ended(plan):
    from types import SimpleNamespace

    from reports.snapshot import changes_since

    now = build_snapshot(plan, as_of=datetime.date(2026, 2, 18))
    old_rows = [dict(row, value=row["history"][-2]["value"], status=row["history"][-2]["status"])
                for goal in now["goals"] for row in goal["indicators"]]
    old_rows[1] = dict(old_rows[1], value="50.0", status="off_track")  # 1.2 as the November report showed it
    previous = SimpleNamespace(snapshot={"year": 2025, "as_of": "2025-11-26", "frozen": None,
                                         "goals": [{"indicators": old_rows}]})
    changes = changes_since(previous, [row for goal in now["goals"] for row in goal["indicators"]])
    assert changes["year"] == 2025 and changes["meeting_date"] == "2025-11-26"
    # 2025 has no value for 1.2 in the plan: the report said 50 % to date, the year ended without a value.
    assert [(r["code"], r["before_value"], r["now_value"]) for r in changes["rows"]] == [("1.2", "50.0", None)]


def test_charts_stay_plain_svg_after_a_pdf_was_written():
    """WeasyPrint's metadata module re-registers XML prefixes; a chart must still be <svg>, not <ns0:svg>."""
    import weasyprint.pdf.metadata  # noqa: F401 - the import itself changes the registry

    from reports.charts import goal_chart

    history = [{"year": 2025, "value": "3", "status": "no_target"}, {"year": 2026, "value": "4", "status": "no_target"}]
    row = {"code": "9.9", "unit": "count", "target": None, "to_date": False, "history": history}
    svg = goal_chart([row], [2025, 2026], no_value_text="–")
    assert svg.startswith("<svg") and "ns0:" not in svg
