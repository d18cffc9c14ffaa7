from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("export.xlsx", views.indicators_xlsx, name="indicators_xlsx"),
    path("varden/ny/", views.value_create, name="value_create"),
    path("varden/<int:pk>/andra/", views.value_update, name="value_update"),
    path("<str:code>/", views.indicator_detail, name="indicator_detail"),
    path("<str:code>/varden/ny/", views.value_create, name="value_create_for"),
    path("<str:code>/underlag/<int:year>/", views.indicator_records, name="indicator_records"),
]
