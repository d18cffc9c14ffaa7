from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.forms import AdminLoginForm, LoginForm

admin.site.site_header = _("Uppföljning – Gemensamma nämnden för upphandlingssamverkan")
admin.site.site_title = _("Uppföljning UhC")
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", include("dashboards.urls")),
    path("indikatorer/", include("indicators.urls")),
    path("ekonomi/", include("indicators.economy_urls")),
    path("api/v1/", include("indicators.api_urls")),
    path("register/", include("procurement.urls")),
    path("rapporter/", include("reports.urls")),
    path("logga-in/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
         name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # Our own template names: registration/password_change_form.html would also replace admin's page.
    path("konto/losenord/", auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
         name="password_change"),
    path("konto/losenord/klart/",
         auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_changed.html"),
         name="password_change_done"),
    path("admin/", admin.site.urls),
]
