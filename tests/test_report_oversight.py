"""The report's sections 5.3–5.5: the procurement plan's status, the supplier-check ledger's counts, the
flags and the data-quality note, at the cut-off, worked out by hand. Counts only: nothing named."""

import datetime

import pytest

from nämndplan.models import Plan
from procurement.checks.models import SupplierCheck
from procurement.planning.models import PlannedProcurement, ProcurementPlan
from reports.pdf import render_document
from reports.snapshot import _oversight, build_snapshot
from tests.factories import ContractFactory, ProcurementFactory, SupplierFactory

D = datetime.date
AS_OF = D(2026, 6, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def register(plan):
    """The 2026 plan adopted 15 December 2025 with three planned procurements:
    on time (due 31 March, completed 20 March), late (due 30 April, completed 10 June), not completed (due
    31 May), and one due 30 September (not yet due at 30 June). Falun and Borlänge had it on remiss, Falun
    answered. Two checks in 2026, one a deviation that led to a written notice; one single-bid procurement."""
    plan_2026 = ProcurementPlan.objects.create(year=2026, status="adopted", adopted_on=D(2025, 12, 15))
    done = {"status": "completed", "advertised_on": D(2026, 1, 10), "awarded_on": D(2026, 2, 20),
            "env_management_level": "base"}
    on_time = ProcurementFactory(case_number="O1", completed_on=D(2026, 3, 20), **done)
    late = ProcurementFactory(case_number="L1", completed_on=D(2026, 6, 10), **done)
    for title, due, procurement in [("I tid", D(2026, 3, 31), on_time), ("Sen", D(2026, 4, 30), late),
                                    ("Ej klar", D(2026, 5, 31), None), ("Senare", D(2026, 9, 30), None)]:
        PlannedProcurement.objects.create(
            plan=plan_2026, title=title, category=on_time.category, planned_completion=due,
            adopted_completion=due, on_time_by=due, procurement=procurement)
    from nämndplan.models import Municipality
    from procurement.planning.models import PlanConsultation

    falun, borlange = Municipality.objects.get(name="Falun"), Municipality.objects.get(name="Borlänge")
    PlanConsultation.objects.create(plan=plan_2026, municipality=falun, sent_on=D(2026, 1, 15),
                                    answered_on=D(2026, 2, 15))
    PlanConsultation.objects.create(plan=plan_2026, municipality=borlange, sent_on=D(2026, 1, 15))
    supplier = SupplierFactory(name="Hemlig Leverantör AB")
    contract = ContractFactory(start_date=D(2026, 1, 1), supplier=supplier)
    SupplierCheck.objects.create(supplier=supplier, contract=contract, kind="in_depth", result="no_remark",
                                 date=D(2026, 3, 1))
    SupplierCheck.objects.create(supplier=supplier, contract=contract, kind="taxes", result="deviation",
                                 date=D(2026, 4, 1), action="notice", action_on=D(2026, 4, 15))
    ProcurementFactory(case_number="S1", status="awarded", advertised_on=D(2026, 2, 1), awarded_on=D(2026, 4, 1),
                       bids=[supplier], bids__awarded=[supplier], env_management_level="base")


def test_the_plan_ledger_flags_and_quality_at_the_cut_off(register):
    o = _oversight(2026, AS_OF)
    plan = o["plan"]
    assert (plan["planned"], plan["started"], plan["due"], plan["on_time"], plan["late"], plan["not_completed"]) == (
        4, 2, 3, 1, 1, 1)
    assert plan["consultation"] == {"sent": 2, "answered": 1} and plan["adopted_on"] == "2025-12-15"
    assert (o["ledger"]["checks"], o["ledger"]["deviations"], o["ledger"]["actions"]) == (2, 1, 1)
    assert {row["label"]: row["count"] for row in o["flags"]}["Ett enda anbud i öppet förfarande"] == 1
    # O1 and L1 are completed without bids or contracts: two data-quality notes, one of each.
    quality = {row["label"]: row["count"] for row in o["quality"]}
    assert quality["Avslutad upphandling utan anbud"] == 2 and quality["Avslutad upphandling utan avtal"] == 2


def test_the_report_shows_the_sections_and_names_no_supplier(register):
    html = render_document(build_snapshot(Plan.objects.current(), as_of=AS_OF))
    assert "5.3 Upphandlingsplanen" in html and "5.4 Leverantörskontroller mot välfärdsbrottslighet" in html
    assert "5.5 Flaggor och datakvalitet" in html
    assert "Remiss: skickad till 2 av 7 kommuner, 1 har svarat." in html
    assert "Hemlig Leverantör" not in html


def test_an_earlier_cut_off_counts_less(register):
    plan = _oversight(2026, D(2026, 4, 1))["plan"]
    assert (plan["due"], plan["on_time"], plan["late"], plan["not_completed"]) == (1, 1, 0, 0)
