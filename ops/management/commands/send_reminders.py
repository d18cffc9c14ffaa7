"""python manage.py send_reminders – mail each person what falls due in the coming weeks (run daily)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from ops.reminders import send_reminders
from procurement.work_list import AHEAD_WEEKS


class Command(BaseCommand):
    help = (
        "Skickar var och en en sammanställning av det som förfaller de kommande veckorna: uppföljningar, "
        "optioner att besluta och avtal som upphör. Kör dagligen; en andra körning samma dag skickar bara det "
        "som inte redan skickats."
    )

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=AHEAD_WEEKS, help="Hur många veckor framåt (standard 6).")
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle skickas utan att skicka.")

    def handle(self, *args, weeks, dry_run, **options):
        if weeks < 1 or weeks > 52:
            self.stderr.write("--weeks måste vara mellan 1 och 52.")
            raise SystemExit(2)
        outcome = send_reminders(timezone.localdate(), weeks=weeks, dry_run=dry_run)
        verb = "Skulle skicka" if dry_run else "Skickade"
        self.stdout.write(f"{verb} {outcome.sent if not dry_run else '–'} e-postmeddelanden med {outcome.tasks} "
                          "nya uppgifter.")
        for name in outcome.without_address:
            self.stdout.write(f"Ingen e-postadress för {name}: påminnelsen kunde inte skickas.")
        for name, error in outcome.failed:
            self.stderr.write(f"Påminnelsen till {name} kunde inte skickas ({error}); den skickas vid nästa körning.")
        if outcome.failed:
            raise SystemExit(1)
