from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.locking import EditConflict
from indicators.definitions import DEFINITIONS, ECONOMY, first_shown_in
from indicators.results import indicator_results
from nämndplan.economy import Balance, save_economic_report
from nämndplan.forms import EconomicReportForm
from nämndplan.models import EconomicReport, Plan


@require_safe
@permission_required("plan.view_economicreport", raise_exception=True)
def economy_list(request):
    plan = Plan.objects.current()
    reports = list(EconomicReport.objects.filter(plan=plan).prefetch_related("lines__budget_line"))
    balance = first_shown_in(ECONOMY, indicator_results(plan))
    rows = [ReportFigures.of(report) for report in reports]
    return render(request, "indicators/economy_list.html", {"plan": plan, "rows": rows, "balance": balance})


@dataclass(frozen=True)
class ReportFigures:
    """One economic report's figures as the page names them (tkr, shares in percent of budgeted income).

    The shares are rounded as 8.1 rounds its value (one decimal, half up): budgeted income 100 000, budgeted
    result 4 000, prognosis 5 000 → the prognosis is 5,0 % of the income and 1,0 % better than budget.
    """

    report: object
    totals: dict
    prognosis: Balance  # the full-year prognosis against the budgeted result

    @classmethod
    def of(cls, report):
        totals = report.totals()
        prognosis = Balance(budget_income=totals["budget_income"], budget_result=totals["budget_result"],
                            result=totals["prognosis_result"])
        return cls(report, totals, prognosis)

    @property
    def result_share(self):
        return _share_of_income(self.prognosis.result, self.prognosis)

    @property
    def deviation_share(self):
        return _share_of_income(self.prognosis.deviation, self.prognosis)


def _share_of_income(tkr, balance):
    """`tkr` in percent of the budgeted income, by 8.1's rule; None without a budgeted income."""
    rule = DEFINITIONS["8.1"]
    return rule.value(rule.exact_value(Decimal(tkr), balance.budget_income))


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
