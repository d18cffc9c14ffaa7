from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indicators.forms import IndicatorValueForm
from indicators.models import Indicator, IndicatorValue
from indicators.results import build_series
from nämndplan.models import Plan


@require_safe
@permission_required("indicators.view_indicator", raise_exception=True)
def indicator_detail(request, code):
    plan = Plan.objects.current()
    indicator = get_object_or_404(Indicator.objects.of_plan(plan).with_targets_and_values(), code=code)
    series = build_series(indicator, plan.all_years)
    other_values = [v for v in indicator.values.all() if v.period != "year" or v.municipality_id]
    other_values.sort(key=lambda v: (v.year, v.period, v.municipality_id or 0))
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
        },
    )


@permission_required("indicators.add_indicatorvalue", raise_exception=True)
def value_create(request, code=None):
    plan = Plan.objects.current()
    initial = {}
    if code:
        initial["indicator"] = get_object_or_404(Indicator.objects.of_plan(plan), code=code)
    form = IndicatorValueForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        value = form.save(commit=False)
        value.recorded_by = request.user
        value.save()
        messages.success(request, _("Värdet för %(code)s %(year)s har sparats.") % {
            "code": value.indicator.code, "year": value.year})
        return redirect(value.indicator)
    return render(request, "indicators/value_form.html", {"form": form, "plan": plan})


@permission_required("indicators.change_indicatorvalue", raise_exception=True)
def value_update(request, pk):
    plan = Plan.objects.current()
    instance = get_object_or_404(IndicatorValue.objects.select_related("indicator"), pk=pk)
    form = IndicatorValueForm(request.POST or None, instance=instance, plan=plan)
    if request.method == "POST" and form.is_valid():
        value = form.save(commit=False)
        value.recorded_by = request.user
        value.save()
        messages.success(request, _("Värdet för %(code)s %(year)s har ändrats.") % {
            "code": value.indicator.code, "year": value.year})
        return redirect(value.indicator)
    return render(request, "indicators/value_form.html", {"form": form, "plan": plan, "instance": instance})
