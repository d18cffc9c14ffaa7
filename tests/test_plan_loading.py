"""The plan loaded from the seed: goals, indicators, typed targets and every historical value."""

from decimal import Decimal

import pytest

from indicators.models import Indicator, IndicatorValue, Target
from indicators.targets import TargetKind
from nämndplan.loading import load_plan, read_plan_file
from nämndplan.models import BudgetLine, Goal, Municipality, SpecialAssignment

pytestmark = pytest.mark.django_db

# Every historical value the seed (bilaga 3) gives, exactly as written. Shares in percent.
SEED_VALUES = {
    "1.1": {2024: "93.0", 2023: "86.6", 2022: "89.9", 2021: "88.1"},
    "1.2": {2024: "56", 2023: "58", 2022: "57", 2021: "59"},
    "2.1": {2024: "303", 2023: "240", 2022: "212", 2021: "218"},
    "3.1": {2024: "9.0", 2023: "9.4", 2022: "9.2", 2021: "4.3"},
    "4.1": {2024: "92", 2023: "96", 2022: "66", 2021: "56"},
    "4.2": {2024: "32", 2023: "23", 2022: "26", 2021: "15"},
    "4.3": {2024: "2", 2023: "2", 2022: "1", 2021: "3"},
    "4.4": {2024: "32", 2023: "13", 2022: "28", 2021: "7"},
    "4.7": {2024: "97", 2023: "94", 2022: "87", 2021: "76"},
    "4.8": {2024: "59", 2023: "35"},
    "4.9": {2024: "40", 2023: "22", 2022: "38", 2021: "29"},
    "4.10": {2024: "14"},
    "4.11": {2024: "12"},
    "4.12": {2024: "36", 2023: "40", 2022: "39", 2021: "15"},
    "4.13": {2024: "86", 2023: "100", 2022: "88", 2021: "100"},
    "4.14": {2024: "57", 2023: "100", 2022: "100", 2021: "100"},
    "5.1": {2024: "349", 2023: "168", 2022: "182", 2021: "118"},
    "5.2": {2024: "74", 2023: "45", 2022: "55", 2021: "58"},
    "5.3": {2024: "65", 2023: "43", 2022: "63", 2021: "56"},
    "5.4": {2025: "2.7", 2024: "2.7", 2023: "2.6", 2022: "2.5"},
    "5.5": {2024: "3.7", 2023: "5.1", 2022: "4.2", 2021: "4.0"},
    "6.1": {2024: "9", 2023: "9", 2022: "8"},
    "8.1": {2024: "2.1", 2023: "2.6", 2022: "2.8"},
    "8.2": {2024: "72", 2023: "73", 2022: "70", 2021: "93"},
    "8.6": {2024: "85", 2023: "85", 2022: "85", 2021: "85"},
    "8.7": {2024: "0", 2023: "0"},
    "8.8": {2024: "9", 2023: "3", 2022: "1", 2021: "7"},
    "8.9": {2022: "7", 2021: "12"},
    "8.10": {2022: "2", 2021: "0"},
}


def test_the_seven_goals_and_the_operations_follow_up_are_loaded(plan):
    goals = list(Goal.objects.filter(plan=plan).order_by("number"))
    assert [g.number for g in goals] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert goals[0].title.startswith("Vi använder upphandling som ett strategiskt verktyg")
    assert "kategoristyrning som metod" in goals[0].description
    assert goals[6].title.startswith("Vi bidrar till att höja")
    assert goals[7].kind == Goal.Kind.OPERATIONS
    assert list(Municipality.objects.values_list("name", flat=True)) == [
        "Falun", "Borlänge", "Avesta", "Gagnef", "Hedemora", "Ludvika", "Säter"]


def test_all_48_indicators_in_bilaga_3_order(plan):
    codes = list(Indicator.objects.of_plan(plan).values_list("code", flat=True))
    assert len(codes) == 48
    assert codes[:3] == ["1.1", "1.2", "1.3"]
    assert codes.index("4.10") == codes.index("4.9") + 1
    assert codes[-1] == "8.10"
    per_goal = [Indicator.objects.filter(goal__number=n).count() for n in range(1, 9)]
    assert per_goal == [3, 4, 6, 14, 5, 3, 3, 10]


def test_every_historical_value_is_stored_exactly_as_written(plan):
    stored = {}
    for v in IndicatorValue.objects.filter(indicator__goal__plan=plan):
        stored.setdefault(v.indicator.code, {})[v.year] = v.value
    expected = {code: {y: Decimal(v) for y, v in years.items()} for code, years in SEED_VALUES.items()}
    assert stored == expected


def test_question_marks_and_blanks_store_no_value(plan):
    assert not IndicatorValue.objects.filter(indicator__code="8.9", year__in=[2023, 2024]).exists()
    assert not IndicatorValue.objects.filter(indicator__code__in=["4.5", "4.6"]).exists()


def test_qualified_values_keep_their_words_as_comment(plan):
    assert IndicatorValue.objects.get(indicator__code="8.7", year=2024).comment == "Inga väsentliga avvikelser"
    assert "över 85" in IndicatorValue.objects.get(indicator__code="8.6", year=2024).comment
    assert "pandemi" in IndicatorValue.objects.get(indicator__code="4.4", year=2021).comment


def test_the_fossil_free_split_is_a_note_not_values(plan):
    for code in ("4.10", "4.11"):
        indicator = Indicator.objects.get(code=code)
        assert "fossilfrihet" in indicator.note.lower()
        assert "24" in indicator.note
        assert indicator.measured_from == 2024


def test_targets_are_typed_and_keep_the_plans_words(plan):
    coordinated = Indicator.objects.get(code="1.2")
    old, new = coordinated.targets.order_by("from_year")
    assert (old.kind, old.value, old.to_year) == (TargetKind.AT_LEAST, Decimal("80"), 2025)
    assert (new.kind, new.value, new.to_year) == (TargetKind.AT_LEAST, Decimal("60"), None)
    assert coordinated.target_for(2024) == old and coordinated.target_for(2026) == new

    follow_ups = Indicator.objects.get(code="2.1").target_for(2026)
    assert (follow_ups.kind, follow_ups.value) == (TargetKind.AT_LEAST, Decimal("250"))
    nki = Indicator.objects.get(code="1.1").target_for(2026)
    assert (nki.kind, nki.value) == (TargetKind.MORE_THAN, Decimal("90"))
    dialogues = Indicator.objects.get(code="7.1").target_for(2026)
    assert (dialogues.kind, dialogues.value, dialogues.of_n) == (TargetKind.K_OF_N, Decimal("7"), 7)
    innovation = Indicator.objects.get(code="6.2").target_for(2026)
    assert (innovation.value, innovation.of_n) == (Decimal("6"), 12)
    assert Indicator.objects.get(code="2.4").target_for(2026).kind == TargetKind.INCREASE
    assert Indicator.objects.get(code="8.5").target_for(2026).kind == TargetKind.DECREASE
    assert Indicator.objects.get(code="8.8").target_for(2026).kind == TargetKind.MEASURE_ONLY
    balance = Indicator.objects.get(code="8.1").target_for(2026)
    assert (balance.kind, balance.value) == (TargetKind.WITHIN, Decimal("3.0"))
    assert "60" in new.text


def test_special_assignments_and_budget(plan):
    assert SpecialAssignment.objects.filter(year=2026).count() == 5
    income_2026 = sum(b.amount_tkr for b in BudgetLine.objects.filter(year=2026, kind="income"))
    assert income_2026 == 24859


def test_loading_twice_changes_nothing(plan):
    counts = (Indicator.objects.count(), Target.objects.count(), IndicatorValue.objects.count(),
              Goal.objects.count(), SpecialAssignment.objects.count(), BudgetLine.objects.count())
    load_plan(read_plan_file())
    again = (Indicator.objects.count(), Target.objects.count(), IndicatorValue.objects.count(),
             Goal.objects.count(), SpecialAssignment.objects.count(), BudgetLine.objects.count())
    assert counts == again


def test_reloading_replaces_targets_the_plan_no_longer_has(plan):
    indicator = Indicator.objects.get(code="8.6")
    Target.objects.create(indicator=indicator, from_year=2021, to_year=2025, kind=TargetKind.AT_LEAST, value=70)
    load_plan(read_plan_file())
    assert list(indicator.targets.values_list("from_year", flat=True)) == [2026]


def test_the_percent_history_of_8_6_is_not_judged_against_the_hours_target(plan):
    from indicators.results import indicator_results

    result = indicator_results(plan)["8.6"].for_year(2024)
    assert (result.value, result.unit, result.status) == (Decimal("85"), "percent", "not_comparable")
    assert set(IndicatorValue.objects.filter(indicator__code="8.6").values_list("unit", flat=True)) == {"percent"}


def test_8_3_takes_its_values_from_1_1_and_has_none_of_its_own(plan):
    nki = Indicator.objects.get(code="8.3")
    assert nki.value_from == Indicator.objects.get(code="1.1")
    assert not nki.values.exists()


# The plan's words "Nollmätning 2025" / "Ny indikator 2025" (and "ny indikator 2024") as baseline years.
BASELINES = {code: 2025 for code in ("1.3", "2.3", "2.4", "3.2", "3.3", "3.4", "3.5", "3.6", "6.2", "6.3",
                                     "7.1", "7.2", "7.3", "8.4", "8.5")} | {"4.5": 2024, "4.6": 2024}


def test_the_baseline_years_the_plan_names_are_loaded(plan):
    loaded = dict(Indicator.objects.of_plan(plan).filter(baseline_year__isnull=False)
                  .values_list("code", "baseline_year"))
    assert loaded == BASELINES
    assert Indicator.objects.get(code="1.1").baseline_year is None  # "Ny mätning" 2025 is judged (> 90)
