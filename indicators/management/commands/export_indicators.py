import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from indicators.export import indicator_rows
from nämndplan.models import Plan


class Command(BaseCommand):
    help = "Skriver ut alla indikatorer som JSON: kod, mål, namn, enhet, målnivå, värden per år och status."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Året som status avser (standard: i år).")

    def handle(self, *args, **options):
        plan = Plan.objects.current()
        if plan is None:
            raise CommandError("Ingen nämndplan är inläst: kör python manage.py load_plan först.")
        year = options["year"] or timezone.localdate().year
        if year not in plan.all_years:
            raise CommandError(
                f"År {year} ligger utanför planens år {plan.history_from}–{plan.end_year}."
            )
        self.stdout.write(json.dumps(indicator_rows(plan, year), ensure_ascii=False, indent=2))
