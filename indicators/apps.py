from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indikatorer")

    def ready(self):
        from indicators import definitions, freshness
        from indicators.loading import load_indicators
        from nämndplan.signals import plan_loaded

        freshness.connect()
        definitions.register_filters()
        plan_loaded.connect(load_indicators, dispatch_uid="indicators-load-plan")
