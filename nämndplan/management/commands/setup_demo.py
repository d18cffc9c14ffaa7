import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nämndplan.models import Meeting

# The committee meets at least five times a year; these are the demo's meeting dates.
DEMO_MEETING_DAYS = [(2, 18), (4, 22), (6, 10), (9, 23), (11, 25)]


class Command(BaseCommand):
    help = "Fyller en ny lokal demodatabas med sammanträden (och demodata när registret finns)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demodata läses bara in i den lokala demon (DEBUG=1).")
        for year in (2025, 2026):
            for month, day in DEMO_MEETING_DAYS:
                Meeting.objects.get_or_create(date=datetime.date(year, month, day))
        self.stdout.write(f"{Meeting.objects.count()} sammanträden finns.")
