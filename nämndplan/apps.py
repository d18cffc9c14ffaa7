from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "nämndplan"
    # An ASCII label keeps table names plain on every database.
    label = "plan"
    verbose_name = _("Nämndplan")
