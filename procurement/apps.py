from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Upphandlingsregister")

    def ready(self):
        post_migrate.connect(_ensure_follow_up_rules, sender=self, dispatch_uid="procurement_follow_up_rules")


def _ensure_follow_up_rules(sender, using="default", **kwargs):
    """Every contract class has a follow-up rule (the defaults of bilaga 3), and every flag its rule, after
    migrate or a flush."""
    from procurement.follow_up_plan import ensure_default_rules

    ensure_default_rules(using)
    from procurement import integrity

    integrity.ensure_default_rules(using)
