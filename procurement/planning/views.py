"""Pages of the procurement plan: the plans by year, a plan, its proposals from the contracts that end,
its consultation, its adoption (Chef UhC) and starting a planned procurement in the register.

Reading needs procurement_plan.view_procurementplan (every role: the plan is not secret); each write
its own permission. The writes are in services.py, the selections in proposals.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from procurement.planning import proposals, services
from procurement.planning.forms import (
    AdoptForm,
    ConsultationForm,
    PlanForm,
    PlannedForm,
    ProposalsForm,
    SendForm,
    StartForm,
)
from procurement.planning.models import PlanConsultation, PlannedProcurement, ProcurementPlan

VIEW = "procurement_plan.view_procurementplan"
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _plan(year):
    return get_object_or_404(ProcurementPlan, year=year)


def _post(request):
    return request.POST if request.method == "POST" else None


@require_safe
@permission_required(VIEW, raise_exception=True)
def plan_list(request):
    plans = ProcurementPlan.objects.select_related("adopted_at").order_by("-year")
    return render(request, "procurement/planning/plan_list.html", {"plans": plans})


@GET_POST
@permission_required("procurement_plan.add_procurementplan", raise_exception=True)
def plan_create(request):
    form = PlanForm(_post(request), initial={"year": timezone.localdate().year + 1})
    if form.is_valid():
        plan = form.save()
        messages.success(request, _("%(plan)s är skapad.") % {"plan": plan})
        return redirect(plan)
    return render(request, "procurement/planning/plan_create.html", {"form": form})


@require_safe
@permission_required(VIEW, raise_exception=True)
def plan_detail(request, year):
    plan = get_object_or_404(ProcurementPlan.objects.select_related("adopted_at"), year=year)
    today = timezone.localdate()
    return render(request, "procurement/planning/plan_detail.html", {
        "plan": plan, "rows": proposals.planned_rows(plan, today),
        "gaps": proposals.gaps(proposals.contracts_ending(plan, today)), "today": today,
    })


@GET_POST
@permission_required("procurement_plan.add_plannedprocurement", raise_exception=True)
def plan_proposals(request, year):
    plan = _plan(year)
    endings = proposals.gaps(proposals.contracts_ending(plan))
    form = ProposalsForm(_post(request), endings=endings)
    if form.is_valid():
        added = services.add_proposals(plan=plan, endings=form.cleaned_data["endings"],
                                       category=form.cleaned_data["category"])
        messages.success(request, _("%(n)s upphandlingar lades till i planen.") % {"n": len(added)})
        return redirect(plan)
    return render(request, "procurement/planning/plan_proposals.html",
                  {"plan": plan, "form": form, "endings": endings})


@GET_POST
@permission_required("procurement_plan.add_plannedprocurement", raise_exception=True)
def plan_item_create(request, year):
    plan = _plan(year)
    form = PlannedForm(_post(request), instance=PlannedProcurement(plan=plan))
    if form.is_valid():
        form.save()
        messages.success(request, _("Upphandlingen lades till i planen."))
        return redirect(plan)
    return render(request, "procurement/planning/plan_item_form.html", {"plan": plan, "form": form})


@GET_POST
@permission_required("procurement_plan.change_plannedprocurement", raise_exception=True)
def plan_item_update(request, pk):
    planned = get_object_or_404(PlannedProcurement.objects.select_related("plan"), pk=pk)
    form = PlannedForm(_post(request), instance=planned)
    if form.is_valid():
        try:
            services.save_planned(form=form)
        except services.EditConflict as error:
            form.show_conflict(error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(planned.plan)
    return render(request, "procurement/planning/plan_item_form.html",
                  {"plan": planned.plan, "form": form, "planned": planned})


@GET_POST
@permission_required("procurement_plan.change_planconsultation", raise_exception=True)
def plan_send(request, year):
    plan = _plan(year)
    form = SendForm(_post(request), initial={"sent_on": timezone.localdate()})
    if form.is_valid():
        try:
            services.send_for_consultation(plan=plan, sent_on=form.cleaned_data["sent_on"])
        except services.PlanRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Planen är skickad på remiss till kommunerna."))
            return redirect("procurement:plan_consultations", year=plan.year)
    return render(request, "procurement/planning/plan_send.html", {"plan": plan, "form": form})


@require_safe
@permission_required("procurement_plan.view_planconsultation", raise_exception=True)
def plan_consultations(request, year):
    plan = _plan(year)
    return render(request, "procurement/planning/plan_consultations.html", {
        "plan": plan, "consultations": plan.consultations.select_related("municipality"),
        "held": services.municipalities_held(plan),
    })


@GET_POST
@permission_required("procurement_plan.change_planconsultation", raise_exception=True)
def plan_consultation_update(request, pk):
    consultation = get_object_or_404(PlanConsultation.objects.select_related("plan", "municipality"), pk=pk)
    form = ConsultationForm(_post(request), instance=consultation)
    if form.is_valid():
        try:
            services.record_consultation(consultation=form.instance, expected_version=form.loaded_version)
        except services.EditConflict as error:
            form.show_conflict(error)
        else:
            messages.success(request, _("Remissen för %(m)s är sparad.") % {"m": consultation.municipality})
            return redirect("procurement:plan_consultations", year=consultation.plan.year)
    return render(request, "procurement/planning/plan_consultation_form.html",
                  {"consultation": consultation, "form": form})


@GET_POST
@permission_required("procurement_plan.adopt_plan", raise_exception=True)
def plan_adopt(request, year):
    plan = _plan(year)
    form = AdoptForm(_post(request), instance=plan, initial={"adopted_on": timezone.localdate()})
    if form.is_valid():
        try:
            services.adopt_plan(plan=plan, adopted_on=form.cleaned_data["adopted_on"],
                                meeting=form.cleaned_data["meeting"], expected_version=form.loaded_version)
        except services.EditConflict as error:
            form.show_conflict(error)
        except services.PlanRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("%(plan)s är antagen.") % {"plan": plan})
            return redirect(plan)
    return render(request, "procurement/planning/plan_adopt.html",
                  {"plan": plan, "form": form, "count": plan.planned.count()})


@GET_POST
@permission_required(["procurement.add_procurement", "procurement_plan.change_plannedprocurement"],
                     raise_exception=True)
def plan_item_start(request, pk):
    planned = get_object_or_404(PlannedProcurement.objects.select_related("plan", "procurement"), pk=pk)
    form = StartForm(_post(request), instance=planned)
    if form.is_valid():
        try:
            procurement = services.start_procurement(planned=planned, case_number=form.cleaned_data["case_number"],
                                                     expected_version=form.loaded_version)
        except services.EditConflict as error:
            form.show_conflict(error)
        except services.PlanRefused as refusal:
            form.add_error(None, str(refusal))
        except ValidationError as error:
            form.add_error("case_number" if "case_number" in error.message_dict else None,
                           error.message_dict.get("case_number", error.messages))
        else:
            messages.success(request, _("Upphandlingen %(p)s är registrerad från planen.") % {"p": procurement})
            return redirect(procurement)
    return render(request, "procurement/planning/plan_item_start.html", {"planned": planned, "form": form})
