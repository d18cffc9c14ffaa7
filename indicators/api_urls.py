from django.urls import path

from indicators import api

app_name = "api"

urlpatterns = [
    path("kpi/", api.KpiList.as_view(), name="api_kpi"),
    path("data/", api.KpiData.as_view(), name="api_data"),
]
