"""URLs of the ledger of supplier checks, in the register's namespace (procurement:check_…)."""

from django.urls import path

from procurement.checks import excel, views

urlpatterns = [
    path("", views.CheckList.as_view(), name="check_list"),
    path("ny/", views.CheckCreate.as_view(), name="check_create"),
    path("<int:pk>/andra/", views.CheckUpdate.as_view(), name="check_update"),
    path("<int:pk>/ta-bort/", views.CheckDelete.as_view(), name="check_delete"),
    path("leverantor/<int:pk>/", views.SectionList.as_view(**views.SUPPLIER), name="check_supplier"),
    path("avtal/<int:pk>/", views.SectionList.as_view(**views.CONTRACT), name="check_contract"),
    path("upphandling/<int:pk>/", views.SectionList.as_view(**views.PROCUREMENT), name="check_procurement"),
    path("hog-risk/", views.HighRiskList.as_view(), name="check_high_risk"),
    path("import/", excel.import_page, name="check_import"),
    path("import/mall.xlsx", excel.template_view, name="check_import_template"),
    path("import/spara/", excel.import_confirm, name="check_import_confirm"),
]
