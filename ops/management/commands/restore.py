from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia från backup. ALL befintlig data ersätts. Allt sker i en transaktion: "
        "går något fel är databasen som förut."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Filen som backup skrev.")
        parser.add_argument("--yes", action="store_true", help="Bekräfta att befintlig data ska ersättas.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Filen {path} finns inte.")
        if not options["yes"]:
            raise CommandError("Återställning ersätter all data i databasen. Kör igen med --yes för att bekräfta.")
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(path), verbosity=0)
        self.stdout.write(f"Databasen är återställd från {path}.")
