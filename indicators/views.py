
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.params import as_date
from common.xlsx import Sheet, workbook_response
from indicators.export import indicator_rows
from indicators.forms import IndicatorValueForm
from indicators.models import Indicator, IndicatorValue, Unit
from indicators.results import indicator_results
from nämndplan.models import Municipality, Plan


def parse_as_of(request):
    """The cut-off date from ?till=YYYY-MM-DD (a meeting's date); today when absent or malformed."""
    return as_date(request.GET.get("till"), default=timezone.localdate())


@require_safe
@permission_required("indicators.view_indicator", raise_exception=True)
def indicator_detail(request, code):
    plan = Plan.objects.current()
    indicator = get_object_or_404(Indicator.objects.of_plan(plan).with_targets_and_values(), code=code)
    as_of = parse_as_of(request)
    series = indicator_results(plan, as_of=as_of, indicators=[indicator])[code]
    other_values = sorted(
        (v for v in indicator.values.all() if v.period != "year" or v.municipality_id),
        key=lambda v: (v.year, v.period, v.municipality_id or 0),
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "plan": plan,
            "indicator": indicator,
            "series": series,
            "rows": list(series.years.values()),
            "targets": list(indicator.targets.all()),
            "other_values": other_values,
            "as_of": as_of,
        },
    )


@require_safe
@permission_required("procurement.view_procurement", raise_exception=True)
def indicator_records(request, code, year):
    """The records behind a computed number: the drill-down of a count or a share."""
    plan = Plan.objects.current()
    indicator = get_object_or_404(Indicator.objects.of_plan(plan).with_targets_and_values(), code=code)
    as_of = parse_as_of(request)
    municipality = None
    if request.GET.get("kommun"):
        municipality = get_object_or_404(Municipality, name=request.GET["kommun"])
    series = indicator_results(plan, as_of=as_of, municipality=municipality, indicators=[indicator]).get(code)
    if series is None or series.definition is None or year not in series.years:
        raise Http404
    definition = series.definition
    numerator = definition.records(year, as_of, municipality)
    denominator = definition.records(year, as_of, municipality, numerator=False) if definition.denominator else None
    return render(
        request,
        "indicators/indicator_records.html",
        {
            "indicator": indicator,
            "definition": definition,
            "result": series.years[year],
            "year": year,
            "as_of": as_of,
            "municipality": municipality,
            "numerator_records": _rows(numerator),
            "numerator_total": numerator.count(),
            "denominator_records": _rows(denominator) if denominator is not None else None,
            "denominator_total": denominator.count() if denominator is not None else None,
            "limit": DRILL_LIMIT,
        },
    )


# Related rows each kind of record needs for its label, fetched with it (no query per row).
_RELATED = {
    "Bid": ("procurement", "supplier"),
    "ContractFollowUp": ("contract",),
    "CompetenceEffort": ("municipality",),
    "MunicipalityDialogue": ("municipality",),
}
DRILL_LIMIT = 2000


def _rows(queryset):
    """Records behind a number as (label, url) pairs; a bid links to its procurement."""
    queryset = queryset.select_related(*_RELATED.get(queryset.model.__name__, ()))
    rows = []
    for record in queryset[:DRILL_LIMIT]:
        target = getattr(record, "procurement", None) if queryset.model.__name__ == "Bid" else record
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
        rows.append((str(record), url))
    return rows


@permission_required("indicators.add_indicatorvalue", raise_exception=True)
def value_create(request, code=None):
    plan = Plan.objects.current()
    initial = {}
    if code:
        initial["indicator"] = get_object_or_404(Indicator.objects.of_plan(plan), code=code)
    form = IndicatorValueForm(request.POST if request.method == "POST" else None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        value = form.save(commit=False)
        value.recorded_by = request.user
        value.save()
        messages.success(
            request, _("Värdet för %(code)s %(year)s har sparats.") % {"code": value.indicator.code, "year": value.year}
        )
        return redirect(value.indicator)
    return render(request, "indicators/value_form.html", {"form": form, "plan": plan})


@permission_required("indicators.change_indicatorvalue", raise_exception=True)
def value_update(request, pk):
    plan = Plan.objects.current()
    instance = get_object_or_404(IndicatorValue.objects.select_related("indicator"), pk=pk)
    form = IndicatorValueForm(request.POST if request.method == "POST" else None, instance=instance, plan=plan)
    if request.method == "POST" and form.is_valid():
        value = form.save(commit=False)
        value.recorded_by = request.user
        value.save()
        messages.success(
            request, _("Värdet för %(code)s %(year)s har ändrats.") % {"code": value.indicator.code, "year": value.year}
        )
        return redirect(value.indicator)
    return render(request, "indicators/value_form.html", {"form": form, "plan": plan, "instance": instance})


@require_safe
@permission_required("indicators.view_indicator", raise_exception=True)
def indicators_xlsx(request):
    """Every indicator with its yearly values and status, as Excel (?ar=2026&till=…&kommun=…)."""
    plan = Plan.objects.current()
    as_of = parse_as_of(request)
    try:
        year = int(request.GET.get("ar", as_of.year))
    except ValueError:
        year = as_of.year
    if year not in plan.all_years:
        year = as_of.year
    municipality = None
    if request.GET.get("kommun"):
        municipality = get_object_or_404(Municipality, name=request.GET["kommun"])
    until = as_of if "till" in request.GET else None
    rows = indicator_rows(plan, year, until=until, municipality=municipality)
    years = list(plan.all_years)
    headers = [_("Kod"), _("Mål"), _("Indikator"), _("Enhet"), _("Målnivå %(year)s") % {"year": year}]
    headers += [str(y) for y in years] + [_("Status %(year)s") % {"year": year}, _("Täljare"), _("Nämnare")]
    units = dict(Unit.choices)
    data = [
        [r["code"], r["goal"], r["name"], str(units[r["unit"]]), r["target"] or ""]
        + [r["values"][str(y)] for y in years]
        + [r["status_label"], r["numerator"], r["denominator"]]
        for r in rows
    ]
    suffix = f"-{municipality.name}" if municipality else ""
    filename = f"indikatorer-{year}{suffix}-{(until or timezone.localdate()).isoformat()}.xlsx"
    return workbook_response([Sheet(_("Indikatorer"), headers, data)], filename)
