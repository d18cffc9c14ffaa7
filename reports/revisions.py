"""What changed behind the previous report's figures after it was frozen: corrections and late entries.

The previous frozen report keeps what it showed. The next report says openly what has changed in
its basis since: hand-recorded values corrected or removed ("Rättade siffror"), and what was
entered after it was frozen although it belongs to its period ("Sent inrapporterat"): hand-recorded
values known by its cut-off, and register records created after it was frozen but dated on or
before its cut-off (from the register's simple_history "+" records). Only figures the previous
report could show count: the whole committee's values, and records dated in the years it showed.
"""

import datetime

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import parse_iso_date
from indicators.corrections import value_changes
from indicators.sources import DATED

CREATED = "+"

# What a late register record is, by the source it counts in, and which of its fields name it.
# Bids are named by their procurement only: who bid is secret until the award (procurement/secrecy.py).
LATE_RECORDS = {
    "advertised": (_("Annonserad upphandling"), ("case_number", "title")),
    "completed": (_("Avslutad upphandling"), ("case_number", "title")),
    "bids": (_("Anbud i avslutad upphandling"), ("procurement__case_number", "procurement__title")),
    "follow_ups": (_("Avtalsuppföljning"), ("contract__number", "contract__title")),
    "plan": (_("Upphandling i upphandlingsplanen"), ("procurement__case_number", "title")),
    "appeals": (_("Överprövning"), ("case_number", "title")),
    "cancelled": (_("Avbruten upphandling"), ("case_number", "title")),
    "terminated": (_("Avtal avslutat i förtid"), ("number", "title")),
    "activities": (_("Informationsaktivitet"), ("title",)),
    "efforts": (_("Kompetensinsats"), ("municipality__name", "title")),
    "dialogues": (_("Dialog med kommun"), ("municipality__name",)),
}


def _moment(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _decimal(value):
    return None if value is None else str(value)


def _value_change(change):
    return {
        "code": change.code, "name": change.name, "unit": change.unit, "year": change.year,
        "period": change.period, "period_label": str(change.period_label),
        "before": _decimal(change.before), "after": _decimal(change.after), "removed": change.removed,
        "reason": change.reason, "changed_by": change.changed_by, "changed_at": _moment(change.changed_at),
        "known_from": change.known_from.isoformat() if change.known_from else None,
    }


def previous_known_by(previous):
    """The day whose knowledge the previous report showed (its cut-off; for a full-year report the meeting's)."""
    stored = parse_iso_date((previous.snapshot or {}).get("known_by") or "")
    return stored or previous.period_end


def _shown(change, years):
    return change.municipality == "" and change.year in years


def value_revisions(previous, end):
    """(corrections, late values) of the whole committee's recorded values since `previous` was frozen."""
    years = set((previous.snapshot or {}).get("years") or [previous.period_end.year])
    corrections, late = value_changes(previous.frozen_at, end, known_by=previous_known_by(previous))
    return ([_value_change(c) for c in corrections if _shown(c, years)],
            [_value_change(c) for c in late if _shown(c, years)])


def _late_in(source, previous, first_day):
    """One query: the source's records created after `previous` was frozen, dated in its years up to its cut-off."""
    label, fields = LATE_RECORDS[source.key]
    History = source.model.history.model
    created = History.objects.filter(id=OuterRef("pk"), history_type=CREATED).order_by("history_date")
    dated = {f"{source.date_field}__gte": first_day, f"{source.date_field}__lte": previous.period_end}
    rows = (
        source.model.objects.filter(source.base, **dated)
        .annotate(_entered=Subquery(created.values("history_date")[:1]))
        .filter(_entered__gt=previous.frozen_at)
        .values(*fields, "_entered", _date=F(source.date_field))
        .order_by(source.date_field, *fields)
    )
    return [
        {"kind": str(label), "record": " ".join(str(row[f]) for f in fields if row[f]),
         "date": row["_date"].isoformat(), "entered_at": _moment(row["_entered"])}
        for row in rows
    ]


def late_records(previous):
    """Register records entered after `previous` was frozen but dated within its period, one query per source."""
    years = (previous.snapshot or {}).get("years") or [previous.period_end.year]
    first_day = datetime.date(min(years), 1, 1)
    records = []
    for source in DATED:
        records += _late_in(source, previous, first_day)
    # A procurement's several bids name it once.
    unique = {(r["kind"], r["record"], r["date"]): r for r in records}
    return sorted(unique.values(), key=lambda r: (r["date"], r["kind"], r["record"]))


def revisions_since(previous, end):
    """{"corrections", "late_values", "late_records"} since the previous frozen report, up to `end`."""
    corrections, late_values = value_revisions(previous, end)
    return {"corrections": corrections, "late_values": late_values, "late_records": late_records(previous)}
