"""Optimistic locking: two people may have the same record open; the second save is refused.

A record that people edit in forms carries a version (a model field counting its saves). Its form
remembers the version it was loaded at in a hidden field (`VersionedFormMixin`); saving locks the
row, compares the versions and refuses with `EditConflict` when someone else saved in between
(`advance_version`, inside the save's transaction). The refused form keeps what was typed and shows
the record as now saved, field by field beside what was typed (`Conflict`), with who saved it and
when. Saves go through `Model.save()`, never `QuerySet.update()`, so that django-simple-history
records who changed what.

Used by the register (procurement/services.py), the economic reports, the hand-reported values and
the report texts. Admin saves move the version on too (`VersionedAdminMixin`).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import Model
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.formatting import format_number

CONFLICT_MESSAGE = gettext_lazy(
    "Någon annan har ändrat posten medan du redigerade den. Dina ändringar är inte sparade: "
    "jämför med den aktuella versionen och spara igen."
)
GONE_MESSAGE = gettext_lazy(
    "Någon annan har tagit bort posten medan du redigerade den. Dina ändringar är inte sparade."
)


class EditConflict(Exception):
    """The record was saved (or deleted) by someone else after the user loaded it."""

    def __init__(self, current_version):
        super().__init__(f"version changed to {current_version}")
        self.current_version = current_version  # None when the record is gone


def locked_version(model, pk, *, field="version"):
    """The record's version now, its row locked until the transaction ends; None when it is gone.

    No ordering: a model's default ordering may join another table, whose rows would be locked too.
    """
    rows = model._default_manager.select_for_update().filter(pk=pk).order_by()
    return rows.values_list(field, flat=True).first()


def advance_version(instance, expected_version, *, field="version"):
    """Set the record's version to the next one if it is still at `expected_version`, else refuse.

    Call inside the transaction that saves `instance`: the row stays locked until it ends, so two
    saves of the same version cannot both pass. A new record (not yet saved) keeps its version.
    """
    if instance._state.adding:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("advance_version must run inside the transaction that saves the record")
    current = locked_version(type(instance), instance.pk, field=field)
    if current is None or current != expected_version:
        raise EditConflict(current)
    setattr(instance, field, current + 1)


@transaction.atomic
def save_versioned(*, instance, expected_version, field="version", save=None):
    """Create `instance`, or save it as the next version if it is still at `expected_version`.

    `save` saves the instance (default `instance.save()`): a caller that saves related rows with
    it passes its own, and they are saved in the same transaction, all or nothing.
    """
    advance_version(instance, expected_version, field=field)
    (save or instance.save)()
    return instance


# --- Forms -----------------------------------------------------------------------------------------

@dataclass
class Difference:
    """A field whose value in the refused form differs from the record as now saved."""

    label: str
    yours: str
    saved: str


@dataclass
class Conflict:
    """What a refused form shows beside the conflict message."""

    gone: bool = False  # the record was deleted
    differences: list = field(default_factory=list)
    entries: list = field(default_factory=list)  # history entries saved since the form was loaded
    saved_by: str = ""  # who saved last and when, for records without history
    saved_at: datetime.datetime | None = None
    url: str = ""  # the record's page, to compare with in a new tab


class VersionedFormMixin:
    """A form of one record (`self.instance`) with optimistic locking: a hidden `version` field.

    `version_field` is the model field that counts the record's saves; `saved_by_field` and
    `saved_at_field` name who saved it last and when, shown in a conflict when the record has no
    history of its own.
    """

    version_field = "version"
    saved_by_field = None
    saved_at_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        if getattr(self.instance, "pk", None):
            self.fields["version"].initial = getattr(self.instance, self.version_field)
        self.conflict = None

    @property
    def loaded_version(self):
        """The version the form was loaded at; None (always a conflict) when the form came without it."""
        return self.cleaned_data.get("version")

    def show_conflict(self, error, *, saved=None, entries=()):
        """Refuse the save, keeping what was typed, and show what was saved meanwhile.

        `saved` is a form of the same kind built from the record as it is now (None when it is
        gone), `entries` the history entries saved since this form was loaded, if the record has
        history. The hidden version moves to the current one, so saving again after comparing
        overwrites the other person's changes knowingly.
        """
        gone = error.current_version is None
        self.add_error(None, forms.ValidationError(GONE_MESSAGE if gone else CONFLICT_MESSAGE, code="conflict"))
        self.conflict = Conflict(gone=gone, entries=list(entries))
        if saved is not None:
            self.conflict.differences = differences(self, saved)
            self.conflict.url = getattr(saved.instance, "get_absolute_url", lambda: "")()
            if not entries and self.saved_by_field:
                user = getattr(saved.instance, self.saved_by_field)
                self.conflict.saved_by = (user.get_full_name() or user.get_username()) if user else _("okänd användare")
                self.conflict.saved_at = getattr(saved.instance, self.saved_at_field)
        if not gone:
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(error.current_version)


def differences(typed, saved):
    """[Difference] of every visible field where the typed form and the saved record differ."""
    rows = []
    for name, typed_field in typed.fields.items():
        if typed_field.widget.is_hidden or name not in saved.fields:
            continue
        saved_field, initial = saved.fields[name], saved[name].initial
        if not saved_field.has_changed(initial, typed[name].data):
            continue
        cleaned = getattr(typed, "cleaned_data", {})
        yours = cleaned[name] if name in cleaned else typed[name].data
        saved_value = _python(saved_field, initial)
        rows.append(Difference(str(typed[name].label), shown(typed_field, yours), shown(saved_field, saved_value)))
    return rows


def _python(form_field, initial):
    """A saved value as the form field gives it (a linked record rather than its id); as stored if it no
    longer passes the field's checks."""
    try:
        return form_field.clean(form_field.prepare_value(initial))
    except forms.ValidationError:
        return initial


def shown(form_field, value):
    """A value as people read it: choice labels, Ja/Nej, Swedish dates and numbers, '–' for nothing."""
    if isinstance(form_field, forms.ModelMultipleChoiceField) or isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) if value else "–"
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, Model) or isinstance(form_field, forms.ModelChoiceField):
        return str(value)
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(_flat_choices(form_field.choices)).get(value, value))
    if isinstance(value, datetime.date):
        return date_format(value)
    if isinstance(value, (int, float, Decimal)):
        return format_number(value)
    return str(value)


def _flat_choices(choices):
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            yield from _flat_choices(label)
        else:
            yield value, label


# --- Admin -----------------------------------------------------------------------------------------

class VersionedAdminMixin:
    """A ModelAdmin whose saves move the version on, so that forms opened elsewhere see the change."""

    version_field = "version"

    def save_model(self, request, obj, form, change):
        if change:
            setattr(obj, self.version_field, getattr(obj, self.version_field) + 1)
        super().save_model(request, obj, form, change)
