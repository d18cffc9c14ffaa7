from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.locking import EditConflict
from indicators.definitions import ECONOMY, first_shown_in
from indicators.results import indicator_results
from nämndplan.economy import save_economic_report
from nämndplan.forms import EconomicReportForm
from nämndplan.models import EconomicReport, Plan


@require_safe
@permission_required("plan.view_economicreport", raise_exception=True)
def economy_list(request):
    plan = Plan.objects.current()
    reports = list(EconomicReport.objects.filter(plan=plan).prefetch_related("lines__budget_line"))
    balance = first_shown_in(ECONOMY, indicator_results(plan))
    rows = [(report, report.totals()) for report in reports]
    return render(request, "indicators/economy_list.html", {"plan": plan, "rows": rows, "balance": balance})


@permission_required("plan.add_economicreport", raise_exception=True)
def economy_create(request):
    return _edit(request, None)


@permission_required("plan.change_economicreport", raise_exception=True)
def economy_update(request, pk):
    instance = get_object_or_404(EconomicReport.objects.prefetch_related("lines"), pk=pk)
    return _edit(request, instance)


def _edit(request, instance):
    plan = Plan.objects.current()
    form = EconomicReportForm(request.POST if request.method == "POST" else None, plan=plan, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            report = save_economic_report(form=form, user=request.user, instance=instance)
        except EditConflict as conflict:
            saved = EconomicReport.objects.prefetch_related("lines").select_related("recorded_by")
            saved = saved.filter(pk=instance.pk).first()
            form.show_conflict(conflict, saved=saved and EconomicReportForm(plan=plan, instance=saved))
        else:
            messages.success(request, _("Den ekonomiska uppföljningen till och med %(date)s är sparad.")
                             % {"date": report.as_of.isoformat()})
            return redirect("economy:economy_list")
    return render(request, "indicators/economy_form.html", {"form": form, "instance": instance, "plan": plan})
