"""The user's current import: the run the session points at, and the uploaded file until it is read.

The file waits server-side under a random token kept on the run (never a path the user chose) until
the preview's task has read it into staged rows; then it is removed. The session holds only the run's
id, and a run is found only for the user who uploaded it. Runs and files never confirmed are removed
after a day. The web server and the worker (`manage.py db_worker`) must share the directory the files
wait in (settings.IMPORT_TEMP_DIR).
"""

import datetime
import re
import secrets
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from procurement.importing.models import ImportRun
from procurement.importing.result import ImportResult

SESSION_KEY = "procurement_import"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
MAX_AGE_SECONDS = 24 * 60 * 60  # uploads never confirmed are removed after a day
MAX_KEPT_ERRORS = 1000  # errors kept on the run and shown; the page says how many more there are


def _directory():
    return Path(getattr(settings, "IMPORT_TEMP_DIR", None) or Path(tempfile.gettempdir()) / "register-import")


def _path(token):
    return _directory() / f"{token}.xlsx" if token and TOKEN.match(token) else None


def start(request, upload):
    """Keep the uploaded file and start its run (replacing the user's previous one); returns the run."""
    discard(request)
    run = keep(request.user, upload.name, upload.chunks())
    request.session[SESSION_KEY] = {"run": str(run.pk)}
    return run


def keep(user, name, chunks):
    """Keep the file (its content as `chunks` of bytes) under a new random token, for a new run of `user`."""
    directory = _directory()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    _remove_old(directory)
    token = secrets.token_urlsafe(24)
    with open(_path(token), "xb") as out:
        for chunk in chunks:
            out.write(chunk)
    return ImportRun.objects.create(user=user, file_name=Path(name).name[:255], file_token=token)


def find(request):
    """The user's current run, or None."""
    return find_by_id(request.user, (request.session.get(SESSION_KEY) or {}).get("run"))


def file_of(run):
    """The path of the run's uploaded file, or None when it is gone (read, removed, or never there)."""
    path = _path(run.file_token)
    return path if path is not None and path.exists() else None


def remove_file(run):
    path = _path(run.file_token)
    if path is not None:
        path.unlink(missing_ok=True)
    ImportRun.objects.filter(pk=run.pk).update(file_token="")
    run.file_token = ""


def result_of(run):
    """The run's result as an ImportResult, or None before its step is done."""
    return ImportResult.from_data(run.result) if run.result else None


def kept(result):
    """`result` as a run keeps it: plain data, at most MAX_KEPT_ERRORS of its errors."""
    return result.as_data(max_errors=MAX_KEPT_ERRORS)


def discard(request):
    """Forget the user's current run: its file, its staged rows and the run itself."""
    data = request.session.pop(SESSION_KEY, None) or {}
    run = find_by_id(request.user, data.get("run"))
    if run is not None:
        remove_file(run)
        run.delete()


def find_by_id(user, run_id):
    try:
        return ImportRun.objects.filter(pk=uuid.UUID(str(run_id)), user=user).first()
    except ValueError:
        return None


def _remove_old(directory):
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
    ImportRun.objects.filter(updated_at__lt=timezone.now() - datetime.timedelta(seconds=MAX_AGE_SECONDS)).delete()
