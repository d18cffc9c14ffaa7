"""What keeps the ledger in step with the register, without the register knowing of the ledger.

- A procurement saved (its form, the admin, code) rewrites its entries from the register (services.py).
- An import or the demo generator writes without model signals and sends `register_changed`: every
  procurement out of step is rewritten, inside the import's transaction.
- A ledger entry saved or deleted sends `register_changed`, so the indicators' memo is refreshed
  (indicators/freshness.py listens to it; the ledger is not among the models it watches).
"""

from django.db.models.signals import post_delete, post_save

from procurement.models import Procurement
from procurement.signals import register_changed


def procurement_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or (created and not instance.supplier_checks and not instance.welfare_actions):
        return  # a new procurement without numbers has no entries to make: no query
    from procurement.checks.services import sync_register_entries

    sync_register_entries(Procurement.objects.filter(pk=instance.pk))


def register_written(sender, **kwargs):
    if sender is not Procurement:
        return  # our own signal (below), or a sender that writes no procurements
    from procurement.checks.services import sync_register_entries

    sync_register_entries()


def check_changed(sender, raw=False, **kwargs):
    from procurement.checks.services import syncing

    if not raw and not syncing():
        register_changed.send(sender=sender)


def connect():
    from procurement.checks.models import SupplierCheck

    post_save.connect(procurement_saved, sender=Procurement, dispatch_uid="supplier-checks-procurement-saved")
    register_changed.connect(register_written, dispatch_uid="supplier-checks-register-written")
    post_save.connect(check_changed, sender=SupplierCheck, dispatch_uid="supplier-checks-saved")
    post_delete.connect(check_changed, sender=SupplierCheck, dispatch_uid="supplier-checks-deleted")
