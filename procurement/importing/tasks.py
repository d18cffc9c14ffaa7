"""The import's two steps as background tasks (django-tasks, database backend), run by `manage.py db_worker`.

`preview_import` reads the uploaded file, stages its rows and makes the dry run; `save_import`, once
the user has confirmed, imports the staged rows. Both write their stage and progress on the run as
they go (each in a short transaction of its own) and their result when done; the pages read them.
A web request never reads a workbook, so no request waits for one, whatever its size.
"""

import logging

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from procurement.importing import pending, staging
from procurement.importing.checks import check_file
from procurement.importing.engine import import_sheets
from procurement.importing.messages import MESSAGES
from procurement.importing.models import ImportRun
from procurement.importing.reading import read_workbook
from procurement.importing.result import ImportRefused

logger = logging.getLogger(__name__)


class RunGone(Exception):
    """The run was discarded while its task ran (the user uploaded another file)."""


@task()
def preview_import(run_id):
    _run(run_id, _preview)


@task()
def save_import(run_id):
    _run(run_id, _save)


def _preview(run):
    path = pending.file_of(run)
    try:
        if path is None:
            raise ImportRefused(MESSAGES["file_gone"])
        check_file(path)
        sheets = read_workbook(path, progress=_progress(run))
    except ImportRefused as refused:
        pending.remove_file(run)
        return _finish(run, refused=refused.messages)
    staging.stage(run, sheets)
    pending.remove_file(run)  # the staged rows stand in for it from now on
    _finish(run, result=import_sheets(sheets, dry_run=True, progress=_progress(run)))


def _save(run):
    result = import_sheets(staging.load(run), user=run.user, progress=_progress(run),
                           reload=lambda: staging.load(run))
    if result.saved:
        staging.discard(run)
    _finish(run, result=result)


def enqueue(run, step):
    """Queue the run's `step` (ImportRun.Step) for the worker."""
    run.step, run.stage, run.done, run.total, run.result = step, ImportRun.Stage.QUEUED, 0, 0, None
    run.save(update_fields=["step", "stage", "done", "total", "result", "updated_at"])
    step_task = preview_import if step == ImportRun.Step.PREVIEW else save_import
    run.task_id = str(step_task.enqueue(str(run.pk)).id)
    run.save(update_fields=["task_id"])


def _run(run_id, step):
    """Run `step` for the run, marking the run as failed if it raises (the worker keeps the traceback)."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return  # the user discarded it (uploaded another file) before its turn
    try:
        step(run)
    except RunGone:
        logger.info("Import run %s was discarded while it ran", run_id)
    except BaseException:
        ImportRun.objects.filter(pk=run_id).update(stage=ImportRun.Stage.FAILED, updated_at=timezone.now())
        raise


def _progress(run):
    def report(stage, done, total):
        updated = ImportRun.objects.filter(pk=run.pk).update(
            stage=stage, done=min(done, total) if total else done, total=total, updated_at=timezone.now())
        if not updated:
            raise RunGone()

    return report


def _finish(run, *, result=None, refused=()):
    updated = ImportRun.objects.filter(pk=run.pk).update(
        stage=ImportRun.Stage.DONE, done=F("total"), result=pending.kept(result) if result else None,
        refused=list(refused), updated_at=timezone.now())
    if not updated:
        raise RunGone()
