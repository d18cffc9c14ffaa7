from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: backup, restore, benchmark, the demo and the role groups."""

    name = "ops"
    verbose_name = _("Drift")

    def ready(self):
        post_migrate.connect(_ensure_roles, dispatch_uid="ops_ensure_role_groups")


def _ensure_roles(sender, using="default", **kwargs):
    """Permissions are created app by app after migrate; each of our apps refreshes the roles."""
    from ops.roles import OUR_APPS, ensure_role_groups

    if sender.label in OUR_APPS:
        ensure_role_groups(using=using)
