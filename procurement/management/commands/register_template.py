from django.core.management.base import BaseCommand

from procurement.importing import build_template


class Command(BaseCommand):
    help = "Skriver Excelmallen för import av upphandlingsregistret till FIL.xlsx."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Filen som mallen skrivs till, t.ex. mall.xlsx.")

    def handle(self, *args, **options):
        with open(options["file"], "wb") as out:
            out.write(build_template())
        self.stdout.write(f"Mallen har skrivits till {options['file']}.")
