"""Writes of the procurement register: one transaction per save, with optimistic locking.

Procurements, contracts, follow-ups, suppliers and activities carry a `version`. A form remembers
the version it was loaded at; saving locks the row, compares, and refuses with `EditConflict` when
someone else saved in between (common/locking.py). Saves go through `Model.save()` (never
`QuerySet.update()`) so that django-simple-history records who changed what.
"""

from django.db import transaction

from common import locking
from common.locking import EditConflict
from procurement.forms import StaleBidRows

__all__ = ["EditConflict", "save_procurement", "save_versioned"]


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


def save_versioned(*, instance, expected_version, m2m=None):
    """Create `instance`, or save it as version + 1 if it is still at `expected_version`."""
    return locking.save_versioned(
        instance=instance, expected_version=expected_version,
        save=lambda: _save_with_one_history_record(instance, m2m or {}),
    )


@transaction.atomic
def save_procurement(*, procurement, expected_version, municipalities, bids):
    """A procurement and its bids, all saved or none. `bids` is a validated bid formset.

    A bid row that no longer fits the bids as saved (a new row for a bidder whose bid someone else
    saved since the rows were loaded) is a conflict too, not a server error.
    """
    save_versioned(instance=procurement, expected_version=expected_version, m2m={"municipalities": municipalities})
    bids.instance = procurement
    try:
        bids.save()
    except StaleBidRows as error:
        raise EditConflict(expected_version) from error  # the procurement's row is locked: still at that version
    return procurement


@transaction.atomic
def decide_option(*, option, decision, decided_on, expected_version, reason=""):
    """Record the decision on a contract's option; a used option moves the contract's end.

    Options are decided in order (an earlier pending option first), used only by their decide-by date
    (ContractOption.clean). The contract and the option are saved together, each with its history.
    Raises ValidationError with a Swedish message, or EditConflict when the option changed meanwhile.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from procurement.models import Contract, ContractOption

    contract = Contract.objects.select_for_update().get(pk=option.contract_id)
    # A fresh copy: the caller's instance stays as loaded when the decision is refused.
    option = ContractOption.objects.get(pk=option.pk)
    if option.decision != ContractOption.Decision.PENDING:
        raise ValidationError(_("Optionen är redan beslutad."), code="decided")
    earlier = contract.options.filter(order__lt=option.order, decision=ContractOption.Decision.PENDING)
    if decision != ContractOption.Decision.PENDING and earlier.exists():
        raise ValidationError(
            _("Option %(n)s har inte beslutats: optionerna beslutas i tur och ordning."),
            code="earlier_pending", params={"n": earlier.first().order},
        )
    option.contract = contract
    step = option.step()
    option.decision, option.decided_on = decision, decided_on
    option.full_clean()
    if decision == ContractOption.Decision.USED and step is not None:
        contract.end_date = step.end_after
        contract._change_reason = reason or _("Option %(n)s utnyttjad") % {"n": option.order}
        # The contract is locked above: its version moves on so a contract form opened before sees the change.
        save_versioned(instance=contract, expected_version=contract.version)
    save_versioned(instance=option, expected_version=expected_version)
    return option
