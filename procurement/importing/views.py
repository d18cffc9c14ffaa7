"""Excel import in the browser: template download, upload (with a dry run), preview, confirm.

The dry run runs once, when the file is uploaded: it locks the rows it would change (on SQLite the
whole database) for as long as it runs, so the preview page, which anyone may reload, only shows
the result kept in the session (pending.py). Confirming runs the real import, which still refuses
to save anything when the register changed since the preview and the file now has errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from procurement.importing import pending
from procurement.importing.engine import import_register, import_sheets
from procurement.importing.forms import ImportUploadForm
from procurement.importing.result import ImportRefused
from procurement.importing.template import template_response

# Staff hold add_procurement; the dedicated procurement.import_register permission is not in a role yet.
PERMISSION = "procurement.import_register"
PREVIEW_TEMPLATE = "procurement/import_preview.html"


def _after_import_url():
    try:
        return reverse("procurement:procurement_list")
    except NoReverseMatch:  # the register's list pages are built separately
        return reverse("dashboards:home")


def _preview_page(request, name, result):
    return render(request, PREVIEW_TEMPLATE, {"pending": True, "name": name, "result": result})


@require_safe
@permission_required(PERMISSION, raise_exception=True)
def import_template(request):
    return template_response()


@permission_required(PERMISSION, raise_exception=True)
def import_upload(request):
    # Bound on every POST: an upload without a file must say so, not show an empty form.
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if form.is_bound and form.is_valid():
        result = import_sheets(form.sheets, dry_run=True)
        pending.store(request, form.cleaned_data["file"], result)
        return redirect("procurement:import_preview")
    return render(request, "procurement/import_upload.html", {"form": form})


@require_safe
@permission_required(PERMISSION, raise_exception=True)
def import_preview(request):
    """Show the dry run made at upload; runs no import, so reloading costs nothing and locks nothing."""
    upload = pending.find(request)
    if upload is None:
        return render(request, PREVIEW_TEMPLATE, {"pending": False})
    _file, name, result = upload
    return _preview_page(request, name, result)


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def import_confirm(request):
    upload = pending.find(request)
    if upload is None:
        messages.error(request, gettext("Det finns ingen uppladdad fil att spara. Ladda upp filen igen."))
        return redirect("procurement:import_upload")
    path, name, _preview = upload
    try:
        result = import_register(path)
    except ImportRefused as refused:
        pending.discard(request)
        return render(request, PREVIEW_TEMPLATE, {"pending": False, "refused": refused.messages})
    if not result.saved:
        # The register changed since the preview: nothing was saved; show what is wrong now (a reload too).
        return _preview_page(request, name, pending.keep_result(request, result))
    pending.discard(request)
    messages.success(request, gettext("Importen är sparad. %(summary)s") % {"summary": result.summary()})
    return redirect(_after_import_url())
