"""The login forms, with bounded fields.

Django's AuthenticationForm sets the user name's max length only on the widget, so a posted value of
any length reaches authenticate() and django-axes stores it with the failed attempt. Here the fields
refuse an over-long value themselves, before authenticate() runs and before anything is stored.
"""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _

USERNAME_MAX_LENGTH = 150  # django.contrib.auth.models.User.username
# Far above any password a person types; bounds the work of hashing a posted value.
PASSWORD_MAX_LENGTH = 4096
TOO_LONG = _("Får vara högst %(limit_value)d tecken.")


class BoundedLoginFields(forms.Form):
    username = UsernameField(
        label=_("Användarnamn"),
        max_length=USERNAME_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    password = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LoginForm(BoundedLoginFields, AuthenticationForm):
    """The site's login form (config/urls.py)."""


class AdminLoginForm(BoundedLoginFields, AdminAuthenticationForm):
    """Admin's login form: the same bounds, and admin's own check that the user is staff."""
