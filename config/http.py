"""Request handling that sits in front of the views: the client's address and the request size."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _


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


class RequestSizeLimitMiddleware:
    """Refuse bodies larger than the biggest upload we accept before Django reads them to disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = _("Förfrågan är för stor. Filer får vara högst %(mb)s MB.") % {
                "mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
