"""The uploaded file kept between the preview and the confirm, with the result of its dry run.

The file waits server-side under a random token kept in the user's session (never a path the
user chose), and is removed once the import is saved or another file is uploaded; files never
confirmed are removed after a day. The dry run's result is kept in the session, so the preview
page, which anyone may reload, runs no import.
"""

import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

from procurement.importing.result import ImportResult

SESSION_KEY = "procurement_import"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
MAX_AGE_SECONDS = 24 * 60 * 60  # uploads never confirmed are removed after a day
MAX_KEPT_ERRORS = 1000  # errors kept in the session and shown; the page says how many more there are


def _directory():
    return Path(getattr(settings, "IMPORT_TEMP_DIR", None) or Path(tempfile.gettempdir()) / "register-import")


def _path(token):
    return _directory() / f"{token}.xlsx" if token and TOKEN.match(token) else None


def store(request, upload, result):
    """Keep the uploaded file and the result of its dry run until the user confirms."""
    discard(request)
    directory = _directory()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    _remove_old_files(directory)
    token = secrets.token_urlsafe(24)
    with open(_path(token), "xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    request.session[SESSION_KEY] = {"token": token, "name": Path(upload.name).name}
    keep_result(request, result)


def keep_result(request, result):
    """Keep `result` (at most MAX_KEPT_ERRORS of its errors) for the preview; returns the result as kept."""
    data = request.session[SESSION_KEY]
    request.session[SESSION_KEY] = {**data, "result": result.as_data(max_errors=MAX_KEPT_ERRORS)}
    return ImportResult.from_data(request.session[SESSION_KEY]["result"])


def find(request):
    """(path, original file name, kept preview result) of the user's uploaded file, or None."""
    data = request.session.get(SESSION_KEY) or {}
    path = _path(data.get("token"))
    if path is None or not path.exists() or not data.get("result"):
        return None
    return path, data.get("name", ""), ImportResult.from_data(data["result"])


def discard(request):
    data = request.session.pop(SESSION_KEY, None) or {}
    path = _path(data.get("token"))
    if path is not None:
        path.unlink(missing_ok=True)


def _remove_old_files(directory):
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
