"""The procurement register: what happens in procurements and contracts, recorded once.

Nearly every indicator of the plan follows from these models; see indicators/definitions.py.
Dates decide which year a record counts in: a procurement counts as advertised in the year of
`advertised_on`, as completed in the year of `completed_on`, and so on.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Case, Count, F, Max, OuterRef, Prefetch, Q, Subquery, When
from django.db.models.functions import Coalesce, Replace, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import bounds
from common.dates import add_months
from nämndplan.models import Municipality
from procurement import contract_life
from procurement.secrecy import AWARD_DECIDED
from procurement.validators import normalize_org_number, validate_org_number


def count_of(model, fk, **conditions):
    """A correlated COUNT of `model` rows pointing at the outer row through `fk`.

    Lists show several counts per row (bids, municipalities, contracts); joining those relations
    together would multiply rows, so each count is its own subquery.
    """
    rows = model.objects.filter(**{fk: OuterRef("pk")}, **conditions).order_by().values(fk)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def search_org_number(text):
    """A Q matching an organisation number typed with or without the hyphen."""
    digits = text.replace("-", "").replace(" ", "")
    query = Q(org_number__icontains=text)
    if digits.isdigit() and len(digits) > 6:
        query |= Q(org_number__icontains=f"{digits[:6]}-{digits[6:]}")
    return query


class DatedQuerySet(models.QuerySet):
    """Records that count in the year of one of their dates (see the module's docstring)."""

    def dated_in(self, field, year, until=None, **conditions):
        """Rows whose `field` falls in `year` (up to and including `until`, a date, when given)."""
        qs = self.filter(**conditions, **{f"{field}__year": year})
        return qs.filter(**{f"{field}__lte": until}) if until else qs


class UhmLevel(models.TextChoices):
    """Requirement levels of the Swedish National Agency for Public Procurement's criteria."""

    NONE = "none", _("Inget krav")
    BAS = "bas", _("Bas")
    AVANCERAD = "avancerad", _("Avancerad")
    SPJUTSPETS = "spjutspets", _("Spjutspets")


ADVANCED_LEVELS = [UhmLevel.AVANCERAD, UhmLevel.SPJUTSPETS]


class SupplierQuerySet(models.QuerySet):
    def search(self, text):
        return self.filter(Q(name__icontains=text) | search_org_number(text))

    def with_counts(self):
        return self.annotate(
            bid_count=count_of(Bid, "supplier"),
            awarded_count=count_of(Bid, "supplier", awarded=True),
            contract_count=count_of(Contract, "supplier"),
        )


class Supplier(models.Model):
    name = models.CharField(_("namn"), max_length=200)
    org_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        unique=True,
        validators=[validate_org_number],
        help_text=_("NNNNNN-NNNN; sista siffran är en kontrollsiffra."),
        error_messages={"unique": _("Det finns redan en leverantör med det organisationsnumret.")},
    )
    regional = models.BooleanField(
        _("regional verksamhet"), default=False, help_text=_("Leverantören har verksamhet i Dalarna.")
    )
    sme = models.BooleanField(_("litet eller medelstort företag (SMF)"), default=False)
    social_enterprise = models.BooleanField(_("socialt företag eller idéburen organisation"), default=False)

    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SupplierQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("leverantör")
        verbose_name_plural = _("leverantörer")

    def __str__(self):
        return f"{self.name} ({self.org_number})"

    def save(self, *args, **kwargs):
        self.org_number = normalize_org_number(self.org_number)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("procurement:supplier_detail", args=[self.pk])


class Category(models.Model):
    """One of the twelve purchasing categories (inköpskategorier)."""

    name = models.CharField(_("namn"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0, validators=bounds.ORDER)
    strategy_adopted_on = models.DateField(
        _("kategoristrategi beslutad"), null=True, blank=True, validators=bounds.PAST,
        help_text=_("Tomt om kategorin saknar strategi."),
    )
    innovation_need_identified_on = models.DateField(
        _("innovationsbehov identifierat"),
        null=True,
        blank=True,
        validators=bounds.PAST,
        help_text=_("Datum då avtal/områden med störst innovationsbehov identifierades."),
    )
    digital_potential_identified_on = models.DateField(
        _("digital potential identifierad"),
        null=True,
        blank=True,
        validators=bounds.PAST,
        help_text=_("Datum då områden där nya digitala lösningar har störst potential identifierades."),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")

    def __str__(self):
        return self.name

    @property
    def has_strategy(self):
        return self.strategy_adopted_on is not None


class ProductGroup(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="product_groups", verbose_name=_("kategori")
    )
    name = models.CharField(_("namn"), max_length=160)

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("varugrupp")
        verbose_name_plural = _("varugrupper")
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="product_group_unique")]

    def __str__(self):
        return self.name


# A case number is the same whatever its letter case and spaces: "uhc 2020/0010" is "UhC 2020/0010". The
# database's key (a unique constraint on the expression) and Python's (for the rows of one import file).
CASE_NUMBER_KEY = Upper(Replace("case_number", models.Value(" "), models.Value("")))
CASE_NUMBER_TAKEN = "case_number_taken"


def case_number_key(case_number):
    return case_number.replace(" ", "").upper()


class ProcurementQuerySet(DatedQuerySet):
    def advertised_in(self, year, until=None):
        """Advertised in `year` (up to and including `until`, a date, when given)."""
        return self.dated_in("advertised_on", year, until)

    def completed_in(self, year, until=None):
        return self.dated_in("completed_on", year, until, status=Procurement.Status.COMPLETED)

    def cancelled_in(self, year, until=None):
        return self.dated_in("cancelled_on", year, until, status=Procurement.Status.CANCELLED)

    def appealed_in(self, year, until=None):
        return self.dated_in("appealed_on", year, until)

    def for_municipality(self, municipality):
        return self.filter(municipalities=municipality)

    def with_municipality_count(self):
        return self.annotate(municipality_count=models.Count("municipalities", distinct=True))

    def in_year(self, year):
        """Advertised or completed in `year`: the register's year filter."""
        return self.filter(Q(advertised_on__year=year) | Q(completed_on__year=year))

    def search(self, text):
        return self.filter(Q(case_number__icontains=text) | Q(title__icontains=text))

    def with_counts(self, *, before_award=True):
        """Bids, valid (not disqualified) bids, awarded bids and commissioning municipalities.

        Without `before_award` the bid counts of a procurement whose award decision is not made are
        None: for those who may not see bids (procurement/secrecy.py).
        """
        bid_counts = {
            "bid_count": count_of(Bid, "procurement"),
            "valid_bid_count": count_of(Bid, "procurement", disqualified=False),
            "awarded_bid_count": count_of(Bid, "procurement", awarded=True),
        }
        if not before_award:
            bid_counts = {name: Case(When(AWARD_DECIDED, then=count)) for name, count in bid_counts.items()}
        return self.annotate(
            **bid_counts, municipality_count=count_of(Procurement.municipalities.through, "procurement")
        )

    def newest_first(self):
        """Latest advertised first; those not yet advertised last, the latest registered first."""
        return self.order_by(F("advertised_on").desc(nulls_last=True), "-id")

    def with_bids_and_contracts(self):
        """Each procurement's bids (by supplier name) and contracts (by number), with their suppliers."""
        return self.prefetch_related(
            Prefetch("bids", queryset=Bid.objects.select_related("supplier").order_by("supplier__name")),
            Prefetch("contracts", queryset=Contract.objects.select_related("supplier").order_by("number")),
        )

    def with_awarded_bids(self):
        """Each procurement's awarded bids with their suppliers, as `awarded_bids` (one query for all);
        only once the award decision is made (the decision names them: procurement/secrecy.py)."""
        awarded = Bid.objects.filter(awarded=True, procurement__awarded_on__isnull=False).select_related("supplier")
        return self.prefetch_related(Prefetch("bids", queryset=awarded, to_attr="awarded_bids"))

    def tally(self, year):
        """Advertised and completed in `year`, ongoing and planned now: the start page's numbers, one query."""
        return self.aggregate(
            advertised=Count("pk", filter=Q(advertised_on__year=year)),
            completed=Count("pk", filter=Q(status=Procurement.Status.COMPLETED, completed_on__year=year)),
            ongoing=Count("pk", filter=Q(status__in=[Procurement.Status.ADVERTISED, Procurement.Status.AWARDED])),
            planned=Count("pk", filter=Q(status=Procurement.Status.PLANNED)),
        )


class Procurement(models.Model):
    class Kind(models.TextChoices):
        JOINT = "joint", _("Gemensam upphandling")
        MUNICIPAL = "municipal", _("Kommunspecifik upphandling")
        DIS_CALL = "dis_call", _("DIS-avrop")
        SUPPORT = "support", _("Upphandlingsstöd")

    class Procedure(models.TextChoices):
        OPEN = "open", _("Öppet förfarande")
        RESTRICTED = "restricted", _("Selektivt förfarande")
        NEGOTIATED = "negotiated", _("Förhandlat förfarande med föregående annonsering")
        COMPETITIVE_DIALOGUE = "dialogue", _("Konkurrenspräglad dialog")
        INNOVATION_PARTNERSHIP = "innovation", _("Innovationspartnerskap")
        SIMPLIFIED = "simplified", _("Förenklat förfarande")
        SELECTION = "selection", _("Urvalsförfarande")
        DIS = "dis", _("Dynamiskt inköpssystem (DIS)")
        NEGOTIATED_WITHOUT_NOTICE = "without_notice", _("Förhandlat förfarande utan föregående annonsering")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ADVERTISED = "advertised", _("Annonserad")
        AWARDED = "awarded", _("Tilldelad")
        COMPLETED = "completed", _("Avslutad")
        CANCELLED = "cancelled", _("Avbruten")

    class AppealOutcome(models.TextChoices):
        PENDING = "pending", _("Pågår")
        REJECTED = "rejected", _("Avslag – upphandlingen står sig")
        CORRECTION = "correction", _("Rättelse")
        REDO = "redo", _("Gör om upphandlingen")
        WITHDRAWN = "withdrawn", _("Återkallad")
        AWARD_WITHDRAWN = "award_withdrawn", _("Tilldelningen togs tillbaka")

    case_number = models.CharField(
        _("diarienummer"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("Diarienumret finns redan i registret.")},
    )
    title = models.CharField(_("benämning"), max_length=250)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="procurements", verbose_name=_("kategori")
    )
    product_group = models.ForeignKey(
        ProductGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procurements",
        verbose_name=_("varugrupp"),
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.JOINT)
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="procurements",
        verbose_name=_("beställande kommuner"),
        help_text=_("Samordnad upphandling = på uppdrag av minst två kommuner."),
    )
    procedure = models.CharField(_("förfarande"), max_length=16, choices=Procedure.choices, default=Procedure.OPEN)
    reserved = models.BooleanField(
        _("reserverad upphandling"), default=False, help_text=_("Reserverad för sociala företag (LOU 4 kap. 18 §).")
    )
    in_procurement_plan = models.BooleanField(_("med i upphandlingsplanen"), default=True)
    planned_completion = models.DateField(_("planerat klart"), null=True, blank=True, validators=bounds.PLANNED)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    advertised_on = models.DateField(_("annonserad"), null=True, blank=True, validators=bounds.PAST)
    tender_deadline = models.DateField(
        _("sista anbudsdag"), null=True, blank=True, validators=bounds.PLANNED,
        help_text=_("Sista dag att lämna anbud; anbudstiden räknas från annonseringsdagen."),
    )
    awarded_on = models.DateField(_("tilldelningsbeslut"), null=True, blank=True, validators=bounds.PAST)
    completed_on = models.DateField(_("avslutad"), null=True, blank=True, validators=bounds.PAST)
    cancelled_on = models.DateField(_("avbruten"), null=True, blank=True, validators=bounds.PAST)
    cancellation_reason = models.TextField(_("skäl för avbrytande"), blank=True)

    questions_received = models.PositiveIntegerField(
        _("frågor under annonseringen"), default=0, validators=bounds.COUNT
    )
    negotiation_held = models.BooleanField(_("förhandling genomförd"), default=False)
    negotiation_saving_sek = models.DecimalField(
        _("besparing genom förhandling (kr)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=bounds.SEK,
    )
    bidders_contacted = models.BooleanField(
        _("anbudsgivarna kontaktade om tilldelningsbeslutet"), default=False
    )
    appealed_on = models.DateField(_("överprövning inkom"), null=True, blank=True, validators=bounds.PAST)
    appeal_outcome = models.CharField(
        _("överprövningens utgång"), max_length=16, choices=AppealOutcome.choices, blank=True
    )

    employment_requirement = models.BooleanField(_("sysselsättningskrav"), default=False)
    traineeships = models.PositiveIntegerField(
        _("praktikplatser eller motsvarande"), default=0, validators=bounds.COUNT,
        help_text=_("Platser som sysselsättningskravet gett."),
    )
    labour_law_conditions = models.BooleanField(_("arbetsrättsliga villkor"), default=False)
    accessibility_requirement = models.BooleanField(_("krav på tillgänglighet"), default=False)
    gender_equality_requirement = models.BooleanField(_("krav på jämställdhet"), default=False)
    preparedness_requirement = models.BooleanField(_("beredskapskrav"), default=False)
    environmental_requirement = models.BooleanField(_("miljö- eller klimatkrav"), default=False)
    env_management_level = models.CharField(
        _("miljöledning (UHM-nivå)"), max_length=10, choices=UhmLevel.choices, default=UhmLevel.NONE
    )
    reuse_level = models.CharField(
        _("återbruk/avfall (UHM-nivå)"), max_length=10, choices=UhmLevel.choices, default=UhmLevel.NONE
    )
    climate_transport_level = models.CharField(
        _("klimat transporter (UHM-nivå)"), max_length=10, choices=UhmLevel.choices, default=UhmLevel.NONE
    )
    climate_other_level = models.CharField(
        _("klimat övrigt (UHM-nivå)"), max_length=10, choices=UhmLevel.choices, default=UhmLevel.NONE
    )
    chemicals_level = models.CharField(
        _("kemikalier (UHM-nivå)"), max_length=10, choices=UhmLevel.choices, default=UhmLevel.NONE
    )
    is_food = models.BooleanField(_("livsmedelsupphandling"), default=False)
    organic_food_requirement = models.BooleanField(_("krav på ekologiska livsmedel"), default=False)
    local_food_requirement = models.BooleanField(_("krav på lokalproducerade livsmedel"), default=False)

    welfare_crime_risk = models.BooleanField(_("förhöjd risk för välfärdsbrottslighet"), default=False)
    supplier_checks = models.PositiveIntegerField(
        _("fördjupade leverantörskontroller"), default=0, validators=bounds.COUNT
    )
    tenders_disqualified_welfare = models.PositiveIntegerField(
        _("anbud diskvalificerade pga. välfärdsbrott"), default=0, validators=bounds.COUNT
    )
    welfare_actions = models.PositiveIntegerField(
        _("åtgärder pga. välfärdsbrott"), default=0, validators=bounds.COUNT
    )
    welfare_actions_text = models.TextField(_("vidtagna åtgärder"), blank=True)

    innovative_solution = models.BooleanField(
        _("väsentligt annorlunda lösning"),
        default=False,
        help_text=_("Den nya lösningen är väsentligt annorlunda jämfört med den tidigare."),
    )
    notes = models.TextField(_("anteckningar"), blank=True)
    replaces = models.ManyToManyField(
        "Contract", blank=True, related_name="replaced_by", verbose_name=_("ersätter avtal"),
        help_text=_("De avtal som upphandlingen ska ersätta när de löper ut."),
    )

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = ProcurementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        ordering = ["-advertised_on", "case_number"]
        verbose_name = _("upphandling")
        verbose_name_plural = _("upphandlingar")
        permissions = [("import_register", _("Kan importera registret från Excel"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(awarded_on__isnull=True)
                | (Q(advertised_on__isnull=False) & Q(awarded_on__gte=F("advertised_on"))),
                name="procurement_award_after_advertising",
                violation_error_message=_("Tilldelningsbeslutet kan inte komma före annonseringen."),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | (Q(advertised_on__isnull=False) & Q(completed_on__gte=F("advertised_on"))),
                name="procurement_completed_after_advertising",
                violation_error_message=_("En upphandling kan inte avslutas före annonseringen."),
            ),
            models.CheckConstraint(
                condition=Q(tender_deadline__isnull=True)
                | (Q(advertised_on__isnull=False) & Q(tender_deadline__gte=F("advertised_on"))),
                name="procurement_tender_deadline_after_advertising",
                violation_error_message=_("Sista anbudsdag kan inte komma före annonseringen."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["advertised", "awarded", "completed"]) | Q(advertised_on__isnull=False),
                name="procurement_status_needs_advertising_date",
                violation_error_message=_(
                    "Ange annonseringsdatum för en annonserad, tilldelad eller avslutad upphandling."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["awarded", "completed"]) | Q(awarded_on__isnull=False),
                name="procurement_status_needs_award_date",
                violation_error_message=_("Ange datum för tilldelningsbeslutet."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="procurement_completed_needs_date",
                violation_error_message=_("Ange datum då upphandlingen avslutades."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_on__isnull=False),
                name="procurement_cancelled_needs_date",
                violation_error_message=_("Ange datum då upphandlingen avbröts."),
            ),
            models.CheckConstraint(
                condition=Q(negotiation_saving_sek__isnull=True) | Q(negotiation_saving_sek__gte=0),
                name="procurement_saving_not_negative",
                violation_error_message=_("Besparingen kan inte vara negativ."),
            ),
            models.UniqueConstraint(
                CASE_NUMBER_KEY,
                name="procurement_case_number_unique_regardless_of_case",
                violation_error_code=CASE_NUMBER_TAKEN,
                violation_error_message=_(
                    "Diarienumret finns redan i registret, med andra stora och små bokstäver eller mellanslag."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["advertised_on"]),
            models.Index(fields=["status", "completed_on"]),
            models.Index(fields=["cancelled_on"]),
        ]

    def __str__(self):
        return f"{self.case_number} {self.title}"

    def get_absolute_url(self):
        return reverse("procurement:procurement_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.awarded_on and not self.advertised_on:
            errors["awarded_on"] = _("En upphandling kan inte tilldelas innan den har annonserats.")
        elif self.awarded_on and self.advertised_on and self.awarded_on < self.advertised_on:
            errors["awarded_on"] = _("Tilldelningsbeslutet kan inte komma före annonseringen.")
        if self.completed_on and self.advertised_on and self.completed_on < self.advertised_on:
            errors["completed_on"] = _("En upphandling kan inte avslutas före annonseringen.")
        if self.status in {self.Status.ADVERTISED, self.Status.AWARDED, self.Status.COMPLETED}:
            if not self.advertised_on:
                errors["advertised_on"] = _(
                    "Ange annonseringsdatum för en annonserad, tilldelad eller avslutad upphandling."
                )
        if self.status in {self.Status.AWARDED, self.Status.COMPLETED} and not self.awarded_on:
            errors.setdefault("awarded_on", _("Ange datum för tilldelningsbeslutet."))
        if self.status == self.Status.COMPLETED and not self.completed_on:
            errors["completed_on"] = _("Ange datum då upphandlingen avslutades.")
        if self.status == self.Status.CANCELLED:
            if not self.cancelled_on:
                errors["cancelled_on"] = _("Ange datum då upphandlingen avbröts.")
            if not self.cancellation_reason.strip():
                errors["cancellation_reason"] = _("Ange skälet till att upphandlingen avbröts.")
        if self.appeal_outcome and not self.appealed_on:
            errors["appealed_on"] = _("Ange när överprövningen kom in.")
        if self.negotiation_saving_sek and not self.negotiation_held:
            errors["negotiation_saving_sek"] = _("En besparing genom förhandling kräver att förhandling hållits.")
        if self.traineeships and not self.employment_requirement:
            errors["traineeships"] = _("Praktikplatser redovisas för upphandlingar med sysselsättningskrav.")
        if (self.organic_food_requirement or self.local_food_requirement) and not self.is_food:
            errors["is_food"] = _("Krav på ekologiska eller lokalproducerade livsmedel gäller livsmedelsupphandlingar.")
        if self.product_group_id and self.category_id and self.product_group.category_id != self.category_id:
            errors["product_group"] = _("Varugruppen hör till en annan kategori.")
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        """As Django's, with the case-number constraint's refusal on the case-number field (the constraint is on
        an expression, so Django cannot tell which field it is about): forms show it there, imports in its column."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = dict(error.error_dict)
            general = errors.pop(NON_FIELD_ERRORS, [])
            taken = [item for item in general if item.code == CASE_NUMBER_TAKEN]
            rest = [item for item in general if item.code != CASE_NUMBER_TAKEN]
            if taken:
                errors["case_number"] = [*errors.get("case_number", []), self._case_number_taken(taken[0])]
            if rest:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError(errors) from None

    def _case_number_taken(self, variant_refusal):
        """The number exactly as another procurement has it gets the field's own message; a variant the constraint's.

        (A form checks constraints before uniqueness, so the constraint sees exact duplicates first.)"""
        exact = Procurement.objects.filter(case_number=self.case_number).exclude(pk=self.pk).exists()
        return self.unique_error_message(Procurement, ["case_number"]) if exact else variant_refusal

    @property
    def is_coordinated(self):
        """Coordinated (samordnad): commissioned by at least two municipalities."""
        return self.municipalities.count() >= 2


class BidQuerySet(models.QuerySet):
    def latest_procurements_first(self):
        """By their procurements: the latest advertised first, those not yet advertised last."""
        return self.order_by(F("procurement__advertised_on").desc(nulls_last=True), "procurement__case_number")


class Bid(models.Model):
    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, related_name="bids", verbose_name=_("upphandling")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="bids", verbose_name=_("anbudsgivare")
    )
    disqualified = models.BooleanField(_("diskvalificerat"), default=False)
    awarded = models.BooleanField(_("tilldelat"), default=False)

    objects = BidQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["procurement", "supplier__name"]
        verbose_name = _("anbud")
        verbose_name_plural = _("anbud")
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "supplier"],
                name="bid_one_per_supplier",
                violation_error_message=_("Leverantören har redan ett anbud i upphandlingen."),
            ),
            models.CheckConstraint(
                condition=~(Q(awarded=True) & Q(disqualified=True)),
                name="bid_not_awarded_if_disqualified",
                violation_error_message=_("Ett diskvalificerat anbud kan inte tilldelas."),
            ),
        ]

    def __str__(self):
        return f"{self.procurement.case_number}: {self.supplier.name}"

    def clean(self):
        if self.awarded and self.disqualified:
            message = _("Ett diskvalificerat anbud kan inte tilldelas.")
            raise ValidationError({"awarded": ValidationError(message, code="awarded_disqualified")})


def running_on(date):
    """Contracts started on or before `date` and not ended before it."""
    return Q(start_date__lte=date) & (Q(end_date__isnull=True) | Q(end_date__gte=date))


class ContractQuerySet(DatedQuerySet):
    def active_on(self, date):
        return self.filter(running_on(date))

    def terminated_in(self, year, until=None):
        return self.dated_in("terminated_on", year, until)

    def ending_between(self, first, last):
        return self.filter(end_date__gte=first, end_date__lte=last)

    def search(self, text):
        return self.filter(
            Q(number__icontains=text) | Q(title__icontains=text) | Q(supplier__name__icontains=text)
        )

    def with_follow_up_stats(self):
        return self.annotate(
            follow_up_count=count_of(ContractFollowUp, "contract"),
            last_follow_up=Subquery(
                ContractFollowUp.objects.filter(contract=OuterRef("pk")).order_by().values("contract")
                .annotate(last=Max("date")).values("last")[:1]
            ),
        )

    def tally_on(self, date, *, ending_within):
        """In force on `date` (started, not ended, not terminated early), and of those the ones ending
        within `ending_within` months: the start page's numbers, one query."""
        in_force = running_on(date) & Q(terminated_on__isnull=True)
        ending = in_force & Q(end_date__lte=add_months(date, ending_within))
        return self.aggregate(active=Count("pk", filter=in_force), ending=Count("pk", filter=ending))


class Contract(models.Model):
    class ContractClass(models.TextChoices):
        A = "A", _("A – mest kritiska")
        B = "B", "B"
        C = "C", "C"
        D = "D", _("D – minst kritiska")

    number = models.CharField(
        _("avtalsnummer"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("Avtalsnumret finns redan i registret.")},
    )
    title = models.CharField(_("benämning"), max_length=250)
    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("upphandling"),
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("leverantör")
    )
    municipalities = models.ManyToManyField(Municipality, related_name="contracts", verbose_name=_("kommuner"))
    contract_class = models.CharField(_("avtalsklass"), max_length=1, choices=ContractClass.choices)
    start_date = models.DateField(_("startdatum"), validators=bounds.PLANNED)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True, validators=bounds.PLANNED)
    estimated_yearly_value = models.DecimalField(
        _("uppskattat årsvärde (kr)"), max_digits=14, decimal_places=0, null=True, blank=True, validators=bounds.SEK
    )
    # A termination may be decided ahead of the day it takes effect.
    terminated_on = models.DateField(_("avslutat i förtid"), null=True, blank=True, validators=bounds.PLANNED)
    termination_reason = models.TextField(_("skäl till förtida avslut (hävning, uppsägning)"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contracts",
        verbose_name=_("avtalsförvaltare"), help_text=_("Den på UhC som förvaltar avtalet och får påminnelserna."),
    )
    municipality_contact = models.CharField(
        _("kontaktperson i kommunerna"), max_length=200, blank=True,
        help_text=_("Namn och e-post eller telefon till kommunernas kontaktperson för avtalet."),
    )

    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ContractQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        ordering = ["number"]
        verbose_name = _("avtal")
        verbose_name_plural = _("avtal")
        permissions = [
            ("manage_contracts", _("Kan se avtalsförvaltningens arbetslista, uppföljningsplan och slutdatumsradar")),
            ("view_all_work_lists", _("Kan se allas arbetslistor")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="contract_end_after_start",
                violation_error_message=_("Slutdatum kan inte ligga före startdatum."),
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | Q(terminated_on__gte=F("start_date")),
                name="contract_terminated_after_start",
                violation_error_message=_("Ett avtal kan inte avslutas innan det börjat gälla."),
            ),
            models.CheckConstraint(
                condition=Q(estimated_yearly_value__isnull=True) | Q(estimated_yearly_value__gte=0),
                name="contract_value_not_negative",
                violation_error_message=_("Årsvärdet kan inte vara negativt."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._saved_end_date = self.end_date

    def get_absolute_url(self):
        return reverse("procurement:contract_detail", args=[self.pk])

    # The end date as saved, so a clean need not ask the database (an import cleans thousands).
    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "end_date" in field_names:
            instance._saved_end_date = instance.end_date
        return instance

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("Slutdatum kan inte ligga före startdatum.")
        if self.terminated_on and self.start_date and self.terminated_on < self.start_date:
            errors["terminated_on"] = _("Ett avtal kan inte avslutas innan det börjat gälla.")
        if self.terminated_on and not self.termination_reason.strip():
            errors["termination_reason"] = _("Ange varför avtalet avslutades i förtid.")
        extension = self._extension_beyond_options()
        if extension:
            errors["end_date"] = extension
        if errors:
            raise ValidationError(errors)

    def _extension_beyond_options(self):
        """The message when the end date is moved past what the options allow, else None.

        An extension beyond the latest possible end is a new contract, which needs a procurement.
        """
        if self.pk is None or self.end_date is None:
            return None
        if "_saved_end_date" in self.__dict__:
            saved = self._saved_end_date  # as loaded (from_db): no query per contract in an import
        else:
            saved = Contract.objects.filter(pk=self.pk).values_list("end_date", flat=True).first()
        if saved is None or self.end_date <= saved:
            return None
        latest = contract_life.latest_possible_end(saved, self.options.all(), timezone.localdate())
        if self.end_date <= latest:
            return None
        return ValidationError(
            _("Avtalet kan inte förlängas till %(date)s: det senast möjliga slutdatumet med avtalets optioner är "
              "%(latest)s. En längre förlängning kräver en ny upphandling."),
            code="beyond_options", params={"date": self.end_date.isoformat(), "latest": latest.isoformat()},
        )

    @property
    def terminated_early(self):
        return self.terminated_on is not None

    def option_schedule(self):
        """The options in order with the end each extends and its decide-by date (options prefetched)."""
        if self.end_date is None:
            return []
        return contract_life.option_schedule(self.end_date, self.options.all())

    def latest_possible_end(self, today=None):
        """The agreed end plus every option that can still be used (OCDS maxExtentDate)."""
        if self.end_date is None:
            return None
        return contract_life.latest_possible_end(self.end_date, self.options.all(), today or timezone.localdate())

    def status(self, today=None):
        return contract_life.contract_status(self, self.options.all(), today or timezone.localdate())

    def status_label(self, today=None):
        return contract_life.Status.LABELS[self.status(today)]


class ContractOption(models.Model):
    """An option to extend a contract (förlängningsoption), used or declined by a decision before its notice.

    See procurement/contract_life.py for how options extend the contract in order.
    """

    class Decision(models.TextChoices):
        PENDING = contract_life.PENDING, _("Ej beslutad")
        USED = contract_life.USED, _("Utnyttjad")
        DECLINED = contract_life.DECLINED, _("Avstår")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="options", verbose_name=_("avtal"))
    order = models.PositiveSmallIntegerField(_("ordning"), validators=bounds.number_range(1, 20))
    length_months = models.PositiveSmallIntegerField(
        _("längd (månader)"), validators=bounds.number_range(1, 120),
        help_text=_("Hur länge optionen förlänger avtalet."),
    )
    notice_months = models.PositiveSmallIntegerField(
        _("beslut senast (månader före slut)"), default=3, validators=bounds.number_range(0, 60),
        help_text=_("Hur många månader före avtalets slut beslutet om optionen måste vara fattat och meddelat."),
    )
    decision = models.CharField(_("beslut"), max_length=8, choices=Decision.choices, default=Decision.PENDING)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True, validators=bounds.PAST)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "order"]
        verbose_name = _("option")
        verbose_name_plural = _("optioner")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "order"], name="option_unique_order",
                violation_error_message=_("Avtalet har redan en option med det numret."),
            ),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_on__isnull=True) | (
                    ~Q(decision="pending") & Q(decided_on__isnull=False)
                ),
                name="option_decided_has_date",
                violation_error_message=_(
                    "Ett beslut om en option har ett datum, och en option utan beslut har inget."
                ),
            ),
        ]

    def __str__(self):
        return str(_("Option %(n)s: %(months)s månader") % {"n": self.order, "months": self.length_months})

    def clean(self):
        if self.decision == self.Decision.PENDING:
            if self.decided_on:
                raise ValidationError({"decided_on": _("Ange beslutet om optionen, eller ta bort datumet.")})
            return
        if self.decided_on is None:
            raise ValidationError({"decided_on": _("Ange när beslutet om optionen fattades.")}, code="required")
        step = self.step()
        if self.decision == self.Decision.USED and step is not None and self.decided_on > step.decide_by:
            raise ValidationError({"decided_on": ValidationError(
                _("Optionen måste beslutas senast %(date)s (%(months)s månader före avtalets slut %(end)s); "
                  "ett senare beslut förlänger inte avtalet."),
                code="after_decide_by",
                params={"date": step.decide_by.isoformat(), "months": self.notice_months,
                        "end": step.end_before.isoformat()},
            )})

    def step(self):
        """This option's place in the contract's schedule (the end it extends, its decide-by date), or None.

        Judged as the contract stands in the database: its end already includes this option if the
        option was used before, and does not yet if this save is what uses it.
        """
        if not self.contract_id or self.contract.end_date is None:
            return None
        saved = {o.pk: o for o in ContractOption.objects.filter(contract_id=self.contract_id)}
        me = saved.get(self.pk) or self
        options = [o for pk, o in saved.items() if pk != self.pk] + [me]
        schedule = contract_life.option_schedule(self.contract.end_date, options)
        return next((step for step in schedule if step.option is me), None)


class FollowUpQuerySet(DatedQuerySet):
    def in_year(self, year, until=None):
        return self.dated_in("date", year, until)

    def search(self, text):
        return self.filter(
            Q(contract__number__icontains=text)
            | Q(contract__title__icontains=text)
            | Q(contract__supplier__name__icontains=text)
            | Q(notes__icontains=text)
            | Q(actions__icontains=text)
        )


class ContractFollowUp(models.Model):
    class Form(models.TextChoices):
        MEETING = "meeting", _("Möte")
        EMAIL = "email", _("E-post")
        PHONE = "phone", _("Telefon")

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("avtal")
    )
    date = models.DateField(_("datum"), validators=bounds.PAST)
    form = models.CharField(_("form"), max_length=8, choices=Form.choices)
    notes = models.TextField(_("anteckningar"), blank=True)
    actions = models.TextField(_("åtgärder"), blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "contract"]
        verbose_name = _("avtalsuppföljning")
        verbose_name_plural = _("avtalsuppföljningar")
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.contract.number} {self.date} ({self.get_form_display()})"

    def get_absolute_url(self):
        return reverse("procurement:followup_detail", args=[self.pk])

    def clean(self):
        contract = self.contract if self.contract_id else None
        if contract and self.date and self.date < contract.start_date:
            raise ValidationError(
                {"date": _("Uppföljningen kan inte ligga före avtalets startdatum.")}, code="before_start"
            )


class FollowUpRule(models.Model):
    """How often and in which forms the contracts of one class are followed up: a setting in admin.

    Defaults from bilaga 3 and common practice: A three meetings a year, B one meeting a year, C and D
    one contact a year by e-mail, telephone or meeting (procurement/follow_up_plan.py plans them).
    """

    contract_class = models.CharField(
        _("avtalsklass"), max_length=1, choices=Contract.ContractClass.choices, unique=True,
        error_messages={"unique": _("Avtalsklassen har redan en regel.")},
    )
    per_year = models.PositiveSmallIntegerField(
        _("uppföljningar per år"), validators=bounds.number_range(0, 12),
        help_text=_("0 betyder att avtalen i klassen inte planeras för uppföljning."),
    )
    forms = models.JSONField(
        _("former"), default=list,
        help_text=_("De former som räknas som en uppföljning i klassen: "
                    "meeting (möte), email (e-post), phone (telefon)."),
    )

    class Meta:
        ordering = ["contract_class"]
        verbose_name = _("uppföljningsregel")
        verbose_name_plural = _("uppföljningsregler")

    def __str__(self):
        return str(_("Klass %(cls)s: %(n)s per år") % {"cls": self.contract_class, "n": self.per_year})

    def clean(self):
        allowed = set(ContractFollowUp.Form.values)
        if not self.forms or not isinstance(self.forms, list) or not set(self.forms) <= allowed:
            raise ValidationError({"forms": ValidationError(
                _("Ange minst en form, bland: %(forms)s."), code="forms",
                params={"forms": ", ".join(sorted(allowed))},
            )})


class InformationActivity(models.Model):
    """An information activity towards suppliers (tidig dialog, RFI, övrigt)."""

    class Kind(models.TextChoices):
        EARLY_DIALOGUE = "dialogue", _("Tidig dialog")
        RFI = "rfi", _("RFI")
        OTHER = "other", _("Övrigt")

    date = models.DateField(_("datum"), validators=bounds.PAST)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("benämning"), max_length=250)
    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="information_activities",
        verbose_name=_("upphandling"),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="information_activities", verbose_name=_("medverkande kommuner")
    )

    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        ordering = ["-date"]
        verbose_name = _("informationsaktivitet")
        verbose_name_plural = _("informationsaktiviteter")

    def __str__(self):
        return f"{self.date} {self.title}"


class CompetenceEffort(models.Model):
    """A competence-raising effort (kompetenshöjande insats) held in a member municipality."""

    date = models.DateField(_("datum"), validators=bounds.PAST)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="competence_efforts", verbose_name=_("kommun")
    )
    title = models.CharField(_("benämning"), max_length=250)
    participants = models.PositiveIntegerField(_("deltagare"), default=0, validators=bounds.COUNT)

    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("kompetenshöjande insats")
        verbose_name_plural = _("kompetenshöjande insatser")

    def __str__(self):
        return f"{self.date} {self.municipality}: {self.title}"


class MunicipalityDialogue(models.Model):
    """A dialogue with a member municipality: the upphandlingsplan remiss or preparedness."""

    class Kind(models.TextChoices):
        PLAN_REMISS = "plan_remiss", _("Remiss och dialog om upphandlingsplanen")
        PREPAREDNESS = "preparedness", _("Dialog om samhällsstörning, kris och krig")

    date = models.DateField(_("datum"), validators=bounds.PAST)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="dialogues", verbose_name=_("kommun")
    )
    kind = models.CharField(_("typ"), max_length=14, choices=Kind.choices)
    notes = models.TextField(_("anteckningar"), blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("dialog med kommun")
        verbose_name_plural = _("dialoger med kommuner")

    def __str__(self):
        return f"{self.date} {self.municipality}: {self.get_kind_display()}"


class IntegrityRule(models.Model):
    """A flag over the register (procurement/integrity.py): a reason to open the file, never a verdict.

    Its threshold and explanation are set in admin; the rules are created with their defaults on migrate.
    """

    code = models.CharField(_("kod"), max_length=24, unique=True, editable=False)
    active = models.BooleanField(_("aktiv"), default=True)
    threshold = models.PositiveIntegerField(_("tröskel"), validators=bounds.number_range(0, 3650))
    explanation = models.TextField(_("förklaring"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("flaggregel")
        verbose_name_plural = _("flaggregler")
        permissions = [("view_integrity_flags", _("Kan se flaggor och datakvalitetskontroller"))]

    def __str__(self):
        return self.code


class SubmissionMinimum(models.Model):
    """The shortest submission period (advertising to the last day for tenders) a procedure should have,
    for the flag "kort anbudstid" (defaults in procurement/integrity.py)."""

    procedure = models.CharField(_("förfarande"), max_length=16, choices=Procurement.Procedure.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("minsta antal dagar"), validators=bounds.number_range(0, 365))

    class Meta:
        ordering = ["procedure"]
        verbose_name = _("minsta anbudstid")
        verbose_name_plural = _("minsta anbudstider")

    def __str__(self):
        return f"{self.get_procedure_display()}: {self.days}"
