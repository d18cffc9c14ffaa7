import datetime
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by migrate (content types, permissions) or short-lived (sessions, login attempts).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar all data (plan, värden, register, rapporter, användare) till en komprimerad "
        "JSON-fil som kan läsas tillbaka med restore, även till en annan databas (SQLite ↔ PostgreSQL)."
    )

    def add_arguments(self, parser):
        default = f"backup-{datetime.date.today().isoformat()}.json.gz"
        parser.add_argument("--output", default=default, help="Filnamn; .json.gz komprimeras.")

    def handle(self, *args, **options):
        path = Path(options["output"])
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDED,
            output=str(path),
            verbosity=0,
        )
        self.stdout.write(f"Säkerhetskopia skriven: {path} ({path.stat().st_size} byte).")
