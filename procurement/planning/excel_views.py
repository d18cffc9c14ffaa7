"""The procurement plan's Excel pages: the export of a year's plan (?ar=), the template, and the import with
its preview and confirm (excel.py does the work).

The export needs what reading the plan needs (every role); the template and the import what editing its
procurements needs (UhC staff). The preview keeps the file's cells in the session; the confirm checks them
again and saves only if they still make the changes the preview showed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.locking import EditConflict
from common.params import as_int
from common.xlsx import xlsx_response
from procurement.importing.forms import ImportUploadForm
from procurement.importing.result import ImportRefused
from procurement.planning import excel
from procurement.planning.models import ProcurementPlan
from procurement.planning.views import VIEW

EDIT = ["procurement_plan.add_plannedprocurement", "procurement_plan.change_plannedprocurement"]
SESSION_KEY = "procurement_plan_import"
TEMPLATE_NAME = "procurement/planning/excel_import.html"
CHANGED_MEANWHILE = gettext_lazy(
    "Planen har ändrats sedan förhandsgranskningen. Ingenting har sparats: granska ändringarna nedan och spara igen.")
CONFLICT = gettext_lazy("En upphandling i planen ändrades medan importen sparades. Ingenting har sparats: ladda upp "
                        "filen igen.")


@require_safe
@permission_required(VIEW, raise_exception=True)
def plan_export(request):
    """?ar=2027: that year's plan; without it the newest plan."""
    plans = ProcurementPlan.objects.order_by("-year")
    year = as_int(request.GET.get("ar"))
    plan = plans.first() if "ar" not in request.GET else plans.filter(year=year).first() if year else None
    if plan is None:
        raise Http404(_("Det finns ingen upphandlingsplan för det året."))
    content = excel.export_workbook(plan, timezone.localdate())
    return xlsx_response(content, f"upphandlingsplan-{plan.year}.xlsx")


@require_safe
@permission_required(EDIT, raise_exception=True)
def plan_import_template(request):
    return xlsx_response(excel.build_template(), excel.TEMPLATE_FILENAME)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(EDIT, raise_exception=True)
def plan_import(request, year):
    """GET: the upload form. POST: the file read and checked, shown as a preview; saved only on confirm."""
    plan = get_object_or_404(ProcurementPlan, year=year)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"plan": plan, "form": form}
    if request.method == "POST" and form.is_valid():
        request.session.pop(SESSION_KEY, None)
        try:
            data = excel.read_file(form.cleaned_data["file"])
            context["checked"] = checked = excel.check_rows(plan, data)
        except ImportRefused as refused:
            context["refused"] = refused.messages
        else:
            if checked.ok and checked.changes:
                request.session[SESSION_KEY] = excel.to_session(plan, data, checked)
                context["can_save"] = True
    return render(request, TEMPLATE_NAME, context)


@require_POST
@permission_required(EDIT, raise_exception=True)
def plan_import_confirm(request, year):
    plan = get_object_or_404(ProcurementPlan, year=year)
    stored = request.session.pop(SESSION_KEY, None)
    if not stored or stored["plan"] != plan.pk:
        messages.error(request, _("Det finns ingen förhandsgranskad fil att spara. Ladda upp filen igen."))
        return redirect("procurement:plan_import", year=plan.year)
    context = {"plan": plan, "form": ImportUploadForm()}
    data = excel.from_session(stored)
    try:
        context["checked"] = checked = excel.check_rows(plan, data)
        if checked.ok and checked.summary() == stored["summary"]:
            excel.save_changes(plan=plan, changes=checked.changes, user=request.user)
            messages.success(request, _("Importen är sparad: %(new)s nya och %(updated)s ändrade upphandlingar i "
                                        "planen.") % {"new": checked.new, "updated": checked.updated})
            return redirect(plan)
    except ImportRefused as refused:
        context["refused"] = refused.messages
    except EditConflict:  # a planned procurement saved between the check and the save: upload again
        context["refused"], context["checked"] = [str(CONFLICT)], None
    else:
        if checked.ok:  # the file now makes other changes: shown again, to be confirmed again
            context["notice"], context["can_save"] = CHANGED_MEANWHILE, bool(checked.changes)
            if checked.changes:
                request.session[SESSION_KEY] = excel.to_session(plan, data, checked)
    return render(request, TEMPLATE_NAME, context)
