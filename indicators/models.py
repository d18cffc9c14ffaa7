from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import bounds
from common.formatting import format_as_written, format_number
from indicators.targets import KINDS_WITH_VALUE, TargetKind
from nämndplan.models import Goal, Meeting, Municipality


class Unit(models.TextChoices):
    PERCENT = "percent", _("procent")
    DEVIATION = "deviation", _("procents avvikelse")
    COUNT = "count", _("antal")
    AVERAGE = "average", _("antal i snitt")
    INDEX = "index", _("index")
    SEK = "sek", _("kronor")
    HOURS = "hours", _("timmar per anställd")
    GRADE = "grade", _("betyg")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Högre är bättre")
    LOWER = "lower", _("Lägre är bättre")
    NONE = "none", _("Varken högre eller lägre är bättre")


class Source(models.TextChoices):
    MANUAL = "manual", _("Rapporteras in för hand")
    COMPUTED = "computed", _("Beräknas från registret")


class IndicatorQuerySet(models.QuerySet):
    def for_goal(self, goal):
        return self.filter(goal=goal)

    def of_plan(self, plan):
        return self.filter(goal__plan=plan)

    def manual(self):
        return self.filter(source=Source.MANUAL)

    def for_hand_entry(self):
        """The indicators whose values are reported by hand: manual ones that take no other's values."""
        return self.manual().filter(value_from__isnull=True)

    def with_targets_and_values(self):
        values = models.Prefetch("values", queryset=IndicatorValue.objects.select_related("municipality"))
        return self.select_related("goal").prefetch_related("targets", values)


class Indicator(models.Model):
    """An indicator (indikator, nyckeltal) of bilaga 3 measuring a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("mål"))
    code = models.CharField(_("kod"), max_length=8, help_text=_("Stabil kod i bilaga 3:s ordning, t.ex. 1.2."))
    order = models.PositiveSmallIntegerField(_("ordning"), validators=bounds.ORDER)
    name = models.CharField(_("namn"), max_length=300)
    area = models.CharField(_("område"), max_length=80, blank=True)
    specification = models.TextField(_("specificering"), blank=True)
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit.choices)
    direction = models.CharField(_("riktning"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    source = models.CharField(_("datakälla"), max_length=10, choices=Source.choices)
    measured_from = models.PositiveSmallIntegerField(_("mäts från år"), validators=bounds.YEAR)
    note = models.TextField(_("anmärkning"), blank=True, help_text=_("T.ex. när mätningen ändrades."))
    baseline_year = models.PositiveSmallIntegerField(
        _("nollmätning år"), null=True, blank=True, validators=bounds.YEAR,
        help_text=_("Året planen kallar nollmätning eller ny indikator: värdet visas men bedöms inte, "
                    "och ett mål om ökning jämför nästa år med det."),
    )
    value_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="sharing_indicators",
        verbose_name=_("värdet hämtas från"),
        help_text=_("En annan indikator med samma mätning (8.3 från 1.1): värdet rapporteras en gång, där."),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["goal__plan", "goal__number", "order"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        constraints = [
            models.UniqueConstraint(fields=["goal", "code"], name="indicator_unique_code_per_goal"),
            models.UniqueConstraint(fields=["goal", "order"], name="indicator_unique_order_per_goal"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("indicators:indicator_detail", args=[self.code])

    def clean(self):
        problem = self._value_from_problem()
        if problem:
            raise ValidationError({"value_from": ValidationError(problem, code="invalid_value_from")})

    def _value_from_problem(self):
        """Why `value_from` cannot be taken from (a manual indicator of the same plan, in the same unit,
        that takes no values from another), or None."""
        source = self.value_from
        if source is None:
            return None
        if source.pk == self.pk:
            return _("En indikator kan inte hämta sitt värde från sig själv.")
        if self.goal_id and source.goal.plan_id != self.goal.plan_id:
            return _("Värdet kan bara hämtas från en indikator i samma nämndplan.")
        if source.source != Source.MANUAL:
            return _("Värdet kan bara hämtas från en indikator som rapporteras in för hand.")
        if source.value_from_id is not None:
            return _("%(code)s hämtar själv sitt värde från en annan indikator: välj den i stället.") % {
                "code": source.code
            }
        if source.unit != self.unit:
            return _("%(code)s mäts i en annan enhet (%(unit)s).") % {
                "code": source.code, "unit": source.get_unit_display()
            }
        if self.pk and self.sharing_indicators.exists():
            return _("Andra indikatorer hämtar sitt värde från den här: den kan inte själv hämta från en annan.")
        return None

    def period_and_municipality_values(self):
        """The recorded values besides the committee's yearly ones (tertials, municipalities), from
        the prefetched values, in year and period order."""
        return sorted(
            (v for v in self.values.all() if v.period != Period.YEAR or v.municipality_id),
            key=lambda v: (v.year, v.period, v.municipality_id or 0),
        )

    def target_for(self, year):
        """The target in force for `year`, from prefetched targets when available."""
        for target in self.targets.all():
            if target.applies_to(year):
                return target
        return None

    def validate_value(self, value, unit=None):
        """The Swedish message for a value that cannot be right for its unit (default this indicator's), or None."""
        if value is None:
            return None
        unit = unit or self.unit
        if unit == Unit.PERCENT and not (Decimal(0) <= value <= Decimal(100)):
            return _("En andel måste ligga mellan 0 och 100 %.")
        if unit == Unit.INDEX and not (Decimal(0) <= value <= Decimal(100)):
            return _("Ett index (NKI, NAI) måste ligga mellan 0 och 100.")
        if unit == Unit.GRADE and not (Decimal(1) <= value <= Decimal(6)):
            return _("Ett betyg måste ligga mellan 1 och 6 (Svenskt Näringslivs skala).")
        if unit == Unit.DEVIATION and not (Decimal(-100) <= value <= Decimal(100)):
            return _("En avvikelse måste ligga mellan −100 och 100 %.")
        if unit in {Unit.COUNT, Unit.AVERAGE, Unit.SEK, Unit.HOURS, Unit.INDEX, Unit.GRADE} and value < 0:
            return _("Värdet kan inte vara negativt för en indikator som mäts i %(unit)s.") % {
                "unit": Unit(unit).label
            }
        return None


class Target(models.Model):
    """A typed target (målnivå) for an indicator over a range of years."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indikator")
    )
    from_year = models.PositiveSmallIntegerField(_("från år"), validators=bounds.YEAR)
    to_year = models.PositiveSmallIntegerField(_("till och med år"), null=True, blank=True, validators=bounds.YEAR)
    kind = models.CharField(_("typ av mål"), max_length=14, choices=TargetKind.choices)
    value = models.DecimalField(
        _("målvärde"), max_digits=14, decimal_places=2, null=True, blank=True, validators=bounds.INDICATOR_NUMBER
    )
    of_n = models.PositiveSmallIntegerField(
        _("av"), null=True, blank=True, validators=bounds.NUMBER, help_text=_("n i ”k av n”.")
    )
    text = models.CharField(_("målet i planens ord"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "from_year"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "from_year"], name="target_unique_start"),
            models.CheckConstraint(
                condition=Q(to_year__isnull=True) | Q(to_year__gte=models.F("from_year")),
                name="target_range_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(k.value for k in KINDS_WITH_VALUE)) | Q(value__isnull=False),
                name="target_value_required",
            ),
            models.CheckConstraint(
                condition=~Q(kind=TargetKind.K_OF_N) | Q(of_n__isnull=False), name="target_k_of_n_has_n"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.describe()} ({self.year_range})"

    def clean(self):
        if self.kind in KINDS_WITH_VALUE and self.value is None:
            raise ValidationError({"value": _("Ett målvärde krävs för den här typen av mål.")}, code="required")
        if self.kind == TargetKind.K_OF_N:
            if not self.of_n:
                raise ValidationError({"of_n": _("Ange n i ”k av n”.")}, code="required")
            if self.value is not None and self.value > self.of_n:
                raise ValidationError({"value": _("k kan inte vara större än n.")}, code="k_gt_n")
        if self.to_year is not None and self.to_year < self.from_year:
            raise ValidationError({"to_year": _("Slutåret kan inte ligga före startåret.")}, code="range")
        if self.indicator_id:
            overlapping = Target.objects.filter(indicator_id=self.indicator_id).exclude(pk=self.pk)
            for other in overlapping:
                if other.overlaps(self.from_year, self.to_year):
                    raise ValidationError(
                        _("Målet överlappar ett annat mål för samma indikator (%(range)s).")
                        % {"range": other.year_range},
                        code="overlap",
                    )

    def applies_to(self, year):
        return self.from_year <= year and (self.to_year is None or year <= self.to_year)

    def overlaps(self, from_year, to_year):
        end = self.to_year if self.to_year is not None else 9999
        other_end = to_year if to_year is not None else 9999
        return self.from_year <= other_end and from_year <= end

    @property
    def year_range(self):
        if self.to_year is None:
            return f"{self.from_year}–"
        return f"{self.from_year}–{self.to_year}"

    def describe(self):
        """The typed rule in Swedish words, e.g. "minst 60 %" or "7 av 7"."""

        unit = self.indicator.unit if self.indicator_id else None
        if self.kind == TargetKind.K_OF_N:
            return _("%(k)s av %(n)s") % {"k": format_number(self.value, None), "n": self.of_n}
        if self.kind in KINDS_WITH_VALUE:
            return f"{self.get_kind_display().lower()} {format_as_written(self.value, unit)}"
        return str(self.get_kind_display())


class Period(models.TextChoices):
    """Reporting periods: the municipalities' tertials and the full year."""

    T1 = "t1", _("Januari–april")
    T2 = "t2", _("Januari–augusti")
    YEAR = "year", _("Helår")


PERIOD_END = {Period.T1: (4, 30), Period.T2: (8, 31), Period.YEAR: (12, 31)}


class IndicatorValueQuerySet(models.QuerySet):
    def full_year(self):
        return self.filter(period=Period.YEAR)

    def whole_committee(self):
        return self.filter(municipality__isnull=True)


class IndicatorValue(models.Model):
    """A recorded value: history from the plan, or a figure reported by hand for a period."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indikator")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=bounds.YEAR)
    period = models.CharField(_("period"), max_length=4, choices=Period.choices, default=Period.YEAR)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_values",
        verbose_name=_("kommun"),
        help_text=_("Tomt för hela samverkan."),
    )
    value = models.DecimalField(_("värde"), max_digits=16, decimal_places=2, validators=bounds.INDICATOR_NUMBER)
    unit = models.CharField(
        _("enhet"), max_length=10, choices=Unit.choices, blank=True,
        help_text=_("Tomt när värdet har indikatorns enhet. Ett värde i en annan enhet (8.6:s historik i procent) "
                    "visas med sin egen enhet och bedöms inte."),
    )
    comment = models.TextField(_("kommentar"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("registrerat av"),
    )
    recorded_at = models.DateTimeField(_("registrerat"), auto_now=True)
    known_from = models.DateField(
        _("känt från"), default=timezone.localdate, validators=bounds.PAST,
        help_text=_("Dagen då värdet blev känt: när det rapporterades, eller tidigare för en mätning som "
                    "förs in i efterhand. Ett sammanträde visar bara värden som var kända vid dess brytdag."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking (common/locking.py)

    objects = IndicatorValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year", "period"]
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "period"],
                condition=Q(municipality__isnull=True),
                name="value_unique_per_period",
                violation_error_message=_(
                    "Det finns redan ett värde för indikatorn, året och perioden."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "period", "municipality"],
                condition=Q(municipality__isnull=False),
                name="value_unique_per_period_and_municipality",
                violation_error_message=_(
                    "Det finns redan ett värde för indikatorn, året, perioden och kommunen."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year} {self.get_period_display()}: {self.value}"

    def clean(self):
        if not self.indicator_id:
            return
        if self.indicator.value_from_id is not None and self._state.adding:
            raise ValidationError({"indicator": ValidationError(
                _("%(code)s hämtar sitt värde från %(source)s: rapportera värdet där."), code="value_from",
                params={"code": self.indicator.code, "source": self.indicator.value_from.code},
            )})
        problem = self.indicator.validate_value(self.value, self.unit or None)
        if problem:
            raise ValidationError({"value": ValidationError(problem, code="value_out_of_range")})


class PublicationQuerySet(models.QuerySet):
    def latest_before(self, date):
        """The figures last shown to the committee at a meeting before `date` (None before the first)."""
        return self.filter(meeting__date__lt=date).select_related("meeting").order_by(
            "-meeting__date", "-published_at"
        ).first()


class Publication(models.Model):
    """The figures the committee was shown: one row each time a follow-up report is frozen.

    Written by the report when it is frozen (reports/services.py); the dashboards compare today's
    figures with the latest one ("sedan förra sammanträdet"), so they need not read the reports.
    `figures` is {code: {"year": 2026, "value": "56.0" or null, "status": "on_track", "unit": "percent"}}:
    the value and status each indicator had for the report's year, as decimal strings and Status values.
    A reopened and refrozen report adds a new row; rows are never changed.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="publications", verbose_name=_("sammanträde")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=bounds.YEAR)
    as_of = models.DateField(_("uppgifter till och med"), validators=bounds.PAST)
    published_at = models.DateTimeField(_("fastställd"), default=timezone.now, validators=bounds.PAST)
    figures = models.JSONField(_("siffror"), encoder=DjangoJSONEncoder)
    analyses = models.JSONField(
        _("analyser per mål"), default=dict, blank=True, encoder=DjangoJSONEncoder,
        help_text=_("Chef UhC:s analys per mål som den redovisades: {\"1\": \"text\", …}."),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__date", "published_at"]
        verbose_name = _("redovisade siffror")
        verbose_name_plural = _("redovisade siffror")

    def __str__(self):
        return str(_("Siffror till %(meeting)s") % {"meeting": self.meeting})


class DataVersion(models.Model):
    """A token that changes whenever the register changes, so cached computations know they are stale.

    One row. Bumped by signals (indicators/freshness.py) on every save or delete of a register model.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dataversion")
        verbose_name_plural = _("dataversioner")

    def __str__(self):
        return self.token


class ReferenceFigureQuerySet(models.QuerySet):
    def for_codes(self, codes):
        return self.filter(indicator_code__in=list(codes))


class ReferenceFigure(models.Model):
    """A published national figure shown beside a comparable indicator ("Riket 2024: 4,6").

    Tied to the indicator's code, which stays the same when the plan is revised, so a figure need not
    be linked again for each plan. Edited by a superuser only (indicators/admin.py); a frozen report
    keeps the figures as they were when it was frozen (reports/snapshot.py).
    """

    indicator_code = models.CharField(
        _("indikator (kod)"), max_length=8,
        help_text=_("Koden för indikatorn som siffran visas bredvid, t.ex. 5.5."),
    )
    measure = models.CharField(
        _("mått"), max_length=200,
        help_text=_("Vad siffran mäter, t.ex. ”Genomsnittligt antal anbud per upphandling”."),
    )
    area = models.CharField(
        _("område"), max_length=60, default="Riket", help_text=_("Vad siffran gäller, oftast hela landet (Riket)."),
    )
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=2, validators=bounds.INDICATOR_NUMBER)
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit.choices)
    year = models.PositiveSmallIntegerField(_("år"), validators=bounds.YEAR, help_text=_("Året siffran avser."))
    publisher = models.CharField(
        _("utgivare"), max_length=120, help_text=_("Kort namn som visas vid siffran, t.ex. Upphandlingsmyndigheten."),
    )
    source = models.CharField(
        _("källa"), max_length=300,
        help_text=_("Publikationen siffran är hämtad ur, med utgivare och år, t.ex. ”Upphandlingsmyndigheten, "
                    "Statistik om offentlig upphandling 2025”."),
    )
    definition = models.TextField(
        _("definition"), blank=True,
        help_text=_("Hur utgivaren räknar, och vad som skiljer måttet från nämndens indikator."),
    )
    url = models.URLField(_("länk"), max_length=500, blank=True, help_text=_("Sidan där siffran är publicerad."))
    note = models.TextField(_("anmärkning"), blank=True)

    objects = ReferenceFigureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_code", "-year", "measure"]
        verbose_name = _("jämförelsesiffra")
        verbose_name_plural = _("jämförelsesiffror")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_code", "measure", "area", "year"], name="reference_figure_unique",
                violation_error_message=_("Det finns redan en siffra för måttet, området och året vid indikatorn."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator_code} {self.measure} {self.area} {self.year}: {format_number(self.value, self.unit)}"

    def clean(self):
        if self.indicator_code and not Indicator.objects.filter(code=self.indicator_code).exists():
            raise ValidationError({"indicator_code": ValidationError(
                _("Det finns ingen indikator med koden %(code)s."), code="unknown_indicator",
                params={"code": self.indicator_code},
            )})
        problem = Indicator(unit=self.unit).validate_value(self.value) if self.unit else None
        if problem:
            raise ValidationError({"value": ValidationError(problem, code="value_out_of_range")})
