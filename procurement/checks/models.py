"""The ledger of supplier checks against welfare crime: who was checked, how, when, what was found and done.

A check concerns a supplier in a procurement or under a contract (at least one of them). The basic checks
are made at award (taxes and fees, convictions and register controls, credit); in-depth checks are made
on contracts with an elevated risk. A deviation may lead to an action on the ladder, from a written notice
to rescission, with the day it was taken.

Indicator 3.5 counts the in-depth checks by the day of the check, 3.6 the actions by the day of the action
(indicators/sources.py, docs/supplier-checks.md). The register's own numbers (Procurement.supplier_checks
and welfare_actions) are kept in the ledger as entries "from the register" (`Origin.REGISTER`, services.py):
no supplier, dated on the day the procurement was advertised, so they count in the year they counted in
before the ledger. Who may read the ledger: UhC staff and chef UhC; committee members see only the counts.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import bounds
from common.dates import add_months
from procurement.models import Contract, Procurement, Supplier

UNCHECKED_MONTHS = 12  # a high-risk contract is listed when not checked for this long


class CheckQuerySet(models.QuerySet):
    def in_depth(self):
        return self.filter(kind=SupplierCheck.Kind.IN_DEPTH)

    def with_action(self):
        return self.filter(action_on__isnull=False)

    def from_register(self):
        return self.filter(origin=SupplierCheck.Origin.REGISTER)

    def dated_in(self, year, as_of=None):
        """Checks made in `year` (up to `as_of`)."""
        last = min(datetime.date(year, 12, 31), as_of) if as_of else datetime.date(year, 12, 31)
        return self.filter(date__gte=datetime.date(year, 1, 1), date__lte=last)

    def actions_in(self, year, as_of=None):
        """Checks whose action was taken in `year` (up to `as_of`)."""
        last = min(datetime.date(year, 12, 31), as_of) if as_of else datetime.date(year, 12, 31)
        return self.filter(action_on__gte=datetime.date(year, 1, 1), action_on__lte=last)

    def of_municipality(self, municipality):
        """Checks in a procurement or under a contract of the municipality; subqueries, so no row is repeated."""
        procurements = Procurement.objects.filter(municipalities=municipality).values("pk")
        contracts = Contract.objects.filter(municipalities=municipality).values("pk")
        return self.filter(Q(procurement__in=procurements) | Q(contract__in=contracts))

    def search(self, text):
        return self.filter(
            Q(supplier__name__icontains=text) | Q(supplier__org_number__icontains=text)
            | Q(procurement__case_number__icontains=text) | Q(contract__number__icontains=text)
            | Q(note__icontains=text)
        )

    def tally(self, year, as_of=None):
        """The year's checks by kind and its deviations, in one aggregate query."""
        kinds = {kind.value: Count("pk", filter=Q(kind=kind)) for kind in SupplierCheck.Kind}
        return self.dated_in(year, as_of).aggregate(
            **kinds, deviations=Count("pk", filter=Q(result=SupplierCheck.Result.DEVIATION)), total=Count("pk"),
        )

    def actions_by_step(self, year, as_of=None):
        """{action: count} of the actions taken in the year (an action from the register has the step "")."""
        rows = self.actions_in(year, as_of).values("action").annotate(n=Count("pk")).order_by()
        return {row["action"]: row["n"] for row in rows}


def high_risk_unchecked(on=None):
    """Contracts in force on `on` (today), from a procurement with elevated risk of welfare crime, whose supplier
    has not been checked for UNCHECKED_MONTHS: no check under the contract, nor of its supplier in its procurement.
    Entries from the register name no supplier, so they do not count as a check of one."""
    on = on or timezone.localdate()
    since = add_months(on, -UNCHECKED_MONTHS)
    recent = SupplierCheck.objects.filter(date__gt=since, date__lte=on)
    checked = recent.filter(
        Q(contract=OuterRef("pk"))
        | Q(procurement=OuterRef("procurement"), supplier=OuterRef("supplier"), contract__isnull=True)
    )
    return (
        Contract.objects.active_on(on)
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=on), procurement__welfare_crime_risk=True)
        .filter(~Exists(checked))
        .select_related("supplier", "procurement")
        .order_by("number")
    )


class SupplierCheck(models.Model):
    class Kind(models.TextChoices):
        TAXES = "taxes", _("Skatter och avgifter")
        CONVICTIONS = "convictions", _("Brottsbelastning och registerkontroller")
        CREDIT = "credit", _("Kreditupplysning")
        IN_DEPTH = "in_depth", _("Fördjupad kontroll")
        UNSPECIFIED = "unspecified", _("Ej angiven (från registret)")

    class Result(models.TextChoices):
        NO_REMARK = "no_remark", _("Utan anmärkning")
        DEVIATION = "deviation", _("Avvikelse")

    class Action(models.TextChoices):
        """The ladder, from the mildest step to the hardest."""

        NOTICE = "notice", _("Skriftlig erinran")
        WITHHELD_PAYMENT = "withheld_payment", _("Innehållen betalning")
        PRICE_REDUCTION = "price_reduction", _("Prisavdrag")
        PENALTY = "penalty", _("Vite")
        TERMINATION = "termination", _("Uppsägning")
        RESCISSION = "rescission", _("Hävning")

    class Origin(models.TextChoices):
        LEDGER = "ledger", _("Liggaren")
        REGISTER = "register", _("Upphandlingsregistret")

    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_checks",
        verbose_name=_("leverantör"),
    )
    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, null=True, blank=True, related_name="ledger_checks",
        verbose_name=_("upphandling"),
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="ledger_checks",
        verbose_name=_("avtal"),
    )
    date = models.DateField(_("kontrolldatum"), validators=bounds.PAST)
    kind = models.CharField(_("typ av kontroll"), max_length=12, choices=Kind.choices)
    result = models.CharField(_("resultat"), max_length=10, choices=Result.choices, blank=True)
    action = models.CharField(
        _("åtgärd"), max_length=20, choices=Action.choices, blank=True,
        help_text=_("Vid avvikelse: det steg på åtgärdstrappan som togs."),
    )
    action_on = models.DateField(_("åtgärdsdatum"), null=True, blank=True, validators=bounds.PAST)
    note = models.TextField(_("anteckning"), blank=True)
    origin = models.CharField(_("ursprung"), max_length=8, choices=Origin.choices, default=Origin.LEDGER,
                              editable=False)

    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CheckQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("leverantörskontroll")
        verbose_name_plural = _("leverantörskontroller")
        indexes = [models.Index(fields=["date"]), models.Index(fields=["action_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(procurement__isnull=False) | Q(contract__isnull=False),
                name="check_has_procurement_or_contract",
                violation_error_message=_("Ange upphandlingen eller avtalet som kontrollen gäller."),
            ),
            models.CheckConstraint(
                condition=Q(action="", action_on__isnull=True) | Q(result="deviation"),
                name="check_action_needs_deviation",
                violation_error_message=_("En åtgärd kräver att kontrollen visade en avvikelse."),
            ),
            models.CheckConstraint(
                condition=Q(action_on__isnull=True) | Q(action_on__gte=models.F("date")),
                name="check_action_not_before_check",
                violation_error_message=_("Åtgärdsdatumet kan inte ligga före kontrolldatumet."),
            ),
        ]

    def __str__(self):
        # Neutral on purpose: the indicators' drill-down lists checks by this name to committee members,
        # who may see that there were checks but not whom they concerned nor what they found.
        return _("Leverantörskontroll %(date)s") % {"date": self.date.isoformat() if self.date else ""}

    def get_absolute_url(self):
        if self.origin == self.Origin.REGISTER:  # changed through its procurement's numbers
            return reverse("procurement:procurement_detail", args=[self.procurement_id])
        return reverse("procurement:check_update", args=[self.pk])

    @property
    def from_register(self):
        return self.origin == self.Origin.REGISTER

    def clean(self):
        errors = {}
        if not self.procurement_id and not self.contract_id:
            errors["procurement"] = _("Ange upphandlingen eller avtalet som kontrollen gäller.")
        elif self.procurement_id and self.contract_id and self.contract.procurement_id not in (
                None, self.procurement_id):
            errors["contract"] = _("Avtalet kommer från en annan upphandling än den angivna.")
        if not self.from_register:
            errors.update(self._ledger_errors())
        if self.action_on and self.date and self.action_on < self.date:
            errors["action_on"] = _("Åtgärdsdatumet kan inte ligga före kontrolldatumet.")
        if errors:
            raise ValidationError(errors)

    def _ledger_errors(self):
        """What an entry made in the ledger must have (the register's entries know only a number and a date)."""
        errors = {}
        if not self.supplier_id:
            errors["supplier"] = _("Ange leverantören som kontrollerades.")
        if self.kind == self.Kind.UNSPECIFIED:
            errors["kind"] = _("Välj vilken kontroll som gjordes.")
        if not self.result:
            errors["result"] = _("Ange resultatet av kontrollen.")
        if (self.action or self.action_on) and self.result != self.Result.DEVIATION:
            errors["action"] = _("En åtgärd kräver att kontrollen visade en avvikelse.")
        elif self.action and not self.action_on:
            errors["action_on"] = _("Ange datum för åtgärden.")
        elif self.action_on and not self.action:
            errors["action"] = _("Ange vilken åtgärd som vidtogs.")
        return errors
