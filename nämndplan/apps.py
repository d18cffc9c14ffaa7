from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "nämndplan"
    # An ASCII label keeps table names plain on every database.
    label = "plan"
    verbose_name = _("Nämndplan")

    def ready(self):
        post_migrate.connect(_ensure_roles, dispatch_uid="plan_ensure_role_groups")


def _ensure_roles(sender, using="default", **kwargs):
    """Permissions are created app by app after migrate; each of our apps refreshes the roles."""
    from nämndplan.roles import OUR_APPS, ensure_role_groups

    if sender.label in OUR_APPS:
        ensure_role_groups(using=using)
