"""Suppliers: a pool per category of regional and national companies, and the social enterprises."""

import math
from dataclasses import dataclass

from procurement.demo.reference import CATEGORIES, FOOD
from procurement.models import Supplier
from procurement.validators import luhn_check_digit

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


@dataclass
class Suppliers:
    """The suppliers (unsaved until writing.write_suppliers) and who may bid where, by index."""

    objects: list  # Supplier
    pools: list  # pools[category][regional] → indexes of the category's companies
    social: list  # social[regional] → indexes of the social enterprises


def draw_suppliers(chance):
    """The same number of companies for each category (about half of them regional), then the social
    enterprises; organisation numbers unique, also against the suppliers already in the register."""
    used_numbers = set(Supplier.objects.values_list("org_number", flat=True))
    used_names = set()
    suppliers = Suppliers(objects=[], pools=[[[], []] for _ in CATEGORIES], social=[[], []])
    per_category = max(8, round(25 * math.sqrt(chance.scale) * 1.6))
    for category, (name, _weight, _groups) in enumerate(CATEGORIES):
        for _ in range(per_category):
            regional = chance.rng.random() < 0.52
            company = _company_name(chance.rng, name, regional, used_names)
            sme = chance.rng.random() < (0.92 if regional else 0.45)
            number = _unique_org_number(chance.rng, "55" + chance.rng.choice("6666699"), used_numbers)
            suppliers.pools[category][regional].append(len(suppliers.objects))
            suppliers.objects.append(Supplier(name=company, org_number=number, regional=regional, sme=sme))
    for name, regional in SOCIAL_ENTERPRISES:
        number = _unique_org_number(chance.rng, chance.rng.choice(["769", "716", "802"]), used_numbers)
        suppliers.social[regional].append(len(suppliers.objects))
        company = f"{name} {chance.rng.choice(SOCIAL_SUFFIXES)}"
        suppliers.objects.append(Supplier(name=company, org_number=number, regional=regional, sme=True,
                                          social_enterprise=True))
    return suppliers


def _company_name(rng, category_name, regional, used):
    prefixes = REGIONAL_PREFIXES if regional else NATIONAL_PREFIXES
    words = BUSINESS_WORDS[category_name]
    for attempt in range(50):
        suffix = rng.choice(COMPANY_SUFFIXES)
        if suffix == "i Dalarna AB" and not regional:
            suffix = "Sverige AB"
        name = f"{rng.choice(prefixes)} {rng.choice(words)} {suffix}"
        if attempt > 20:
            name = f"{name[:-3]} {attempt} AB" if name.endswith(" AB") else f"{name} {attempt}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("Kunde inte hitta på ett unikt leverantörsnamn.")


def _unique_org_number(rng, prefix, used):
    while True:
        number = org_number(prefix, rng)
        if number not in used:
            used.add(number)
            return number


def org_number(prefix, rng):
    """A random organisation number starting with `prefix` whose last digit passes the Luhn check."""
    digits = prefix + "".join(str(rng.randint(0, 9)) for _ in range(9 - len(prefix)))
    return f"{digits[:6]}-{digits[6:]}{luhn_check_digit(digits)}"
