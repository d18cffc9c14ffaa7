"""An import run in the background: who uploaded what, how far the worker has come, and what it found.

One run per upload. The worker's tasks (tasks.py) read the file into staged rows, check them (the
preview) and, once the user confirms, import them; the pages read the run's stage and counts to show
progress, and its result once there. Staged rows are written in short transactions of their own, so
the register is locked only for the final, all-or-nothing write.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Step(models.TextChoices):
        PREVIEW = "preview", _("förhandsgranskning")
        SAVE = "save", _("import")

    class Stage(models.TextChoices):
        QUEUED = "queued", _("Väntar på sin tur")
        READING = "reading", _("Läser filen")
        CHECKING = "checking", _("Kontrollerar raderna")
        SAVING = "saving", _("Sparar i registret")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Avbruten av ett fel")

    FINISHED = (Stage.DONE, Stage.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_runs",
                             verbose_name=_("användare"))
    file_name = models.CharField(_("filnamn"), max_length=255, help_text=_("Namnet på filen som laddades upp."))
    file_token = models.CharField(_("filens nyckel"), max_length=32, blank=True, editable=False,
                                  help_text=_("Det slumpade namn filen väntar under (pending.py); tomt när den är "
                                              "inläst eller borttagen."))
    step = models.CharField(_("steg"), max_length=8, choices=Step.choices, default=Step.PREVIEW)
    stage = models.CharField(_("läge"), max_length=8, choices=Stage.choices, default=Stage.QUEUED)
    done = models.PositiveIntegerField(_("klara rader"), default=0)
    total = models.PositiveIntegerField(_("rader totalt"), default=0, help_text=_("0 när antalet inte är känt än."))
    task_id = models.CharField(_("uppgift"), max_length=64, blank=True,
                               help_text=_("Bakgrundsuppgiften som kör steget (django-tasks)."))
    columns = models.JSONField(_("kolumner"), default=dict, help_text=_("Bladens kolumner, som filen har dem."))
    result = models.JSONField(_("resultat"), null=True, blank=True,
                              help_text=_("Antal per blad och felen, när steget är klart."))
    refused = models.JSONField(_("skäl att inte ta emot filen"), default=list, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("importkörning")
        verbose_name_plural = _("importkörningar")
        constraints = [models.CheckConstraint(condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                                              name="import_run_done_within_total")]

    def __str__(self):
        return f"{self.file_name} ({self.get_step_display()}, {self.get_stage_display()})"

    @property
    def finished(self):
        return self.stage in self.FINISHED

    @property
    def percent(self):
        return min(100, round(100 * self.done / self.total)) if self.total else None


class StagedRow(models.Model):
    """One row of the uploaded file as read, kept between the preview and the import."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="staged_rows",
                            verbose_name=_("importkörning"))
    sheet = models.CharField(_("blad"), max_length=40)
    number = models.PositiveIntegerField(_("rad"), help_text=_("Radnumret som Excel visar det (rubriken är rad 1)."))
    cells = models.JSONField(_("celler"), help_text=_("Cellernas värden per kolumn, som filen har dem."))

    class Meta:
        ordering = ["run", "id"]
        verbose_name = _("inläst rad")
        verbose_name_plural = _("inlästa rader")
        constraints = [models.UniqueConstraint(fields=["run", "sheet", "number"], name="staged_row_once")]

    def __str__(self):
        return f"{self.sheet} rad {self.number}"
