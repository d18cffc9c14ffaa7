"""python manage.py export_ocds --year 2026 [--output ocds-uhc-2026.json]

The OCDS 1.1 release package of the procurements advertised in the year (procurement/ocds.py, docs/ocds.md),
to standard output or to a file.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.bounds import FIRST_YEAR
from procurement import ocds


def parse_year(raw, this_year):
    """The year in `raw`, from 2000 to this year (a procurement is advertised in the past), else CommandError."""
    example = f"t.ex. --year {this_year}"
    if raw is None:
        raise CommandError(f"Ange året med --year ÅÅÅÅ, {example}.")
    try:
        year = int(raw)
    except ValueError:
        raise CommandError(f"Ogiltigt år ”{raw}”: ange året med fyra siffror, {example}.") from None
    if not FIRST_YEAR <= year <= this_year:
        raise CommandError(f"Året {year} ligger utanför {FIRST_YEAR}–{this_year}: ange ett år då upphandlingar "
                           f"kan ha annonserats, {example}.")
    return year


class Command(BaseCommand):
    help = "Skriver upphandlingarna som annonserades ett år som ett OCDS 1.1-releasepaket (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--year", help="Året då upphandlingarna annonserades, ÅÅÅÅ.")
        parser.add_argument("--output", help="Filen som ska skrivas (annars till standard ut).")

    def handle(self, *args, year=None, output=None, **options):
        year = parse_year(year, timezone.localdate().year)
        package = ocds.release_package(year)
        count = len(package["releases"])
        if not count:
            raise CommandError(f"Inga upphandlingar annonserades {year}: det finns inget att exportera.")
        text = ocds.dumps(package)
        if not output:
            self.stdout.write(text)
            return
        path = Path(output)
        try:
            path.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Kunde inte skriva {path}: {error.strerror or error}.") from None
        self.stdout.write(f"Skrev {count} upphandlingar annonserade {year} till {path}.")
