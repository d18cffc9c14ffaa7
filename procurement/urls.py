from django.urls import include, path

app_name = "procurement"

urlpatterns = [
    path("import/", include("procurement.import_urls")),
]
