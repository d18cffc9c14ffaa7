"""Excel import in the browser: template download, upload (with a dry run), preview, confirm.

The dry run runs once, when the file is uploaded: it locks the rows it would change (on SQLite the
whole database) for as long as it runs, so the preview page, which anyone may reload, only shows
the result kept in the session. Between preview and confirm the uploaded file waits server-side
under a random token kept in the user's session (never a path the user chose), and is removed once
the import is saved. Confirming runs the real import, which still refuses to save anything when
the register changed since the preview and the file now has errors.
"""

import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from procurement.importing import ImportRefused, ImportResult, check_file, import_register, import_sheets, read_workbook
from procurement.register_template import template_response

# Staff hold add_procurement; the dedicated procurement.import_register permission is not in a role yet.
PERMISSION = "procurement.import_register"
SESSION_KEY = "procurement_import"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
MAX_AGE_SECONDS = 24 * 60 * 60  # uploads never confirmed are removed after a day
MAX_KEPT_ERRORS = 1000  # errors kept in the session and shown; the page says how many more there are


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ifylld mall (.xlsx)"),
        help_text=_("Högst 10 MB. Inget sparas förrän du har sett förhandsgranskningen och bekräftat."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    sheets = None  # what read_workbook read from a valid file

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file(upload)
            self.sheets = read_workbook(upload)  # read once: the dry run of the upload view imports these
        except ImportRefused as refused:
            raise forms.ValidationError(refused.messages, code="refused") from None
        return upload


# --- The pending file -------------------------------------------------------------------------


def _directory():
    return Path(getattr(settings, "IMPORT_TEMP_DIR", None) or Path(tempfile.gettempdir()) / "register-import")


def _path(token):
    return _directory() / f"{token}.xlsx" if token and TOKEN.match(token) else None


def _store(request, upload, result):
    """Keep the uploaded file and the result of its dry run until the user confirms."""
    _discard(request)
    directory = _directory()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    _remove_old_files(directory)
    token = secrets.token_urlsafe(24)
    with open(_path(token), "xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    request.session[SESSION_KEY] = {"token": token, "name": Path(upload.name).name}
    _keep_result(request, result)


def _keep_result(request, result):
    data = request.session[SESSION_KEY]
    request.session[SESSION_KEY] = {**data, "result": result.as_data(max_errors=MAX_KEPT_ERRORS)}


def _pending(request):
    """(path, original file name, kept preview result) of the user's uploaded file, or None."""
    data = request.session.get(SESSION_KEY) or {}
    path = _path(data.get("token"))
    if path is None or not path.exists() or not data.get("result"):
        return None
    return path, data.get("name", ""), ImportResult.from_data(data["result"])


def _discard(request):
    data = request.session.pop(SESSION_KEY, None) or {}
    path = _path(data.get("token"))
    if path is not None:
        path.unlink(missing_ok=True)


def _remove_old_files(directory):
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _after_import_url():
    try:
        return reverse("procurement:procurement_list")
    except NoReverseMatch:  # the register's list pages are built separately
        return reverse("home")


# --- Views ------------------------------------------------------------------------------------


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
        _store(request, form.cleaned_data["file"], result)
        return redirect("procurement:import_preview")
    return render(request, "procurement/import_upload.html", {"form": form})


@require_safe
@permission_required(PERMISSION, raise_exception=True)
def import_preview(request):
    """Show the dry run made at upload; runs no import, so reloading costs nothing and locks nothing."""
    pending = _pending(request)
    if pending is None:
        return render(request, "procurement/import_preview.html", {"pending": False})
    _file, name, result = pending
    return render(request, "procurement/import_preview.html", {"pending": True, "name": name, "result": result})


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def import_confirm(request):
    pending = _pending(request)
    if pending is None:
        messages.error(request, gettext("Det finns ingen uppladdad fil att spara. Ladda upp filen igen."))
        return redirect("procurement:import_upload")
    path, name, _preview = pending
    try:
        result = import_register(path)
    except ImportRefused as refused:
        _discard(request)
        return render(request, "procurement/import_preview.html", {"pending": False, "refused": refused.messages})
    if not result.saved:
        # The register changed since the preview: show what is wrong now (a reload of the preview
        # too); nothing was saved.
        _keep_result(request, result)
        result = ImportResult.from_data(request.session[SESSION_KEY]["result"])
        return render(request, "procurement/import_preview.html", {"pending": True, "name": name, "result": result})
    _discard(request)
    messages.success(request, gettext("Importen är sparad. %(summary)s") % {"summary": result.summary()})
    return redirect(_after_import_url())
