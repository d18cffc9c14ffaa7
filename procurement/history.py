"""Records as people read them: field values in Swedish, and who changed what and when.

The detail pages show `facts` and `history_of`; a refused save shows `changes_since` beside the
conflict message. The history comes from django-simple-history's records, one entry per save
(a procurement's bid changes join the entry of the save they were part of).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.utils.formats import date_format
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.formatting import format_number
from procurement.models import Bid, Contract, ContractFollowUp, InformationActivity, Procurement

HISTORY_ACTIONS = {"+": gettext_lazy("Skapad"), "~": gettext_lazy("Ändrad"), "-": gettext_lazy("Borttagen")}
SAME_SAVE = datetime.timedelta(seconds=5)


# --- Showing values ------------------------------------------------------------------------------

def show(model, name, value):
    """A field value as people read it: choice labels, Ja/Nej, Swedish dates and numbers, '–' for nothing."""
    model_field = model._meta.get_field(name)
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, datetime.date):
        return date_format(value)
    if isinstance(value, (int, float, Decimal)):
        return format_number(value)
    if model_field.is_relation and not hasattr(value, "_meta"):
        return _("(borttagen)")  # simple-history's DeletedObject
    return str(value)


def facts(instance, names):
    """[(label, value)] of `instance`'s fields; text keeps its line breaks, linked records are links."""
    return [(capfirst(instance._meta.get_field(name).verbose_name), _fact(instance, name)) for name in names]


def _fact(instance, name):
    model_field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if model_field.many_to_many:
        return ", ".join(str(item) for item in value.all()) or "–"
    if model_field.is_relation and value is not None:
        url = getattr(value, "get_absolute_url", None)
        return format_html('<a href="{}">{}</a>', url(), value) if url else str(value)
    if model_field.get_internal_type() == "TextField" and value:
        return mark_safe(linebreaks(value, autoescape=True))  # escaped by linebreaks
    return show(type(instance), name, value)


# --- History ---------------------------------------------------------------------------------------

@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    user_id: int | None
    user: str
    action: str
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list = field(default_factory=list)
    version: int | None = None


def history_of(instance, *, with_bids=True):
    """Every save of `instance`, newest first; a procurement's entries include its bids' changes
    `with_bids` (for those who may see bids: procurement/secrecy.py)."""
    records = instance.history.select_related("history_user").order_by("-history_date", "-history_id")
    if isinstance(instance, Procurement):
        records = records.select_related("category", "product_group")
        entries = history_entries(records, m2m=["municipalities"])
        return _merge(entries, _bid_changes(instance)) if with_bids else entries
    if isinstance(instance, Contract):
        return history_entries(records.select_related("procurement", "supplier"), m2m=["municipalities"])
    if isinstance(instance, ContractFollowUp):
        return history_entries(records.select_related("contract"))
    if isinstance(instance, InformationActivity):
        return history_entries(records.select_related("procurement"), m2m=["municipalities"])
    return history_entries(records)


def changes_since(instance, version):
    """The entries someone else saved after `version`, and its removal: shown beside the conflict message."""
    if instance.pk is None or version is None:
        return []
    return [
        entry for entry in history_of(instance)
        if entry.kind == "-" or (entry.version is not None and entry.version > version)
    ]


def history_entries(records, m2m=()):
    """What changed in each history record of one object, newest first (records newest first)."""
    records = list(records)
    if not records:
        return []
    m2m_values = _m2m_values(records, m2m)
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        # The oldest record is the creation, even when written by a path that marked it as a change.
        kind = "+" if older is None else newer.history_type
        changes = _changes(newer, older, m2m, m2m_values) if kind == "~" else []
        entries.append(HistoryEntry(
            when=newer.history_date,
            user_id=newer.history_user_id,
            user=_user_name(newer.history_user),
            action=str(HISTORY_ACTIONS[kind]),
            kind=kind,
            changes=changes,
            version=getattr(newer, "version", None),
        ))
    return entries


def _changes(newer, older, m2m, m2m_values):
    """The fields that differ between two history records, in the model's order, then the many-to-many fields."""
    model = newer.instance_type
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())}
    delta = newer.diff_against(older, excluded_fields=list(m2m), foreign_keys_are_objs=True)
    changes = [
        Change(_label(model, c.field), _shown_change(model, c.field, c.old), _shown_change(model, c.field, c.new))
        for c in sorted(delta.changes, key=lambda c: order.get(c.field, 0))
    ]
    for name in m2m:
        old = m2m_values.get((older.history_id, name), [])
        new = m2m_values.get((newer.history_id, name), [])
        if old != new:
            changes.append(Change(_label(model, name), ", ".join(old) or "–", ", ".join(new) or "–"))
    return changes


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def _user_name(user):
    if user is None:
        return _("okänd användare")
    return user.get_full_name() or user.get_username()


def _shown_change(model, name, value):
    return Truncator(show(model, name, value)).chars(200)


def _m2m_values(records, names):
    """{(history_id, field name): [names]} for every record, one query per many-to-many field."""
    values = {}
    for name in names:
        m2m_model = getattr(type(records[0]), name).model
        target = records[0].instance_type._meta.get_field(name).m2m_reverse_field_name()
        rows = (
            m2m_model.objects.filter(history_id__in=[r.history_id for r in records])
            .select_related(target)
            .order_by(f"{target}__order", f"{target}__name")
        )
        for row in rows:
            values.setdefault((row.history_id, name), []).append(str(getattr(row, target)))
    return values


def _bid_changes(procurement):
    """Bids added, changed and removed, as entries whose changes name the bidder."""
    records = (
        Bid.history.filter(procurement_id=procurement.pk)
        .select_related("supplier", "history_user")
        .order_by("id", "-history_date", "-history_id")
    )
    entries = []
    for _bid_id, group in groupby(records, key=lambda r: r.id):
        group = list(group)
        for record, entry in zip(group, history_entries(group), strict=True):
            entry.changes = _bid_record_changes(record, entry)
            entry.action, entry.kind, entry.version = str(HISTORY_ACTIONS["~"]), "~", None
            entries.append(entry)
    return entries


def _bid_record_changes(record, entry):
    bidder = _("Anbud från %(supplier)s") % {"supplier": record.supplier.name if record.supplier else "–"}
    if record.history_type == "+":
        flags = _("tillagt (diskvalificerat: %(disq)s, tilldelat: %(awarded)s)") % {
            "disq": show(Bid, "disqualified", record.disqualified),
            "awarded": show(Bid, "awarded", record.awarded),
        }
        return [Change(bidder, "–", flags)]
    if record.history_type == "-":
        return [Change(bidder, _("fanns"), _("borttaget"))]
    return [Change(f"{bidder}: {c.label.lower()}", c.old, c.new) for c in entry.changes]


def _merge(entries, extra):
    """Add `extra` entries to the entry of the same save (same user, within seconds), else on their own."""
    for item in extra:
        same_save = [e for e in entries if e.user_id == item.user_id and abs(e.when - item.when) <= SAME_SAVE]
        if same_save:
            target = min(same_save, key=lambda e: abs(e.when - item.when))
            target.changes.extend(item.changes)
        else:
            entries.append(item)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
