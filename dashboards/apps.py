from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The committee's pages: the overview, goal and municipality dashboards and the matrix."""

    name = "dashboards"
    verbose_name = _("Dashboards")
