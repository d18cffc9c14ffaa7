"""URLs of the Excel import (template download, upload, preview, confirm)."""

from django.urls import path

from procurement import import_views

urlpatterns = [
    path("", import_views.import_upload, name="import_upload"),
    path("mall.xlsx", import_views.import_template, name="import_template"),
    path("forhandsgranska/", import_views.import_preview, name="import_preview"),
    path("spara/", import_views.import_confirm, name="import_confirm"),
]
