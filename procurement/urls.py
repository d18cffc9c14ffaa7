from django.urls import include, path

from procurement import integrity_views, management_views, ocds_views, views


def activity_urls(slug, list_view, activity):
    """The pages of one kind of activity: its list, and the new, edit and delete pages of a record."""
    name = list_view.name
    return [
        path(f"aktiviteter/{slug}/", list_view.as_view(), name=f"{name}_list"),
        path(f"aktiviteter/{slug}/ny/", views.ActivityCreate.as_view(activity=activity), name=f"{name}_create"),
        path(f"aktiviteter/{slug}/<int:pk>/andra/", views.ActivityUpdate.as_view(activity=activity),
             name=f"{name}_update"),
        path(f"aktiviteter/{slug}/<int:pk>/ta-bort/", views.ActivityDelete.as_view(activity=activity),
             name=f"{name}_delete"),
    ]


app_name = "procurement"

urlpatterns = [
    path("", views.Index.as_view(), name="index"),
    path("upphandlingar/", views.ProcurementList.as_view(), name="procurement_list"),
    path("upphandlingar/ny/", views.ProcurementCreate.as_view(), name="procurement_create"),
    path("upphandlingar/<int:pk>/", views.ProcurementDetail.as_view(), name="procurement_detail"),
    path("upphandlingar/<int:pk>/andra/", views.ProcurementUpdate.as_view(), name="procurement_update"),
    path("att-gora/", management_views.WorkListPage.as_view(), name="work_list"),
    path("flaggor/", integrity_views.FlagsPage.as_view(), name="flags"),
    path("datakvalitet/", integrity_views.QualityPage.as_view(), name="data_quality"),
    path("ocds/", ocds_views.OcdsDownload.as_view(), name="ocds_export"),
    path("avtal/uppfoljningsplan/", management_views.FollowUpPlanPage.as_view(), name="follow_up_plan"),
    path("avtal/radar/", management_views.RadarPage.as_view(), name="radar"),
    path("avtal/optioner/<int:pk>/beslut/", management_views.OptionDecisionPage.as_view(), name="option_decision"),
    path("avtal/", views.ContractList.as_view(), name="contract_list"),
    path("avtal/nytt/", views.ContractCreate.as_view(), name="contract_create"),
    path("avtal/<int:pk>/", views.ContractDetail.as_view(), name="contract_detail"),
    path("avtal/<int:pk>/andra/", views.ContractUpdate.as_view(), name="contract_update"),
    path("uppfoljningar/", views.FollowUpList.as_view(), name="followup_list"),
    path("uppfoljningar/ny/", views.FollowUpCreate.as_view(), name="followup_create"),
    path("uppfoljningar/<int:pk>/", views.FollowUpDetail.as_view(), name="followup_detail"),
    path("uppfoljningar/<int:pk>/andra/", views.FollowUpUpdate.as_view(), name="followup_update"),
    path("uppfoljningar/<int:pk>/ta-bort/", views.FollowUpDelete.as_view(), name="followup_delete"),
    path("leverantorer/", views.SupplierList.as_view(), name="supplier_list"),
    path("leverantorer/ny/", views.SupplierCreate.as_view(), name="supplier_create"),
    path("leverantorer/<int:pk>/", views.SupplierDetail.as_view(), name="supplier_detail"),
    path("leverantorer/<int:pk>/andra/", views.SupplierUpdate.as_view(), name="supplier_update"),
    # information_list, information_create, information_update, information_delete and the same for the others
    *activity_urls("information", views.InformationList, views.INFORMATION),
    *activity_urls("kompetens", views.CompetenceList, views.COMPETENCE),
    *activity_urls("dialoger", views.DialogueList, views.DIALOGUE),
    path("import/", include("procurement.importing.urls")),
    path("upphandlingsplan/", include("procurement.planning.urls")),
    path("leverantorskontroller/", include("procurement.checks.urls")),
]
