import datetime

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nämndplan.models import Meeting, Plan
from ops.demo_contracts import add_contract_management
from ops.demo_values import add_demo_values
from procurement.models import Procurement

# The committee meets at least five times a year; these are the demo's meeting dates.
DEMO_MEETING_DAYS = [(2, 18), (4, 22), (6, 10), (9, 23), (11, 25)]
# The demo register: from the plan's first history year up to today, at the real volume.
DEMO_SEED = 1
DEMO_FIRST_YEAR = 2021
DEMO_SCALE = 1.0


def demo_meeting_years(plan, today):
    """The years around today that the plan reports on (its history and its own years)."""
    return [year for year in (today.year - 1, today.year, today.year + 1) if year in plan.all_years]


class Command(BaseCommand):
    help = (
        "Fyller en lokal demodatabas med sammanträden och, om upphandlingsregistret är tomt, med demodata "
        "från 2021 till i dag (generate_demo_data). Kan köras flera gånger utan att något dubbleras."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demodata läses bara in i den lokala demon (DEBUG=1).")
        plan, today = Plan.objects.current(), timezone.localdate()
        # Last year's, this year's and next year's meetings (within the plan's years): a new installation always
        # has held meetings to report on and a next one to prepare.
        for year in demo_meeting_years(plan, today):
            for month, day in DEMO_MEETING_DAYS:
                Meeting.objects.get_or_create(date=datetime.date(year, month, day))
        self.stdout.write(f"{Meeting.objects.count()} sammanträden finns.")
        add_demo_values(plan, today)
        if Procurement.objects.exists():
            self.stdout.write("Upphandlingsregistret har redan innehåll; inga demodata läggs till.")
        else:
            call_command(
                "generate_demo_data",
                seed=DEMO_SEED,
                years=f"{DEMO_FIRST_YEAR}-{timezone.localdate().year}",
                scale=DEMO_SCALE,
                stdout=self.stdout,
            )
        managed = add_contract_management(today)
        if managed:
            self.stdout.write(f"{managed} avtal i kraft har fått avtalsförvaltare och i förekommande fall optioner.")
