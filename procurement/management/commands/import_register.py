from django.core.management.base import BaseCommand, CommandError

from common.formatting import format_number
from procurement.importing import ImportRefused, import_register


class Command(BaseCommand):
    help = (
        "Importerar upphandlingar, anbud, avtal och uppföljningar från en ifylld Excelmall. "
        "Allt eller inget: vid fel skrivs felrapporten ut, ingenting sparas och kommandot avslutas med felkod."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Den ifyllda mallen (.xlsx).")
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera filen utan att spara något.")

    def handle(self, *args, **options):
        try:
            result = import_register(options["file"], dry_run=options["dry_run"])
        except FileNotFoundError:
            raise CommandError(f"Filen {options['file']} finns inte.") from None
        except ImportRefused as refused:
            raise CommandError(" ".join(refused.messages)) from None
        if result.errors:
            for error in result.errors:
                column = error.column or "–"
                self.stderr.write(f"{error.sheet}, rad {error.row}, {column}: {error.message}")
            raise CommandError(f"{format_number(len(result.errors))} fel i filen. Ingenting sparades.")
        self.stdout.write(result.summary())
        if result.dry_run:
            self.stdout.write("Provkörning: ingenting sparades.")
        else:
            self.stdout.write("Importen är sparad.")
