"""Target evaluation: the one place that decides an indicator's status for a year.

Everything that shows a status (start page, dashboards, report, export, API) calls `evaluate`.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    AT_LEAST = "at_least", _("Minst")
    MORE_THAN = "more_than", _("Mer än")
    AT_MOST = "at_most", _("Högst")
    LESS_THAN = "less_than", _("Mindre än")
    WITHIN = "within", _("Avvikelse mindre än ±")
    INCREASE = "increase", _("Ska öka jämfört med föregående år")
    DECREASE = "decrease", _("Ska minska jämfört med föregående år")
    K_OF_N = "k_of_n", _("k av n")
    MEASURE_ONLY = "measure_only", _("Mäts utan mål")


# Kinds that compare with a fixed number; the others compare with last year or nothing.
KINDS_WITH_VALUE = {
    TargetKind.AT_LEAST,
    TargetKind.MORE_THAN,
    TargetKind.AT_MOST,
    TargetKind.LESS_THAN,
    TargetKind.WITHIN,
    TargetKind.K_OF_N,
}
KINDS_WITH_PREVIOUS = {TargetKind.INCREASE, TargetKind.DECREASE}


class Status(models.TextChoices):
    MET = "met", _("Uppfyllt")
    NOT_MET = "not_met", _("Ej uppfyllt")
    ON_TRACK = "on_track", _("På väg mot målet")
    OFF_TRACK = "off_track", _("Inte på väg mot målet")
    NO_TARGET = "no_target", _("Mål saknas")
    NO_VALUE = "no_value", _("Värde saknas")
    # Shown but not judged: the year the plan calls a baseline (the basis of the next year's
    # "increase"), and a value in another unit than the indicator's target (8.6's history in percent).
    BASELINE = "baseline", _("Nollmätning")
    NOT_COMPARABLE = "not_comparable", _("Ej jämförbart")


def _compare(kind, value, threshold):
    if kind == TargetKind.AT_LEAST or kind == TargetKind.K_OF_N:
        return value >= threshold
    if kind == TargetKind.MORE_THAN:
        return value > threshold
    if kind == TargetKind.AT_MOST:
        return value <= threshold
    if kind == TargetKind.LESS_THAN:
        return value < threshold
    if kind == TargetKind.WITHIN:
        return abs(value) < threshold
    raise ValueError(f"{kind} does not compare with a fixed value")


def evaluate(kind, threshold, value, previous=None):
    """Status of `value` against a target of `kind` with `threshold` (None without target).

    `previous` is last year's value, used by increase/decrease targets; without it the
    comparison cannot be made and the status is "no value" (the missing value is last year's).
    An increase of zero is not an increase.
    """
    if kind is None or kind == TargetKind.MEASURE_ONLY:
        return Status.NO_TARGET if value is not None else Status.NO_VALUE
    if value is None:
        return Status.NO_VALUE
    value = Decimal(value)
    if kind in KINDS_WITH_PREVIOUS:
        if previous is None:
            return Status.NO_VALUE
        previous = Decimal(previous)
        better = value > previous if kind == TargetKind.INCREASE else value < previous
        return Status.MET if better else Status.NOT_MET
    return Status.MET if _compare(kind, value, Decimal(threshold)) else Status.NOT_MET


def evaluate_to_date(kind, threshold, value, previous=None, *, fraction, accumulates):
    """Status during the year, at `fraction` (0–1) of the year gone.

    Counts that build up over the year (`accumulates`) are judged against where the year should be
    by now: "at least 250" in mid-May (fraction 0,37) is on track from 93. Shares, averages and
    indexes are judged as they stand. Lower-is-better targets (at most, less than, decrease) are
    pro-rated the same way, so being over the pro-rated cap is "not on track".
    """
    if kind is None or kind == TargetKind.MEASURE_ONLY:
        return Status.NO_TARGET if value is not None else Status.NO_VALUE
    if value is None:
        return Status.NO_VALUE
    scale = Decimal(str(fraction)) if accumulates else Decimal(1)
    if kind in KINDS_WITH_PREVIOUS:
        if previous is None:
            return Status.NO_VALUE
        full = evaluate(kind, None, Decimal(value), Decimal(previous) * scale)
    else:
        full = evaluate(kind, Decimal(threshold) * scale, value)
    return Status.ON_TRACK if full == Status.MET else Status.OFF_TRACK


def expected_to_date(kind, threshold, previous, *, fraction, accumulates):
    """Where an accumulating count should be by now, for display; None when not pro-rated."""
    if not accumulates or kind is None or kind == TargetKind.MEASURE_ONLY:
        return None
    base = previous if kind in KINDS_WITH_PREVIOUS else threshold
    if base is None:
        return None
    return (Decimal(base) * Decimal(str(fraction))).quantize(Decimal("0.1"))
