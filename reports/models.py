"""The committee follow-up report (uppföljningsrapport) for a meeting, its log and its archived versions.

A report is a draft while chef UhC writes it: its numbers are computed live from the register.
Freezing ("Fastställ") stores the snapshot (every number, text and chart as plain JSON), the
rendered HTML document, the PDF bytes and the Word file (.docx); a frozen report is always served
from what was stored.
Reopening a frozen report first archives what was frozen as a ReportVersion, so a document that
was sent to the nämnd stays available exactly as it was sent.

The period a report covers runs from 1 January to its cut-off date (`as_of`): the meeting date,
unless that day has not come yet. Reports are written and frozen before the meeting, and days that
have not happened cannot be counted (a procurement planned to finish before the meeting is not late
yet), so a draft covers the year up to today and a frozen report up to the day it was frozen; that
date is stored with the report (`period_end`). The report at the first meeting of a year is the
previous year's full-year follow-up: its period ends on 31 December of that year (reports/period.py).

What was frozen stays as it was, for everyone, in the shell and the admin too: a report that has been
frozen is never deleted, a frozen report changes only by being reopened (reports/services.py, with its
reason logged, after its version is archived), an archived version and the log never change, and the
meeting of a report that has been frozen keeps its date. Refusals raise FrozenError.
"""


from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import ProtectedError, Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import bounds
from nämndplan.models import Goal, Meeting, SpecialAssignment
from reports.period import frozen_period, meeting_period


class FrozenError(ProtectedError):
    """Something frozen was to be deleted or changed: refused, with a Swedish message.

    A ProtectedError, so what handles a deletion refused by on_delete=PROTECT handles this too.
    """

    def __init__(self, message, objects):
        super().__init__(str(message), objects)


FROZEN_MESSAGES = {
    "delete_report": _(
        "En rapport som har fastställts kan inte tas bort: det som skickades till nämnden ska finnas kvar."
    ),
    "change_report": _(
        "En fastställd rapport kan inte ändras. Öppna den för ändring på rapportsidan och ange skälet."
    ),
    "version": _("En tidigare fastställd version av en rapport kan inte ändras eller tas bort."),
    "log": _("Rapportens logg kan inte ändras eller tas bort."),
    "meeting_date": _("Sammanträdets rapport har fastställts, så sammanträdets datum kan inte ändras."),
}


class PermanentQuerySet(models.QuerySet):
    """Rows written once and never changed or deleted: the model's `frozen_message` says so."""

    def delete(self):
        raise FrozenError(self.model.frozen_message, self)

    def update(self, **kwargs):
        raise FrozenError(self.model.frozen_message, self)


class PermanentModel(models.Model):
    """A row written once (an archived version, a log entry): saving it again or deleting it is refused."""

    frozen_message = None

    objects = PermanentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenError(self.frozen_message, [self])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenError(self.frozen_message, [self])


class ReportQuerySet(models.QuerySet):
    def frozen(self):
        return self.filter(status=Report.Status.FROZEN)

    def ever_frozen(self):
        """Frozen now, or frozen before and reopened: what was sent to the nämnd is kept."""
        return self.filter(Q(status=Report.Status.FROZEN) | Q(version__gt=0))

    def delete(self):
        if self.ever_frozen().exists():
            raise FrozenError(FROZEN_MESSAGES["delete_report"], self.ever_frozen())
        return super().delete()

    def update(self, **kwargs):
        # Reopening goes through Report.save(), which checks that the frozen version was archived.
        if self.frozen().exists():
            raise FrozenError(FROZEN_MESSAGES["change_report"], self.frozen())
        return super().update(**kwargs)

    def without_content(self):
        """Lists never need the stored snapshot, HTML, PDF and Word file (hundreds of kB each)."""
        return self.defer("snapshot", "html", "pdf", "docx")

    def frozen_before(self, date):
        """The latest frozen report of a meeting before `date`: what a new report compares with."""
        return (
            self.frozen()
            .filter(meeting__date__lt=date)
            .select_related("meeting")
            .defer("html", "pdf", "docx")
            .order_by("-meeting__date")
            .first()
        )


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        FROZEN = "frozen", _("Fastställd")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="report", verbose_name=_("sammanträde")
    )
    case_number = models.CharField(
        _("diarienummer"), max_length=40, blank=True, help_text=_("Nämndens diarienummer för ärendet, om det finns.")
    )
    overall_analysis = models.TextField(
        _("analys av verksamheten"), blank=True,
        help_text=_("Chef UhC:s samlade analys. Vanlig text; en tom rad mellan stycken."),
    )
    staff_text = models.TextField(
        _("personal"), blank=True, help_text=_("Bemanning, rekrytering, frisknärvaro och kompetensutveckling.")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    snapshot = models.JSONField(
        _("fastställt innehåll"), null=True, blank=True, encoder=DjangoJSONEncoder,
        help_text=_("Alla siffror, texter och diagram som de var när rapporten fastställdes."),
    )
    html = models.TextField(_("fastställt HTML-dokument"), blank=True)
    pdf = models.BinaryField(_("fastställd PDF"), null=True, blank=True)
    docx = models.BinaryField(
        _("fastställt Word-dokument"), null=True, blank=True,
        help_text=_("Rapporten som Word-fil (.docx), sparad när den fastställdes. Saknas för rapporter som "
                    "fastställdes innan Word-filen fanns; den görs då av det sparade innehållet."),
    )
    frozen_at = models.DateTimeField(_("fastställd"), null=True, blank=True, validators=bounds.PAST)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("fastställd av"),
    )
    period_end = models.DateField(
        _("uppgifter till och med"), null=True, blank=True, validators=bounds.PAST,
        help_text=_("Sista dagen som den fastställda rapportens siffror avser: sammanträdesdagen, eller dagen "
                    "då rapporten fastställdes om det var före sammanträdet."),
    )
    version = models.PositiveSmallIntegerField(
        _("version"), default=0, validators=bounds.ORDER,
        help_text=_("Numret på den senast fastställda versionen; 0 om rapporten aldrig har fastställts."),
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ändrad av"),
    )
    # Counts the saves of the texts, for optimistic locking (common/locking.py); `version` counts freezes.
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__date"]
        verbose_name = _("uppföljningsrapport")
        verbose_name_plural = _("uppföljningsrapporter")
        permissions = [
            ("freeze_report", _("Kan fastställa uppföljningsrapporter")),
            ("reopen_report", _("Kan öppna fastställda uppföljningsrapporter för ändring")),
            ("export_report", _("Kan exportera uppföljningsrapporter till Excel")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (
                    Q(frozen_at__isnull=False) & Q(snapshot__isnull=False) & Q(pdf__isnull=False)
                    & Q(period_end__isnull=False)
                ),
                name="report_frozen_has_content",
                violation_error_message=_("En fastställd rapport måste ha sitt innehåll sparat."),
            ),
        ]

    def __str__(self):
        return str(_("Uppföljning %(date)s") % {"date": self.meeting.date.isoformat()})

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self._refuse_changing_frozen()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        if Report.objects.filter(pk=self.pk).ever_frozen().exists():
            raise FrozenError(FROZEN_MESSAGES["delete_report"], [self])
        return super().delete(*args, **kwargs)

    def _refuse_changing_frozen(self):
        """A frozen report is stored as it was sent. Its one change is reopening (reports/services.py),
        and only once the frozen version is archived: a draft carrying its number and freezing time."""
        stored = Report.objects.frozen().filter(pk=self.pk).order_by().values_list("frozen_at", flat=True).first()
        if stored is None:
            return
        reopening = self.status == Report.Status.DRAFT
        if not (reopening and self.versions.filter(number=self.version, frozen_at=stored).exists()):
            raise FrozenError(FROZEN_MESSAGES["change_report"], [self])

    @property
    def is_frozen(self):
        return self.status == self.Status.FROZEN

    @property
    def has_been_frozen(self):
        """Frozen now or before (as ReportQuerySet.ever_frozen)."""
        return self.is_frozen or self.version > 0

    def period(self, today=None, *, first_of_year=None):
        """The period the report covers (reports/period.py): as frozen, or for a draft as computed on `today`."""
        if self.is_frozen and self.period_end:
            return frozen_period(self.meeting, self.period_end, timezone.localdate(self.frozen_at))
        return meeting_period(self.meeting, today or timezone.localdate(), first_of_year=first_of_year)

    @property
    def as_of(self):
        """The last day the report's figures cover: as frozen, or the draft's period end today."""
        return self.period().as_of

    @property
    def file_stem(self):
        return f"Uppfoljning-{self.meeting.date.isoformat()}"


class GoalAnalysis(models.Model):
    """Chef UhC's analysis of one goal (or of section 8) in one report."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="goal_analyses", verbose_name=_("rapport")
    )
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+", verbose_name=_("mål"))
    text = models.TextField(_("analys"), blank=True)

    class Meta:
        ordering = ["report", "goal__number"]
        verbose_name = _("analys per mål")
        verbose_name_plural = _("analyser per mål")
        constraints = [models.UniqueConstraint(fields=["report", "goal"], name="goal_analysis_unique")]

    def __str__(self):
        return f"{self.report} – {self.goal.number}"


class AssignmentStatus(models.Model):
    """A special assignment's status and status text as reported in one report."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="assignment_statuses", verbose_name=_("rapport")
    )
    assignment = models.ForeignKey(
        SpecialAssignment, on_delete=models.PROTECT, related_name="+", verbose_name=_("särskilt uppdrag")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SpecialAssignment.Status.choices,
        default=SpecialAssignment.Status.NOT_STARTED,
    )
    status_text = models.TextField(_("lägesbeskrivning"), blank=True)

    class Meta:
        ordering = ["report", "assignment__number"]
        verbose_name = _("status för särskilt uppdrag")
        verbose_name_plural = _("status för särskilda uppdrag")
        constraints = [models.UniqueConstraint(fields=["report", "assignment"], name="assignment_status_unique")]

    def __str__(self):
        return f"{self.report} – {self.assignment.number}"


class ReportLog(PermanentModel):
    """Who created, froze or reopened a report, when, and why. Never changed or deleted."""

    class Action(models.TextChoices):
        CREATED = "created", _("Skapad")
        FROZEN = "frozen", _("Fastställd")
        REOPENED = "reopened", _("Öppnad för ändring")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="log", verbose_name=_("rapport"))
    action = models.CharField(_("händelse"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("av")
    )
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    reason = models.TextField(_("skäl"), blank=True)

    frozen_message = FROZEN_MESSAGES["log"]

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("händelse för rapport")
        verbose_name_plural = _("händelser för rapporter")
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="reopened") | ~Q(reason=""),
                name="report_log_reopen_has_reason",
                violation_error_message=_("Ange varför rapporten öppnas för ändring."),
            ),
        ]

    def __str__(self):
        return f"{self.report} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ReportVersion(PermanentModel):
    """A frozen version of a report as it was sent, archived when the report was reopened. Never changed."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="versions", verbose_name=_("rapport")
    )
    number = models.PositiveSmallIntegerField(_("version"), validators=bounds.ORDER)
    frozen_at = models.DateTimeField(_("fastställd"), validators=bounds.PAST)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("fastställd av"),
    )
    period_end = models.DateField(_("uppgifter till och med"), validators=bounds.PAST)
    snapshot = models.JSONField(_("fastställt innehåll"), encoder=DjangoJSONEncoder)
    html = models.TextField(_("fastställt HTML-dokument"))
    pdf = models.BinaryField(_("fastställd PDF"))
    docx = models.BinaryField(
        _("fastställt Word-dokument"), null=True, blank=True,
        help_text=_("Saknas för versioner som fastställdes innan Word-filen fanns."),
    )
    reopened_at = models.DateTimeField(_("öppnad för ändring"), validators=bounds.PAST)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("öppnad av")
    )
    reason = models.TextField(_("skäl"))

    frozen_message = FROZEN_MESSAGES["version"]

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("tidigare version av rapport")
        verbose_name_plural = _("tidigare versioner av rapporter")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique"),
            models.CheckConstraint(
                condition=~Q(reason=""), name="report_version_has_reason",
                violation_error_message=_("Ange varför rapporten öppnas för ändring."),
            ),
        ]

    def __str__(self):
        return str(_("%(report)s, version %(number)s") % {"report": self.report, "number": self.number})

    @property
    def file_name(self):
        return f"{self.report.file_stem}-version-{self.number}.pdf"

    @property
    def docx_file_name(self):
        return f"{self.report.file_stem}-version-{self.number}.docx"


@receiver(pre_save, sender=Meeting)
def keep_the_date_of_a_reported_meeting(sender, instance, raw, **kwargs):
    """A report that has been frozen was sent for its meeting: the meeting keeps its date (the admin too)."""
    if raw or instance.pk is None:
        return
    moved = Report.objects.ever_frozen().filter(meeting=instance.pk).exclude(meeting__date=instance.date)
    if moved.exists():
        raise FrozenError(FROZEN_MESSAGES["meeting_date"], [instance])
