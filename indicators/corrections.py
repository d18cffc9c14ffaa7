"""What changed in the recorded values between two moments: corrections and late entries.

A frozen report keeps the figures it showed; when a value it showed is changed or removed later,
the next report says so ("Rättade siffror"), and a value entered later for a measurement known
before the report's cut-off is a late entry ("Sent inrapporterat"). Both are read from the values'
history (django-simple-history), in two queries whatever the number of values.
"""

from dataclasses import dataclass
from decimal import Decimal

from indicators.models import IndicatorValue, Period

CHANGED, DELETED, CREATED = "~", "-", "+"


@dataclass
class ValueChange:
    code: str
    name: str
    unit: str
    year: int
    period: str
    municipality: str  # "" for the whole committee
    before: Decimal | None  # the value at `start`; None for a late entry
    after: Decimal | None  # the value at `end`; None when it was removed
    reason: str  # the reason given with the latest change
    changed_by: str
    changed_at: object  # datetime of the latest change
    known_from: object = None  # date, for a late entry

    @property
    def period_label(self):
        return Period(self.period).label

    @property
    def removed(self):
        return self.after is None


def _user_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _change(first, last, before, after):
    indicator = last.indicator
    return ValueChange(
        code=indicator.code, name=indicator.name, unit=indicator.unit, year=last.year, period=last.period,
        municipality=last.municipality.name if last.municipality_id else "", before=before, after=after,
        reason=last.history_change_reason or "", changed_by=_user_name(last.history_user),
        changed_at=last.history_date, known_from=last.known_from if before is None else None,
    )


def value_changes(start, end, *, known_by=None):
    """(corrections, late entries) of recorded values between the datetimes `start` and `end`.

    A correction is a value that existed at `start` and at `end` has another value or is gone; a late
    entry is a value created after `start` that was known (known_from) by `known_by`, the cut-off of
    the report frozen at `start`. Several edits of one value in between are one change, from its
    value at `start` to its value at `end`, with the latest reason.
    """
    History = IndicatorValue.history.model
    touched = History.objects.filter(history_date__gt=start, history_date__lte=end).values("id")
    records = (
        History.objects.filter(id__in=touched, history_date__lte=end)
        .select_related("indicator", "municipality", "history_user")
        .order_by("id", "history_date", "history_id")
    )
    by_value = {}
    for record in records:
        by_value.setdefault(record.id, []).append(record)
    corrections, late = [], []
    for history in by_value.values():
        earlier = [r for r in history if r.history_date <= start]
        later = [r for r in history if r.history_date > start]
        before = earlier[-1] if earlier and earlier[-1].history_type != DELETED else None
        last = later[-1]
        after = None if last.history_type == DELETED else last.value
        if before is not None:
            if after is None or Decimal(after) != Decimal(before.value):
                corrections.append(_change(before, last, before.value, after))
        elif after is not None and known_by is not None and last.known_from <= known_by:
            late.append(_change(later[0], last, None, after))
    return sorted(corrections, key=_order), sorted(late, key=_order)


def _order(change):
    return tuple(int(part) for part in change.code.split(".") if part.isdigit()), change.year, change.municipality
