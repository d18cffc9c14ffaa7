from django.urls import include, path

from procurement import views

app_name = "procurement"

urlpatterns = [
    path("", views.index, name="index"),
    path("upphandlingar/", views.procurement_list, name="procurement_list"),
    path("upphandlingar/ny/", views.procurement_create, name="procurement_create"),
    path("upphandlingar/<int:pk>/", views.procurement_detail, name="procurement_detail"),
    path("upphandlingar/<int:pk>/andra/", views.procurement_update, name="procurement_update"),
    path("avtal/", views.contract_list, name="contract_list"),
    path("avtal/nytt/", views.contract_create, name="contract_create"),
    path("avtal/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("avtal/<int:pk>/andra/", views.contract_update, name="contract_update"),
    path("uppfoljningar/", views.followup_list, name="followup_list"),
    path("uppfoljningar/ny/", views.followup_create, name="followup_create"),
    path("uppfoljningar/<int:pk>/", views.followup_detail, name="followup_detail"),
    path("uppfoljningar/<int:pk>/andra/", views.followup_update, name="followup_update"),
    path("uppfoljningar/<int:pk>/ta-bort/", views.followup_delete, name="followup_delete"),
    path("leverantorer/", views.supplier_list, name="supplier_list"),
    path("leverantorer/ny/", views.supplier_create, name="supplier_create"),
    path("leverantorer/<int:pk>/", views.supplier_detail, name="supplier_detail"),
    path("leverantorer/<int:pk>/andra/", views.supplier_update, name="supplier_update"),
    path("aktiviteter/information/", views.information_list, name="information_list"),
    path("aktiviteter/information/ny/", views.information_create, name="information_create"),
    path("aktiviteter/information/<int:pk>/andra/", views.information_update, name="information_update"),
    path("aktiviteter/information/<int:pk>/ta-bort/", views.information_delete, name="information_delete"),
    path("aktiviteter/kompetens/", views.competence_list, name="competence_list"),
    path("aktiviteter/kompetens/ny/", views.competence_create, name="competence_create"),
    path("aktiviteter/kompetens/<int:pk>/andra/", views.competence_update, name="competence_update"),
    path("aktiviteter/kompetens/<int:pk>/ta-bort/", views.competence_delete, name="competence_delete"),
    path("aktiviteter/dialoger/", views.dialogue_list, name="dialogue_list"),
    path("aktiviteter/dialoger/ny/", views.dialogue_create, name="dialogue_create"),
    path("aktiviteter/dialoger/<int:pk>/andra/", views.dialogue_update, name="dialogue_update"),
    path("aktiviteter/dialoger/<int:pk>/ta-bort/", views.dialogue_delete, name="dialogue_delete"),
    path("import/", include("procurement.importing.urls")),
]
