"""How far a run has come, in Swedish: what the preview page shows and its script polls (views.import_status)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from common.formatting import format_number
from procurement.importing.models import ImportRun

# A run still queued after this long has no worker to run it.
NO_WORKER_AFTER = datetime.timedelta(seconds=60)


def status(run):
    """The run's progress as plain data: finished, heading, text, done, total (0 when not known) and percent."""
    return {
        "finished": run.finished,
        "stage": run.stage,
        "stage_label": run.get_stage_display(),
        "heading": _heading(run),
        "text": _text(run),
        "done": run.done,
        "total": run.total,
        "percent": run.percent,
    }


def _heading(run):
    if run.step == ImportRun.Step.SAVE:
        return _("Importen sparas")
    return _("Filen kontrolleras")


def _text(run):
    Stage = ImportRun.Stage
    numbers = {"done": format_number(run.done), "total": format_number(run.total)}
    if run.stage == Stage.QUEUED:
        if timezone.now() - run.updated_at > NO_WORKER_AFTER:
            return _("Väntar fortfarande på sin tur. Bakgrundsprocessen som kör importer (db_worker) verkar inte "
                     "vara igång: kontakta den som sköter systemet.")
        return _("Väntar på sin tur.")
    if run.stage == Stage.READING:
        if run.total:
            return _("Läser filen: %(done)s av %(total)s rader.") % numbers
        return _("Läser filen: %(done)s rader hittills.") % numbers
    if run.stage == Stage.CHECKING:
        return _("Kontrollerar raderna: %(done)s av %(total)s.") % numbers
    if run.stage == Stage.SAVING:
        if run.step == ImportRun.Step.SAVE:
            return _("Sparar i registret. Det tar en liten stund; allt sparas på en gång.")
        return _("Prövar raderna mot registret, utan att spara något.")
    if run.stage == Stage.FAILED:
        return _("Ett oväntat fel avbröt arbetet. Ingenting har sparats. Ladda upp filen igen, och kontakta den "
                 "som sköter systemet om felet kommer tillbaka.")
    return _("Klar.")
