"""One definition per computed indicator: what it counts, in which register set, and how it is explained.

The definition is the single source of a computed indicator. Its numbers (numerator and
denominator) are written once, as query expressions over a source (indicators/sources.py), and
everything else is derived from them:
- the grouped aggregates of every year at once (indicators/calculation.py),
- the records behind a number, for the drill-down (`Definition.records`),
- the register's list filter, for conditions it offers (`register_as`, see `register_filters`).
Where an indicator is shown beside its goal (the municipality matrix, the report's staff, economy
and deviation sections) is an attribute too (`shown_in`), for reported indicators as well
(`REPORTED`). The target, the name and the unit are the plan's, in its fixture.

Adding a computed indicator over existing fields: one `Definition` below, the indicator in
fixtures/plan_2026_2028.json with "source": "computed", and a test worked out by hand.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from indicators import sources as s
from procurement import requirements
from procurement.models import ADVANCED_LEVELS, MunicipalityDialogue, Procurement
from procurement.planning import models as planning

COUNT, SUM, SHARE, AVERAGE, K_OF_N = "count", "sum", "share", "average", "k_of_n"
ONE_DECIMAL = Decimal("0.1")

# Sections of the pages and the report that pick indicators by their definition.
MATRIX_REACHED = "matrix_reached"  # the municipality matrix: reached or not in each municipality
MATRIX_VALUE = "matrix_value"  # the municipality matrix: each municipality's value
STAFF = "staff"  # the report's staff section
ECONOMY = "economy"  # the report's economy section
DEVIATIONS = "deviations"  # the report's list of deviations (appeals, cancellations, terminations)


@dataclass(frozen=True, eq=False)
class Number:
    """A number taken from a source: a count of records, a sum of a field or a count of municipalities.

    `condition` picks the records counted, `within` narrows the source first (food procurements,
    awarded bids): a share's numerator and denominator then share their `within`. For a source
    counted at year end (categories) the condition is a function of that day.
    """

    kind: str = "count"  # "count", "sum" or "municipalities"
    condition: object = None  # Q, a function(end date) -> Q, or None for every record
    within: Q | None = None
    field: str = ""  # for sums

    @property
    def identity(self):
        """Numbers with the same identity are one aggregate in the source's query."""
        return (self.kind, self.field, self.within, self.condition)

    def full_condition(self, end=None):
        condition = self.condition(end) if callable(self.condition) else self.condition
        parts = [q for q in (self.within, condition) if q is not None]
        return Q(*parts) if parts else None

    def aggregate(self, end=None):
        condition = self.full_condition(end)
        if self.kind == "sum":
            return Sum(self.field, filter=condition)
        if self.kind == "municipalities":
            return Count("municipality", distinct=True, filter=condition)
        return Count("pk", filter=condition)

    def records_condition(self, end=None):
        """The records behind the number: for a sum, those that add something."""
        condition = self.full_condition(end)
        if self.kind == "sum":
            return Q(condition or Q(), **{f"{self.field}__gt": 0})
        return condition


def count(condition=None, within=None):
    return Number("count", condition, within)


def total(name, condition=None):
    return Number("sum", condition, field=name)


def municipalities(condition=None):
    return Number("municipalities", condition)


def at_year_end(name):
    """Counted at year end: records whose date `name` falls on or before the day."""
    return count(lambda end: Q(**{f"{name}__lte": end}))


@dataclass(frozen=True, eq=False)
class Definition:
    code: str
    measure: str  # COUNT, SUM, SHARE, AVERAGE or K_OF_N
    source: s.Source
    numerator: Number
    explanation: str
    numerator_label: str
    denominator: Number | None = None  # for shares and averages
    denominator_label: str = ""
    denominator_source: s.Source | None = None  # where the denominator counts, if not in `source`
    per_municipality: bool = True
    accumulates: bool = True  # a count that grows through the year (judged pro rata year-to-date)
    shown_in: frozenset = frozenset()
    register_as: tuple = ()  # (key, label): the numerator's condition offered in the register's list
    register_within_as: tuple = ()  # (key, label): the same for the `within` narrowing

    @property
    def numbers(self):
        """(source, Number) of the numerator and, for shares and averages, the denominator."""
        numbers = [(self.source, self.numerator)]
        if self.denominator is not None:
            numbers.append((self.denominator_source or self.source, self.denominator))
        return numbers

    def exact_value(self, numerator, denominator):
        """The unrounded value; None when a share or average has no base. Targets are judged on this:
        59,95 % is not "minst 60 %" even if it shows as 60,0."""
        if self.measure in (COUNT, SUM, K_OF_N):
            return Decimal(numerator)
        if not denominator:
            return None
        ratio = Decimal(numerator) / Decimal(denominator)
        return ratio * 100 if self.measure == SHARE else ratio

    def value(self, exact):
        """The value as shown and exported: shares and averages to one decimal (half up)."""
        if exact is None or self.measure in (COUNT, SUM, K_OF_N):
            return exact
        return exact.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    def records(self, year, as_of=None, municipality=None, numerator=True):
        """The records behind the number (numerator), or behind its denominator."""
        source = self.source if numerator else (self.denominator_source or self.source)
        number = self.numerator if numerator else self.denominator
        end = s.year_end(year, as_of)
        # An average's numerator adds up the records it averages over: all of them are behind it.
        condition = number.full_condition(end) if self.measure == AVERAGE else number.records_condition(end)
        qs = source.records(year, as_of, municipality)
        return (qs.filter(condition) if condition is not None else qs).distinct()


def _share(code, source, condition, explanation, numerator_label, within=None, **extra):
    return Definition(
        code=code, measure=SHARE, source=source, numerator=count(condition, within),
        denominator=count(within=within), explanation=explanation, numerator_label=numerator_label,
        denominator_label=extra.pop("denominator_label", _("annonserade upphandlingar")), accumulates=False, **extra,
    )


def _count(code, source, number, explanation, numerator_label, measure=COUNT, **extra):
    return Definition(
        code=code, measure=measure, source=source, numerator=number, explanation=explanation,
        numerator_label=numerator_label, **extra,
    )


def _uhm(code, name, area):
    return _share(
        code, s.ADVERTISED, Q(**{f"{name}__in": ADVANCED_LEVELS}),
        _("Andel av upphandlingarna som annonserats under året där kraven inom %(area)s ligger på "
          "avancerad eller spjutspetsnivå enligt Upphandlingsmyndighetens kriterier (eller egen bedömningsmall).")
        % {"area": area},
        _("upphandlingar med krav på avancerad eller spjutspetsnivå"),
        register_as=("uhm_advanced", _("UHM-krav på avancerad nivå eller spjutspets")),
    )


def _k_of_7(code, source, condition, explanation, numerator_label):
    return _count(code, source, municipalities(condition), explanation, numerator_label, measure=K_OF_N,
                  shown_in=frozenset({MATRIX_REACHED}))


def _categories(code, name, explanation, numerator_label):
    return _count(code, s.CATEGORIES, at_year_end(name), explanation, numerator_label, measure=K_OF_N,
                  per_municipality=False, accumulates=False)


FOOD = Q(is_food=True)
FOOD_LABEL = _("annonserade livsmedelsupphandlingar")
AWARDED = Q(awarded=True)

DEFINITIONS = {
    d.code: d
    for d in [
        _share(
            "1.2", s.COMPLETED, Q(municipality_count__gte=2),
            _("Andel av de upphandlingar som avslutats under året som gjorts på uppdrag av minst två samverkande "
              "kommuner (samordnade upphandlingar). Per kommun: andelen samordnade bland de avslutade "
              "upphandlingar som kommunen beställt."),
            _("samordnade upphandlingar"), denominator_label=_("avslutade upphandlingar"),
            shown_in=frozenset({MATRIX_VALUE}), register_as=("coordinated", _("Samordnad (minst två kommuner)")),
        ),
        _categories(
            "1.3", "strategy_adopted_on",
            _("Antal av inköpskategorierna som har en beslutad kategoristrategi vid årets slut (eller vid "
              "uppföljningsdagen)."),
            _("kategorier med kategoristrategi"),
        ),
        _count(
            "2.1", s.FOLLOW_UPS, count(),
            _("Antal avtalsuppföljningar med leverantör (möten, e-post och telefon) daterade under året. "
              "Redovisas också per avtalsklass A–D. Per kommun: uppföljningar av avtal som gäller kommunen."),
            _("avtalsuppföljningar"), shown_in=frozenset({MATRIX_VALUE}),
        ),
        _k_of_7(
            "2.2", s.EFFORTS, None,
            _("Antal samverkande kommuner där UhC genomfört minst en kompetenshöjande insats under året."),
            _("kommuner med kompetenshöjande insats"),
        ),
        _count(
            "2.3", s.COMPLETED, count(Q(negotiation_held=True)),
            _("Antal upphandlingar avslutade under året där förhandling genomförts."),
            _("avslutade upphandlingar med förhandling"),
        ),
        _count(
            "2.4", s.COMPLETED, total("negotiation_saving_sek"),
            _("Summa besparing i kronor genom förhandling i upphandlingar avslutade under året."),
            _("besparing genom förhandling (kr)"), measure=SUM,
        ),
        Definition(
            code="3.1", measure=AVERAGE, source=s.ADVERTISED, numerator=total("questions_received"),
            denominator=count(),
            explanation=_("Antal frågor som ställts under annonseringstiden, i snitt per upphandling som "
                          "annonserats under året."),
            numerator_label=_("frågor"), denominator_label=_("annonserade upphandlingar"), accumulates=False,
        ),
        _count(
            "3.2", s.COMPLETED, count(Q(bidders_contacted=True)),
            _("Antal upphandlingar avslutade under året där anbudsgivarna kontaktats för genomgång av "
              "tilldelningsbeslutet."),
            _("upphandlingar där anbudsgivarna kontaktats"),
        ),
        _count(
            "3.4", s.ADVERTISED, count(Q(welfare_crime_risk=True)),
            _("Antal upphandlingar annonserade under året som bedömts ha förhöjd risk för välfärdsbrottslighet."),
            _("annonserade upphandlingar med förhöjd risk"),
            register_as=("welfare_crime_risk", _("Förhöjd risk för välfärdsbrottslighet")),
        ),
        _count(
            "3.5", s.CHECKS, count(Q(kind="in_depth")),
            _("Antal fördjupade leverantörskontroller avseende välfärdsbrottslighet i upphandlingar och avtal, "
              "gjorda under året (liggaren över leverantörskontroller)."),
            _("fördjupade leverantörskontroller"),
        ),
        _count(
            "3.6", s.WELFARE_ACTIONS, count(),
            _("Antal åtgärder i upphandlingar eller avtal på grund av välfärdsbrott, vidtagna under året "
              "(liggaren över leverantörskontroller)."),
            _("åtgärder pga. välfärdsbrott"),
        ),
        _share(
            "4.1", s.ADVERTISED, Q(employment_requirement=True),
            _("Andel av upphandlingarna som annonserats under året där sysselsättningskrav ställts."),
            _("upphandlingar med sysselsättningskrav"),
            register_as=("employment_requirement", _("Sysselsättningskrav")),
        ),
        _count(
            "4.2", s.ADVERTISED, count(Q(labour_law_conditions=True)),
            _("Antal upphandlingar annonserade under året med arbetsrättsliga villkor."),
            _("upphandlingar med arbetsrättsliga villkor"),
            register_as=("labour_law_conditions", _("Arbetsrättsliga villkor")),
        ),
        _count(
            "4.3", s.ADVERTISED, count(Q(reserved=True)),
            _("Antal reserverade upphandlingar (för sociala företag) annonserade under året."),
            _("reserverade upphandlingar"), register_as=("reserved", _("Reserverad upphandling")),
        ),
        _count(
            "4.4", s.COMPLETED, total("traineeships"),
            _("Antal praktikplatser eller motsvarande som sysselsättningskrav gett, i upphandlingar avslutade "
              "under året."),
            _("praktikplatser"), measure=SUM,
        ),
        _count(
            "4.5", s.ADVERTISED, count(Q(accessibility_requirement=True)),
            _("Antal upphandlingar annonserade under året med krav på tillgänglighet."),
            _("upphandlingar med krav på tillgänglighet"),
            register_as=("accessibility_requirement", _("Krav på tillgänglighet")),
        ),
        _count(
            "4.6", s.ADVERTISED, count(Q(gender_equality_requirement=True)),
            _("Antal upphandlingar annonserade under året med krav på jämställdhet."),
            _("upphandlingar med krav på jämställdhet"),
            register_as=("gender_equality_requirement", _("Krav på jämställdhet")),
        ),
        _share(
            "4.7", s.ADVERTISED, Q(environmental_requirement=True),
            _("Andel av upphandlingarna som annonserats under året med någon form av miljö- eller klimatkrav."),
            _("upphandlingar med miljö- eller klimatkrav"),
            register_as=("environmental_requirement", _("Miljö- eller klimatkrav")),
        ),
        _uhm("4.8", "env_management_level", _("aktivt miljöarbete/miljöledningssystem")),
        _uhm("4.9", "reuse_level", _("återbruk, återvinning och avfallsförebyggande")),
        _uhm("4.10", "climate_transport_level", _("klimat – fossilfrihet kopplat till transporter")),
        _uhm("4.11", "climate_other_level", _("klimat – fossilfrihet kring annat än transporter")),
        _uhm("4.12", "chemicals_level", _("kemikalier – giftfritt")),
        _share(
            "4.13", s.ADVERTISED, Q(organic_food_requirement=True),
            _("Andel av livsmedelsupphandlingarna som annonserats under året med krav på ekologiska livsmedel."),
            _("livsmedelsupphandlingar med krav på ekologiskt"), within=FOOD, denominator_label=FOOD_LABEL,
            register_as=("organic_food_requirement", _("Krav på ekologiska livsmedel")),
            register_within_as=("is_food", _("Livsmedelsupphandling")),
        ),
        _share(
            "4.14", s.ADVERTISED, Q(local_food_requirement=True),
            _("Andel av livsmedelsupphandlingarna som annonserats under året med krav på lokalproducerade "
              "livsmedel."),
            _("livsmedelsupphandlingar med krav på lokalproducerat"), within=FOOD, denominator_label=FOOD_LABEL,
            register_as=("local_food_requirement", _("Krav på lokalproducerade livsmedel")),
        ),
        _count(
            "5.1", s.ACTIVITIES, count(),
            _("Antal informationsaktiviteter (tidig dialog, RFI, övrigt) genomförda under året. Per kommun: "
              "aktiviteter där kommunen medverkat."),
            _("informationsaktiviteter"),
        ),
        _share(
            "5.2", s.BIDS, Q(supplier__regional=True),
            _("Andel av anbuden i upphandlingar avslutade under året som lämnats av företag med regional "
              "verksamhet (i Dalarna)."),
            _("anbud från regionala företag"), denominator_label=_("lämnade anbud"),
            shown_in=frozenset({MATRIX_VALUE}),
        ),
        _share(
            "5.3", s.BIDS, Q(supplier__regional=True),
            _("Andel av de tilldelade anbuden i upphandlingar avslutade under året som gått till företag med "
              "regional verksamhet."),
            _("tilldelade regionala företag"), within=AWARDED, denominator_label=_("tilldelade anbud"),
        ),
        Definition(
            code="5.5", measure=AVERAGE, source=s.BIDS, numerator=count(), denominator=count(),
            denominator_source=s.COMPLETED,
            explanation=_("Antal anbud i snitt per upphandling som avslutats under året."),
            numerator_label=_("anbud"), denominator_label=_("avslutade upphandlingar"), accumulates=False,
        ),
        _count(
            "6.1", s.COMPLETED, count(Q(innovative_solution=True)),
            _("Antal upphandlingar avslutade under året där den nya lösningen är väsentligt annorlunda jämfört "
              "med den tidigare."),
            _("väsentligt annorlunda lösningar"),
            register_as=("innovative_solution", _("Väsentligt annorlunda lösning (innovation)")),
        ),
        _categories(
            "6.2", "innovation_need_identified_on",
            _("Antal inköpskategorier som identifierat avtal/områden där innovationsbehovet är störst."),
            _("kategorier med identifierat innovationsbehov"),
        ),
        _categories(
            "6.3", "digital_potential_identified_on",
            _("Antal inköpskategorier som identifierat områden där nya digitala lösningar har störst potential."),
            _("kategorier med identifierad digital potential"),
        ),
        _k_of_7(
            "7.1", s.DIALOGUES, Q(kind=MunicipalityDialogue.Kind.PLAN_REMISS),
            _("Antal samverkande kommuner som fått upphandlingsplanen på remiss och haft dialog om den under "
              "året."),
            _("kommuner med remiss och dialog"),
        ),
        _k_of_7(
            "7.2", s.DIALOGUES, Q(kind=MunicipalityDialogue.Kind.PREPAREDNESS),
            _("Antal samverkande kommuner där dialog förts under året om behov kopplat till samhällsstörning, "
              "kris och krig."),
            _("kommuner med beredskapsdialog"),
        ),
        _count(
            "7.3", s.ADVERTISED, count(Q(preparedness_requirement=True)),
            _("Antal upphandlingar annonserade under året med beredskapskrav."),
            _("upphandlingar med beredskapskrav"), register_as=("preparedness_requirement", _("Beredskapskrav")),
        ),
        Definition(
            code="8.1", measure=SHARE, source=s.ECONOMY, numerator=Number(field="deviation"),
            denominator=Number(field="budget_income"),
            explanation=_("Helårsprognosens resultat (utfallet när året är slut) jämfört med det budgeterade "
                          "resultatet enligt bilaga 2, i procent av budgeterade intäkter. Positivt värde = bättre "
                          "än budget. Målet är en avvikelse mindre än 3,0 % åt något håll."),
            numerator_label=_("avvikelse mot budgeterat resultat (tkr)"),
            denominator_label=_("budgeterade intäkter (tkr)"),
            per_municipality=False, accumulates=False, shown_in=frozenset({ECONOMY}),
        ),
        _share(
            "8.2", s.PLANNED, planning.ON_TIME,
            _("Andel av upphandlingarna i årets antagna upphandlingsplan med antaget klardatum under året (fram "
              "till uppföljningsdagen) som avslutats senast på det antagna datumet, med toleransen som ställts in "
              "(normalt samma månad). Planerade datum som flyttats efter antagandet ändrar inte bedömningen."),
            _("avslutade enligt plan"), denominator_label=_("planerade att avslutas"),
        ),
        _count(
            "8.8", s.APPEALS, count(),
            _("Antal upphandlingar där en överprövning kommit in under året."),
            _("överprövningar"), shown_in=frozenset({DEVIATIONS}),
        ),
        _count(
            "8.9", s.CANCELLED, count(),
            _("Antal upphandlingar som avbrutits under året."),
            _("avbrutna upphandlingar"), shown_in=frozenset({DEVIATIONS}),
        ),
        _count(
            "8.10", s.TERMINATED, count(),
            _("Antal avtal som avslutats i förtid under året (hävning, uppsägning)."),
            _("avtal avslutade i förtid"), shown_in=frozenset({DEVIATIONS}),
        ),
    ]
}


@dataclass(frozen=True)
class Reported:
    """An indicator reported by hand: only where it is shown needs saying."""

    code: str
    shown_in: frozenset = field(default_factory=frozenset)


REPORTED = {
    r.code: r
    for r in [
        Reported("8.4", frozenset({STAFF})),
        Reported("8.5", frozenset({STAFF})),
        Reported("8.6", frozenset({STAFF})),
        Reported("8.7", frozenset({DEVIATIONS})),
    ]
}


def codes_shown_in(section):
    """The codes of the indicators shown in `section`, in the plan's order (by goal and number)."""
    codes = [d.code for d in [*DEFINITIONS.values(), *REPORTED.values()] if section in d.shown_in]
    return sorted(codes, key=lambda code: [int(part) for part in code.split(".")])


def first_shown_in(section, by_code):
    """The value of `by_code` {code: …} for the first indicator shown in `section` that it has, or None."""
    return next((by_code[c] for c in codes_shown_in(section) if c in by_code), None)


def register_filters():
    """Offer the definitions' conditions on procurements to the register's list filter."""
    for definition in DEFINITIONS.values():
        if definition.source.model is not Procurement:
            continue
        aliases = dict(definition.source.aliases)
        number = definition.numerator
        for offer, condition in ((definition.register_as, number.condition),
                                 (definition.register_within_as, number.within)):
            if offer:
                requirements.register(*offer, condition, aliases=aliases)

