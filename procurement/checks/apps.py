from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplierChecksConfig(AppConfig):
    """The ledger of supplier checks against welfare crime (special assignment 1, indicators 3.5 and 3.6):
    docs/supplier-checks.md."""

    name = "procurement.checks"
    label = "supplier_checks"
    verbose_name = _("Leverantörskontroller")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from procurement.checks import signals

        signals.connect()
