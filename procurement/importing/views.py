"""Excel import in the browser: template download, upload, progress and preview, confirm.

The upload only checks the archive and keeps the file; the worker reads and checks it in the
background (tasks.py) while the preview page shows its progress (a <progress> the page's script
updates from `import_status`, or a reload without JavaScript) and then its result. Confirming queues
the import itself, which still refuses to save anything when the register changed since the preview
and the file now has errors; once it is saved, the preview page sends the user on to the register.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from procurement.importing import pending, tasks
from procurement.importing.forms import ImportUploadForm
from procurement.importing.models import ImportRun
from procurement.importing.progress import status
from procurement.importing.template import template_response

# Staff hold add_procurement; the dedicated procurement.import_register permission is not in a role yet.
PERMISSION = "procurement.import_register"
PREVIEW_TEMPLATE = "procurement/import_preview.html"


def _after_import_url():
    try:
        return reverse("procurement:procurement_list")
    except NoReverseMatch:  # the register's list pages are built separately
        return reverse("dashboards:home")


def _preview_page(request, run):
    return render(request, PREVIEW_TEMPLATE, {
        "pending": True, "run": run, "name": run.file_name, "result": pending.result_of(run),
        "refused": run.refused, "status": status(run)})


@require_safe
@permission_required(PERMISSION, raise_exception=True)
def import_template(request):
    return template_response()


@permission_required(PERMISSION, raise_exception=True)
def import_upload(request):
    # Bound on every POST: an upload without a file must say so, not show an empty form.
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if form.is_bound and form.is_valid():
        tasks.enqueue(pending.start(request, form.cleaned_data["file"]), ImportRun.Step.PREVIEW)
        return redirect("procurement:import_preview")
    return render(request, "procurement/import_upload.html", {"form": form})


@require_safe
@permission_required(PERMISSION, raise_exception=True)
def import_preview(request):
    """The progress of the user's run, then its result; once the import is saved, on to the register."""
    run = pending.find(request)
    if run is None:
        return render(request, PREVIEW_TEMPLATE, {"pending": False})
    result = pending.result_of(run)
    if run.step == ImportRun.Step.SAVE and run.finished and result is not None and result.saved:
        pending.discard(request)
        messages.success(request, gettext("Importen är sparad. %(summary)s") % {"summary": result.summary()})
        return redirect(_after_import_url())
    return _preview_page(request, run)


@require_safe
@permission_required(PERMISSION, raise_exception=True)
def import_status(request):
    """How far the user's run has come, for the preview page's script."""
    run = pending.find(request)
    return JsonResponse(status(run) if run is not None else {"finished": True})


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def import_confirm(request):
    run = pending.find(request)
    if run is None or run.refused:
        messages.error(request, gettext("Det finns ingen uppladdad fil att spara. Ladda upp filen igen."))
        return redirect("procurement:import_upload")
    result = pending.result_of(run)
    if run.finished and result is not None and result.ok and not result.saved:
        tasks.enqueue(run, ImportRun.Step.SAVE)
    elif run.finished:
        return _preview_page(request, run)  # a file with errors is never imported, nor a failed run
    return redirect("procurement:import_preview")
