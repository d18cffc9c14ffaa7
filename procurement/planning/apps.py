from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementPlanConfig(AppConfig):
    """The procurement plan (upphandlingsplan) as a plan: per year, its planned procurements, the
    consultation with the municipalities and the adoption that 8.2 judges against (docs/procurement-plan.md)."""

    name = "procurement.planning"
    label = "procurement_plan"
    verbose_name = _("Upphandlingsplan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The plan feeds indicators 8.2 (and 7.1 through the dialogues it writes): tell the rooms above that
        # derive from the register (the indicators' memo) whenever a plan's row changes.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from procurement.planning import models
        from procurement.signals import register_changed

        def changed(sender, raw=False, **kwargs):
            register_changed.send(sender=sender, raw=raw)

        for model in (models.ProcurementPlan, models.PlannedProcurement, models.PlanConsultation, models.PlanSettings):
            post_save.connect(changed, sender=model, dispatch_uid=f"plan_changed_{model.__name__}")
            post_delete.connect(changed, sender=model, dispatch_uid=f"plan_deleted_{model.__name__}")
        m2m_changed.connect(changed, sender=models.PlannedProcurement.municipalities.through,
                            dispatch_uid="plan_municipalities_changed")
