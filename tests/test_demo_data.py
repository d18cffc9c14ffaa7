"""The demo register (procurement/demo/, generate_demo_data, setup_demo): deterministic, valid, realistic."""

import datetime
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Q, Sum
from django.test import override_settings

from nämndplan.loading import read_plan_file
from ops.management.commands import setup_demo
from procurement.demo import RegisterNotEmpty, delete_register, generate
from procurement.demo.profile import profile_for, seed_history
from procurement.demo.suppliers import org_number
from procurement.models import (
    Bid,
    Category,
    CompetenceEffort,
    Contract,
    ContractFollowUp,
    InformationActivity,
    MunicipalityDialogue,
    Procurement,
    ProductGroup,
    Supplier,
)
from procurement.validators import luhn_check_digit, luhn_ok

pytestmark = pytest.mark.django_db

Status = Procurement.Status
TODAY = datetime.date(2025, 6, 15)


def small_register(seed=7, today=TODAY):
    return generate(seed=seed, years=range(2024, 2026), scale=0.2, today=today)


@pytest.fixture
def register_2022_2024():
    """Three whole years at the real volume (scale 1)."""
    return generate(seed=1, years=range(2022, 2025), scale=1, today=datetime.date(2025, 3, 1))


def snapshot():
    return {
        "procurements": list(Procurement.objects.order_by("case_number").values_list(
            "case_number", "title", "status", "advertised_on", "completed_on", "planned_completion",
            "questions_received", "employment_requirement", "negotiation_saving_sek",
        )),
        "bids": list(Bid.objects.order_by("procurement__case_number", "supplier__org_number").values_list(
            "procurement__case_number", "supplier__org_number", "awarded", "disqualified",
        )),
        "contracts": list(Contract.objects.order_by("number").values_list(
            "number", "supplier__org_number", "start_date", "end_date", "contract_class", "estimated_yearly_value",
        )),
        "follow_ups": list(ContractFollowUp.objects.order_by("contract__number", "date", "form", "notes").values_list(
            "contract__number", "date", "form", "notes",
        )),
        "suppliers": list(Supplier.objects.order_by("org_number").values_list("org_number", "name", "regional")),
    }


def completed_in(year):
    return Procurement.objects.filter(status=Status.COMPLETED, completed_on__year=year)


def advertised_in(year):
    return Procurement.objects.filter(advertised_on__year=year)


def share(part, whole):
    return 100 * part / whole


# --- determinism ---

def test_the_same_seed_gives_the_same_register():
    small_register()
    first = snapshot()
    delete_register()
    small_register()

    assert snapshot() == first
    assert len(first["procurements"]) > 50 and len(first["follow_ups"]) > 20


def test_a_different_seed_gives_a_different_register():
    small_register(seed=7)
    first = snapshot()
    delete_register()
    small_register(seed=8)
    second = snapshot()

    assert second["procurements"] != first["procurements"]
    assert second["suppliers"] != first["suppliers"]


# --- the year profiles, from the plan's history ---

def test_a_history_years_profile_is_the_plans_history():
    profile = profile_for(2023, seed_history(read_plan_file()), random.Random(1))

    assert (profile.coordinated, profile.follow_ups, profile.env_management, profile.appeals) == (58, 240, 35, 3)
    assert profile.climate_transport == 14  # the seed has 4.10 from 2024 only: the demo's own value


def test_the_food_shares_are_a_whole_number_of_the_years_food_procurements():
    profile = profile_for(2024, seed_history(read_plan_file()), random.Random(1))

    assert profile.food == 7
    assert profile.organic == pytest.approx(6 / 7 * 100)  # the seed's 86 % of 7 food procurements is 6
    assert profile.local == pytest.approx(4 / 7 * 100)  # 57 % of 7 is 4


# --- volumes and shape at scale 1 ---

def test_a_year_at_scale_one_has_the_volumes_of_uhc(register_2022_2024):
    completed = completed_in(2023)
    bids = Bid.objects.filter(procurement__in=completed)

    assert 215 <= advertised_in(2023).count() <= 245
    assert 185 <= completed.count() <= 220
    assert 4.6 <= bids.count() / completed.count() <= 5.6  # 5.1 in 2023
    assert 1000 <= Contract.objects.active_on(datetime.date(2023, 6, 30)).count() <= 1400
    assert ContractFollowUp.objects.filter(date__year=2023).count() == 240
    assert InformationActivity.objects.filter(date__year=2023).count() == 168
    assert 7 <= Procurement.objects.filter(status=Status.CANCELLED, cancelled_on__year=2023).count() <= 12
    assert Procurement.objects.filter(appealed_on__year=2023).count() == 3
    assert Contract.objects.filter(terminated_on__year=2023).count() <= 3
    assert CompetenceEffort.objects.filter(date__year=2023).values("municipality").distinct().count() >= 6


def test_every_completed_procurement_has_one_contract_per_awarded_bid(register_2022_2024):
    rows = completed_in(2023).annotate(
        awarded=Count("bids", filter=Q(bids__awarded=True), distinct=True),
        contract_count=Count("contracts", distinct=True),
    )
    counts = {(row.awarded, row.contract_count) for row in rows}

    assert all(awarded == contracts and 1 <= contracts <= 3 for awarded, contracts in counts)


def test_the_coordinated_share_of_2024_is_near_the_seeds_56_percent(register_2022_2024):
    completed = completed_in(2024).annotate(n=Count("municipalities"))

    assert 50 <= share(completed.filter(n__gte=2).count(), completed.count()) <= 65


def test_the_employment_requirement_share_of_2022_is_near_the_seeds_66_percent(register_2022_2024):
    advertised = advertised_in(2022)

    assert 55 <= share(advertised.filter(employment_requirement=True).count(), advertised.count()) <= 75


def test_regional_shares_of_bids_and_awards_follow_the_seed(register_2022_2024):
    bids = Bid.objects.filter(procurement__in=completed_in(2024))
    awarded = bids.filter(awarded=True)

    assert 70 <= share(bids.filter(supplier__regional=True).count(), bids.count()) <= 78  # 74 %
    assert 60 <= share(awarded.filter(supplier__regional=True).count(), awarded.count()) <= 70  # 65 %


def test_the_plan_is_kept_as_often_as_in_the_seed(register_2022_2024):
    plan = Procurement.objects.filter(in_procurement_plan=True, planned_completion__year=2022)
    on_time = plan.filter(status=Status.COMPLETED, completed_on__lte=F("planned_completion"))

    assert 65 <= share(on_time.count(), plan.count()) <= 75  # 70 %


def test_counts_and_averages_follow_the_seed(register_2022_2024):
    advertised = advertised_in(2023)
    food = advertised.filter(is_food=True)

    assert advertised.aggregate(q=Sum("questions_received"))["q"] / advertised.count() == pytest.approx(9.4, abs=0.05)
    assert advertised.filter(labour_law_conditions=True).count() == 23
    assert advertised.filter(reserved=True).count() == 2
    assert completed_in(2022).aggregate(t=Sum("traineeships"))["t"] == 28
    assert food.count() == 10 and food.filter(organic_food_requirement=True).count() == 10
    assert completed_in(2023).filter(innovative_solution=True).count() == 9


def test_only_social_enterprises_bid_in_reserved_procurements(register_2022_2024):
    bids = Bid.objects.filter(procurement__reserved=True)

    assert bids.exists()
    assert not bids.filter(supplier__social_enterprise=False).exists()


# --- validity ---

def test_every_record_passes_full_clean():
    small_register()
    models = [Supplier, Category, ProductGroup, Procurement, Bid, Contract, ContractFollowUp, InformationActivity,
              CompetenceEffort, MunicipalityDialogue]
    for model in models:
        objects = list(model.objects.order_by("pk"))
        assert objects, model
        for obj in objects[::3] + objects[-5:]:
            obj.full_clean()
    for special in (
        Procurement.objects.filter(status=Status.CANCELLED),
        Procurement.objects.exclude(appealed_on=None),
        Procurement.objects.filter(negotiation_held=True),
        Procurement.objects.filter(traineeships__gt=0),
        Procurement.objects.filter(is_food=True),
        Procurement.objects.filter(welfare_crime_risk=True),
        Contract.objects.exclude(terminated_on=None),
        Bid.objects.filter(disqualified=True),
    ):
        for obj in special:
            obj.full_clean()


def test_every_supplier_has_a_luhn_valid_organisation_number():
    generate(seed=3, years=range(2025, 2026), scale=1, today=TODAY)

    numbers = list(Supplier.objects.values_list("org_number", flat=True))
    assert len(numbers) > 300
    assert all(len(n) == 11 and n[6] == "-" and luhn_ok(n.replace("-", "")) for n in numbers)


def test_the_check_digit_makes_an_organisation_number_pass_the_luhn_check():
    assert luhn_check_digit("556016068") == 0  # 556016-0680
    numbers = [org_number("556", random.Random(seed)) for seed in range(50)]
    assert all(n.startswith("556") and n[6] == "-" and luhn_ok(n.replace("-", "")) for n in numbers)


def test_about_half_of_the_suppliers_are_regional_and_many_are_smes():
    generate(seed=3, years=range(2025, 2026), scale=1, today=TODAY)
    total = Supplier.objects.count()

    assert 45 <= share(Supplier.objects.filter(regional=True).count(), total) <= 60
    assert share(Supplier.objects.filter(sme=True).count(), total) >= 55
    assert 3 <= Supplier.objects.filter(social_enterprise=True).count() <= 20


def test_nothing_is_dated_after_today_except_planned_dates():
    small_register(today=TODAY)

    dated = [
        (Procurement, ["advertised_on", "awarded_on", "completed_on", "cancelled_on", "appealed_on"]),
        (Contract, ["start_date", "terminated_on"]),
        (ContractFollowUp, ["date"]),
        (InformationActivity, ["date"]),
        (CompetenceEffort, ["date"]),
        (MunicipalityDialogue, ["date"]),
        (Category, ["strategy_adopted_on", "innovation_need_identified_on", "digital_potential_identified_on"]),
    ]
    for model, fields in dated:
        latest = model.objects.aggregate(**{name: Max(name) for name in fields})
        assert all(day is None or day <= TODAY for day in latest.values()), (model, latest)
    planned = Procurement.objects.filter(status=Status.PLANNED)
    assert planned.exists()
    assert not planned.filter(planned_completion__lte=TODAY).exists()
    assert not planned.exclude(advertised_on=None).exists()


def test_by_the_end_of_2025_five_categories_have_a_strategy_and_more_follow_in_2026():
    small_register(today=datetime.date(2026, 11, 23))
    end_2025 = datetime.date(2025, 12, 31)

    assert Category.objects.count() == 12
    assert 140 <= ProductGroup.objects.count() <= 180
    assert Category.objects.filter(strategy_adopted_on__lte=end_2025).count() == 5
    assert Category.objects.filter(innovation_need_identified_on__lte=end_2025).count() == 4
    assert Category.objects.filter(digital_potential_identified_on__lte=end_2025).count() == 3
    assert Category.objects.exclude(strategy_adopted_on=None).count() == 7


def test_the_new_indicators_have_data_from_2025():
    generate(seed=5, years=range(2024, 2026), scale=1, today=datetime.date(2025, 12, 31))

    assert not advertised_in(2024).filter(preparedness_requirement=True).exists()
    assert advertised_in(2025).filter(preparedness_requirement=True).exists()
    assert 1 <= advertised_in(2025).filter(welfare_crime_risk=True).count() <= 12
    assert completed_in(2025).filter(bidders_contacted=True).count() >= 50
    assert 5 <= MunicipalityDialogue.objects.filter(date__year=2025, kind="plan_remiss").count() <= 7
    assert not MunicipalityDialogue.objects.filter(date__year=2024).exists()


# --- the command ---

def test_the_command_prints_a_swedish_summary():
    out = StringIO()
    call_command("generate_demo_data", seed=2, years="2025", scale=0.1, stdout=out)

    assert "Demodata skapade (frö 2, år 2025–2025, skala 0,1)" in out.getvalue()
    assert "Upphandlingar:" in out.getvalue()
    assert Procurement.objects.exists()


def test_the_command_refuses_a_register_that_already_has_procurements():
    small_register()
    count = Procurement.objects.count()

    with pytest.raises(CommandError, match="Registret innehåller redan upphandlingar"):
        call_command("generate_demo_data", seed=2, years="2025", scale=0.1, stdout=StringIO())
    assert Procurement.objects.count() == count
    with pytest.raises(RegisterNotEmpty):
        small_register()


def test_replace_is_refused_outside_the_local_demo():
    small_register()
    count = Procurement.objects.count()

    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("generate_demo_data", seed=2, years="2025", scale=0.1, replace=True, stdout=StringIO())
    assert Procurement.objects.count() == count


@override_settings(DEBUG=True)
def test_replace_deletes_the_register_before_generating():
    call_command("generate_demo_data", seed=2, years="2025", scale=0.1, stdout=StringIO())
    first = snapshot()
    call_command("generate_demo_data", seed=2, years="2025", scale=0.1, replace=True, stdout=StringIO())

    assert snapshot() == first


@pytest.mark.parametrize("years", ["2021–2026", "2026-2021", "1999", "2099"])
def test_the_command_refuses_years_it_cannot_generate(years):
    with pytest.raises(CommandError):
        call_command("generate_demo_data", years=years, stdout=StringIO())
    assert not Procurement.objects.exists()


@override_settings(DEBUG=True)
def test_setup_demo_generates_into_an_empty_register_only(monkeypatch):
    monkeypatch.setattr(setup_demo, "DEMO_FIRST_YEAR", datetime.date.today().year)
    monkeypatch.setattr(setup_demo, "DEMO_SCALE", 0.05)
    call_command("setup_demo", stdout=StringIO())
    counts = [model.objects.count() for model in (Procurement, Bid, Contract, Supplier)]
    out = StringIO()
    call_command("setup_demo", stdout=out)

    assert counts[0] > 0
    assert [model.objects.count() for model in (Procurement, Bid, Contract, Supplier)] == counts
    assert "inga demodata läggs till" in out.getvalue()


def test_setup_demo_adds_hand_reported_values_and_an_economic_report_once(plan):
    import datetime

    from indicators.models import IndicatorValue
    from nämndplan.models import EconomicReport
    from ops.demo_values import add_demo_values

    today = datetime.date(2026, 11, 23)
    before = IndicatorValue.objects.count()
    add_demo_values(plan, today)
    added = IndicatorValue.objects.count() - before
    add_demo_values(plan, today)
    assert IndicatorValue.objects.count() - before == added == 12
    assert EconomicReport.objects.get().as_of == datetime.date(2026, 8, 31)
    assert not IndicatorValue.objects.filter(year=2026, period="year").exists()  # not before year end


@pytest.mark.parametrize(
    "today, years",
    [
        (datetime.date(2026, 12, 1), [2025, 2026, 2027]),  # after the year's last meeting: next year's are there
        (datetime.date(2028, 6, 1), [2027, 2028]),  # the plan ends with 2028
        (datetime.date(2021, 3, 1), [2021, 2022]),  # the plan's history starts with 2021
    ],
)
def test_the_demo_meets_the_year_before_this_year_and_the_year_after(plan, today, years):
    assert setup_demo.demo_meeting_years(plan, today) == years


@override_settings(DEBUG=True)
def test_a_new_demo_installation_has_a_next_meeting(plan, monkeypatch):
    from django.utils import timezone

    from nämndplan.models import Meeting
    from tests.factories import ProcurementFactory

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 12, 1))
    monkeypatch.setattr(setup_demo, "add_demo_values", lambda plan, today: None)
    ProcurementFactory()  # a register with content: no demo register is generated
    call_command("setup_demo", stdout=StringIO())
    assert Meeting.objects.filter(date__gt=datetime.date(2026, 12, 1)).first().date == datetime.date(2027, 2, 18)
    assert Meeting.objects.count() == 15
