"""A deterministic, realistic demo register: `python manage.py generate_demo_data`.

The same seed, years, scale and "today" always give the same register: one `random.Random(seed)`
drives everything, in a fixed order, over lists (never over sets or unordered query results).

The register is shaped so that the indicators computed from it (indicators/definitions.py) land
near the plan's history (bilaga 3) for 2021–2024 and near the 2024 values afterwards. Shares and
averages are not left to chance: within each year's cohort (procurements advertised in the year,
or completed in the year) exactly the planned share gets the flag, chosen at random, so the
computed value is the seed's value up to rounding. Counts per year (reserved procurements,
appeals…) are drawn the same way; in the current year they are cut at "today".

So that the first year looks like any other, procurements advertised in the autumn before the first
year that were still running on 1 January are included, and so are contracts from procurements
completed before the first year that were still in force (without a procurement in the register).
Nothing is dated after "today" except the planned dates of the future: contracts' end dates and
planned completion dates (of planned procurements, and of running ones). When the last year is over,
the register stops at its end: what was still running on 31 December stays running.

Records are written with bulk_create in batches, so django-simple-history records no history for
them (demo data has none to show), and created_at/updated_at are the time of generation.
"""

import bisect
import datetime
import math
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.test.utils import override_settings

from nämndplan.loading import read_plan_file
from nämndplan.models import Municipality
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
    UhmLevel,
)
from procurement.signals import register_changed

ONE_DAY = datetime.timedelta(days=1)
BATCH_SIZE = 2000
Status = Procurement.Status
Kind = Procurement.Kind
Procedure = Procurement.Procedure


class RegisterNotEmpty(Exception):
    """The register already has procurements; demo data is only generated into an empty one."""


# --- Reference data ----------------------------------------------------------------------------

FOOD = "Livsmedel och måltidsverksamhet"
# The twelve purchasing categories: name, relative number of procurements, product groups.
CATEGORIES = [
    (FOOD, 5, [
        "Mejeriprodukter", "Kött och chark", "Fisk och skaldjur", "Frukt och grönt", "Bröd och bageri",
        "Kolonialvaror", "Frysta livsmedel", "Ägg", "Specialkost", "Färdigrätter och matlådor",
        "Drycker", "Storköksutrustning", "Engångsartiklar för måltider", "Livsmedelsdistribution",
    ]),
    ("Fordon och transporter", 8, [
        "Personbilar", "Lätta lastbilar", "Tunga fordon", "Elfordon", "Drivmedel", "Däck och däckhotell",
        "Fordonsservice och reparationer", "Skolskjuts", "Färdtjänst", "Godstransporter",
        "Hyrbilar och bilpool", "Budtjänster", "Fordonstvätt",
    ]),
    ("IT och telekom", 11, [
        "Datorer och surfplattor", "Mobiltelefoner och abonnemang", "Fast telefoni och växel",
        "Nätverksutrustning", "Servrar och lagring", "Programvarulicenser", "Verksamhetssystem",
        "IT-konsulttjänster", "Skrivare och multifunktionsmaskiner", "AV-utrustning", "E-tjänsteplattform",
        "Bredband och datakommunikation", "IT-säkerhet", "Molntjänster",
    ]),
    ("Fastighetsdrift och underhåll", 13, [
        "Lokalvård", "Fönsterputs", "Snöröjning och halkbekämpning", "Grönyteskötsel", "VVS-service",
        "Elinstallationer och service", "Hissar och portar", "Lås och passersystem",
        "Brandskydd och sprinkler", "Målningsarbeten", "Golvläggning", "Skadedjursbekämpning",
        "Avfallshantering i fastigheter", "Fastighetsautomation",
    ]),
    ("Vård och omsorg", 10, [
        "Förbrukningsmaterial för vård", "Inkontinenshjälpmedel", "Hjälpmedel", "Vårdsängar och madrasser",
        "Dosdispensering av läkemedel", "Trygghetslarm", "Bemanningstjänster inom vård",
        "Skyddshandskar och skyddsutrustning", "Medicinteknisk utrustning", "HVB-placeringar",
        "Familjehemsvård", "Tolktjänster", "Tvätt av vårdtextilier", "Sjukvårdsartiklar",
    ]),
    ("Kontor och förbrukning", 7, [
        "Kontorsmaterial", "Kopieringspapper", "Hygienpapper", "Städmaterial och kemtekniska produkter",
        "Arbetskläder", "Profilkläder", "Post- och kurirtjänster", "Kaffe och varuautomater",
        "Batterier", "Förpackningsmaterial", "Resebyråtjänster", "Hotell och konferens",
    ]),
    ("Konsulttjänster", 9, [
        "Administrativ bemanning", "Rekryteringstjänster", "Juridiska tjänster", "Ekonomikonsulter",
        "Managementkonsulter", "Utredningstjänster", "Kommunikationskonsulter", "Arkitekttjänster",
        "Tekniska konsulter", "Miljökonsulter", "Företagshälsovård", "Utbildningstjänster",
        "Översättningstjänster",
    ]),
    ("Energi och miljö", 6, [
        "El", "Pellets och biobränsle", "Solcellsanläggningar", "Avfallshämtning", "Farligt avfall",
        "Slamtömning", "Kemikalier för vattenrening", "Energieffektivisering", "Energiuppföljning",
        "Återvinning av elektronik", "Miljöanalyser", "Belysning och armaturer", "Laddinfrastruktur",
    ]),
    ("Utbildning och fritid", 6, [
        "Läromedel", "Digitala läromedel", "Lekmaterial och leksaker", "Idrottsmaterial",
        "Musikinstrument", "Bibliotekmedier", "Lekplatsutrustning", "Förskolematerial", "Slöjdmaterial",
        "Lägerverksamhet", "Simhallsutrustning", "Konstnärsmaterial",
    ]),
    ("Möbler och inredning", 5, [
        "Kontorsmöbler", "Skolmöbler", "Förskolemöbler", "Vårdmöbler", "Utemöbler", "Textilier och gardiner",
        "Mattor", "Inredningstjänster", "Renovering av möbler", "Begagnade möbler", "Konferensmöbler",
        "Vitvaror",
    ]),
    ("Tryck och kommunikation", 6, [
        "Trycksaker", "Digitaltryck", "Annonsering", "Rekryteringsannonsering", "Profilprodukter", "Skyltar",
        "Grafisk design", "Film- och fotoproduktion", "Webbutveckling", "Mediebevakning", "Utskriftstjänster",
        "Vägvisning", "Kommunikationsbyråtjänster",
    ]),
    ("Tekniska tjänster och entreprenadnära tjänster", 13, [
        "Markarbeten", "Asfaltering", "Vägunderhåll", "Gatubelysning", "Maskinuthyrning", "Byggmaterial",
        "VA-material", "Ledningsrenovering", "Mättjänster", "Geotekniska undersökningar",
        "Rivning och sanering", "Hantverkstjänster", "Entreprenadmaskiner med förare", "Trafikanordningar",
        "Besiktningstjänster",
    ]),
]
FOOD_GROUPS = CATEGORIES[0][2][:11]  # the groups of the Livsmedel category that are food

# Categories where a requirement is most relevant weigh more when drawing who gets it.
RELEVANCE = {
    "labour_law": {"Fastighetsdrift och underhåll": 8, "Tekniska tjänster och entreprenadnära tjänster": 8,
                   "Fordon och transporter": 4, "Vård och omsorg": 3, FOOD: 2},
    "reserved": {"Fastighetsdrift och underhåll": 5, "Kontor och förbrukning": 5, "Möbler och inredning": 5,
                 "Tryck och kommunikation": 3, FOOD: 3},
    "env_management": {"Fastighetsdrift och underhåll": 3, "Tekniska tjänster och entreprenadnära tjänster": 3,
                       "Fordon och transporter": 3, "Energi och miljö": 3},
    "reuse": {"Möbler och inredning": 6, "IT och telekom": 4, "Kontor och förbrukning": 3, "Energi och miljö": 3},
    "climate_transport": {"Fordon och transporter": 8, FOOD: 3, "Tekniska tjänster och entreprenadnära tjänster": 3},
    "climate_other": {"IT och telekom": 4, FOOD: 4, "Tekniska tjänster och entreprenadnära tjänster": 4,
                      "Energi och miljö": 4},
    "chemicals": {"Fastighetsdrift och underhåll": 4, "Vård och omsorg": 4, "Kontor och förbrukning": 4,
                  "Utbildning och fritid": 4, "Möbler och inredning": 3},
    "preparedness": {FOOD: 5, "Energi och miljö": 5, "Fordon och transporter": 4, "IT och telekom": 4,
                     "Vård och omsorg": 4, "Fastighetsdrift och underhåll": 2},
    "welfare": {"Vård och omsorg": 8, "Fastighetsdrift och underhåll": 5,
                "Tekniska tjänster och entreprenadnära tjänster": 4, "Fordon och transporter": 2},
    "accessibility": {"IT och telekom": 4, "Möbler och inredning": 3, "Tryck och kommunikation": 3,
                      "Tekniska tjänster och entreprenadnära tjänster": 2, "Utbildning och fritid": 2},
}

# Relative size of the municipalities, for procurements commissioned by one of them.
MUNICIPALITY_WEIGHTS = {"Falun": 59, "Borlänge": 52, "Avesta": 23, "Gagnef": 10, "Hedemora": 15, "Ludvika": 26,
                        "Säter": 11}
MUNICIPALITY_OWNER = {"Falun": "Falu kommun", "Gagnef": "Gagnefs kommun", "Säter": "Säters kommun"}
# How many municipalities commission a coordinated procurement (2–7), all seven being common.
COORDINATED_SIZES = [2, 3, 4, 5, 6, 7]
COORDINATED_SIZE_WEIGHTS = [18, 14, 11, 9, 8, 40]
MONTH_WEIGHTS = [0.85, 1.1, 1.2, 1.1, 1.1, 1.0, 0.25, 0.6, 1.2, 1.2, 1.1, 0.8]

REGIONAL_PREFIXES = [
    "Falu", "Borlänge", "Dala", "Ludvika", "Avesta", "Hedemora", "Säter", "Gagnef", "Siljans", "Leksands",
    "Rättviks", "Mora", "Smedjebackens", "Grängesbergs", "Bergslagens", "Dalälvens", "Tuna", "Djurås", "Insjö",
    "Horndals", "Krylbo", "Långshyttans", "Grycksbo", "Svärdsjö", "Bjursås", "Sundborns", "Ornäs", "Stora Tuna",
    "Anderssons", "Erikssons", "Perssons", "Larssons", "Olssons", "Nilssons", "Jonssons", "Karlssons",
    "Lindqvists", "Hedlunds", "Mattssons", "Backlunds", "Dahlbergs", "Ersson & Söner",
]
NATIONAL_PREFIXES = [
    "Nordisk", "Svensk", "Svea", "Norrlands", "Mälardalens", "Stockholms", "Göteborgs", "Uppsala", "Västerås",
    "Örebro", "Gävle", "Mellansvenska", "Skandinaviska", "Nordic", "Norden", "Östgöta", "Skåne", "Värmlands",
    "Karlstads", "Jönköpings", "Sundsvalls", "Baltic", "Euro", "Global", "Alfa", "Nova", "Polar", "Vega",
    "Johanssons", "Lundbergs", "Sandbergs", "Holmgrens", "Wikströms", "Berglunds", "Åbergs", "Fors",
]
BUSINESS_WORDS = {
    FOOD: ["Livs", "Mejeri", "Chark", "Grönt", "Bageri", "Fisk", "Partihandel", "Storkök", "Måltidsservice",
           "Matgrossist"],
    "Fordon och transporter": ["Bil", "Buss", "Taxi", "Transport", "Åkeri", "Fordon", "Däck", "Motor",
                               "Bilverkstad", "Logistik"],
    "IT och telekom": ["Data", "IT", "Systems", "Nätverk", "Telekom", "Digital", "Mjukvara", "IT-konsult",
                       "Datateknik", "IT-partner"],
    "Fastighetsdrift och underhåll": ["Städ", "Fastighetsservice", "Lokalvård", "Ventilation", "Rör", "El",
                                      "Bygg", "Måleri", "Lås", "Mark & Trädgård"],
    "Vård och omsorg": ["Medical", "Vårdprodukter", "Hälsa", "Omsorg", "Hjälpmedel", "Medicinteknik", "Care",
                        "Rehab", "Vårdbemanning", "Tolkservice"],
    "Kontor och förbrukning": ["Kontorsservice", "Papper", "Kontor", "Förbrukning", "Profil", "Arbetskläder",
                               "Kaffe", "Hygien", "Emballage", "Resebyrå"],
    "Konsulttjänster": ["Konsult", "Juridik", "Advokatbyrå", "Revision", "Arkitekter", "Ingenjörer",
                        "Utveckling", "Rekrytering", "Analys", "Strategi"],
    "Energi och miljö": ["Energi", "Kraft", "Solenergi", "Miljö", "Återvinning", "Bränsle", "Värme",
                         "Belysning", "Miljöteknik", "Avfall"],
    "Utbildning och fritid": ["Läromedel", "Förlag", "Lek", "Sport", "Musik", "Media", "Pedagogik", "Fritid",
                              "Skolmaterial", "Utbildning"],
    "Möbler och inredning": ["Möbler", "Inredning", "Snickeri", "Design", "Textil", "Interiör", "Möbelverkstad",
                             "Inredningshus", "Kök", "Ergonomi"],
    "Tryck och kommunikation": ["Tryckeri", "Reklam", "Grafiska", "Media", "Kommunikation", "Print", "Skylt",
                                "Film", "Foto", "Webb"],
    "Tekniska tjänster och entreprenadnära tjänster": ["Entreprenad", "Schakt", "Asfalt", "Mark", "Maskin",
                                                       "Bygg", "VA-teknik", "Mätteknik", "Geoteknik", "Rivning"],
}
COMPANY_SUFFIXES = ["AB", "AB", "AB", "i Dalarna AB", "Sverige AB", "& Co AB", "Handelsbolag"]
SOCIAL_ENTERPRISES = [
    ("Arbetskooperativet Vägen ut", True), ("Fixartjänst i Falun", True), ("Återbruket Borlänge", True),
    ("Kooperativet Kvarnen", True), ("Möjligheternas hus", True), ("Dalarnas arbetsintegrerande kooperativ", True),
    ("Café Trädgården", True), ("Sysselsättningskooperativet Steget", True), ("Ludvika Second hand", True),
    ("Hedemora Returtjänst", True), ("Stiftelsen Gröna Händer", False), ("Samhall-partner Norr", False),
    ("Kooperativet Framtidsverkstan", False), ("Idéburna Lokalvårdarna", False),
]
SOCIAL_SUFFIXES = ["ekonomisk förening", "ek. för.", "ideell förening"]

CANCELLATION_REASONS = [
    "Inga anbud inkom.",
    "Samtliga anbud översteg den budget som kommunerna avsatt.",
    "Inget anbud uppfyllde samtliga ska-krav.",
    "Behovet har förändrats och upphandlingen görs om med ändrad omfattning.",
    "Brister i upphandlingsdokumenten som inte kunde rättas under anbudstiden.",
    "Endast ett anbud inkom och det bedömdes inte vara konkurrenskraftigt.",
]
TERMINATION_REASONS = [
    "Hävning på grund av väsentligt avtalsbrott (upprepade leveransbrister).",
    "Leverantören försattes i konkurs.",
    "Uppsägning efter att leverantören brustit i arbetsrättsliga villkor.",
    "Hävning efter att leverantören inte betalat skatter och avgifter.",
    "Leverantören begärde uppsägning; avtalet avslutades i samförstånd.",
]
FOLLOW_UP_NOTES = [
    "Genomgång av leveransprecision och reklamationer.",
    "Avstämning av priser och indexjustering.",
    "Uppföljning av hållbarhetskraven i avtalet.",
    "Kontroll av att sysselsättningskravet uppfylls.",
    "Genomgång av köpstatistik och avtalstrohet.",
    "Inga avvikelser noterade.",
    "Diskussion om sortiment och nya produkter.",
    "Uppföljning av arbetsrättsliga villkor hos underleverantörer.",
    "Leverantören informerade om organisationsförändringar.",
    "Kvalitetsmöte med kommunernas referensgrupp.",
]
FOLLOW_UP_ACTIONS = [
    "Leverantören återkommer med en handlingsplan.",
    "Ny avstämning om tre månader.",
    "Påpekande om leveransförseningar skickat till leverantören.",
    "Vite aviserat enligt avtalet.",
    "Kommunerna informeras om rätt beställningsväg.",
]
ACTIVITY_OTHER = [
    "Leverantörsträff i {place}",
    "Frukostmöte med näringslivet i {place}",
    "Informationsträff: så lämnar du anbud",
    "Webbinarium om upphandlingsplanen",
    "Utbildning i anbudsskrivning för små företag",
    "Träff med företagarföreningen i {place}",
    "Dialogmöte med idéburna organisationer",
]
EFFORT_TITLES = [
    "Avtalstrohet och rätt beställningsväg för chefer",
    "Introduktion till LOU för beställare",
    "E-handel och avtalskatalogen",
    "Direktupphandling: regler och rutiner",
    "Behovsanalys inför upphandling",
    "Hållbarhetskrav i praktiken",
    "Avtalsuppföljning för verksamhetens kontaktpersoner",
]
WELFARE_ACTIONS = [
    "Fördjupad kontroll av underleverantörer; krav på kollektivavtalsenliga villkor skärptes.",
    "Anbudsgivare uteslöts efter kontroll hos Skatteverket och Bolagsverket.",
    "Avtalsvillkor om rätt att kontrollera personalliggare infördes.",
]
APPEAL_OUTCOMES = [
    Procurement.AppealOutcome.REJECTED, Procurement.AppealOutcome.CORRECTION,
    Procurement.AppealOutcome.WITHDRAWN, Procurement.AppealOutcome.AWARD_WITHDRAWN,
]


# --- Year profiles: what each year's register should compute to ------------------------------

@dataclass(frozen=True)
class YearProfile:
    """Per year at scale 1. Shares in percent; counts per full year."""

    coordinated: float  # 1.2, of completed
    follow_ups: int  # 2.1
    questions: float  # 3.1, average over advertised
    employment: float  # 4.1, of advertised
    labour_law: int  # 4.2
    reserved: int  # 4.3
    traineeships: int  # 4.4, over completed
    environmental: float  # 4.7
    env_management: float  # 4.8 (avancerad or spjutspets)
    reuse: float  # 4.9
    climate_transport: float  # 4.10
    climate_other: float  # 4.11
    chemicals: float  # 4.12
    food: int  # advertised food procurements
    organic: float  # 4.13, of food
    local: float  # 4.14, of food
    activities: int  # 5.1
    bids_regional: float  # 5.2
    awarded_regional: float  # 5.3
    bids_per_procurement: float  # 5.5
    innovative: int  # 6.1
    on_time: float  # 8.2
    appeals: int  # 8.8
    cancelled: int  # 8.9
    terminated: int  # 8.10
    advertised: int = 230
    negotiations: int = 12  # 2.3
    bidders_contacted: float = 5  # 3.2, of completed
    preparedness: float = 0  # 7.3, of advertised
    welfare_risk: int = 0  # 3.4
    accessibility: float = 10  # 4.5, of advertised
    gender_equality: float = 5  # 4.6, of advertised


# The seed's history (bilaga 3). Where the seed gives no value (4.8 before 2023; 4.10/4.11 were one
# combined measure until 2023; 8.9/8.10 after 2022), a plausible value is used.
HISTORY = {
    2021: dict(coordinated=59, follow_ups=218, questions=4.3, employment=56, labour_law=15, reserved=3,
               traineeships=7, environmental=76, env_management=18, reuse=29, climate_transport=13,
               climate_other=10, chemicals=15, food=9, organic=100, local=100, activities=118, bids_regional=58,
               awarded_regional=56, bids_per_procurement=4.0, innovative=7, on_time=93, appeals=7, cancelled=12,
               terminated=0),
    2022: dict(coordinated=57, follow_ups=212, questions=9.2, employment=66, labour_law=26, reserved=1,
               traineeships=28, environmental=87, env_management=27, reuse=38, climate_transport=11,
               climate_other=8, chemicals=39, food=8, organic=87.5, local=100, activities=182, bids_regional=55,
               awarded_regional=63, bids_per_procurement=4.2, innovative=8, on_time=70, appeals=1, cancelled=7,
               terminated=2),
    2023: dict(coordinated=58, follow_ups=240, questions=9.4, employment=96, labour_law=23, reserved=2,
               traineeships=13, environmental=94, env_management=35, reuse=22, climate_transport=14,
               climate_other=10, chemicals=40, food=10, organic=100, local=100, activities=168, bids_regional=45,
               awarded_regional=43, bids_per_procurement=5.1, innovative=9, on_time=73, appeals=3, cancelled=9,
               terminated=1),
    2024: dict(coordinated=56, follow_ups=303, questions=9.0, employment=92, labour_law=32, reserved=2,
               traineeships=32, environmental=97, env_management=59, reuse=40, climate_transport=14,
               climate_other=12, chemicals=36, food=7, organic=6 / 7 * 100, local=4 / 7 * 100, activities=349,
               bids_regional=74, awarded_regional=65, bids_per_procurement=3.7, innovative=9, on_time=72,
               appeals=9, cancelled=10, terminated=2),
}
FIRST_HISTORY, LAST_HISTORY = min(HISTORY), max(HISTORY)
SHARES = ["coordinated", "employment", "environmental", "env_management", "reuse", "climate_transport",
          "climate_other", "chemicals", "bids_regional", "awarded_regional", "on_time"]
COUNTS = ["follow_ups", "labour_law", "traineeships", "activities", "innovative"]


def profile_for(year, rng):
    """The profile of `year`: the history, or the nearest year of it with a little variation."""
    if FIRST_HISTORY <= year <= LAST_HISTORY:
        values = dict(HISTORY[year])
    else:
        values = dict(HISTORY[FIRST_HISTORY if year < FIRST_HISTORY else LAST_HISTORY])
        for name in SHARES:
            values[name] = min(99.0, max(1.0, values[name] + rng.uniform(-2.5, 2.5)))
        for name in COUNTS:
            values[name] = round(values[name] * rng.uniform(0.88, 1.05))
        values["questions"] = round(values["questions"] + rng.uniform(-0.6, 0.4), 1)
        values["bids_per_procurement"] = round(values["bids_per_procurement"] + rng.uniform(-0.2, 0.3), 1)
        values["food"] = rng.randint(7, 10)
        values["appeals"] = rng.randint(3, 9)
    if not 2021 <= year <= 2022:  # the seed gives 8.9 and 8.10 for 2021–2022 only
        values["cancelled"] = rng.randint(7, 12)
        values["terminated"] = rng.randint(0, 3)
    new = year >= 2025  # the indicators that are new in the 2025 plan
    values.update(
        negotiations=max(6, 12 + 4 * (year - 2021)),
        bidders_contacted=(28 if year == 2025 else 32) if new else 5,
        preparedness=(10 if year == 2025 else 18) if new else 0,
        welfare_risk=rng.randint(6, 10) if new else 0,
        accessibility=20 if year >= 2024 else 10,
        gender_equality=10 if year >= 2024 else 5,
    )
    return YearProfile(**values)


# --- Helpers ---------------------------------------------------------------------------------

def org_number(prefix, rng):
    """A random organisation number starting with `prefix` whose last digit passes the Luhn check."""
    digits = prefix + "".join(str(rng.randint(0, 9)) for _ in range(9 - len(prefix)))
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    check = (10 - total % 10) % 10
    return f"{digits[:6]}-{digits[6:]}{check}"


def lower_first(name):
    """'Lokalvård' → 'lokalvård', but 'IT-säkerhet' and 'AV-utrustning' keep their capitals."""
    return name if len(name) > 1 and name[1].isupper() else name[0].lower() + name[1:]


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def year_start(year):
    return datetime.date(year, 1, 1)


def year_end(year):
    return datetime.date(year, 12, 31)


@dataclass(eq=False)
class _Proc:
    """A procurement while it is being made up, before it becomes a model instance."""

    index: int
    advertised: datetime.date
    support: bool = False
    awarded: datetime.date | None = None
    completed: datetime.date | None = None
    expected: datetime.date | None = None  # when it would complete, for planned and running ones
    cancelled: datetime.date | None = None
    appealed: datetime.date | None = None
    appeal_outcome: str = ""
    status: str = Status.PLANNED
    kind: str = Kind.JOINT
    procedure: str = Procedure.OPEN
    municipalities: list = field(default_factory=list)
    category: int = 0
    product_group: str = ""
    in_plan: bool = True
    planned_completion: datetime.date | None = None
    flags: dict = field(default_factory=dict)
    bids: list = field(default_factory=list)  # [supplier index, disqualified, awarded]
    case_number: str = ""
    title: str = ""
    pk: int | None = None

    def year(self):
        return self.advertised.year


@dataclass
class Summary:
    categories_created: int = 0
    product_groups_created: int = 0
    suppliers: int = 0
    procurements: int = 0
    planned: int = 0
    completed: int = 0
    cancelled: int = 0
    bids: int = 0
    contracts: int = 0
    follow_ups: int = 0
    activities: int = 0
    efforts: int = 0
    dialogues: int = 0
    horizon: datetime.date | None = None

    def lines(self):
        n = self.number
        return [
            f"Kategorier: {n(self.categories_created)} nya, varugrupper: {n(self.product_groups_created)} nya.",
            f"Leverantörer: {n(self.suppliers)}.",
            f"Upphandlingar: {n(self.procurements)} (varav {n(self.completed)} avslutade, "
            f"{n(self.cancelled)} avbrutna och {n(self.planned)} planerade).",
            f"Anbud: {n(self.bids)}. Avtal: {n(self.contracts)}. Avtalsuppföljningar: {n(self.follow_ups)}.",
            f"Informationsaktiviteter: {n(self.activities)}. Kompetenshöjande insatser: {n(self.efforts)}. "
            f"Dialoger med kommuner: {n(self.dialogues)}.",
            f"Inget är daterat efter {self.horizon.isoformat()} utom planerade datum.",
        ]

    @staticmethod
    def number(value):
        return f"{value:,}".replace(",", "\u00a0")


# --- The generator ---------------------------------------------------------------------------

def generate(*, seed, years, scale=1.0, today=None, replace=False):
    """Fill the register with demo data for `years` (a range) and return a Summary.

    Raises RegisterNotEmpty when the register already has procurements, unless `replace`, which
    first deletes every procurement, bid, contract, follow-up, activity and supplier.
    """
    today = today or datetime.date.today()
    years = range(years[0], years[-1] + 1)
    if years[0] > today.year:
        raise ValueError("Demodata kan inte skapas för år som inte har börjat.")
    with transaction.atomic():
        if Procurement.objects.exists():
            if not replace:
                raise RegisterNotEmpty()
            delete_register()
        summary = _Generator(seed, years, scale, today).run()
        # bulk_create sends no signals: tell the indicator memo the register changed.
        register_changed.send(sender=Procurement)
        return summary


def delete_register():
    """Delete every record of the register except categories and product groups.

    Only for the local demo (--replace needs DEBUG=1). The demo records were written without history,
    so their deletion is not recorded either: that would write one historical row per record and take
    ten times as long.
    """
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for model in (ContractFollowUp, Contract, Bid, InformationActivity, CompetenceEffort, MunicipalityDialogue,
                      Procurement, Supplier):
            model.objects.all().delete()


class _Generator:
    def __init__(self, seed, years, scale, today):
        self.rng = random.Random(seed)
        self.years = [year for year in years if year <= today.year]
        self.scale = scale
        self.today = today
        self.horizon = min(year_end(self.years[-1]), today)
        self.lead_in = self.years[0] - 1
        self.profiles = {year: profile_for(year, self.rng) for year in self.years}
        self.profiles[self.lead_in] = self.profiles[self.years[0]]
        self.summary = Summary(horizon=self.horizon)

    def run(self):
        self._reference_data()
        self._suppliers()
        procs = self._procurements()
        contracts = self._contracts(procs) + self._legacy_contracts()
        self._terminations(contracts)
        follow_ups = self._follow_ups(contracts)
        self._save(procs, contracts, follow_ups)
        self._activities(procs)
        self._efforts_and_dialogues()
        return self.summary

    # --- small tools ---

    def count(self, value, year):
        """A yearly count at this scale, pro rata for the part of the year up to the horizon."""
        return round(value * self.scale * self.fraction(year))

    def fraction(self, year):
        if year != self.horizon.year:
            return 1.0
        return ((self.horizon - year_start(year)).days + 1) / ((year_end(year) - year_start(year)).days + 1)

    def date_between(self, low, high):
        """A working day in [low, high], rarer in July and at Christmas."""
        span = (high - low).days
        if span <= 0:
            return low
        while True:
            day = low + datetime.timedelta(days=self.rng.randint(0, span))
            if self.rng.random() * 1.2 < MONTH_WEIGHTS[day.month - 1]:
                break
        if day.weekday() == 5 and day - ONE_DAY >= low:
            day -= ONE_DAY
        elif day.weekday() == 6 and day + ONE_DAY <= high:
            day += ONE_DAY
        return day

    def after(self, day, low_days, high_days):
        """A working day `low_days`–`high_days` after `day`."""
        later = day + datetime.timedelta(days=self.rng.randint(low_days, high_days))
        return later + datetime.timedelta(days=(7 - later.weekday()) % 7 if later.weekday() >= 5 else 0)

    def quota(self, items, share):
        """Exactly round(share % of items), chosen at random."""
        k = min(len(items), round(len(items) * share / 100))
        return self.rng.sample(items, k)

    def weighted_sample(self, items, k, weights):
        """k distinct items, those with larger weights more likely (Efraimidis–Spirakis)."""
        keyed = [(self.rng.random() ** (1.0 / weights(item)), position) for position, item in enumerate(items)]
        keyed.sort(reverse=True)
        return [items[position] for _key, position in keyed[: max(0, min(k, len(items)))]]

    def relevance(self, area):
        table = RELEVANCE[area]
        return lambda proc: table.get(self.category_names[proc.category], 1)

    # --- reference data ---

    def _reference_data(self):
        municipalities = {m.name: m for m in Municipality.objects.all()}
        for order, name in enumerate(read_plan_file()["municipalities"], start=1):
            if name not in municipalities:
                municipalities[name] = Municipality.objects.create(name=name, order=order)
        self.municipalities = sorted(municipalities.values(), key=lambda m: (m.order, m.name))
        self.municipality_weights = [MUNICIPALITY_WEIGHTS.get(m.name, 10) for m in self.municipalities]
        self.category_names = [name for name, _weight, _groups in CATEGORIES]
        self.category_weights = [weight for _name, weight, _groups in CATEGORIES]
        existing = {c.name: c for c in Category.objects.all()}
        dates = self._category_dates()
        self.categories = []
        for order, (name, _weight, _groups) in enumerate(CATEGORIES, start=1):
            if name not in existing:
                existing[name] = Category.objects.create(name=name, order=order, **dates[name])
                self.summary.categories_created += 1
            self.categories.append(existing[name])
        known = set(ProductGroup.objects.values_list("category_id", "name"))
        new = [
            ProductGroup(category=category, name=group)
            for category, (_name, _weight, groups) in zip(self.categories, CATEGORIES, strict=True)
            for group in groups
            if (category.pk, group) not in known
        ]
        ProductGroup.objects.bulk_create(new)
        self.summary.product_groups_created = len(new)
        rows = ProductGroup.objects.values_list("pk", "category", "name")
        self.product_groups = {(category_id, name): pk for pk, category_id, name in rows}

    def _category_dates(self):
        """By the end of 2025 five categories have a strategy, four an innovation need and three a digital
        potential identified; two more of each follow in 2026."""
        dates = {name: {} for name, _weight, _groups in CATEGORIES}
        plan = [
            ("strategy_adopted_on", [2023, 2024, 2024, 2025, 2025, 2026, 2026]),
            ("innovation_need_identified_on", [2025, 2025, 2025, 2025, 2026, 2026]),
            ("digital_potential_identified_on", [2025, 2025, 2025, 2026, 2026]),
        ]
        for field_name, years in plan:
            chosen = self.rng.sample(self.category_names, len(years))
            for name, year in zip(chosen, years, strict=True):
                day = self.date_between(datetime.date(year, 1, 15), datetime.date(year, 10, 31))
                if day <= self.today:
                    dates[name][field_name] = day
        return dates

    # --- suppliers ---

    def _suppliers(self):
        used_numbers = set(Supplier.objects.values_list("org_number", flat=True))
        used_names = set()
        suppliers = []
        # pools[category][regional] → supplier indexes
        self.pools = [[[], []] for _ in CATEGORIES]
        per_category = max(8, round(25 * math.sqrt(self.scale) * 1.6))
        for category, (name, _weight, _groups) in enumerate(CATEGORIES):
            for _ in range(per_category):
                regional = self.rng.random() < 0.52
                company = self._company_name(name, regional, used_names)
                sme = self.rng.random() < (0.92 if regional else 0.45)
                number = self._unique_org_number("55" + self.rng.choice("6666699"), used_numbers)
                self.pools[category][regional].append(len(suppliers))
                suppliers.append(Supplier(name=company, org_number=number, regional=regional, sme=sme))
        self.social = [[], []]
        for name, regional in SOCIAL_ENTERPRISES:
            number = self._unique_org_number(self.rng.choice(["769", "716", "802"]), used_numbers)
            self.social[regional].append(len(suppliers))
            company = f"{name} {self.rng.choice(SOCIAL_SUFFIXES)}"
            suppliers.append(Supplier(name=company, org_number=number, regional=regional, sme=True,
                                      social_enterprise=True))
        self.suppliers = Supplier.objects.bulk_create(suppliers, batch_size=BATCH_SIZE)
        self.summary.suppliers = len(suppliers)

    def _company_name(self, category_name, regional, used):
        prefixes = REGIONAL_PREFIXES if regional else NATIONAL_PREFIXES
        words = BUSINESS_WORDS[category_name]
        for attempt in range(50):
            suffix = self.rng.choice(COMPANY_SUFFIXES)
            if suffix == "i Dalarna AB" and not regional:
                suffix = "Sverige AB"
            name = f"{self.rng.choice(prefixes)} {self.rng.choice(words)} {suffix}"
            if attempt > 20:
                name = f"{name[:-3]} {attempt} AB" if name.endswith(" AB") else f"{name} {attempt}"
            if name not in used:
                used.add(name)
                return name
        raise RuntimeError("Kunde inte hitta på ett unikt leverantörsnamn.")

    def _unique_org_number(self, prefix, used):
        while True:
            number = org_number(prefix, self.rng)
            if number not in used:
                used.add(number)
                return number

    # --- procurements: dates and lifecycle ---

    def _procurements(self):
        procs = []
        for year in [self.lead_in, *self.years]:
            procs.extend(self._cohort(year, start=len(procs)))
        first = year_start(self.years[0])
        procs = [p for p in procs if p.year() >= self.years[0] or (p.awarded if p.support else p.completed) >= first]
        self._cancellations(procs)
        self._appeals(procs)
        for proc in procs:
            self._cut_at_horizon(proc)
        self._categories(procs)
        self._kinds_and_municipalities(procs)
        self._advertised_requirements(procs)
        self._completed_outcomes(procs)
        self._plan_dates(procs)
        self._bids(procs)
        self._case_numbers_and_titles(procs)
        return procs

    def _cohort(self, year, start):
        """The procurements advertised in `year` (for the lead-in year: from August), with planned dates."""
        low = datetime.date(year, 8, 1) if year == self.lead_in else year_start(year)
        size = 230 * self.scale * self.rng.uniform(0.97, 1.03) * ((year_end(year) - low).days + 1) / 365
        cohort = []
        for offset in range(round(size)):
            proc = _Proc(index=start + offset, advertised=self.date_between(low, year_end(year)))
            proc.support = self.rng.random() < 0.06
            proc.awarded = self.after(proc.advertised, 35, 100)
            if not proc.support:
                proc.completed = self.after(proc.awarded, 12, 45)
            cohort.append(proc)
        cohort.sort(key=lambda p: (p.advertised, p.index))
        return cohort

    def _by_year(self, procs, date_of):
        groups = {}
        for proc in procs:
            day = date_of(proc)
            if day is not None:
                groups.setdefault(day.year, []).append(proc)
        return groups

    def _cancellations(self, procs):
        groups = self._by_year(procs, lambda p: p.advertised if not p.support else None)
        for year in self.years:
            candidates = [p for p in groups.get(year, []) if p.advertised <= datetime.date(year, 10, 31)]
            for proc in self.rng.sample(candidates, min(len(candidates), round(self.profiles[year].cancelled
                                                                                * self.scale))):
                proc.cancelled = min(self.after(proc.advertised, 7, 60), year_end(year))
                proc.awarded = proc.completed = None

    def _appeals(self, procs):
        groups = self._by_year(procs, lambda p: p.awarded if not p.support else None)
        for year in self.years:
            candidates = [p for p in groups.get(year, []) if p.awarded <= datetime.date(year, 12, 20)]
            for proc in self.rng.sample(candidates, min(len(candidates), round(self.profiles[year].appeals
                                                                                * self.scale))):
                proc.appealed = proc.awarded + datetime.timedelta(days=self.rng.randint(3, 10))
                proc.completed = self.after(proc.appealed, 45, 150)
                proc.appeal_outcome = self.rng.choices(APPEAL_OUTCOMES, weights=[55, 20, 15, 10])[0]

    def _cut_at_horizon(self, proc):
        """What has happened by the horizon decides the status; later dates are dropped."""
        horizon = self.horizon
        proc.expected = proc.completed or proc.awarded or proc.cancelled
        if proc.advertised > horizon:
            proc.status = Status.PLANNED
            proc.advertised = proc.awarded = proc.completed = proc.cancelled = proc.appealed = None
            proc.appeal_outcome = ""
        elif proc.cancelled:
            proc.status = Status.CANCELLED if proc.cancelled <= horizon else Status.ADVERTISED
            proc.cancelled = proc.cancelled if proc.cancelled <= horizon else None
        elif proc.awarded > horizon:
            proc.status = Status.ADVERTISED
            proc.awarded = proc.completed = proc.appealed = None
            proc.appeal_outcome = ""
        else:
            if proc.appealed and proc.appealed > horizon:
                proc.appealed, proc.appeal_outcome = None, ""
            if proc.support or proc.completed > horizon:
                proc.status, proc.completed = Status.AWARDED, None
                if proc.appealed and not proc.support:
                    proc.appeal_outcome = Procurement.AppealOutcome.PENDING
            else:
                proc.status = Status.COMPLETED

    # --- who commissioned it, what it is ---

    def _categories(self, procs):
        """Categories by weight; exactly the year's number of food procurements are food."""
        for year, group in sorted(self._by_year(procs, lambda p: p.advertised).items()):
            profile = self.profiles[year]
            food = self.rng.sample(group, min(len(group), self.count(profile.food, year)))
            food_ids = {id(p) for p in food}
            organic = {id(p) for p in self.quota(food, profile.organic)}
            local = {id(p) for p in self.quota(food, profile.local)}
            for proc in group:
                if id(proc) in food_ids:
                    proc.category, proc.product_group = 0, self.rng.choice(FOOD_GROUPS)
                    proc.flags.update(is_food=True, organic_food_requirement=id(proc) in organic,
                                      local_food_requirement=id(proc) in local)
                else:
                    self._non_food_category(proc)
        for proc in procs:
            if proc.status == Status.PLANNED:
                self._non_food_category(proc)

    def _non_food_category(self, proc):
        proc.category = self.rng.choices(range(len(CATEGORIES)), weights=self.category_weights)[0]
        groups = CATEGORIES[proc.category][2]
        proc.product_group = self.rng.choice(groups[len(FOOD_GROUPS):] if proc.category == 0 else groups)

    def _kinds_and_municipalities(self, procs):
        """Exactly the year's share of completed procurements is coordinated (≥ 2 municipalities)."""
        coordinated = set()
        for year, group in self._by_year(procs, lambda p: p.completed).items():
            coordinated.update(id(p) for p in self.quota(group, self.profiles[year].coordinated))
        for proc in procs:
            if proc.support:
                proc.kind, proc.in_plan = Kind.SUPPORT, False
                proc.municipalities = [self._one_municipality()]
                continue
            if proc.status == Status.COMPLETED:
                joint = id(proc) in coordinated
            else:
                year = (proc.advertised or self.horizon).year
                joint = self.rng.random() * 100 < self.profiles[year].coordinated
            dis = self.rng.random() < (0.12 if joint else 0.2)
            proc.kind = Kind.DIS_CALL if dis else (Kind.JOINT if joint else Kind.MUNICIPAL)
            if joint:
                size = self.rng.choices(COORDINATED_SIZES, weights=COORDINATED_SIZE_WEIGHTS)[0]
                proc.municipalities = sorted(self.rng.sample(range(len(self.municipalities)), size))
            else:
                proc.municipalities = [self._one_municipality()]
            if dis:
                proc.procedure, proc.in_plan = Procedure.DIS, False
            else:
                proc.procedure = self.rng.choices(
                    [Procedure.OPEN, Procedure.SIMPLIFIED, Procedure.RESTRICTED, Procedure.SELECTION,
                     Procedure.NEGOTIATED],
                    weights=[48, 36, 6, 4, 6],
                )[0]
                proc.in_plan = proc.status == Status.PLANNED or self.rng.random() < (0.95 if joint else 0.75)

    def _one_municipality(self):
        return self.rng.choices(range(len(self.municipalities)), weights=self.municipality_weights)[0]

    # --- requirements (advertised in the year) ---

    def _advertised_requirements(self, procs):
        for year, group in sorted(self._by_year(procs, lambda p: p.advertised).items()):
            profile = self.profiles[year]
            self._flag(self.quota(group, profile.employment), "employment_requirement")
            self._flag(self.weighted_sample(group, self.count(profile.labour_law, year),
                                            self.relevance("labour_law")), "labour_law_conditions")
            self._flag(self.weighted_sample(group, self.count(profile.reserved, year), self.relevance("reserved")),
                       "reserved")
            self._flag(self.quota(group, profile.preparedness), "preparedness_requirement")
            self._flag(self.weighted_sample(group, round(len(group) * profile.accessibility / 100),
                                            self.relevance("accessibility")), "accessibility_requirement")
            self._flag(self.quota(group, profile.gender_equality), "gender_equality_requirement")
            self._environment(group, profile)
            self._questions(group, profile.questions)
            self._welfare(self.weighted_sample(group, self.count(profile.welfare_risk, year),
                                               self.relevance("welfare")))

    def _flag(self, procs, name, value=True):
        for proc in procs:
            proc.flags[name] = value

    def _environment(self, group, profile):
        environmental = self.quota(group, profile.environmental)
        self._flag(environmental, "environmental_requirement")
        for area in ("env_management", "reuse", "climate_transport", "climate_other", "chemicals"):
            k = round(len(group) * getattr(profile, area) / 100)
            advanced = {id(p) for p in self.weighted_sample(environmental, k, self.relevance(area))}
            for proc in environmental:
                if id(proc) in advanced:
                    level = UhmLevel.SPJUTSPETS if self.rng.random() < 0.2 else UhmLevel.AVANCERAD
                else:
                    level = UhmLevel.BAS if self.rng.random() < 0.45 else UhmLevel.NONE
                proc.flags[f"{area}_level"] = level

    def _questions(self, group, average):
        """Questions while advertised: skewed per procurement, exactly `average` over the year."""
        total = round(average * len(group))
        weights = [self.rng.gammavariate(1.3, 1.0) for _ in group]
        scale = total / (sum(weights) or 1)
        shares = [w * scale for w in weights]
        counts = [math.floor(s) for s in shares]
        by_remainder = sorted(range(len(group)), key=lambda i: counts[i] - shares[i])
        for i in by_remainder[: total - sum(counts)]:
            counts[i] += 1
        for proc, n in zip(group, counts, strict=True):
            proc.flags["questions_received"] = n

    def _welfare(self, risky):
        for proc in risky:
            proc.flags.update(
                welfare_crime_risk=True,
                supplier_checks=self.rng.randint(1, 6),
                tenders_disqualified_welfare=self.rng.choices([0, 1, 2], weights=[70, 25, 5])[0],
            )
            if self.rng.random() < 0.35:
                proc.flags.update(welfare_actions=self.rng.randint(1, 2),
                                  welfare_actions_text=self.rng.choice(WELFARE_ACTIONS))

    # --- outcomes (completed in the year) ---

    def _completed_outcomes(self, procs):
        for year, group in sorted(self._by_year(procs, lambda p: p.completed).items()):
            profile = self.profiles[year]
            negotiable = [p for p in group if p.kind != Kind.DIS_CALL]
            for proc in self.rng.sample(negotiable, min(len(negotiable), self.count(profile.negotiations, year))):
                proc.procedure = Procedure.NEGOTIATED if self.rng.random() < 0.3 else Procedure.SIMPLIFIED
                saving = round(self.rng.lognormvariate(math.log(180_000), 0.9), -3)
                proc.flags.update(negotiation_held=True, negotiation_saving_sek=saving)
            self._flag(self.quota(group, profile.bidders_contacted), "bidders_contacted")
            for proc in self.rng.sample(group, min(len(group), self.count(profile.innovative, year))):
                proc.flags["innovative_solution"] = True
                if self.rng.random() < 0.3 and proc.kind != Kind.DIS_CALL:
                    proc.procedure = self.rng.choice([Procedure.COMPETITIVE_DIALOGUE,
                                                      Procedure.INNOVATION_PARTNERSHIP])
            self._traineeships(group, self.count(profile.traineeships, year))

    def _traineeships(self, group, total):
        eligible = [p for p in group if p.flags.get("employment_requirement")]
        if not eligible:
            return
        receivers = self.rng.sample(eligible, min(len(eligible), max(1, total // 2)))
        for _ in range(total):
            proc = self.rng.choice(receivers)
            proc.flags["traineeships"] = proc.flags.get("traineeships", 0) + 1

    def _plan_dates(self, procs):
        """Planned completion dates such that the year's share of the plan is completed on time (8.2)."""
        horizon = self.horizon
        groups = {}
        for proc in procs:
            if not proc.in_plan:
                continue
            if proc.status == Status.PLANNED:
                proc.planned_completion = proc.expected + datetime.timedelta(days=self.rng.randint(0, 30))
            elif proc.status in (Status.ADVERTISED, Status.AWARDED):
                # Running: planned around when it will be done; some of them are already late.
                proc.planned_completion = proc.expected + datetime.timedelta(days=self.rng.randint(-40, 30))
                if proc.planned_completion <= horizon:
                    groups.setdefault(proc.planned_completion.year, []).append(proc)
            elif proc.status == Status.CANCELLED:
                proc.planned_completion = min(self.after(proc.cancelled, 20, 120), year_end(proc.cancelled.year),
                                              horizon)
                groups.setdefault(proc.planned_completion.year, []).append(proc)
            else:
                groups.setdefault(proc.completed.year, []).append(proc)
        for year, group in sorted(groups.items()):
            share = self.profiles[year].on_time if year in self.profiles else 75
            completed = [p for p in group if p.status == Status.COMPLETED]
            on_time = {id(p) for p in self.rng.sample(completed, min(len(completed), round(len(group) * share / 100)))}
            for proc in completed:
                day = proc.completed
                if id(proc) in on_time:
                    planned = min(day + datetime.timedelta(days=self.rng.randint(0, 40)), year_end(year), horizon)
                else:
                    planned = max(day - datetime.timedelta(days=self.rng.randint(10, 90)), year_start(year))
                    planned = planned if planned < day else day - ONE_DAY
                proc.planned_completion = planned

    # --- bids ---

    def _bids(self, procs):
        """Bids per completed procurement and regional shares of bids and awards exactly as the year's profile."""
        for year, group in sorted(self._by_year(procs, lambda p: p.completed).items()):
            profile = self.profiles[year]
            sizes = self._bid_counts(group, profile.bids_per_procurement)
            awarded = [min(self.rng.choices([1, 2, 3], weights=[40, 25, 35])[0], k) for k in sizes]
            regional_awarded = round(sum(awarded) * profile.awarded_regional / 100)
            regional_other = min(max(0, round(sum(sizes) * profile.bids_regional / 100) - regional_awarded),
                                 sum(sizes) - sum(awarded))
            award_flags = self._shuffled(regional_awarded, sum(awarded))
            other_flags = self._shuffled(regional_other, sum(sizes) - sum(awarded))
            for proc, k, a in zip(group, sizes, awarded, strict=True):
                self._bids_for(proc, [award_flags.pop() for _ in range(a)], [other_flags.pop() for _ in range(k - a)])
        for proc in procs:
            if proc.status == Status.AWARDED or (proc.status == Status.CANCELLED and self.rng.random() < 0.6):
                k = max(1, round(self.rng.gammavariate(3, 4.2 / 3)))
                a = 0 if proc.status == Status.CANCELLED else min(k, self.rng.choice([1, 1, 2, 3]))
                flags = [self.rng.random() < 0.58 for _ in range(k)]
                self._bids_for(proc, flags[:a], flags[a:])

    def _bid_counts(self, group, average):
        """Bids per procurement, skewed, adding up to exactly `average` per procurement."""
        limit = [3 if p.flags.get("reserved") else 12 for p in group]
        target = min(max(round(average * len(group)), len(group)), sum(limit))
        sizes = [min(lim, max(1, round(self.rng.gammavariate(3, average / 3)))) for lim in limit]
        total = sum(sizes)
        while total != target:
            i = self.rng.randrange(len(group))
            if total > target and sizes[i] > 1:
                sizes[i], total = sizes[i] - 1, total - 1
            elif total < target and sizes[i] < limit[i]:
                sizes[i], total = sizes[i] + 1, total + 1
        return sizes

    def _shuffled(self, true_count, total):
        flags = [True] * true_count + [False] * (total - true_count)
        self.rng.shuffle(flags)
        return flags

    def _bids_for(self, proc, awarded_flags, other_flags):
        """Distinct suppliers for the bids: regional or not as flagged; the awarded ones first."""
        flags = awarded_flags + other_flags
        if proc.flags.get("reserved"):  # only social enterprises may bid
            social = self.rng.sample(self.social[True] + self.social[False], len(flags))
            chosen = {True: social[: flags.count(True)], False: social[flags.count(True):]}
        else:
            chosen = {True: self._pick_suppliers(proc, True, flags.count(True)),
                      False: self._pick_suppliers(proc, False, flags.count(False))}
        disqualify = proc.flags.get("tenders_disqualified_welfare", 0)
        if len(other_flags) > disqualify and self.rng.random() < 0.08:
            disqualify += 1
        disqualify = min(disqualify, len(other_flags))
        proc.flags["tenders_disqualified_welfare"] = min(proc.flags.get("tenders_disqualified_welfare", 0),
                                                         disqualify)
        for position, regional in enumerate(flags):
            is_awarded = position < len(awarded_flags)
            disqualified = position >= len(flags) - disqualify
            proc.bids.append((chosen[regional].pop(), disqualified, is_awarded))

    def _pick_suppliers(self, proc, regional, k):
        """k distinct suppliers of the procurement's category (others when the category has too few)."""
        pool = self.pools[proc.category][regional]
        if len(pool) < k:
            pool = pool + [s for c, pools in enumerate(self.pools) if c != proc.category for s in pools[regional]]
        return self.rng.sample(pool, k)

    # --- numbers and titles ---

    def _case_numbers_and_titles(self, procs):
        registered = sorted(procs, key=lambda p: (p.advertised or self.horizon + ONE_DAY, p.index))
        sequence = {}
        for proc in registered:
            year = (proc.advertised or self.horizon).year
            sequence[year] = sequence.get(year, 0) + self.rng.choice([1, 1, 1, 2, 3])
            proc.case_number = f"UhC {year}/{sequence[year]:04d}"
            proc.title = self._title(proc)

    def _title(self, proc):
        group = proc.product_group
        if proc.kind == Kind.SUPPORT:
            return f"Upphandlingsstöd: {lower_first(group)}, {self._owner(proc.municipalities[0])}"
        if proc.kind == Kind.DIS_CALL:
            return f"Avrop från DIS: {lower_first(group)}"
        if proc.kind == Kind.MUNICIPAL:
            return f"{group} till {self._owner(proc.municipalities[0])}"
        return self.rng.choice([group, f"Ramavtal {lower_first(group)}", f"{group}, gemensam upphandling"])

    def _owner(self, municipality):
        name = self.municipalities[municipality].name
        return MUNICIPALITY_OWNER.get(name, f"{name} kommun")

    # --- contracts ---

    def _contracts(self, procs):
        contracts = []
        for proc in procs:
            if proc.status != Status.COMPLETED:
                continue
            start = self.after(proc.completed, 0, 45)
            start = start if start <= self.horizon else proc.completed
            awarded = [supplier for supplier, _disqualified, is_awarded in proc.bids if is_awarded]
            for number, supplier in enumerate(awarded, start=1):
                contracts.append(self._contract(
                    f"AVT {proc.case_number.split(' ', 1)[1]}-{number}", proc.title, supplier, proc.municipalities,
                    proc.category, start, proc,
                ))
        return contracts

    def _legacy_contracts(self):
        """Contracts still in force on 1 January of the first year, from procurements before the register."""
        first = year_start(self.years[0])
        contracts, number = [], 0
        for year in range(self.years[0] - 4, self.years[0]):
            for _ in range(round(200 * self.scale)):
                category = self.rng.choices(range(len(CATEGORIES)), weights=self.category_weights)[0]
                groups = CATEGORIES[category][2]
                title = self.rng.choice(groups)
                if self.rng.random() < 0.58:
                    municipalities = sorted(self.rng.sample(range(len(self.municipalities)), self.rng.choices(
                        COORDINATED_SIZES, weights=COORDINATED_SIZE_WEIGHTS)[0]))
                else:
                    municipalities = [self._one_municipality()]
                start = self.date_between(year_start(year), year_end(year))
                for _ in range(self.rng.choices([1, 2, 3], weights=[40, 25, 35])[0]):
                    regional = self.rng.random() < 0.55
                    supplier = self.rng.choice(self.pools[category][regional])
                    number += 1
                    contract = self._contract(f"AVT {year}-{number:04d}", title, supplier, municipalities, category,
                                              start, None)
                    if contract["end"] >= first:
                        contracts.append(contract)
        return contracts

    def _contract(self, number, title, supplier, municipalities, category, start, proc):
        critical = CATEGORIES[category][0] in (FOOD, "Vård och omsorg", "IT och telekom", "Energi och miljö")
        contract_class = self.rng.choices("ABCD", weights=[16, 30, 32, 22] if critical else [6, 20, 38, 36])[0]
        years = self.rng.choice([2, 3, 3, 4, 4])
        value = round(self.rng.lognormvariate(math.log(900_000), 1.2), -4)
        return {
            "number": number, "title": title[:250], "supplier": supplier, "municipalities": municipalities,
            "class": contract_class, "start": start, "end": add_years(start, years) - ONE_DAY, "value": value,
            "proc": proc, "terminated": None, "reason": "",
        }

    def _active_in(self, contracts, year):
        low, high = year_start(year), min(year_end(year), self.horizon)
        return [c for c in contracts if c["start"] <= high and (c["terminated"] or c["end"]) >= low]

    def _terminations(self, contracts):
        for year in self.years:
            active = [c for c in self._active_in(contracts, year) if c["terminated"] is None]
            wanted = round(self.profiles[year].terminated * self.scale)
            for contract in self.rng.sample(active, min(wanted, len(active))):
                low = max(contract["start"] + datetime.timedelta(days=30), year_start(year))
                high = min(contract["end"] - ONE_DAY, year_end(year))
                if low <= high:
                    day = self.date_between(low, high)
                    if day <= self.horizon:
                        contract["terminated"] = day
                        contract["reason"] = self.rng.choice(TERMINATION_REASONS)

    def _follow_ups(self, contracts):
        """The year's number of follow-ups, A and B contracts (followed up in meetings) more often."""
        follow_ups = []
        weight_of = {"A": 4.0, "B": 3.0, "C": 1.0, "D": 0.6}
        for year in self.years:
            active = self._active_in(contracts, year)
            if not active:
                continue
            chosen = self.rng.choices(active, weights=[weight_of[c["class"]] for c in active],
                                      k=round(self.profiles[year].follow_ups * self.scale))
            for contract in chosen:
                low = max(contract["start"], year_start(year))
                high = min(contract["terminated"] or contract["end"], year_end(year))
                day = self.date_between(low, high)
                if day > self.horizon:
                    continue
                follow_ups.append((contract, day, self._follow_up_form(contract["class"])))
        return follow_ups

    def _follow_up_form(self, contract_class):
        Form = ContractFollowUp.Form
        weights = [85, 10, 5] if contract_class in "AB" else [20, 45, 35]
        return self.rng.choices([Form.MEETING, Form.EMAIL, Form.PHONE], weights=weights)[0]

    # --- writing ---

    def _save(self, procs, contracts, follow_ups):
        procurements = Procurement.objects.bulk_create([self._procurement(p) for p in procs], batch_size=BATCH_SIZE)
        for proc, instance in zip(procs, procurements, strict=True):
            proc.pk = instance.pk
        self._bulk(Procurement.municipalities.through, [
            Procurement.municipalities.through(procurement_id=p.pk, municipality_id=self.municipalities[m].pk)
            for p in procs for m in p.municipalities
        ])
        bids = [Bid(procurement_id=p.pk, supplier_id=self.suppliers[s].pk, disqualified=d, awarded=a)
                for p in procs for s, d, a in p.bids]
        self._bulk(Bid, bids)
        taken = set(Contract.objects.values_list("number", flat=True))  # contracts entered without a procurement
        for contract in contracts:
            while contract["number"] in taken:
                contract["number"] += "-D"
        instances = Contract.objects.bulk_create([self._contract_instance(c) for c in contracts],
                                                 batch_size=BATCH_SIZE)
        for contract, instance in zip(contracts, instances, strict=True):
            contract["pk"] = instance.pk
        self._bulk(Contract.municipalities.through, [
            Contract.municipalities.through(contract_id=c["pk"], municipality_id=self.municipalities[m].pk)
            for c in contracts for m in c["municipalities"]
        ])
        self._bulk(ContractFollowUp, [
            ContractFollowUp(contract_id=c["pk"], date=day, form=form, notes=self.rng.choice(FOLLOW_UP_NOTES),
                             actions=self.rng.choice(FOLLOW_UP_ACTIONS) if self.rng.random() < 0.2 else "")
            for c, day, form in follow_ups
        ])
        self.summary.procurements = len(procs)
        self.summary.planned = sum(p.status == Status.PLANNED for p in procs)
        self.summary.completed = sum(p.status == Status.COMPLETED for p in procs)
        self.summary.cancelled = sum(p.status == Status.CANCELLED for p in procs)
        self.summary.bids = len(bids)
        self.summary.contracts = len(contracts)
        self.summary.follow_ups = len(follow_ups)

    def _bulk(self, model, objects):
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)

    def _procurement(self, proc):
        category = self.categories[proc.category]
        return Procurement(
            case_number=proc.case_number,
            title=proc.title[:250],
            category=category,
            product_group_id=self.product_groups[(category.pk, proc.product_group)],
            kind=proc.kind,
            procedure=proc.procedure,
            in_procurement_plan=proc.in_plan,
            planned_completion=proc.planned_completion,
            status=proc.status,
            advertised_on=proc.advertised,
            awarded_on=proc.awarded,
            completed_on=proc.completed,
            cancelled_on=proc.cancelled,
            cancellation_reason=self._cancellation_reason(proc),
            appealed_on=proc.appealed,
            appeal_outcome=proc.appeal_outcome,
            **proc.flags,
        )

    def _cancellation_reason(self, proc):
        if proc.status != Status.CANCELLED:
            return ""
        return self.rng.choice(CANCELLATION_REASONS[1:] if proc.bids else CANCELLATION_REASONS[:1] +
                               CANCELLATION_REASONS[3:5])

    def _contract_instance(self, contract):
        proc = contract["proc"]
        return Contract(
            number=contract["number"],
            title=contract["title"],
            procurement_id=proc.pk if proc else None,
            supplier_id=self.suppliers[contract["supplier"]].pk,
            contract_class=contract["class"],
            start_date=contract["start"],
            end_date=contract["end"],
            estimated_yearly_value=contract["value"],
            terminated_on=contract["terminated"],
            termination_reason=contract["reason"],
        )

    # --- activities ---

    def _activities(self, procs):
        """Information activities; early dialogues and RFIs lead to a procurement advertised some months later."""
        advertised = sorted((p for p in procs if p.advertised), key=lambda p: (p.advertised, p.index))
        dates = [p.advertised for p in advertised]
        Kinds = InformationActivity.Kind
        activities, links = [], []
        for year in self.years:
            for _ in range(round(self.profiles[year].activities * self.scale)):
                day = self.date_between(year_start(year), year_end(year))
                if day > self.horizon:
                    continue
                kind = self.rng.choices([Kinds.EARLY_DIALOGUE, Kinds.RFI, Kinds.OTHER], weights=[40, 15, 45])[0]
                proc = self._later_procurement(advertised, dates, day) if kind != Kinds.OTHER else None
                if proc:
                    title = f"{'Tidig dialog' if kind == Kinds.EARLY_DIALOGUE else 'RFI'}: {lower_first(proc.title)}"
                    municipalities = proc.municipalities[:3]
                else:
                    kind = Kinds.OTHER
                    place = self.municipalities[self._one_municipality()].name
                    title = self.rng.choice(ACTIVITY_OTHER).format(place=place)
                    municipalities = sorted(self.rng.sample(range(len(self.municipalities)), self.rng.randint(0, 2)))
                activities.append(InformationActivity(date=day, kind=kind, title=title[:250],
                                                      procurement_id=proc.pk if proc else None))
                links.append(municipalities)
        activities = InformationActivity.objects.bulk_create(activities, batch_size=BATCH_SIZE)
        self._bulk(InformationActivity.municipalities.through, [
            InformationActivity.municipalities.through(informationactivity_id=a.pk,
                                                       municipality_id=self.municipalities[m].pk)
            for a, municipalities in zip(activities, links, strict=True) for m in municipalities
        ])
        self.summary.activities = len(activities)

    def _later_procurement(self, advertised, dates, day):
        low = bisect.bisect_left(dates, day + datetime.timedelta(days=20))
        high = bisect.bisect_right(dates, day + datetime.timedelta(days=180))
        proc = advertised[self.rng.randrange(low, high)] if low < high else None
        return proc if proc and proc.kind in (Kind.JOINT, Kind.MUNICIPAL) else None

    def _efforts_and_dialogues(self):
        efforts, dialogues = [], []
        everyone = list(range(len(self.municipalities)))
        Kinds = MunicipalityDialogue.Kind
        for year in self.years:
            reached = self.rng.sample(everyone, self.rng.choice([6, 7, 7]))
            for position in range(max(len(reached), self.count(25, year))):
                municipality = reached[position] if position < len(reached) else self.rng.choice(reached)
                efforts.append(CompetenceEffort(
                    date=self.date_between(year_start(year), min(year_end(year), self.horizon)),
                    municipality=self.municipalities[municipality],
                    title=self.rng.choice(EFFORT_TITLES), participants=self.rng.randint(6, 45),
                ))
            if year < 2025:
                continue
            for kind, low, high in ((Kinds.PLAN_REMISS, (9, 1), (11, 30)), (Kinds.PREPAREDNESS, (2, 1), (11, 30))):
                for municipality in sorted(self.rng.sample(everyone, self.rng.randint(5, 7))):
                    day = self.date_between(datetime.date(year, *low), datetime.date(year, *high))
                    if day <= self.horizon:
                        dialogues.append(MunicipalityDialogue(
                            date=day, municipality=self.municipalities[municipality], kind=kind,
                            notes=self._dialogue_note(kind, year),
                        ))
        self._bulk(CompetenceEffort, efforts)
        self._bulk(MunicipalityDialogue, dialogues)
        self.summary.efforts, self.summary.dialogues = len(efforts), len(dialogues)

    def _dialogue_note(self, kind, year):
        if kind == MunicipalityDialogue.Kind.PLAN_REMISS:
            return f"Upphandlingsplanen {year + 1} på remiss; dialog med kommunledningen om behov och prioriteringar."
        return "Dialog om försörjningsberedskap och vilka avtal som är kritiska vid samhällsstörning, kris och krig."
