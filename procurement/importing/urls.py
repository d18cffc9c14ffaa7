"""URLs of the Excel import (template download, upload, preview and its progress, confirm)."""

from django.urls import path

from procurement.importing import views

urlpatterns = [
    path("", views.import_upload, name="import_upload"),
    path("mall.xlsx", views.import_template, name="import_template"),
    path("forhandsgranska/", views.import_preview, name="import_preview"),
    path("forhandsgranska/status/", views.import_status, name="import_status"),
    path("spara/", views.import_confirm, name="import_confirm"),
]
