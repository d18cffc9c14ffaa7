import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common import bounds


class MunicipalityManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Municipality(models.Model):
    """One of the seven member municipalities."""

    name = models.CharField(_("namn"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0, validators=bounds.ORDER)

    objects = MunicipalityManager()

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
    start_year = models.PositiveSmallIntegerField(_("första år"), validators=bounds.YEAR)
    end_year = models.PositiveSmallIntegerField(_("sista år"), validators=bounds.YEAR)
    history_from = models.PositiveSmallIntegerField(
        _("historik från"), validators=bounds.YEAR, help_text=_("Första år som planens indikatorer har värden för.")
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
    number = models.PositiveSmallIntegerField(_("nummer"), validators=bounds.NUMBER)
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

        return reverse("dashboards:goal_detail", args=[self.number])

    @property
    def short_title(self):
        if self.kind == self.Kind.OPERATIONS:
            return str(_("Löpande verksamhet"))
        return self.title


def cut_off(meeting_date, today):
    """The last day the numbers for a meeting on `meeting_date` cover when they are computed on `today`.

    The meeting date once it has come (a report regenerated later keeps it), else today. A meeting
    in a year that has not begun yet is reported from its own year: the cut-off is then 1 January.
    The dashboards, the follow-up report and its command all use this rule.
    """
    return max(datetime.date(meeting_date.year, 1, 1), min(meeting_date, today))


class Meeting(models.Model):
    """A meeting (sammanträde) of the committee; reports cover the year up to its date."""

    date = models.DateField(_("datum"), unique=True, validators=bounds.PLANNED)
    title = models.CharField(_("benämning"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")

    def __str__(self):
        return self.title or str(_("Sammanträde %(date)s") % {"date": self.date.isoformat()})

    def clean(self):
        # A report covers the meeting's year: a year the plan has neither targets nor history for has no report.
        plan = Plan.objects.current()
        if plan and self.date and self.date.year not in plan.all_years:
            raise ValidationError({"date": ValidationError(
                _("Datumet %(date)s ligger utanför nämndplanens år (%(first)s–%(last)s)."), code="outside_plan",
                params={"date": self.date.isoformat(), "first": plan.history_from, "last": plan.end_year},
            )})

    def cut_off(self, today):
        return cut_off(self.date, today)


class SpecialAssignment(models.Model):
    """A special assignment (särskilt uppdrag) of section 9 given to UhC for one year."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Ej påbörjat")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Genomfört")
        DELAYED = "delayed", _("Försenat")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("nämndplan"))
    year = models.PositiveSmallIntegerField(_("år"), validators=bounds.YEAR)
    number = models.PositiveSmallIntegerField(_("nummer"), validators=bounds.NUMBER)
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
    year = models.PositiveSmallIntegerField(_("år"), validators=bounds.YEAR)
    kind = models.CharField(_("slag"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("post"), max_length=120)
    amount_tkr = models.IntegerField(_("budget (tkr)"), validators=bounds.TKR)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0, validators=bounds.ORDER)

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


class EconomicReportQuerySet(models.QuerySet):
    def latest_by(self, date):
        """The latest report of `date`'s year dated on or before `date`."""
        return self.filter(year=date.year, as_of__lte=date).order_by("-as_of").first()


class EconomicReport(models.Model):
    """The economic outcome to a date and the full-year prognosis, line by line against bilaga 2."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="economic_reports", verbose_name=_("nämndplan")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=bounds.YEAR)
    as_of = models.DateField(_("utfall till och med"), unique=True, validators=bounds.PAST)
    comment = models.TextField(_("kommentar"), blank=True)
    recorded_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("registrerad av"),
    )
    recorded_at = models.DateTimeField(_("registrerad"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking (common/locking.py)

    objects = EconomicReportQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of"]
        verbose_name = _("ekonomisk uppföljning")
        verbose_name_plural = _("ekonomiska uppföljningar")

    def __str__(self):
        return str(_("Ekonomi t.o.m. %(date)s") % {"date": self.as_of.isoformat()})

    def clean(self):
        if self.as_of and self.year and self.as_of.year != self.year:
            raise ValidationError({"as_of": _("Datumet måste ligga inom året.")}, code="wrong_year")

    def totals(self):
        """Budget, outcome and prognosis per kind and the result, in tkr, from prefetched lines."""
        sums = {"income": [0, 0, 0], "cost": [0, 0, 0]}
        for line in self.lines.all():
            row = sums[line.budget_line.kind]
            row[0] += line.budget_line.amount_tkr
            row[1] += line.outcome_tkr
            row[2] += line.prognosis_tkr
        income, cost = sums["income"], sums["cost"]
        return {
            "budget_income": income[0], "budget_cost": cost[0],
            "outcome_income": income[1], "outcome_cost": cost[1],
            "prognosis_income": income[2], "prognosis_cost": cost[2],
            "budget_result": income[0] - cost[0],
            "outcome_result": income[1] - cost[1],
            "prognosis_result": income[2] - cost[2],
        }


class EconomicReportLine(models.Model):
    report = models.ForeignKey(EconomicReport, on_delete=models.CASCADE, related_name="lines")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("post"))
    outcome_tkr = models.IntegerField(_("utfall (tkr)"), validators=bounds.TKR)
    prognosis_tkr = models.IntegerField(_("helårsprognos (tkr)"), validators=bounds.TKR)

    class Meta:
        ordering = ["budget_line__kind", "budget_line__order"]
        verbose_name = _("rad i ekonomisk uppföljning")
        verbose_name_plural = _("rader i ekonomisk uppföljning")
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="economic_line_unique"),
            models.CheckConstraint(
                condition=Q(outcome_tkr__gte=0) & Q(prognosis_tkr__gte=0),
                name="economic_line_not_negative",
                violation_error_message=_("Utfall och prognos kan inte vara negativa."),
            ),
        ]

    def __str__(self):
        return f"{self.budget_line.name}: {self.outcome_tkr} / {self.prognosis_tkr} tkr"
