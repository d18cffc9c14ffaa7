from django.core.management.base import BaseCommand

from nämndplan.loading import DEFAULT_PLAN_FILE, load_plan, read_plan_file


class Command(BaseCommand):
    help = "Läser in nämndplanen (mål, indikatorer, målnivåer, historik) från fixtures. Kan köras flera gånger."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_PLAN_FILE), help="JSON-fil med planen.")

    def handle(self, *args, **options):
        plan = load_plan(read_plan_file(options["file"]))
        count = sum(goal.indicators.count() for goal in plan.goals.all())
        self.stdout.write(f"{plan.name}: {plan.goals.count()} mål, {count} indikatorer inlästa.")
