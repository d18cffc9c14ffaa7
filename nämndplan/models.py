from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """One of the seven member municipalities."""

    name = models.CharField(_("namn"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("samverkande kommun")
        verbose_name_plural = _("samverkande kommuner")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class PlanQuerySet(models.QuerySet):
    def current(self):
        """The plan in force: the one with the latest start year."""
        return self.order_by("-start_year", "-id").first()


class Plan(models.Model):
    """The committee's plan (nämndplan) for a period, revised yearly."""

    name = models.CharField(_("namn"), max_length=120)
    start_year = models.PositiveSmallIntegerField(_("första år"))
    end_year = models.PositiveSmallIntegerField(_("sista år"))
    history_from = models.PositiveSmallIntegerField(
        _("historik från"), help_text=_("Första år som planens indikatorer har värden för.")
    )
    vision = models.TextField(_("vision"), blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("nämndplan")
        verbose_name_plural = _("nämndplaner")
        constraints = [
            models.UniqueConstraint(fields=["start_year", "end_year"], name="plan_unique_period"),
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="plan_end_after_start"),
            models.CheckConstraint(
                condition=Q(history_from__lte=models.F("start_year")), name="plan_history_before_start"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def years(self):
        return range(self.start_year, self.end_year + 1)

    @property
    def all_years(self):
        """History and plan years: every year the plan shows values for."""
        return range(self.history_from, self.end_year + 1)


class GoalQuerySet(models.QuerySet):
    def strategic(self):
        return self.filter(kind=Goal.Kind.GOAL)


class Goal(models.Model):
    """An inriktningsmål (1–7), or the operations follow-up of section 8 (number 8)."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("Inriktningsmål")
        OPERATIONS = "operations", _("Uppföljning av den löpande verksamheten")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("nämndplan"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    kind = models.CharField(_("slag"), max_length=12, choices=Kind.choices, default=Kind.GOAL)
    title = models.CharField(_("rubrik"), max_length=250)
    description = models.TextField(_("beskrivning av målet"), blank=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("inriktningsmål")
        verbose_name_plural = _("inriktningsmål")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="goal_unique_number_per_plan")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("goal_detail", args=[self.number])

    @property
    def short_title(self):
        if self.kind == self.Kind.OPERATIONS:
            return str(_("Löpande verksamhet"))
        return self.title


class Meeting(models.Model):
    """A meeting (sammanträde) of the committee; reports cover the year up to its date."""

    date = models.DateField(_("datum"), unique=True)
    title = models.CharField(_("benämning"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")

    def __str__(self):
        return self.title or str(_("Sammanträde %(date)s") % {"date": self.date.isoformat()})


class SpecialAssignment(models.Model):
    """A special assignment (särskilt uppdrag) of section 9 given to UhC for one year."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Ej påbörjat")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Genomfört")
        DELAYED = "delayed", _("Försenat")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("nämndplan"))
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("rubrik"), max_length=250)
    description = models.TextField(_("uppdraget"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    status_text = models.TextField(_("lägesbeskrivning"), blank=True)

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("särskilt uppdrag")
        verbose_name_plural = _("särskilda uppdrag")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "number"], name="assignment_unique_number"),
        ]

    def __str__(self):
        return f"{self.year}:{self.number} {self.title}"


class BudgetLine(models.Model):
    """A line of the budget in bilaga 2, in thousand SEK (tkr)."""

    class Kind(models.TextChoices):
        INCOME = "income", _("Intäkt")
        COST = "cost", _("Kostnad")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("nämndplan"))
    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("slag"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("post"), max_length=120)
    amount_tkr = models.IntegerField(_("budget (tkr)"))
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["year", "kind", "order"]
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "kind", "name"], name="budget_line_unique"),
        ]

    def __str__(self):
        return f"{self.year} {self.name}: {self.amount_tkr} tkr"

    def clean(self):
        if self.amount_tkr is not None and self.amount_tkr < 0:
            raise ValidationError({"amount_tkr": _("Beloppet kan inte vara negativt.")}, code="negative")
