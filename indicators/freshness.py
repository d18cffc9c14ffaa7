"""Memoizing the register computation, keyed by a data version that every register write changes.

The computation of every indicator reads the whole register (a few grouped queries); at ten times
today's volume that is a few hundred milliseconds, while the register changes a few times an hour.
So `compute_all` results are kept in the cache under the current DataVersion token, and every
save, delete or many-to-many change of a model the computation reads gives a new token. Reading
the token is one query; a stale result is never served. Bulk writes that bypass the model signals
(the demo generator) send the register's `register_changed` signal, which bumps the token too.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from procurement.signals import register_changed

# Models whose rows feed indicators/sources.py.
WATCHED = [
    "procurement.Procurement",
    "procurement.Bid",
    "procurement.Supplier",
    "procurement.Category",
    "procurement.Contract",
    "procurement.ContractFollowUp",
    "procurement.InformationActivity",
    "procurement.CompetenceEffort",
    "procurement.MunicipalityDialogue",
    "supplier_checks.SupplierCheck",
    "plan.EconomicReport",
    "plan.EconomicReportLine",
    "plan.BudgetLine",
]
NO_TOKEN = "initial"
_paused = ContextVar("indicator_freshness_paused", default=False)


def current_token():
    from indicators.models import DataVersion

    row = DataVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return row or NO_TOKEN


def bump(raw=False, **kwargs):
    """A new token. Skipped for raw saves (loaddata) and while paused: the load bumps once at its end."""
    from indicators.models import DataVersion

    if raw or _paused.get():
        return
    DataVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


@contextmanager
def paused():
    """Bulk loads (a restore) write tens of thousands of rows: one new token at the end instead of one per row.

    Many-to-many changes carry no raw flag, so loaddata's would otherwise bump once per row.
    """
    reset = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(reset)
    bump()


def memoized(key_parts, compute):
    """compute() cached under the current data version; caching is off when INDICATOR_CACHE is false."""
    if not getattr(settings, "INDICATOR_CACHE", True):
        return compute()
    key = "indicators:" + current_token() + ":" + ":".join(str(part) for part in key_parts)
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, timeout=settings.INDICATOR_CACHE_SECONDS)
    return result


def connect():
    register_changed.connect(bump, dispatch_uid="bump-register-changed")
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(bump, sender=model, dispatch_uid=f"bump-save-{label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"bump-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(bump, sender=field.remote_field.through, dispatch_uid=f"bump-m2m-{label}-{field.name}")
