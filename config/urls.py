from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Uppföljning – Gemensamma nämnden för upphandlingssamverkan")
admin.site.site_title = _("Uppföljning UhC")

urlpatterns = [
    path("", include("dashboards.urls")),
    path("indikatorer/", include("indicators.urls")),
    path("ekonomi/", include("indicators.economy_urls")),
    path("api/v1/", include("indicators.api_urls")),
    path("register/", include("procurement.urls")),
    path("rapporter/", include("reports.urls")),
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
