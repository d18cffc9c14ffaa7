"""One definition per computed indicator: what it counts, over what, and how it is explained.

The definition is the single source for every place that shows a computed indicator: the start
page, the dashboards, the follow-up report, the Excel and JSON exports. Each names
- the source aggregate it reads (indicators/sources.py) and the fields of its numerator and
  denominator,
- how the value follows from them (a count, a sum, a share in percent, an average, k of n),
- a Swedish explanation shown on the indicator page,
- the records behind the number (`records`), so a share can be drilled into.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from indicators.sources import municipality_count
from nämndplan.models import EconomicReport
from procurement.models import (
    ADVANCED_LEVELS,
    Bid,
    Category,
    CompetenceEffort,
    Contract,
    ContractFollowUp,
    InformationActivity,
    MunicipalityDialogue,
    Procurement,
)

COUNT, SUM, SHARE, AVERAGE, K_OF_N = "count", "sum", "share", "average", "k_of_n"
ONE_DECIMAL = Decimal("0.1")


def _year_range(field, year, as_of):
    end = min(datetime.date(year, 12, 31), as_of) if as_of else datetime.date(year, 12, 31)
    return Q(**{f"{field}__gte": datetime.date(year, 1, 1), f"{field}__lte": end})


# Base record sets of each source, for drilling into a number: (model, filter for year/as_of).
def _advertised(year, as_of):
    return Procurement.objects.filter(_year_range("advertised_on", year, as_of))


def _completed(year, as_of):
    return Procurement.objects.filter(_year_range("completed_on", year, as_of), status=Procurement.Status.COMPLETED)


def _bids(year, as_of):
    return Bid.objects.filter(
        _year_range("procurement__completed_on", year, as_of), procurement__status=Procurement.Status.COMPLETED
    )


def _follow_ups(year, as_of):
    return ContractFollowUp.objects.filter(_year_range("date", year, as_of))


def _plan(year, as_of):
    return Procurement.objects.filter(_year_range("planned_completion", year, as_of), in_procurement_plan=True)


BASES = {
    "advertised": (_advertised, "municipalities"),
    "completed": (_completed, "municipalities"),
    "bids": (_bids, "procurement__municipalities"),
    "follow_ups": (_follow_ups, "contract__municipalities"),
    "plan": (_plan, "municipalities"),
    "appeals": (lambda y, a: Procurement.objects.filter(_year_range("appealed_on", y, a)), "municipalities"),
    "cancelled": (
        lambda y, a: Procurement.objects.filter(_year_range("cancelled_on", y, a), status=Procurement.Status.CANCELLED),
        "municipalities",
    ),
    "terminated": (lambda y, a: Contract.objects.filter(_year_range("terminated_on", y, a)), "municipalities"),
    "activities": (lambda y, a: InformationActivity.objects.filter(_year_range("date", y, a)), "municipalities"),
    "efforts": (lambda y, a: CompetenceEffort.objects.filter(_year_range("date", y, a)), "municipality"),
    "dialogues": (lambda y, a: MunicipalityDialogue.objects.filter(_year_range("date", y, a)), "municipality"),
    "categories": (lambda y, a: Category.objects.all(), None),
    "economy": (lambda y, a: EconomicReport.objects.filter(year=y, as_of__lte=a or datetime.date(y, 12, 31)), None),
}


@dataclass(frozen=True)
class Definition:
    code: str
    measure: str  # COUNT, SUM, SHARE, AVERAGE or K_OF_N
    numerator: str  # "source.field" in the aggregates of indicators/sources.py, e.g. "advertised.employment"
    explanation: str
    numerator_label: str
    denominator: str | None = None  # "source.field", for shares and averages
    denominator_label: str = ""
    per_municipality: bool = True
    base: str = ""  # key in BASES for the records behind the number ("" = the numerator's source)
    records_filter: object = None  # Q, or a function(queryset, end) -> queryset, picking the numerator's records
    denominator_base: str = ""  # key in BASES for the denominator's records ("" = the numerator's base)
    denominator_filter: object = None  # Q narrowing the base to the denominator (food procurements…)
    accumulates: bool = True  # a count that grows through the year (judged pro rata year-to-date)

    @property
    def source(self):
        return self.numerator.split(".", 1)[0]

    def exact_value(self, row):
        """The unrounded value from a year's aggregates {"source.field": n}; None when a share or average
        has no base. Targets are judged on this: 59,95 % is not "minst 60 %" even if it shows as 60,0."""
        numerator = row.get(self.numerator, 0) or 0
        if self.measure in (COUNT, SUM, K_OF_N):
            return Decimal(numerator)
        denominator = row.get(self.denominator, 0) or 0
        if not denominator:
            return None
        ratio = Decimal(numerator) / Decimal(denominator)
        return ratio * 100 if self.measure == SHARE else ratio

    def value(self, row):
        """The value as shown and exported: shares and averages to one decimal (half up)."""
        exact = self.exact_value(row)
        if exact is None or self.measure in (COUNT, SUM, K_OF_N):
            return exact
        return exact.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    def records(self, year, as_of=None, municipality=None, numerator=True):
        """The records behind the number (numerator), or behind its denominator."""
        end = min(datetime.date(year, 12, 31), as_of) if as_of else datetime.date(year, 12, 31)
        base_key = self.base or self.source
        if not numerator:
            base_key = self.denominator_base or base_key
        base_function, municipality_path = BASES[base_key]
        qs = base_function(year, as_of)
        if municipality is not None and municipality_path:
            qs = qs.filter(**{municipality_path: municipality})
        narrowing = self.records_filter if numerator else self.denominator_filter
        if callable(narrowing):
            qs = narrowing(qs, end)
        elif narrowing is not None:
            qs = qs.filter(narrowing)
        return qs.distinct()


def _share(code, numerator, flag, explanation, numerator_label, denominator=None, denominator_label=None, **extra):
    return Definition(
        code=code,
        measure=SHARE,
        numerator=numerator,
        denominator=denominator or numerator.split(".")[0] + ".total",
        explanation=explanation,
        numerator_label=numerator_label,
        denominator_label=denominator_label or _("annonserade upphandlingar"),
        records_filter=flag,
        accumulates=False,
        **extra,
    )


def _count(code, numerator, flag, explanation, numerator_label, measure=COUNT, **extra):
    return Definition(
        code=code,
        measure=measure,
        numerator=numerator,
        explanation=explanation,
        numerator_label=numerator_label,
        records_filter=flag,
        **extra,
    )


def _uhm(code, field, area):
    return _share(
        code,
        "advertised." + field.replace("_level", ""),
        Q(**{f"{field}__in": ADVANCED_LEVELS}),
        _("Andel av upphandlingarna som annonserats under året där kraven inom %(area)s ligger på "
          "avancerad eller spjutspetsnivå enligt Upphandlingsmyndighetens kriterier (eller egen bedömningsmall).")
        % {"area": area},
        _("upphandlingar med krav på avancerad eller spjutspetsnivå"),
    )


FOOD = _("annonserade livsmedelsupphandlingar")

DEFINITIONS = {
    d.code: d
    for d in [
        _share(
            "1.2", "completed.coordinated", lambda qs, end: qs.annotate(n=municipality_count()).filter(n__gte=2),
            _("Andel av de upphandlingar som avslutats under året som gjorts på uppdrag av minst två samverkande "
              "kommuner (samordnade upphandlingar). Per kommun: andelen samordnade bland de avslutade "
              "upphandlingar som kommunen beställt."),
            _("samordnade upphandlingar"), denominator_label=_("avslutade upphandlingar"),
        ),
        _count(
            "1.3", "categories.strategy", lambda qs, end: qs.filter(strategy_adopted_on__lte=end),
            _("Antal av inköpskategorierna som har en beslutad kategoristrategi vid årets slut (eller vid "
              "uppföljningsdagen)."),
            _("kategorier med kategoristrategi"), measure=K_OF_N, per_municipality=False, accumulates=False,
        ),
        _count(
            "2.1", "follow_ups.total", None,
            _("Antal avtalsuppföljningar med leverantör (möten, e-post och telefon) daterade under året. "
              "Redovisas också per avtalsklass A–D. Per kommun: uppföljningar av avtal som gäller kommunen."),
            _("avtalsuppföljningar"),
        ),
        _count(
            "2.2", "reached.efforts", None,
            _("Antal samverkande kommuner där UhC genomfört minst en kompetenshöjande insats under året."),
            _("kommuner med kompetenshöjande insats"), measure=K_OF_N, base="efforts",
        ),
        _count(
            "2.3", "completed.negotiation", Q(negotiation_held=True),
            _("Antal upphandlingar avslutade under året där förhandling genomförts."),
            _("avslutade upphandlingar med förhandling"),
        ),
        _count(
            "2.4", "completed.saving", Q(negotiation_saving_sek__gt=0),
            _("Summa besparing i kronor genom förhandling i upphandlingar avslutade under året."),
            _("besparing genom förhandling (kr)"), measure=SUM,
        ),
        Definition(
            code="3.1", measure=AVERAGE, numerator="advertised.questions", denominator="advertised.total",
            explanation=_("Antal frågor som ställts under annonseringstiden, i snitt per upphandling som "
                          "annonserats under året."),
            numerator_label=_("frågor"), denominator_label=_("annonserade upphandlingar"), accumulates=False,
        ),
        _count(
            "3.2", "completed.contacted", Q(bidders_contacted=True),
            _("Antal upphandlingar avslutade under året där anbudsgivarna kontaktats för genomgång av "
              "tilldelningsbeslutet."),
            _("upphandlingar där anbudsgivarna kontaktats"),
        ),
        _count(
            "3.4", "advertised.welfare_risk", Q(welfare_crime_risk=True),
            _("Antal upphandlingar annonserade under året som bedömts ha förhöjd risk för välfärdsbrottslighet."),
            _("annonserade upphandlingar med förhöjd risk"),
        ),
        _count(
            "3.5", "advertised.checks", Q(supplier_checks__gt=0),
            _("Antal fördjupade leverantörskontroller avseende välfärdsbrottslighet i upphandlingar annonserade "
              "under året."),
            _("fördjupade leverantörskontroller"), measure=SUM,
        ),
        _count(
            "3.6", "advertised.actions", Q(welfare_actions__gt=0),
            _("Antal åtgärder i upphandlingar eller avtal på grund av välfärdsbrott, i upphandlingar annonserade "
              "under året."),
            _("åtgärder pga. välfärdsbrott"), measure=SUM,
        ),
        _share(
            "4.1", "advertised.employment", Q(employment_requirement=True),
            _("Andel av upphandlingarna som annonserats under året där sysselsättningskrav ställts."),
            _("upphandlingar med sysselsättningskrav"),
        ),
        _count(
            "4.2", "advertised.labour_law", Q(labour_law_conditions=True),
            _("Antal upphandlingar annonserade under året med arbetsrättsliga villkor."),
            _("upphandlingar med arbetsrättsliga villkor"),
        ),
        _count(
            "4.3", "advertised.reserved_n", Q(reserved=True),
            _("Antal reserverade upphandlingar (för sociala företag) annonserade under året."),
            _("reserverade upphandlingar"),
        ),
        _count(
            "4.4", "completed.trainees", Q(traineeships__gt=0),
            _("Antal praktikplatser eller motsvarande som sysselsättningskrav gett, i upphandlingar avslutade "
              "under året."),
            _("praktikplatser"), measure=SUM,
        ),
        _count(
            "4.5", "advertised.accessibility", Q(accessibility_requirement=True),
            _("Antal upphandlingar annonserade under året med krav på tillgänglighet."),
            _("upphandlingar med krav på tillgänglighet"),
        ),
        _count(
            "4.6", "advertised.gender_equality", Q(gender_equality_requirement=True),
            _("Antal upphandlingar annonserade under året med krav på jämställdhet."),
            _("upphandlingar med krav på jämställdhet"),
        ),
        _share(
            "4.7", "advertised.environmental", Q(environmental_requirement=True),
            _("Andel av upphandlingarna som annonserats under året med någon form av miljö- eller klimatkrav."),
            _("upphandlingar med miljö- eller klimatkrav"),
        ),
        _uhm("4.8", "env_management_level", _("aktivt miljöarbete/miljöledningssystem")),
        _uhm("4.9", "reuse_level", _("återbruk, återvinning och avfallsförebyggande")),
        _uhm("4.10", "climate_transport_level", _("klimat – fossilfrihet kopplat till transporter")),
        _uhm("4.11", "climate_other_level", _("klimat – fossilfrihet kring annat än transporter")),
        _uhm("4.12", "chemicals_level", _("kemikalier – giftfritt")),
        _share(
            "4.13", "advertised.food_organic", Q(is_food=True, organic_food_requirement=True),
            _("Andel av livsmedelsupphandlingarna som annonserats under året med krav på ekologiska livsmedel."),
            _("livsmedelsupphandlingar med krav på ekologiskt"),
            denominator="advertised.food", denominator_label=FOOD, denominator_filter=Q(is_food=True),
        ),
        _share(
            "4.14", "advertised.food_local", Q(is_food=True, local_food_requirement=True),
            _("Andel av livsmedelsupphandlingarna som annonserats under året med krav på lokalproducerade "
              "livsmedel."),
            _("livsmedelsupphandlingar med krav på lokalproducerat"),
            denominator="advertised.food", denominator_label=FOOD, denominator_filter=Q(is_food=True),
        ),
        _count(
            "5.1", "activities.total", None,
            _("Antal informationsaktiviteter (tidig dialog, RFI, övrigt) genomförda under året. Per kommun: "
              "aktiviteter där kommunen medverkat."),
            _("informationsaktiviteter"),
        ),
        _share(
            "5.2", "bids.regional", Q(supplier__regional=True),
            _("Andel av anbuden i upphandlingar avslutade under året som lämnats av företag med regional "
              "verksamhet (i Dalarna)."),
            _("anbud från regionala företag"), denominator_label=_("lämnade anbud"),
        ),
        _share(
            "5.3", "bids.awarded_regional", Q(awarded=True, supplier__regional=True),
            _("Andel av de tilldelade anbuden i upphandlingar avslutade under året som gått till företag med "
              "regional verksamhet."),
            _("tilldelade regionala företag"), denominator="bids.awarded_n", denominator_label=_("tilldelade anbud"),
            denominator_filter=Q(awarded=True),
        ),
        Definition(
            code="5.5", measure=AVERAGE, numerator="bids.total", denominator="completed.total",
            explanation=_("Antal anbud i snitt per upphandling som avslutats under året."),
            numerator_label=_("anbud"), denominator_label=_("avslutade upphandlingar"), accumulates=False,
            base="bids", denominator_base="completed",
        ),
        _count(
            "6.1", "completed.innovative", Q(innovative_solution=True),
            _("Antal upphandlingar avslutade under året där den nya lösningen är väsentligt annorlunda jämfört "
              "med den tidigare."),
            _("väsentligt annorlunda lösningar"),
        ),
        _count(
            "6.2", "categories.innovation", lambda qs, end: qs.filter(innovation_need_identified_on__lte=end),
            _("Antal inköpskategorier som identifierat avtal/områden där innovationsbehovet är störst."),
            _("kategorier med identifierat innovationsbehov"), measure=K_OF_N, per_municipality=False,
            accumulates=False,
        ),
        _count(
            "6.3", "categories.digital", lambda qs, end: qs.filter(digital_potential_identified_on__lte=end),
            _("Antal inköpskategorier som identifierat områden där nya digitala lösningar har störst potential."),
            _("kategorier med identifierad digital potential"), measure=K_OF_N, per_municipality=False,
            accumulates=False,
        ),
        _count(
            "7.1", "reached.plan_remiss", Q(kind=MunicipalityDialogue.Kind.PLAN_REMISS),
            _("Antal samverkande kommuner som fått upphandlingsplanen på remiss och haft dialog om den under "
              "året."),
            _("kommuner med remiss och dialog"), measure=K_OF_N, base="dialogues",
        ),
        _count(
            "7.2", "reached.preparedness", Q(kind=MunicipalityDialogue.Kind.PREPAREDNESS),
            _("Antal samverkande kommuner där dialog förts under året om behov kopplat till samhällsstörning, "
              "kris och krig."),
            _("kommuner med beredskapsdialog"), measure=K_OF_N, base="dialogues",
        ),
        _count(
            "7.3", "advertised.preparedness", Q(preparedness_requirement=True),
            _("Antal upphandlingar annonserade under året med beredskapskrav."),
            _("upphandlingar med beredskapskrav"),
        ),
        _share(
            "8.2", "plan.on_time", Q(status=Procurement.Status.COMPLETED, completed_on__lte=F("planned_completion")),
            _("Andel av upphandlingarna i upphandlingsplanen med planerat klardatum under året (fram till "
              "uppföljningsdagen) som avslutats senast på det planerade datumet."),
            _("avslutade enligt plan"), denominator_label=_("planerade att avslutas"),
        ),
        Definition(
            code="8.1", measure=SHARE, numerator="economy.deviation_tkr", denominator="economy.budget_tkr",
            explanation=_("Helårsprognosens resultat (utfallet när året är slut) jämfört med det budgeterade "
                          "resultatet enligt bilaga 2, i procent av budgeterade intäkter. Positivt värde = bättre "
                          "än budget. Målet är en avvikelse mindre än 3,0 % åt något håll."),
            numerator_label=_("avvikelse mot budgeterat resultat (tkr)"),
            denominator_label=_("budgeterade intäkter (tkr)"),
            per_municipality=False, accumulates=False, base="economy",
        ),
        _count(
            "8.8", "events.appeals", None,
            _("Antal upphandlingar där en överprövning kommit in under året."),
            _("överprövningar"), base="appeals",
        ),
        _count(
            "8.9", "events.cancelled", None,
            _("Antal upphandlingar som avbrutits under året."),
            _("avbrutna upphandlingar"), base="cancelled",
        ),
        _count(
            "8.10", "events.terminated", None,
            _("Antal avtal som avslutats i förtid under året (hävning, uppsägning)."),
            _("avtal avslutade i förtid"), base="terminated",
        ),
    ]
}


def definition_for(code):
    return DEFINITIONS.get(code)


def register_filters():
    """Offer the definitions' conditions to the register's list filter (procurement/requirements.py)."""
    from procurement import requirements

    uhm = ["env_management_level", "reuse_level", "climate_transport_level", "climate_other_level",
           "chemicals_level"]
    for key, label, condition, aliases in [
        ("employment_requirement", _("Sysselsättningskrav"), Q(employment_requirement=True), None),
        ("labour_law_conditions", _("Arbetsrättsliga villkor"), Q(labour_law_conditions=True), None),
        ("accessibility_requirement", _("Krav på tillgänglighet"), Q(accessibility_requirement=True), None),
        ("gender_equality_requirement", _("Krav på jämställdhet"), Q(gender_equality_requirement=True), None),
        ("preparedness_requirement", _("Beredskapskrav"), Q(preparedness_requirement=True), None),
        ("environmental_requirement", _("Miljö- eller klimatkrav"), Q(environmental_requirement=True), None),
        ("reserved", _("Reserverad upphandling"), Q(reserved=True), None),
        ("is_food", _("Livsmedelsupphandling"), Q(is_food=True), None),
        ("organic_food_requirement", _("Krav på ekologiska livsmedel"), Q(organic_food_requirement=True), None),
        ("local_food_requirement", _("Krav på lokalproducerade livsmedel"), Q(local_food_requirement=True), None),
        ("welfare_crime_risk", _("Förhöjd risk för välfärdsbrottslighet"), Q(welfare_crime_risk=True), None),
        ("innovative_solution", _("Väsentligt annorlunda lösning (innovation)"), Q(innovative_solution=True), None),
        ("coordinated", _("Samordnad (minst två kommuner)"), Q(n_municipalities__gte=2),
         {"n_municipalities": municipality_count}),
    ]:
        requirements.register(key, label, condition, aliases=aliases)
    for name in uhm:
        requirements.register("uhm_advanced", _("UHM-krav på avancerad nivå eller spjutspets"),
                              Q(**{f"{name}__in": ADVANCED_LEVELS}))
