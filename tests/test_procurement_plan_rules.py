"""The procurement plan's rules, on small hand-built registers: lead times, start-by dates, gaps and
lateness, adoption, starting a planned procurement, 8.2 against the adopted dates and 7.1 from the
consultation. The arithmetic is beside each assertion."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.calculation import compute_all
from indicators.definitions import DEFINITIONS
from nämndplan.models import Municipality
from procurement.models import MunicipalityDialogue, Procurement
from procurement.planning import lead_times, proposals, services
from procurement.planning.legacy import plans_from_register
from procurement.planning.models import (
    PlanConsultation,
    PlannedProcurement,
    PlanSettings,
    ProcurementPlan,
    Tolerance,
    on_time_by,
)
from tests.factories import CategoryFactory, ContractFactory, ProcurementFactory

pytestmark = pytest.mark.django_db
D = datetime.date
COMPLETED = Procurement.Status.COMPLETED


def completed(category, advertised, days, contract_days=None, **kwargs):
    """A completed procurement of `category` taking `days` from advertising, its contract starting
    `contract_days` after the completion."""
    done = advertised + datetime.timedelta(days=days)
    p = ProcurementFactory(category=category, status=COMPLETED, advertised_on=advertised, awarded_on=done,
                           completed_on=done, **kwargs)
    if contract_days is not None:
        ContractFactory(procurement=p, start_date=done + datetime.timedelta(days=contract_days))
    return p


@pytest.fixture
def food(plan):
    return CategoryFactory(name="Livsmedel")


# --- Lead times ------------------------------------------------------------------------------------

def test_lead_time_is_the_median_of_the_register_history(food):
    for days, contract_days in [(100, 10), (200, 50), (150, 30), (120, 20), (160, 40)]:
        completed(food, D(2024, 1, 8), days, contract_days)
    lead = lead_times.lead_times()[food.pk]
    # advertising → completion: 100 120 150 160 200 → 150; completion → contract: 10 20 30 40 50 → 30
    assert (lead.advertising_to_completion, lead.completion_to_contract, lead.days) == (150, 30, 180)
    assert lead.measured


def test_too_little_history_takes_the_documented_default(food):
    for days in (100, 120, 140, 160):  # four: one fewer than MIN_HISTORY
        completed(food, D(2024, 1, 8), days, 10)
    lead = lead_times.lead_times()[food.pk]
    assert (lead.advertising_to_completion, lead.completion_to_contract) == (180, 60)
    assert not lead.measured


def test_each_part_falls_back_on_its_own(food):
    for days in (100, 120, 140, 160, 180):  # five completions, only two with a contract
        completed(food, D(2024, 1, 8), days, 5 if days < 130 else None)
    lead = lead_times.lead_times()[food.pk]
    assert (lead.advertising_to_completion, lead.completion_to_contract) == (140, 60)


def test_lead_times_cost_one_query_whatever_the_history(food):
    for days in range(100, 130):
        completed(food, D(2024, 1, 8), days, 10)
    with CaptureQueriesContext(connection) as queries:
        lead_times.lead_times()
    assert len(queries) == 1


# --- Proposals, gaps and lateness ------------------------------------------------------------------

@pytest.fixture
def endings_world(food):
    for days, contract_days in [(100, 10), (200, 50), (150, 30), (120, 20), (160, 40)]:
        completed(food, D(2024, 1, 8), days, contract_days)  # Livsmedel: lead time 150 + 30 = 180 days
    # The old contract's procurement is awarded, not completed: it stays out of the lead time's history.
    source = ProcurementFactory(category=food, status=Procurement.Status.AWARDED, advertised_on=D(2023, 1, 9),
                                awarded_on=D(2023, 4, 3))
    plan = ProcurementPlan.objects.create(year=2027)
    world = {
        "plan": plan,
        "food": ContractFactory(number="MAT", procurement=source, start_date=D(2024, 1, 1), end_date=D(2027, 6, 30)),
        "no_category": ContractFactory(number="UTAN", start_date=D(2024, 1, 1), end_date=D(2029, 12, 31)),
        "option": ContractFactory(number="OPT", start_date=D(2024, 1, 1), end_date=D(2026, 12, 31)),
        "too_late": ContractFactory(number="SENT", start_date=D(2024, 1, 1), end_date=D(2030, 1, 31)),
        "before": ContractFactory(number="FORE", start_date=D(2024, 1, 1), end_date=D(2026, 12, 31)),
        "terminated": ContractFactory(number="HAVT", start_date=D(2024, 1, 1), end_date=D(2027, 3, 31),
                                      terminated_on=D(2026, 1, 10), termination_reason="Hävt"),
        "replaced": ContractFactory(number="ERS", start_date=D(2024, 1, 1), end_date=D(2028, 3, 31)),
    }
    # OPT: one open 12-month option (decide 3 months ahead, by 2026-09-30): latest possible end 2027-12-31.
    world["option"].options.create(order=1, length_months=12, notice_months=3)
    ProcurementFactory(title="Ersättare").replaces.add(world["replaced"])
    return world


TODAY = D(2026, 1, 15)


def test_contracts_ending_within_the_plan_years_by_their_latest_possible_end(endings_world):
    endings = proposals.contracts_ending(endings_world["plan"], TODAY)
    # Plan 2027 covers 2027–2029: SENT (2030) and FORE (2026) are outside, HAVT is terminated.
    assert [(e.contract.number, e.end) for e in endings] == [
        ("MAT", D(2027, 6, 30)), ("OPT", D(2027, 12, 31)), ("ERS", D(2028, 3, 31)), ("UTAN", D(2029, 12, 31)),
    ]


def test_start_by_is_the_end_less_the_measured_lead_time(endings_world):
    mat = proposals.contracts_ending(endings_world["plan"], TODAY)[0]
    # 2027-06-30 − 180 days = 2027-01-01 (day 181 − 180 = day 1); complete by 2027-06-30 − 30 = 2027-05-31
    assert (mat.start_by, mat.complete_by) == (D(2027, 1, 1), D(2027, 5, 31))


def test_a_contract_without_a_category_takes_the_default_lead_time(endings_world):
    utan = proposals.contracts_ending(endings_world["plan"], TODAY)[-1]
    # 2029-12-31 − 240 days: 2029-12-31 is day 365, 365 − 240 = day 125 = 2029-05-05
    assert (utan.lead.days, utan.start_by) == (240, D(2029, 5, 5))


def test_gaps_are_contracts_ending_with_nothing_planned_or_replacing_them(endings_world):
    plan = endings_world["plan"]
    endings = proposals.contracts_ending(plan, TODAY)
    assert [e.contract.number for e in proposals.gaps(endings)] == ["MAT", "OPT", "UTAN"]  # ERS is replaced
    services.add_proposals(plan=plan, endings=[e for e in endings if e.contract.number == "MAT"])
    assert [e.contract.number for e in proposals.gaps(proposals.contracts_ending(plan, TODAY))] == ["OPT", "UTAN"]


def test_adding_proposals_copies_the_contract_and_the_dates(endings_world, food):
    plan = endings_world["plan"]
    endings = [e for e in proposals.contracts_ending(plan, TODAY) if e.contract.number in ("MAT", "UTAN")]
    fallback = CategoryFactory(name="Övrigt")
    mat, utan = services.add_proposals(plan=plan, endings=endings, category=fallback)
    assert (mat.title, mat.category, mat.replaces, mat.start_by, mat.planned_advertising, mat.planned_completion) == (
        "Avtal MAT", food, endings_world["food"], D(2027, 1, 1), D(2027, 1, 1), D(2027, 5, 31)
    )
    assert [m.name for m in mat.municipalities.all()] == ["Falun"]
    assert utan.category == fallback


def test_a_procurement_planned_to_complete_after_the_contract_ends_is_late(endings_world, food):
    plan, contract = endings_world["plan"], endings_world["food"]
    on_time = PlannedProcurement.objects.create(plan=plan, title="I tid", category=food, replaces=contract,
                                                planned_completion=D(2027, 6, 30))
    late = PlannedProcurement.objects.create(plan=plan, title="Sen", category=food, replaces=contract,
                                             planned_completion=D(2027, 7, 1))
    rows = {row.planned.title: row.late for row in proposals.planned_rows(plan, TODAY)}
    assert rows == {"I tid": False, "Sen": True}
    assert not on_time.late_against_contract(TODAY) and late.late_against_contract(TODAY)


def test_proposals_cost_a_fixed_number_of_queries(endings_world):
    for n in range(20):
        c = ContractFactory(number=f"X{n}", start_date=D(2024, 1, 1), end_date=D(2028, 1, 1))
        c.options.create(order=1, length_months=6, notice_months=3)
    with CaptureQueriesContext(connection) as queries:
        proposals.contracts_ending(endings_world["plan"], TODAY)
    assert len(queries) <= 6  # contracts, options, municipalities, replacements, planned, lead times


# --- Adoption and starting ---------------------------------------------------------------------------

def planned(plan, title, completion, advertising=None, category=None, **kwargs):
    category = category or CategoryFactory(name="Städ och lokalvård")
    return PlannedProcurement.objects.create(plan=plan, title=title, category=category,
                                             planned_completion=completion, planned_advertising=advertising, **kwargs)


def test_adoption_freezes_the_dates_and_later_changes_keep_them(plan):
    procurement_plan = ProcurementPlan.objects.create(year=2026)
    item = planned(procurement_plan, "Städ", D(2026, 3, 10), D(2026, 1, 5))
    services.adopt_plan(plan=procurement_plan, adopted_on=D(2025, 12, 1), expected_version=procurement_plan.version)
    item.refresh_from_db()
    assert (item.adopted_advertising, item.adopted_completion, item.on_time_by) == (
        D(2026, 1, 5), D(2026, 3, 10), D(2026, 3, 31)  # same month: by 31 March
    )
    item.planned_completion = D(2026, 5, 1)
    item.save()
    item.refresh_from_db()
    assert (item.adopted_completion, item.planned_completion, item.completion_moved) == (
        D(2026, 3, 10), D(2026, 5, 1), True
    )
    with pytest.raises(services.PlanRefused):
        services.adopt_plan(plan=procurement_plan, adopted_on=D(2025, 12, 2),
                            expected_version=procurement_plan.version)


def test_starting_a_planned_procurement_registers_it_once(plan, food):
    contract = ContractFactory(number="GAMMAL")
    procurement_plan = ProcurementPlan.objects.create(year=2026)
    item = planned(procurement_plan, "Skolmat", D(2026, 9, 30), category=food, replaces=contract)
    item.municipalities.set(Municipality.objects.filter(name__in=["Falun", "Gagnef"]))
    services.adopt_plan(plan=procurement_plan, adopted_on=D(2025, 12, 1), expected_version=1)
    item.refresh_from_db()
    item.planned_completion = D(2026, 11, 30)  # moved after adoption: the register gets the adopted date
    item.save()
    procurement = services.start_procurement(planned=item, case_number="UHC 2026/0100", expected_version=item.version)
    assert (procurement.title, procurement.category, procurement.in_procurement_plan,
            procurement.planned_completion) == ("Skolmat", food, True, D(2026, 9, 30))
    assert sorted(m.name for m in procurement.municipalities.all()) == ["Falun", "Gagnef"]
    assert list(procurement.replaces.all()) == [contract]
    item.refresh_from_db()
    assert item.procurement == procurement
    with pytest.raises(services.PlanRefused):
        services.start_procurement(planned=item, case_number="UHC 2026/0101", expected_version=item.version)


def test_the_tolerance_gives_the_last_day_that_counts():
    assert on_time_by(D(2026, 2, 3), Tolerance.SAME_MONTH) == D(2026, 2, 28)
    assert on_time_by(D(2028, 2, 3), Tolerance.SAME_MONTH) == D(2028, 2, 29)  # leap year
    assert on_time_by(D(2026, 2, 3), Tolerance.SAME_DAY) == D(2026, 2, 3)


# --- 8.2 against the adopted plan --------------------------------------------------------------------

@pytest.fixture
def adopted_2026(plan):
    """Plan 2026, adopted: A on time within the month, B a day into the next month, C never started,
    D completed in June though adopted for February (its planned date moved later), E due in 2027."""
    cleaning = CategoryFactory(name="Städ och lokalvård")
    procurement_plan = ProcurementPlan.objects.create(year=2026)
    items = {name: planned(procurement_plan, name, due, category=cleaning) for name, due in [
        ("A", D(2026, 3, 10)), ("B", D(2026, 3, 10)), ("C", D(2026, 5, 15)), ("D", D(2026, 2, 1)),
        ("E", D(2027, 3, 1)),
    ]}
    for item in items.values():
        item.municipalities.set(Municipality.objects.filter(name="Falun"))
    services.adopt_plan(plan=procurement_plan, adopted_on=D(2025, 12, 1), expected_version=1)
    for name, done in [("A", D(2026, 3, 31)), ("B", D(2026, 4, 1)), ("D", D(2026, 6, 20))]:
        item = PlannedProcurement.objects.get(title=name)
        item.procurement = ProcurementFactory(title=name, status=COMPLETED, advertised_on=D(2026, 1, 5),
                                              awarded_on=done, completed_on=done)
        item.planned_completion = max(item.planned_completion, done)
        item.save()
    # A draft plan's procurements are not judged.
    planned(ProcurementPlan.objects.create(year=2027), "Utkast", D(2027, 3, 1))
    return procurement_plan


def value_8_2(as_of, year=2026):
    return compute_all(as_of=as_of, years=[year])["8.2"][year]


def test_8_2_counts_against_the_adopted_dates_within_the_month(adopted_2026):
    measure = value_8_2(D(2026, 12, 31))
    # due in 2026: A, B, C, D (E is due 2027); on time: A (31 March ≤ 31 March) → 1 / 4 = 25,0 %
    assert (measure.numerator, measure.denominator, str(measure.value)) == (1, 4, "25.0")


def test_8_2_without_the_month_tolerance(adopted_2026):
    PlanSettings(tolerance=Tolerance.SAME_DAY).save()  # every deadline re-dated: A is late too (31 > 10 March)
    measure = value_8_2(D(2026, 12, 31))
    assert (measure.numerator, measure.denominator) == (0, 4)


def test_8_2_at_a_cut_off_judges_only_the_deadlines_passed(adopted_2026):
    # By 20 March only D's deadline (28 February) has passed: A's and B's is 31 March → 0 / 1
    measure = value_8_2(D(2026, 3, 20))
    assert (measure.numerator, measure.denominator, str(measure.value)) == (0, 1, "0.0")


def test_8_2_drill_down_lists_the_late_ones_first(adopted_2026):
    definition = DEFINITIONS["8.2"]
    base = definition.records(2026, D(2026, 12, 31), numerator=False)
    # late: D (1 Feb), B (10 Mar), C (15 May) by the adopted date, then on time: A
    assert [p.title for p in base] == ["D", "B", "C", "A"]
    assert [p.title for p in definition.records(2026, D(2026, 12, 31))] == ["A"]


def test_8_2_per_municipality(adopted_2026):
    falun = Municipality.objects.get(name="Falun")
    measure = compute_all(as_of=D(2026, 12, 31), years=[2026], municipality=falun)["8.2"][2026]
    assert (measure.numerator, measure.denominator) == (1, 4)


def test_the_register_plan_fields_become_adopted_plans(plan):
    on_time = ProcurementFactory(in_procurement_plan=True, planned_completion=D(2025, 5, 10), status=COMPLETED,
                                 advertised_on=D(2025, 1, 7), awarded_on=D(2025, 5, 20), completed_on=D(2025, 5, 20))
    late = ProcurementFactory(in_procurement_plan=True, planned_completion=D(2025, 6, 1), status=COMPLETED,
                              advertised_on=D(2025, 1, 7), awarded_on=D(2025, 7, 2), completed_on=D(2025, 7, 2))
    ProcurementFactory(in_procurement_plan=False, planned_completion=D(2025, 6, 1))
    ProcurementFactory(in_procurement_plan=True, planned_completion=None)
    assert plans_from_register(Procurement, ProcurementPlan, PlannedProcurement) == 2
    plan_2025 = ProcurementPlan.objects.get(year=2025)
    assert plan_2025.status == "adopted"
    assert sorted(p.procurement_id for p in plan_2025.planned.all()) == sorted([on_time.pk, late.pk])
    measure = value_8_2(D(2025, 12, 31), year=2025)
    # on time: 20 May ≤ 31 May; late: 2 July > 30 June → 1 / 2
    assert (measure.numerator, measure.denominator) == (1, 2)
    assert plans_from_register(Procurement, ProcurementPlan, PlannedProcurement) == 0  # once


# --- 7.1 from the consultation -----------------------------------------------------------------------

def test_7_1_counts_municipalities_sent_and_answered_in_the_same_year(plan):
    procurement_plan = ProcurementPlan.objects.create(year=2027)
    services.send_for_consultation(plan=procurement_plan, sent_on=D(2026, 9, 1))
    assert procurement_plan.consultations.count() == 7
    answers = {"Falun": D(2026, 10, 1), "Borlänge": D(2026, 11, 15), "Avesta": D(2027, 1, 10), "Gagnef": None}
    for name, answered in answers.items():
        consultation = PlanConsultation.objects.get(plan=procurement_plan, municipality__name=name)
        consultation.answered_on, consultation.comment = answered, f"Svar från {name}"
        services.record_consultation(consultation=consultation, expected_version=consultation.version)
    values = compute_all(as_of=D(2027, 12, 31), years=[2026, 2027])["7.1"]
    # 2026: Falun and Borlänge (sent and answered in 2026); Avesta answered in 2027, the year after → not counted
    assert values[2026].value == 2
    assert 2027 not in values  # no dialogue held in 2027: no value
    assert services.municipalities_held(procurement_plan) == (2, 7)
    falun = PlanConsultation.objects.get(plan=procurement_plan, municipality__name="Falun")
    assert (falun.dialogue.kind, falun.dialogue.date, falun.dialogue.notes) == (
        MunicipalityDialogue.Kind.PLAN_REMISS, D(2026, 10, 1), "Svar från Falun"
    )


def test_clearing_an_answer_takes_the_municipality_out_of_7_1(plan):
    procurement_plan = ProcurementPlan.objects.create(year=2027)
    falun = Municipality.objects.get(name="Falun")
    consultation = PlanConsultation.objects.create(plan=procurement_plan, municipality=falun, sent_on=D(2026, 9, 1),
                                                   answered_on=D(2026, 10, 1))
    services.record_consultation(consultation=consultation, expected_version=1)
    assert compute_all(as_of=D(2026, 12, 31), years=[2026])["7.1"][2026].value == 1
    consultation.refresh_from_db()
    consultation.answered_on = None
    services.record_consultation(consultation=consultation, expected_version=consultation.version)
    assert not MunicipalityDialogue.objects.exists()
    assert 2026 not in compute_all(as_of=D(2026, 12, 31), years=[2026])["7.1"]


def test_7_1_still_counts_a_dialogue_registered_by_hand(plan):
    MunicipalityDialogue.objects.create(date=D(2026, 3, 2), kind=MunicipalityDialogue.Kind.PLAN_REMISS,
                                        municipality=Municipality.objects.get(name="Säter"))
    assert compute_all(as_of=D(2026, 12, 31), years=[2026])["7.1"][2026].value == 1
