"""The procurement plan (upphandlingsplan): one per year, multi-year in content, adopted by the committee.

A plan holds planned procurements. Adopting the plan freezes each one's planned advertising and
completion as its adopted dates (`adopted_advertising`, `adopted_completion`): 8.2 judges against
those, while the planned dates may move afterwards and are shown beside them. A planned procurement
becomes the register's Procurement when it starts (`procurement`), so nothing is typed twice.
The consultation (remiss) with each municipality is a PlanConsultation. See docs/procurement-plan.md.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import bounds
from nämndplan.models import Meeting, Municipality
from procurement.models import Category, Contract, MunicipalityDialogue, Procurement, ProductGroup
from procurement.signals import register_changed


class Tolerance(models.TextChoices):
    """How late a completion may be and still count as on time in 8.2."""

    SAME_DAY = "day", _("Samma dag: senast på det antagna datumet")
    SAME_MONTH = "month", _("Samma månad: senast sista dagen i det antagna datumets månad")


def on_time_by(adopted_completion, tolerance):
    """The last day a completion counts as on time: the adopted date, or the last day of its month.

    Both stay in the adopted date's year, so 8.2 counts a procurement in the year it was due.
    """
    if adopted_completion is None:
        return None
    if tolerance == Tolerance.SAME_MONTH:
        last = calendar.monthrange(adopted_completion.year, adopted_completion.month)[1]
        return adopted_completion.replace(day=last)
    return adopted_completion


class PlanSettings(models.Model):
    """The plan's one settings row (admin): the tolerance 8.2 allows. Saving it re-dates every deadline."""

    tolerance = models.CharField(
        _("tolerans för 8.2"), max_length=5, choices=Tolerance.choices, default=Tolerance.SAME_MONTH,
        help_text=_("När en upphandling som avslutas efter det antagna datumet ändå räknas som avslutad enligt plan."),
    )

    class Meta:
        verbose_name = _("inställning för upphandlingsplanen")
        verbose_name_plural = _("inställningar för upphandlingsplanen")

    def __str__(self):
        return str(_("Inställningar för upphandlingsplanen"))

    def save(self, *args, **kwargs):
        self.pk = 1  # one row
        super().save(*args, **kwargs)
        self.redate()

    @classmethod
    def current_tolerance(cls):
        row = cls.objects.filter(pk=1).first()
        return row.tolerance if row else Tolerance.SAME_MONTH

    def redate(self):
        """Every adopted planned procurement's on-time deadline under this tolerance (derived, not edited:
        no history rows)."""
        changed = []
        for planned in PlannedProcurement.objects.filter(adopted_completion__isnull=False).only(
            "adopted_completion", "on_time_by"
        ):
            deadline = on_time_by(planned.adopted_completion, self.tolerance)
            if deadline != planned.on_time_by:
                planned.on_time_by = deadline
                changed.append(planned)
        PlannedProcurement.objects.bulk_update(changed, ["on_time_by"], batch_size=500)
        register_changed.send(sender=PlanSettings)  # bulk_update sends no model signals


class PlanQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(status=ProcurementPlan.Status.ADOPTED)


class ProcurementPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        CONSULTATION = "consultation", _("På remiss")
        ADOPTED = "adopted", _("Antagen")

    year = models.PositiveSmallIntegerField(
        _("år"), unique=True, validators=bounds.YEAR,
        help_text=_("Planen gäller från detta år och två år framåt."),
        error_messages={"unique": _("Det finns redan en upphandlingsplan för det året.")},
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(_("antagen"), null=True, blank=True, validators=bounds.PAST)
    adopted_at = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="procurement_plans",
        verbose_name=_("antagen vid sammanträde"),
    )
    note = models.TextField(_("anteckningar"), blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("upphandlingsplan")
        verbose_name_plural = _("upphandlingsplaner")
        permissions = [("adopt_plan", _("Kan anta upphandlingsplanen"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="adopted", adopted_on__isnull=False) | (
                    ~Q(status="adopted") & Q(adopted_on__isnull=True)
                ),
                name="procurement_plan_adopted_has_date",
                violation_error_message=_(
                    "En antagen plan har ett antagandedatum, och en plan som inte antagits har inget."
                ),
            ),
        ]

    def __str__(self):
        return str(_("Upphandlingsplan %(year)s") % {"year": self.year})

    def get_absolute_url(self):
        return reverse("procurement:plan_detail", args=[self.year])

    @property
    def years(self):
        """The years the plan covers: its year and the next two (the plan is multi-year)."""
        return range(self.year, self.year + PLAN_YEARS)

    @property
    def first_day(self):
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self):
        return datetime.date(self.year + PLAN_YEARS - 1, 12, 31)

    @property
    def is_adopted(self):
        return self.status == self.Status.ADOPTED


PLAN_YEARS = 3  # the plan year and the two after it


class PlannedQuerySet(models.QuerySet):
    def with_related(self):
        """What the plan page shows of each: category, group, replaced contract (with options), register record."""
        return self.select_related("category", "product_group", "replaces__supplier", "procurement").prefetch_related(
            "municipalities", "replaces__options"
        )

    def late_first(self):
        """Not completed by the deadline first, then on time; each by the adopted date."""
        return self.alias(_on_time=Case(When(ON_TIME, then=Value(1)), default=Value(0))).order_by(
            "_on_time", "adopted_completion", "title"
        )


ON_TIME = Q(procurement__status=Procurement.Status.COMPLETED, procurement__completed_on__lte=F("on_time_by"))


class PlannedProcurement(models.Model):
    plan = models.ForeignKey(
        ProcurementPlan, on_delete=models.CASCADE, related_name="planned", verbose_name=_("upphandlingsplan")
    )
    title = models.CharField(_("benämning"), max_length=250)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="planned_procurements", verbose_name=_("kategori")
    )
    product_group = models.ForeignKey(
        ProductGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="planned_procurements",
        verbose_name=_("varugrupp"),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="planned_procurements", verbose_name=_("beställande kommuner")
    )
    replaces = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="planned_replacements",
        verbose_name=_("ersätter avtal"),
    )
    planned_advertising = models.DateField(_("planerad annonsering"), null=True, blank=True, validators=bounds.PLANNED)
    planned_completion = models.DateField(_("planerat klart"), validators=bounds.PLANNED)
    adopted_advertising = models.DateField(_("antagen annonsering"), null=True, blank=True, editable=False)
    adopted_completion = models.DateField(_("antaget klart"), null=True, blank=True, editable=False)
    on_time_by = models.DateField(
        _("klart enligt plan senast"), null=True, blank=True, editable=False,
        help_text=_("Det antagna datumet med toleransen för 8.2."),
    )
    start_by = models.DateField(
        _("starta senast"), null=True, blank=True, validators=bounds.PLANNED,
        help_text=_("Det avtalets slut minus ledtiden ger, när förslaget byggdes."),
    )
    procurement = models.OneToOneField(
        Procurement, on_delete=models.SET_NULL, null=True, blank=True, related_name="planned_as",
        verbose_name=_("upphandling i registret"),
    )
    note = models.TextField(_("anteckningar"), blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlannedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        ordering = ["plan", "planned_completion", "title"]
        verbose_name = _("planerad upphandling")
        verbose_name_plural = _("planerade upphandlingar")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_advertising__isnull=True) | Q(planned_completion__gte=F("planned_advertising")),
                name="planned_completion_after_advertising",
                violation_error_message=_("Planerat klart kan inte ligga före planerad annonsering."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("procurement:plan_item_update", args=[self.pk])

    def clean(self):
        if self.product_group_id and self.category_id and self.product_group.category_id != self.category_id:
            raise ValidationError({"product_group": _("Varugruppen hör till en annan kategori.")})
        if self.planned_advertising and self.planned_completion and self.planned_completion < self.planned_advertising:
            raise ValidationError({"planned_completion": _("Planerat klart kan inte ligga före planerad annonsering.")})

    @property
    def completion_moved(self):
        """The planned completion has moved since adoption: the page shows both."""
        return self.adopted_completion is not None and self.planned_completion != self.adopted_completion

    @property
    def advertising_moved(self):
        return self.adopted_advertising is not None and self.planned_advertising != self.adopted_advertising

    @property
    def completion_for_register(self):
        """What the register's `planned_completion` gets: the adopted date, else the planned one."""
        return self.adopted_completion or self.planned_completion

    @property
    def on_time(self):
        """Completed by its deadline (8.2's numerator), from the loaded register procurement."""
        p = self.procurement
        return bool(p and self.on_time_by and p.status == Procurement.Status.COMPLETED
                    and p.completed_on and p.completed_on <= self.on_time_by)

    def late_against_contract(self, today=None):
        """Planned to complete after the end of the contract it replaces ("försenad mot avtalets slut")."""
        if self.replaces is None:
            return False
        end = self.replaces.latest_possible_end(today)
        return end is not None and self.planned_completion > end


class PlanConsultation(models.Model):
    """The plan sent for consultation (remiss) to one municipality, and its answer.

    A municipality counts in 7.1 when the plan was sent to it and it answered (dialogue held) in the
    same year; the consultation then keeps a MunicipalityDialogue of kind PLAN_REMISS dated on the
    answer (`dialogue`), which is what 7.1 counts (services.record_consultation).
    """

    plan = models.ForeignKey(
        ProcurementPlan, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("upphandlingsplan")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="plan_consultations", verbose_name=_("kommun")
    )
    sent_on = models.DateField(_("skickad på remiss"), null=True, blank=True, validators=bounds.PAST)
    answered_on = models.DateField(_("svar och dialog"), null=True, blank=True, validators=bounds.PAST)
    comment = models.TextField(_("kommentar"), blank=True)
    dialogue = models.OneToOneField(
        MunicipalityDialogue, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="plan_consultation", verbose_name=_("dialog i registret"),
    )

    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "municipality"]
        verbose_name = _("remiss till kommun")
        verbose_name_plural = _("remisser till kommuner")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "municipality"], name="plan_consultation_unique",
                violation_error_message=_("Kommunen har redan en remiss för planen."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(sent_on__isnull=False, answered_on__gte=F("sent_on")),
                name="plan_consultation_answer_after_sending",
                violation_error_message=_("Ett svar kan inte komma före remissen skickades."),
            ),
        ]

    def __str__(self):
        return f"{self.plan}: {self.municipality}"

    def clean(self):
        if self.answered_on and not self.sent_on:
            raise ValidationError({"sent_on": _("Ange när planen skickades på remiss.")}, code="answer_before_sent")
        if self.answered_on and self.sent_on and self.answered_on < self.sent_on:
            raise ValidationError(
                {"answered_on": _("Ett svar kan inte komma före remissen skickades.")}, code="answer_before_sent"
            )

    @property
    def dialogue_held(self):
        """Sent and answered in the same year: the municipality counts in 7.1 in that year."""
        return bool(self.sent_on and self.answered_on and self.sent_on.year == self.answered_on.year)
