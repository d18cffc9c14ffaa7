"""The first national reference figures, each checked against the page it cites (December 2026).

Which indicator each sits beside (docs: indicators/context.py):
- 5.5 (bids per completed procurement, on average): UHM's mean bids per procurement, and its share of
  procurements with a single bid (the plan has no indicator of its own for that share);
- 5.2 and 5.3 (regional companies' share of bids and of contracts awarded): UHM's SME share of bids and
  of contracts won, the nearest national measure (regional and SME overlap but are not the same);
- 8.8 (the number of appeals): UHM's share of advertised procurements that were appealed.
The single-bid and appeal shares are for 2022, the latest year found published; a superuser replaces
them in admin when newer figures are found. Figures edited in admin are never touched by this migration.
"""

from decimal import Decimal

from django.db import migrations

UHM = "Upphandlingsmyndigheten"
NEWS_2026 = {
    "source": "Upphandlingsmyndigheten, Antalet annonserade upphandlingar ökar (nyhet 5 februari 2026)",
    "url": "https://www.upphandlingsmyndigheten.se/nyheter/2026/antalet-annonserade-upphandlingar-okar",
}
FIGURES = [
    {
        "indicator_code": "5.5", "measure": "Genomsnittligt antal anbud per upphandling",
        "value": Decimal("4.6"), "unit": "average", "year": 2024, **NEWS_2026,
        "definition": "Anbud per annonserad upphandling i hela landet, räknat på de upphandlingar som har "
                      "efterannonserats. Sedan 2021 räknar Upphandlingsmyndigheten anbud, tidigare anbudsgivare. "
                      "Indikator 5.5 räknar anbuden i UhC:s avslutade upphandlingar.",
    },
    {
        "indicator_code": "5.5", "measure": "Andel upphandlingar med endast ett anbud",
        "value": Decimal("21"), "unit": "percent", "year": 2022,
        "source": "Upphandlingsmyndigheten, Statistik om annonserade upphandlingar i Sverige 2022 "
                  "(publicerad 31 mars 2023)",
        "url": "https://www.upphandlingsmyndigheten.se/statistik/upphandlingsstatistik/"
               "statistik-om-annonserade-upphandlingar-i-sverige-2022/",
        "definition": "Andelen av landets upphandlingar 2022 där endast ett anbud kom in. Nämndplanen har ingen "
                      "egen indikator för andelen: siffran visas vid 5.5, antalet anbud i snitt.",
        "note": "Senaste år med publicerad siffra som kunde kontrolleras: 2022. Byt mot en nyare när den finns.",
    },
    {
        "indicator_code": "5.2", "measure": "Andel anbud från små och medelstora företag",
        "value": Decimal("75"), "unit": "percent", "year": 2024, **NEWS_2026,
        "definition": "Små och medelstora företags andel av alla lämnade anbud i hela landet. Indikator 5.2 mäter "
                      "andelen anbud från företag med regional verksamhet: måtten överlappar men är inte samma.",
        "note": "Upphandlingsmyndigheten anger andelen avrundad: ”ungefär 75 procent”.",
    },
    {
        "indicator_code": "5.3", "measure": "Andel vunna kontrakt till små och medelstora företag",
        "value": Decimal("75"), "unit": "percent", "year": 2024, **NEWS_2026,
        "definition": "Små och medelstora företags andel av de vunna kontrakten i hela landet. Indikator 5.3 mäter "
                      "andelen avtal till företag med regional verksamhet: måtten överlappar men är inte samma.",
        "note": "Upphandlingsmyndigheten anger andelen avrundad: ”ungefär 75 procent”.",
    },
    {
        "indicator_code": "8.8", "measure": "Andel annonserade upphandlingar som överprövats",
        "value": Decimal("5.3"), "unit": "percent", "year": 2022,
        "source": "Upphandlingsmyndigheten, Andelen överprövningar minskar 2022 (rättsfallsstatistik, "
                  "publicerad 28 november 2023)",
        "url": "https://www.upphandlingsmyndigheten.se/statistik/rattsfallsstatistik/andelen-overprovningar-minskar2/",
        "definition": "Andelen av landets 17 203 annonserade upphandlingar 2022 där en dom eller ett beslut i första "
                      "instans om överprövning har registrerats (911 upphandlingar). Indikator 8.8 räknar antalet "
                      "överprövningar av UhC:s upphandlingar, inte andelen.",
        "note": "Senaste år med publicerad siffra som kunde kontrolleras: 2022. Andelen brukar öka något när "
                "statistiken revideras.",
    },
]


def add_figures(apps, schema_editor):
    ReferenceFigure = apps.get_model("indicators", "ReferenceFigure")
    for figure in FIGURES:
        keys = {key: figure[key] for key in ("indicator_code", "measure", "year")}
        ReferenceFigure.objects.using(schema_editor.connection.alias).get_or_create(
            **keys, area="Riket", defaults={**figure, "publisher": UHM},
        )


def remove_figures(apps, schema_editor):
    ReferenceFigure = apps.get_model("indicators", "ReferenceFigure")
    for figure in FIGURES:
        ReferenceFigure.objects.using(schema_editor.connection.alias).filter(
            indicator_code=figure["indicator_code"], measure=figure["measure"], year=figure["year"], area="Riket",
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_reference_figure")]

    operations = [migrations.RunPython(add_figures, remove_figures)]
