from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterImportConfig(AppConfig):
    """The Excel import as an app of its own: its runs, their progress and their staged rows (models.py)."""

    name = "procurement.importing"
    label = "register_import"
    verbose_name = _("Import av registret")
    default_auto_field = "django.db.models.BigAutoField"
