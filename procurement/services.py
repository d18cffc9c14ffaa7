"""Writes of the procurement register: one transaction per save, with optimistic locking.

Procurements, contracts and follow-ups carry a `version`. A form remembers the version it was
loaded at; saving locks the row, compares, and refuses with `EditConflict` when someone else
saved in between. Saves go through `Model.save()` (never `QuerySet.update()`) so that
django-simple-history records who changed what.
"""

from django.db import transaction


class EditConflict(Exception):
    """The record was saved (or deleted) by someone else after the user loaded it."""

    def __init__(self, current_version):
        super().__init__(f"version changed to {current_version}")
        self.current_version = current_version  # None when the record is gone


def _lock_and_check(model, pk, expected_version):
    current = model.objects.select_for_update().filter(pk=pk).values_list("version", flat=True).first()
    if current is None or current != expected_version:
        raise EditConflict(current)
    return current


def _save_with_one_history_record(instance, m2m):
    """Save the record and its many-to-many values as one history entry.

    simple-history writes a record on every save and another on every m2m change, so a form save
    would leave two or three entries for one edit, the first without the new municipalities.
    The m2m values are set silently (a new record is first saved silently for its primary key),
    then one save records the final state.
    """
    if not m2m:
        instance.save()
        return
    created = instance._state.adding
    if created:
        instance.save_without_historical_record()
    instance.skip_history_when_saving = True
    try:
        for name, values in m2m.items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    instance.save()
    if created:
        # The single entry written above is the creation.
        type(instance).history.filter(id=instance.pk).update(history_type="+")


@transaction.atomic
def save_versioned(*, instance, expected_version, m2m=None):
    """Create `instance`, or save it as version + 1 if it is still at `expected_version`."""
    if not instance._state.adding:
        instance.version = _lock_and_check(type(instance), instance.pk, expected_version) + 1
    _save_with_one_history_record(instance, m2m or {})
    return instance


@transaction.atomic
def save_procurement(*, procurement, expected_version, municipalities, bids):
    """A procurement and its bids, all saved or none. `bids` is a validated bid formset."""
    save_versioned(instance=procurement, expected_version=expected_version, m2m={"municipalities": municipalities})
    bids.instance = procurement
    bids.save()
    return procurement
