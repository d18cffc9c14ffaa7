"""Test factories: every register, plan, report and user record the tests make, built in one place.

Each factory makes a valid record from its defaults alone; a test names only what it is about.
Values come from sequences, never from random data, so a run is the same every time. The plan
and its municipalities come from the seed (tests/conftest.py loads it), so factories look
municipalities up by name and never create them.
"""

import datetime

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from indicators.models import PERIOD_END, Indicator, IndicatorValue, Period
from nämndplan.models import BudgetLine, EconomicReport, EconomicReportLine, Meeting, Municipality, Plan
from ops.roles import CHIEF
from procurement.models import (
    Bid,
    Category,
    CompetenceEffort,
    Contract,
    ContractFollowUp,
    InformationActivity,
    MunicipalityDialogue,
    Procurement,
    ProductGroup,
    Supplier,
)
from procurement.validators import luhn_check_digit
from reports.models import Report, ReportVersion

D = datetime.date
PASSWORD = "test-password-123"
# Suppliers made without an org number count from here, above the small numbers tests choose by hand.
FIRST_SEQUENCE_ORG_NUMBER = 1_000_000


def valid_org_number(n):
    """A valid organisation number for an integer n below 10 000 000: 55NNNNNNN and its Luhn check digit."""
    digits = f"55{n:07d}"
    return f"{digits[:6]}-{digits[6:]}{luhn_check_digit(digits)}"


def municipalities(*names):
    """The seed's municipalities of these names, in the register's order; a name not in the seed is an error."""
    found = list(Municipality.objects.filter(name__in=names))
    missing = set(names) - {m.name for m in found}
    if missing:
        raise ValueError(f"Kommuner som inte finns i planen: {sorted(missing)}")
    return found


def _municipalities(items):
    """Municipality objects as they are, names looked up."""
    names = [item for item in items if isinstance(item, str)]
    return [item for item in items if not isinstance(item, str)] + municipalities(*names)


def _municipalities_hook(default=()):
    """A post-generation `municipalities` taking names or Municipality objects; `default` when none are given."""

    def set_municipalities(obj, create, extracted, **kwargs):
        if create:
            obj.municipalities.set(_municipalities(default if extracted is None else extracted))

    return factory.PostGeneration(set_municipalities)


class _Factory(DjangoModelFactory):
    class Meta:
        abstract = True
        # The post-generation hooks save what they make themselves; a second save would add history.
        skip_postgeneration_save = True


class _OfOneMunicipality(_Factory):
    """A record of one municipality, given as a Municipality or by its name."""

    class Meta:
        abstract = True

    municipality = "Falun"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("municipality"), str):
            kwargs["municipality"] = Municipality.objects.get(name=kwargs["municipality"])
        return kwargs


# --- Users ---------------------------------------------------------------------------------------

class UserFactory(_Factory):
    """A user who logs in with PASSWORD; `role` is one of ops.roles (a group), or none."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"anvandare-{n}")
    password = Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


# --- The register --------------------------------------------------------------------------------

class CategoryFactory(_Factory):
    """A category, fetched if one of that name exists (categories are few and named)."""

    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Kategori {n}")


class ProductGroupFactory(_Factory):
    class Meta:
        model = ProductGroup

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Varugrupp {n}")


class SupplierFactory(_Factory):
    """A supplier with a valid organisation number of its own: not regional, not SME, not social."""

    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Leverantör {n} AB")
    org_number = factory.Sequence(lambda n: valid_org_number(FIRST_SEQUENCE_ORG_NUMBER + n))


class BidFactory(_Factory):
    """A valid bid, neither awarded nor disqualified."""

    class Meta:
        model = Bid

    procurement = factory.SubFactory("tests.factories.ProcurementFactory")
    supplier = factory.SubFactory(SupplierFactory)


class ProcurementFactory(_Factory):
    """A planned joint procurement for Falun and Borlänge in Städ och lokalvård, without dates or bids.

    `municipalities`: names or Municipality objects (an empty list for none).
    `bids`: the suppliers who bid; `bids__awarded` and `bids__disqualified` name those whose bids were
    awarded or disqualified. A supplier named only there bids too, after those in `bids`.
    """

    class Meta:
        model = Procurement

    case_number = factory.Sequence(lambda n: f"UHC-T-{n:04d}")
    title = factory.LazyAttribute(lambda o: f"Upphandling {o.case_number}")
    category = factory.SubFactory(CategoryFactory, name="Städ och lokalvård", order=1)
    municipalities = _municipalities_hook(default=("Falun", "Borlänge"))

    @factory.post_generation
    def bids(self, create, extracted, awarded=(), disqualified=()):
        if not create:
            return
        bidders = list(extracted or ())
        bidders += [supplier for supplier in [*awarded, *disqualified] if supplier not in bidders]
        for supplier in bidders:
            BidFactory(procurement=self, supplier=supplier, awarded=supplier in awarded,
                       disqualified=supplier in disqualified)


class ContractFactory(_Factory):
    """A class B contract from 1 January 2026 for Falun, without end, procurement or follow-ups."""

    class Meta:
        model = Contract

    number = factory.Sequence(lambda n: f"AVT-T-{n:04d}")
    title = factory.LazyAttribute(lambda o: f"Avtal {o.number}")
    supplier = factory.SubFactory(SupplierFactory)
    contract_class = Contract.ContractClass.B
    start_date = D(2026, 1, 1)
    municipalities = _municipalities_hook(default=("Falun",))


class ContractFollowUpFactory(_Factory):
    """A follow-up meeting on the day the contract started."""

    class Meta:
        model = ContractFollowUp

    contract = factory.SubFactory(ContractFactory)
    date = factory.SelfAttribute("contract.start_date")
    form = "meeting"


class InformationActivityFactory(_Factory):
    """An RFI on 1 February 2026, of no procurement and (unless `municipalities` are given) no municipality."""

    class Meta:
        model = InformationActivity

    date = D(2026, 2, 1)
    kind = InformationActivity.Kind.RFI
    title = factory.Sequence(lambda n: f"Informationsaktivitet {n}")
    municipalities = _municipalities_hook()


class CompetenceEffortFactory(_OfOneMunicipality):
    """An effort in Falun on 1 February 2026 without participants."""

    class Meta:
        model = CompetenceEffort

    date = D(2026, 2, 1)
    title = factory.Sequence(lambda n: f"Insats {n}")


class MunicipalityDialogueFactory(_OfOneMunicipality):
    """The upphandlingsplan remiss with Falun on 1 February 2026."""

    class Meta:
        model = MunicipalityDialogue

    date = D(2026, 2, 1)
    kind = MunicipalityDialogue.Kind.PLAN_REMISS


# --- The plan: meetings, economy and values reported by hand -------------------------------------

class MeetingFactory(_Factory):
    """A meeting on a day of its own, from 2030 on (tests that care about the day give it)."""

    class Meta:
        model = Meeting

    date = factory.Sequence(lambda n: D(2030, 1, 1) + datetime.timedelta(days=n))


class EconomicReportFactory(_Factory):
    """An economic report of the current plan, on a day of its own from 1 January 2026 unless `as_of` is given.

    `lines`: a function of a budget line giving its (outcome, prognosis) in tkr; the report then has a
    line for each of the plan's budget lines of its year.
    """

    class Meta:
        model = EconomicReport

    plan = factory.LazyFunction(Plan.objects.current)
    as_of = factory.Sequence(lambda n: D(2026, 1, 1) + datetime.timedelta(days=n))
    year = factory.SelfAttribute("as_of.year")

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        if not (create and extracted):
            return
        for budget_line in BudgetLine.objects.filter(plan=self.plan, year=self.year):
            outcome, prognosis = extracted(budget_line)
            EconomicReportLine.objects.create(report=self, budget_line=budget_line, outcome_tkr=outcome,
                                              prognosis_tkr=prognosis)


class IndicatorValueFactory(_OfOneMunicipality):
    """A value of 1 reported for the whole committee for 2026; `code` names the indicator (1.1 unless given).

    Known from the last day of its period (or today, if that has not come): tests that are not about
    when a value became known see it at every cut-off from the period's end.
    """

    class Meta:
        model = IndicatorValue

    class Params:
        code = "1.1"

    indicator = factory.LazyAttribute(lambda o: Indicator.objects.get(code=o.code))
    year = 2026
    period = Period.YEAR
    municipality = None
    value = 1
    known_from = factory.LazyAttribute(
        lambda o: min(datetime.date(o.year, *PERIOD_END[o.period]), timezone.localdate())
    )


# --- Reports -------------------------------------------------------------------------------------

class ReportFactory(_Factory):
    """A draft report of a meeting; `frozen=True` gives one frozen by a Chef UhC with its HTML and PDF stored.

    The reports the tests write and freeze come from reports.services; this is for a report as stored.
    """

    class Meta:
        model = Report

    class Params:
        frozen = factory.Trait(
            status=Report.Status.FROZEN,
            html="<!doctype html><html lang=sv><title>Lagrad rapport</title></html>",
            pdf=b"%PDF-1.7 stored",
            frozen_at=factory.LazyFunction(timezone.now),
            frozen_by=factory.SubFactory(UserFactory, role=CHIEF),
            period_end=factory.SelfAttribute("meeting.date"),
            version=1,
        )

    meeting = factory.SubFactory(MeetingFactory)


class ReportVersionFactory(_Factory):
    """An earlier frozen version of a report, reopened by the one who froze the report."""

    class Meta:
        model = ReportVersion

    report = factory.SubFactory(ReportFactory, frozen=True)
    number = 1
    frozen_at = factory.LazyFunction(timezone.now)
    frozen_by = factory.SelfAttribute("report.frozen_by")
    period_end = factory.SelfAttribute("report.period_end")
    snapshot = factory.LazyAttribute(lambda o: o.report.snapshot or {})
    html = factory.LazyAttribute(lambda o: f"<!doctype html><title>Version {o.number}</title>")
    pdf = factory.LazyAttribute(lambda o: f"%PDF-1.7 version {o.number}".encode())
    reopened_at = factory.LazyFunction(timezone.now)
    reopened_by = factory.SelfAttribute("report.frozen_by")
    reason = "Fel siffra."
