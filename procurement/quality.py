"""Data-quality checks: holes and contradictions in the register that silently move the indicators.

Each check is a QuerySet of the records it finds (computed in the database), with a Swedish label and
an explanation of what to do. `counts()` gives every check's count in one query each; the page lists
the records of one check, the import preview compares the counts before and after the rows, and the
report gives a short note.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Lower, Replace, Trim
from django.utils.translation import gettext_lazy as _

from procurement.models import Bid, Contract, ContractFollowUp, Procurement, Supplier, UhmLevel

UHM_FIELDS = ["env_management_level", "reuse_level", "climate_transport_level", "climate_other_level",
              "chemicals_level"]
ADVERTISED = [Procurement.Status.ADVERTISED, Procurement.Status.AWARDED, Procurement.Status.COMPLETED]


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    model: type
    explanation: str

    def records(self):
        return QUERIES[self.code]()

    @property
    def model_name(self):
        return self.model._meta.model_name


def _digits(field):
    return Replace(Replace(Trim(field), Value("-"), Value("")), Value(" "), Value(""))


def _awarded_after_completion():
    return Procurement.objects.filter(completed_on__isnull=False, awarded_on__gt=F("completed_on"))


def _deadline_after_award():
    return Procurement.objects.filter(tender_deadline__isnull=False, awarded_on__lt=F("tender_deadline"))


def _contract_before_award():
    return Contract.objects.filter(procurement__awarded_on__isnull=False,
                                   start_date__lt=F("procurement__awarded_on"))


def _completed_without_bids():
    return Procurement.objects.filter(status=Procurement.Status.COMPLETED).exclude(
        kind=Procurement.Kind.SUPPORT).filter(~Exists(Bid.objects.filter(procurement=OuterRef("pk"))))


def _completed_without_contract():
    return Procurement.objects.filter(status=Procurement.Status.COMPLETED).exclude(
        kind=Procurement.Kind.SUPPORT).filter(~Exists(Contract.objects.filter(procurement=OuterRef("pk"))))


def _awarded_bid_without_contract():
    contract = Contract.objects.filter(procurement=OuterRef("procurement"), supplier=OuterRef("supplier"))
    return Bid.objects.filter(awarded=True, procurement__status=Procurement.Status.COMPLETED).filter(
        ~Exists(contract))


def _follow_up_after_end():
    return ContractFollowUp.objects.filter(
        Q(contract__end_date__isnull=False, date__gt=F("contract__end_date"))
        | Q(contract__terminated_on__isnull=False, date__gt=F("contract__terminated_on")))


def _advertised_without_uhm_levels():
    return Procurement.objects.filter(status__in=ADVERTISED, **{field: UhmLevel.NONE for field in UHM_FIELDS})


def _sharing(key):
    """Suppliers whose `key` (an expression over the supplier) another supplier shares: an IN over the keys
    that occur more than once, grouped once (not a lookup per supplier)."""
    repeated = (Supplier.objects.annotate(k=key).order_by().values("k").annotate(n=Count("pk")).filter(n__gt=1)
                .values("k"))
    return Supplier.objects.annotate(k=key).filter(k__in=repeated)


def _same_org_number_spelled_differently():
    return _sharing(_digits("org_number"))


def _same_name():
    return _sharing(Lower(Trim("name")))


QUERIES = {
    "awarded_after_completion": _awarded_after_completion,
    "deadline_after_award": _deadline_after_award,
    "contract_before_award": _contract_before_award,
    "completed_without_bids": _completed_without_bids,
    "completed_without_contract": _completed_without_contract,
    "awarded_bid_without_contract": _awarded_bid_without_contract,
    "follow_up_after_end": _follow_up_after_end,
    "advertised_without_uhm_levels": _advertised_without_uhm_levels,
    "duplicate_org_number": _same_org_number_spelled_differently,
    "duplicate_name": _same_name,
}

CHECKS = [
    Check("awarded_after_completion", _("Tilldelningsbeslut efter avslutsdatum"), Procurement,
          _("Datumen är i fel ordning: rätta tilldelnings- eller avslutsdatumet.")),
    Check("deadline_after_award", _("Sista anbudsdag efter tilldelningsbeslutet"), Procurement,
          _("Ett tilldelningsbeslut kan inte fattas innan anbudstiden gått ut: rätta något av datumen.")),
    Check("contract_before_award", _("Avtal som startar före tilldelningsbeslutet"), Contract,
          _("Avtalet börjar gälla före upphandlingens tilldelningsbeslut: rätta startdatumet eller "
            "tilldelningsdatumet.")),
    Check("completed_without_bids", _("Avslutad upphandling utan anbud"), Procurement,
          _("Indikatorerna om anbud (antal, SMF, lokala) räknar inte upphandlingen förrän anbuden är "
            "registrerade.")),
    Check("completed_without_contract", _("Avslutad upphandling utan avtal"), Procurement,
          _("Registrera avtalet, annars saknas det i avtalsförvaltningen och indikatorerna om avtal.")),
    Check("awarded_bid_without_contract", _("Antaget anbud utan avtal med leverantören"), Bid,
          _("Ett anbud är antaget i en avslutad upphandling men inget avtal med leverantören finns.")),
    Check("follow_up_after_end", _("Uppföljning efter avtalets slut"), ContractFollowUp,
          _("Uppföljningen är daterad efter att avtalet upphörde: rätta datumet eller avtalets slutdatum.")),
    Check("advertised_without_uhm_levels", _("Annonserad upphandling utan UHM-nivåer"), Procurement,
          _("Ingen av de fem UHM-nivåerna är angiven; indikatorerna om hållbarhetskrav räknar den som utan krav.")),
    Check("duplicate_org_number", _("Leverantörer med samma organisationsnummer skrivet olika"), Supplier,
          _("Samma siffror, olika skrivsätt: slå ihop leverantörerna så att anbud och avtal räknas på en.")),
    Check("duplicate_name", _("Leverantörer med samma namn"), Supplier,
          _("Två leverantörer heter likadant: kontrollera organisationsnumren; är det samma företag, slå ihop.")),
]
BY_CODE = {check.code: check for check in CHECKS}


def counts():
    """{code: count} of every check, one query each."""
    return {check.code: check.records().count() for check in CHECKS}


def records(code):
    """The records of check `code`, with what their rows show, ordered for a list."""
    check = BY_CODE[code]
    records = check.records()
    if check.model is Procurement:
        return records.order_by("-advertised_on", "case_number")
    if check.model is Contract:
        return records.select_related("procurement", "supplier").order_by("number")
    if check.model is Bid:
        return records.select_related("procurement", "supplier").order_by("procurement__case_number")
    if check.model is ContractFollowUp:
        return records.select_related("contract").order_by("-date")
    return records.order_by("name", "org_number")
