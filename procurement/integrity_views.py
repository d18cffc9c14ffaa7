"""The pages of flags and data-quality checks (procurement.view_integrity_flags: UhC staff and Chef UhC).

Flags are reasons to open a file, not verdicts; the records are listed a page at a time, the counts
come from procurement/integrity.py and procurement/quality.py in a fixed number of queries.
"""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from common.params import as_int
from nämndplan.models import Municipality
from procurement import integrity, quality

PAGE_SIZE = 50
YEARS_SHOWN = 5


class IntegrityPage(PermissionRequiredMixin, TemplateView):
    permission_required = "procurement.view_integrity_flags"
    raise_exception = True
    http_method_names = ["get", "head"]


class FlagsPage(IntegrityPage):
    """Every active flag counted per year; ?flagga=<code> lists its records (?ar=, ?kommun= to narrow)."""

    template_name = "procurement/flags.html"

    def get_context_data(self, **kwargs):
        query, today = self.request.GET, timezone.localdate()
        years = list(range(today.year - YEARS_SHOWN + 1, today.year + 1))
        settings = integrity.Settings.load()
        rows = [(c, [(y, c.by_year.get(y, 0)) for y in years]) for c in integrity.counts(settings, years)]
        context = {"years": years, "rows": rows, **kwargs}
        code = query.get("flagga")
        if code:
            if code not in integrity.BY_CODE or not settings.rules[code].active:
                raise Http404
            flag = integrity.BY_CODE[code]
            records = integrity.flagged(code, settings)
            year = as_int(query.get("ar"), minimum=1990, maximum=2100)
            if year:
                records = records.filter(**{f"{flag.date_field}__year": year})
            municipality = as_int(query.get("kommun"))
            if municipality:
                records = records.filter(municipalities=municipality)
            page = Paginator(_listed(records, flag).distinct(), PAGE_SIZE).get_page(query.get("sida"))
            for record in page.object_list:
                record.flag_date = getattr(record, flag.date_field)
            context.update(flag=flag, rule=settings.rules[code], year=year, municipality=municipality,
                           municipalities=Municipality.objects.order_by("order", "name"), page_obj=page)
        return super().get_context_data(**context)


def _listed(records, flag):
    if flag.subject == integrity.CONTRACT:
        return records.select_related("supplier").order_by(f"-{flag.date_field}", "number")
    return records.select_related("category").order_by(f"-{flag.date_field}", "case_number")


class QualityPage(IntegrityPage):
    """Every check with its count; ?kontroll=<code> lists its records a page at a time."""

    template_name = "procurement/quality.html"

    def get_context_data(self, **kwargs):
        counts = quality.counts()
        checks = [(check, counts[check.code]) for check in quality.CHECKS]
        context = {"checks": checks, "total": sum(counts.values()), **kwargs}
        code = self.request.GET.get("kontroll")
        if code:
            if code not in quality.BY_CODE:
                raise Http404
            context.update(check=quality.BY_CODE[code],
                           page_obj=Paginator(quality.records(code), PAGE_SIZE).get_page(self.request.GET.get("sida")))
        return super().get_context_data(**context)
