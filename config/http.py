"""Request handling around the views: the client's address and user name for django-axes, the request
size, and the caching of answers to logged-in users."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from config.forms import USERNAME_MAX_LENGTH


def client_ip(request):
    """The client's address for login throttling (django-axes).

    Behind the TLS proxy of a production set-up (TRUSTED_PROXY_COUNT=1) every request comes from the
    proxy, so throttling on REMOTE_ADDR would lock out everyone at once; the proxy appends the real
    address to X-Forwarded-For, and the entry it added is the one a client cannot forge.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def client_username(request, credentials):
    """The user name django-axes records and locks on (AXES_USERNAME_CALLABLE), cut to the longest a user has.

    The login forms refuse a longer name before authenticate() runs (config/forms.py); this bounds what
    axes stores whoever else calls authenticate(), as its database would otherwise keep any length.
    """
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return None if username is None else str(username)[:USERNAME_MAX_LENGTH]


class RequestSizeLimitMiddleware:
    """Refuse bodies larger than the biggest upload we accept before Django reads them to disk.

    The refusal is a page in the site's layout (templates/413.html) saying how large the request was and
    what is allowed, with a way back to the import, where large files come from.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return self._refusal(request, length)
        return self.get_response(request)

    @staticmethod
    def _refusal(request, length):
        from procurement.importing.checks import file_size

        context = {"size": file_size(length, round_up=True), "limit": file_size(settings.IMPORT_MAX_BYTES),
                   "back": reverse("procurement:import_upload")}
        return render(request, "413.html", context, status=413)


class PrivateCacheMiddleware:
    """Answers to a logged-in user (pages, PDFs, exports, the API) are kept by no browser or proxy cache.

    Runs after the view, so a user the API authenticated by token (DRF sets request.user) counts too.
    Anonymous answers (the login page, the accessibility statement) are left as the view made them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
