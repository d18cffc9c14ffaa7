"""Reference data: the purchasing categories and their product groups, and the municipalities."""

import datetime
from dataclasses import dataclass

from nämndplan.models import Municipality
from procurement.models import Category, ProductGroup

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
CATEGORY_NAMES = [name for name, _weight, _groups in CATEGORIES]
CATEGORY_WEIGHTS = [weight for _name, weight, _groups in CATEGORIES]

# Relative size of the municipalities, for procurements commissioned by one of them.
MUNICIPALITY_WEIGHTS = {"Falun": 59, "Borlänge": 52, "Avesta": 23, "Gagnef": 10, "Hedemora": 15, "Ludvika": 26,
                        "Säter": 11}
MUNICIPALITY_OWNER = {"Falun": "Falu kommun", "Gagnef": "Gagnefs kommun", "Säter": "Säters kommun"}
# How many municipalities commission a coordinated procurement (2–7), all seven being common.
COORDINATED_SIZES = [2, 3, 4, 5, 6, 7]
COORDINATED_SIZE_WEIGHTS = [18, 14, 11, 9, 8, 40]


def draw_category(rng):
    """A category's index, by the categories' relative number of procurements."""
    return rng.choices(range(len(CATEGORIES)), weights=CATEGORY_WEIGHTS)[0]


def lower_first(name):
    """'Lokalvård' → 'lokalvård', but 'IT-säkerhet' and 'AV-utrustning' keep their capitals."""
    return name if len(name) > 1 and name[1].isupper() else name[0].lower() + name[1:]


@dataclass
class Reference:
    """The reference data in the database; the register speaks of municipalities and categories by index."""

    municipalities: list  # Municipality, in the plan's order
    categories: list  # Category, in the order of CATEGORIES
    product_groups: dict  # (category pk, name) → product group pk
    categories_created: int = 0
    product_groups_created: int = 0

    def __post_init__(self):
        self.municipality_weights = [MUNICIPALITY_WEIGHTS.get(m.name, 10) for m in self.municipalities]

    def one_municipality(self, rng):
        return rng.choices(range(len(self.municipalities)), weights=self.municipality_weights)[0]

    def commissioning(self, rng, coordinated):
        """The municipalities commissioning a procurement or contract: 2–7 if coordinated, else one by size."""
        if not coordinated:
            return [self.one_municipality(rng)]
        size = rng.choices(COORDINATED_SIZES, weights=COORDINATED_SIZE_WEIGHTS)[0]
        return sorted(rng.sample(range(len(self.municipalities)), size))

    def owner(self, municipality):
        name = self.municipalities[municipality].name
        return MUNICIPALITY_OWNER.get(name, f"{name} kommun")


def write_reference_data(chance, municipality_names, today):
    """The municipalities, categories and product groups, created where they are missing."""
    municipalities = _municipalities(municipality_names)
    categories, categories_created = _categories(chance, today)
    product_groups, product_groups_created = _product_groups(categories)
    return Reference(municipalities, categories, product_groups, categories_created, product_groups_created)


def _municipalities(names):
    municipalities = {m.name: m for m in Municipality.objects.all()}
    for order, name in enumerate(names, start=1):
        if name not in municipalities:
            municipalities[name] = Municipality.objects.create(name=name, order=order)
    return sorted(municipalities.values(), key=lambda m: (m.order, m.name))


def _categories(chance, today):
    existing = {c.name: c for c in Category.objects.all()}
    dates = _category_dates(chance, today)
    categories, created = [], 0
    for order, name in enumerate(CATEGORY_NAMES, start=1):
        if name not in existing:
            existing[name] = Category.objects.create(name=name, order=order, **dates[name])
            created += 1
        categories.append(existing[name])
    return categories, created


def _category_dates(chance, today):
    """By the end of 2025 five categories have a strategy, four an innovation need and three a digital
    potential identified; two more of each follow in 2026."""
    dates = {name: {} for name in CATEGORY_NAMES}
    plan = [
        ("strategy_adopted_on", [2023, 2024, 2024, 2025, 2025, 2026, 2026]),
        ("innovation_need_identified_on", [2025, 2025, 2025, 2025, 2026, 2026]),
        ("digital_potential_identified_on", [2025, 2025, 2025, 2026, 2026]),
    ]
    for field_name, years in plan:
        chosen = chance.rng.sample(CATEGORY_NAMES, len(years))
        for name, year in zip(chosen, years, strict=True):
            day = chance.date_between(datetime.date(year, 1, 15), datetime.date(year, 10, 31))
            if day <= today:
                dates[name][field_name] = day
    return dates


def _product_groups(categories):
    known = set(ProductGroup.objects.values_list("category_id", "name"))
    new = [
        ProductGroup(category=category, name=group)
        for category, (_name, _weight, groups) in zip(categories, CATEGORIES, strict=True)
        for group in groups
        if (category.pk, group) not in known
    ]
    ProductGroup.objects.bulk_create(new)
    rows = ProductGroup.objects.values_list("pk", "category", "name")
    return {(category_id, name): pk for pk, category_id, name in rows}, len(new)
