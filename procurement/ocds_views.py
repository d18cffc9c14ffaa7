"""The OCDS export as a download for UhC staff and Chef UhC (procurement/ocds.py, docs/ocds.md)."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.utils import timezone
from django.views import View

from common.params import as_year
from procurement import ocds

NOTHING_TO_EXPORT = "Inga upphandlingar annonserades {year}: det finns inget att exportera."
BAD_YEAR = "Ogiltigt år: ange ?ar=ÅÅÅÅ, t.ex. ?ar={year}."


class OcdsDownload(PermissionRequiredMixin, View):
    """?ar=YYYY (default this year): the release package of the procurements advertised that year, as a file."""

    permission_required = ocds.PERMISSION
    raise_exception = True
    http_method_names = ["get", "head"]

    def get(self, request):
        this_year = timezone.localdate().year
        raw = request.GET.get("ar")
        year = this_year if raw is None else as_year(raw)
        if year is None:
            return _refusal(BAD_YEAR.format(year=this_year), status=400)
        package = ocds.release_package(year)
        if not package["releases"]:
            return _refusal(NOTHING_TO_EXPORT.format(year=year), status=404)
        response = HttpResponse(ocds.dumps(package), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ocds.filename(year)}"'
        return response


def _refusal(message, *, status):
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
