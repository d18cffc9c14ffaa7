"""Writes and reads of the ledger that are more than a form's save.

`sync_register_entries`: the register's numbers of in-depth checks and actions on a procurement
(Procurement.supplier_checks, welfare_actions, welfare_actions_text; typed in the procurement form or
imported from Excel) kept as that many ledger entries "from the register". They name no supplier and are
dated on the day the procurement was advertised, so they count in 3.5 and 3.6 in the year the register's
numbers counted in before the ledger (a procurement not advertised has none, as its numbers counted
nowhere). The ledger's own entries are never touched.

`ledger_counts`: the ledger's numbers for the follow-up report.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from procurement.checks.models import SupplierCheck, high_risk_unchecked
from procurement.models import Procurement, count_of
from procurement.signals import register_changed

_syncing = ContextVar("supplier_checks_syncing", default=False)
Kind, Result, Origin = SupplierCheck.Kind, SupplierCheck.Result, SupplierCheck.Origin


def syncing():
    """True while the register's entries are rewritten: the per-record signals wait for one at the end."""
    return _syncing.get()


@contextmanager
def _quietly():
    reset = _syncing.set(True)
    try:
        yield
    finally:
        _syncing.reset(reset)


def register_entries(procurement):
    """The entries the register's numbers on `procurement` stand for (unsaved)."""
    day = procurement.advertised_on
    if day is None:
        return []
    common = {"procurement_id": procurement.pk, "date": day, "origin": Origin.REGISTER}
    checks = [SupplierCheck(kind=Kind.IN_DEPTH, **common) for _ in range(procurement.supplier_checks)]
    actions = [
        SupplierCheck(kind=Kind.UNSPECIFIED, result=Result.DEVIATION, action_on=day,
                      note=procurement.welfare_actions_text if index == 0 else "", **common)
        for index in range(procurement.welfare_actions)
    ]
    return checks + actions


def out_of_step(procurements):
    """The procurements whose entries from the register differ from its numbers, its advertising day or its
    text of actions taken: one query, the counts as subqueries (a join of both would multiply rows)."""
    actions = SupplierCheck.objects.from_register().filter(procurement=OuterRef("pk"), kind=Kind.UNSPECIFIED)
    advertised = Q(advertised_on__isnull=False)
    entries = SupplierCheck.objects.from_register().filter(procurement=OuterRef("pk"))
    moved = entries.exclude(date=OuterRef("advertised_on"))
    wrong_text = actions.exclude(note="").exclude(note=OuterRef("welfare_actions_text"))
    return procurements.annotate(
        _checks=count_of(SupplierCheck, "procurement", origin=Origin.REGISTER, kind=Kind.IN_DEPTH),
        _actions=count_of(SupplierCheck, "procurement", origin=Origin.REGISTER, kind=Kind.UNSPECIFIED),
        _moved=Exists(moved), _wrong_text=Exists(wrong_text), _text_kept=Exists(
            actions.filter(note=OuterRef("welfare_actions_text"))),
    ).filter(
        (advertised & (~Q(_checks=F("supplier_checks")) | ~Q(_actions=F("welfare_actions"))))
        | (~advertised & (Q(_checks__gt=0) | Q(_actions__gt=0)))
        | Q(_moved=True) | Q(_wrong_text=True)
        | (advertised & Q(welfare_actions__gt=0, welfare_actions_text__gt="", _text_kept=False))
    )


@transaction.atomic
def sync_register_entries(procurements=None):
    """Rewrite the register's entries of every procurement out of step (of `procurements`, default all).

    Returns how many procurements were rewritten. Runs inside the caller's transaction (an import's: all or
    nothing). The entries of a procurement are removed and made anew: they carry nothing but the numbers.
    """
    changed = list(out_of_step(procurements if procurements is not None else Procurement.objects.all()).order_by())
    if not changed:
        return 0
    with _quietly():
        SupplierCheck.objects.from_register().filter(procurement__in=[p.pk for p in changed]).delete()
        bulk_create_with_history([e for p in changed for e in register_entries(p)], SupplierCheck, batch_size=1000)
    register_changed.send(sender=SupplierCheck)
    return len(changed)


@dataclass(frozen=True)
class LedgerCounts:
    """The ledger's numbers of one year for the follow-up report; counts only, no supplier named."""

    year: int
    as_of: object
    checks_by_kind: dict  # {Kind value: count} of checks made in the year
    checks: int
    deviations: int
    actions_by_step: dict  # {Action value, or "" for actions from the register: count} taken in the year
    actions: int
    high_risk_unchecked: int  # contracts in force on as_of, elevated risk, not checked in 12 months

    @property
    def in_depth(self):
        """Indicator 3.5's number: the same selection as indicators/definitions.py counts."""
        return self.checks_by_kind.get(Kind.IN_DEPTH, 0)


def ledger_counts(year, as_of=None):
    """The ledger's counts of `year` up to `as_of` (default today; the year's end when it is later): three
    queries. The high-risk contracts are counted as they stand on the year's last counted day."""
    as_of = as_of or timezone.localdate()
    last = min(as_of, datetime.date(year, 12, 31))
    tally = SupplierCheck.objects.tally(year, last)
    steps = SupplierCheck.objects.actions_by_step(year, last)
    total, deviations = tally.pop("total"), tally.pop("deviations")
    return LedgerCounts(
        year=year, as_of=last, checks_by_kind=tally, checks=total, deviations=deviations,
        actions_by_step=steps, actions=sum(steps.values()), high_risk_unchecked=high_risk_unchecked(last).count(),
    )
