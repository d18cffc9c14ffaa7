"""Every target type at its edges, worked out by hand."""

from decimal import Decimal

import pytest

from indicators.targets import Status, TargetKind, evaluate

MET, NOT_MET, NO_TARGET, NO_VALUE = Status.MET, Status.NOT_MET, Status.NO_TARGET, Status.NO_VALUE


@pytest.mark.parametrize(
    "kind, threshold, value, expected",
    [
        # "minst 60 %": exactly 60 is met, 59,99 is not.
        (TargetKind.AT_LEAST, 60, 60, MET),
        (TargetKind.AT_LEAST, 60, Decimal("59.99"), NOT_MET),
        (TargetKind.AT_LEAST, 60, 61, MET),
        # "över 60 %": exactly 60 is not met.
        (TargetKind.MORE_THAN, 60, 60, NOT_MET),
        (TargetKind.MORE_THAN, 60, Decimal("60.01"), MET),
        # NKI "> 90": 93,0 met, 89,9 not, 90,0 not.
        (TargetKind.MORE_THAN, 90, Decimal("93.0"), MET),
        (TargetKind.MORE_THAN, 90, Decimal("89.9"), NOT_MET),
        (TargetKind.MORE_THAN, 90, Decimal("90.0"), NOT_MET),
        # "högst 5": 5 met, 6 not.
        (TargetKind.AT_MOST, 5, 5, MET),
        (TargetKind.AT_MOST, 5, 6, NOT_MET),
        # "under 5": 5 not met, 4,9 met.
        (TargetKind.LESS_THAN, 5, 5, NOT_MET),
        (TargetKind.LESS_THAN, 5, Decimal("4.9"), MET),
        # ekonomi i balans "< 3,0 %" either way: 2,1 and -2,9 met, 3,0 and -3,0 not.
        (TargetKind.WITHIN, 3, Decimal("2.1"), MET),
        (TargetKind.WITHIN, 3, Decimal("-2.9"), MET),
        (TargetKind.WITHIN, 3, Decimal("3.0"), NOT_MET),
        (TargetKind.WITHIN, 3, Decimal("-3.0"), NOT_MET),
        # "7 av 7 kommuner": 7 met, 6 not; "6 av 12 kategorier": 6 met, 5 not.
        (TargetKind.K_OF_N, 7, 7, MET),
        (TargetKind.K_OF_N, 7, 6, NOT_MET),
        (TargetKind.K_OF_N, 6, 6, MET),
        (TargetKind.K_OF_N, 6, 5, NOT_MET),
    ],
)
def test_fixed_value_targets_at_their_edges(kind, threshold, value, expected):
    assert evaluate(kind, threshold, value) == expected


@pytest.mark.parametrize(
    "kind, previous, value, expected",
    [
        (TargetKind.INCREASE, 10, 11, MET),
        (TargetKind.INCREASE, 10, 10, NOT_MET),  # an increase of zero is not an increase
        (TargetKind.INCREASE, 10, 9, NOT_MET),
        (TargetKind.INCREASE, Decimal("2.6"), Decimal("2.7"), MET),
        (TargetKind.DECREASE, 10, 9, MET),
        (TargetKind.DECREASE, 10, 10, NOT_MET),
        (TargetKind.DECREASE, 10, 11, NOT_MET),
    ],
)
def test_change_targets_compare_with_the_previous_year(kind, previous, value, expected):
    assert evaluate(kind, None, value, previous) == expected


def test_change_target_without_last_years_value_has_no_value():
    assert evaluate(TargetKind.INCREASE, None, 5, None) == NO_VALUE


def test_measure_only_has_no_target():
    assert evaluate(TargetKind.MEASURE_ONLY, None, 12) == NO_TARGET
    assert evaluate(None, None, 12) == NO_TARGET


def test_missing_value_is_no_value_for_every_kind():
    for kind in TargetKind:
        if kind == TargetKind.MEASURE_ONLY:
            continue
        assert evaluate(kind, 1, None, 1) == NO_VALUE


# --- During the year: "på väg mot målet" -------------------------------------------------------
from indicators.targets import evaluate_to_date, expected_to_date  # noqa: E402

ON, OFF = Status.ON_TRACK, Status.OFF_TRACK
MAY_20 = 140 / 365  # 20 May 2026 is day 140 of 365


def test_a_count_target_is_pro_rated_at_a_meeting_in_may():
    # "minst 250 avtalsuppföljningar": by 20 May 250 × 140/365 = 95,9 are expected.
    assert expected_to_date(TargetKind.AT_LEAST, 250, None, fraction=MAY_20, accumulates=True) == Decimal("95.9")
    assert evaluate_to_date(TargetKind.AT_LEAST, 250, 96, fraction=MAY_20, accumulates=True) == ON
    assert evaluate_to_date(TargetKind.AT_LEAST, 250, 95, fraction=MAY_20, accumulates=True) == OFF


def test_a_share_is_judged_as_it_stands_during_the_year():
    assert evaluate_to_date(TargetKind.AT_LEAST, 60, 60, fraction=MAY_20, accumulates=False) == ON
    assert evaluate_to_date(TargetKind.AT_LEAST, 60, Decimal("59.9"), fraction=MAY_20, accumulates=False) == OFF
    assert expected_to_date(TargetKind.AT_LEAST, 60, None, fraction=MAY_20, accumulates=False) is None


def test_an_increase_of_a_count_is_pro_rated_against_last_year():
    # Negotiations "ska öka": 40 last year, by 20 May 40 × 140/365 = 15,3 expected; 16 is on track.
    assert evaluate_to_date(TargetKind.INCREASE, None, 16, 40, fraction=MAY_20, accumulates=True) == ON
    assert evaluate_to_date(TargetKind.INCREASE, None, 15, 40, fraction=MAY_20, accumulates=True) == OFF


def test_lower_is_better_during_the_year():
    # Sick leave "ska minska": a share, compared as it stands with last year's 4,5 %.
    assert evaluate_to_date(TargetKind.DECREASE, None, Decimal("4.0"), Decimal("4.5"), fraction=MAY_20,
                            accumulates=False) == ON
    assert evaluate_to_date(TargetKind.DECREASE, None, Decimal("4.5"), Decimal("4.5"), fraction=MAY_20,
                            accumulates=False) == OFF
    # "högst 10" of a count: by 20 May at most 3,8 → 3 is on track, 4 is not.
    assert evaluate_to_date(TargetKind.AT_MOST, 10, 3, fraction=MAY_20, accumulates=True) == ON
    assert evaluate_to_date(TargetKind.AT_MOST, 10, 4, fraction=MAY_20, accumulates=True) == OFF


def test_k_of_n_is_pro_rated_when_it_builds_up_over_the_year():
    # 7 of 7 municipalities reached: by 20 May 2,7 expected.
    assert evaluate_to_date(TargetKind.K_OF_N, 7, 3, fraction=MAY_20, accumulates=True) == ON
    assert evaluate_to_date(TargetKind.K_OF_N, 7, 2, fraction=MAY_20, accumulates=True) == OFF


def test_to_date_without_target_or_value():
    assert evaluate_to_date(TargetKind.MEASURE_ONLY, None, 5, fraction=MAY_20, accumulates=True) == NO_TARGET
    assert evaluate_to_date(TargetKind.AT_LEAST, 250, None, fraction=MAY_20, accumulates=True) == NO_VALUE
    assert evaluate_to_date(TargetKind.INCREASE, None, 5, None, fraction=MAY_20, accumulates=True) == NO_VALUE
