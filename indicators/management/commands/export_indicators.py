import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.dates import parse_iso_date
from indicators.export import indicator_rows
from nämndplan.models import Municipality, Plan


class Command(BaseCommand):
    help = (
        "Skriver ut alla indikatorer som JSON: kod, mål, namn, enhet, målnivå, värden per år och status. "
        "--until ger läget hittills under året (t.ex. ett sammanträdes datum), --municipality för en kommun."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Året som status avser (standard: i år).")
        parser.add_argument("--until", default=None, help="Brytdatum YYYY-MM-DD inom året (år hittills).")
        parser.add_argument("--municipality", default=None, help="Kommunens namn, t.ex. Falun.")

    def handle(self, *args, **options):
        plan = Plan.objects.current()
        if plan is None:
            raise CommandError("Ingen nämndplan är inläst: kör python manage.py load_plan först.")
        until = self._until(options["until"])
        year = options["year"] or (until.year if until else timezone.localdate().year)
        if year not in plan.all_years:
            raise CommandError(f"År {year} ligger utanför planens år {plan.history_from}–{plan.end_year}.")
        if until and until.year != year:
            raise CommandError(f"Brytdatumet {until} ligger inte i år {year}.")
        municipality = self._municipality(options["municipality"])
        rows = indicator_rows(plan, year, until=until, municipality=municipality)
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))

    def _until(self, raw):
        if raw is None:
            return None
        until = parse_iso_date(raw)
        if until is None:
            raise CommandError(f"Ogiltigt datum {raw!r}: skriv YYYY-MM-DD.")
        return until

    def _municipality(self, name):
        if name is None:
            return None
        try:
            return Municipality.objects.get(name__iexact=name)
        except Municipality.DoesNotExist as exc:
            names = ", ".join(Municipality.objects.values_list("name", flat=True))
            raise CommandError(f"Okänd kommun {name!r}. Välj bland: {names}.") from exc
