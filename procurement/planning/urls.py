"""URLs of the procurement plan, under the register's namespace ("procurement:plan_…")."""

from django.urls import path

from procurement.planning import excel_views, views

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("ny/", views.plan_create, name="plan_create"),
    path("<int:year>/", views.plan_detail, name="plan_detail"),
    path("<int:year>/bygg-fran-avtal/", views.plan_proposals, name="plan_proposals"),
    path("<int:year>/ny-upphandling/", views.plan_item_create, name="plan_item_create"),
    path("<int:year>/skicka-pa-remiss/", views.plan_send, name="plan_send"),
    path("<int:year>/remiss/", views.plan_consultations, name="plan_consultations"),
    path("<int:year>/anta/", views.plan_adopt, name="plan_adopt"),
    path("remiss/<int:pk>/", views.plan_consultation_update, name="plan_consultation_update"),
    path("planerad/<int:pk>/", views.plan_item_update, name="plan_item_update"),
    path("planerad/<int:pk>/starta/", views.plan_item_start, name="plan_item_start"),
    path("export.xlsx", excel_views.plan_export, name="plan_export"),
    path("import/mall.xlsx", excel_views.plan_import_template, name="plan_import_template"),
    path("<int:year>/import/", excel_views.plan_import, name="plan_import"),
    path("<int:year>/import/spara/", excel_views.plan_import_confirm, name="plan_import_confirm"),
]
