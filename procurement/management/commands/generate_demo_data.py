import re
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from procurement.demo import RegisterNotEmpty, generate

YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def parse_years(text):
    match = YEARS.match(text.strip())
    if not match:
        raise CommandError("Ange åren som ÅÅÅÅ-ÅÅÅÅ, till exempel 2021-2026.")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first > last:
        raise CommandError("Första året kan inte vara senare än sista året.")
    if first < 2000:
        raise CommandError("Demodata skapas från år 2000 och framåt.")
    if last > timezone.localdate().year:
        raise CommandError("Demodata kan inte skapas för år som inte har börjat.")
    return range(first, last + 1)


class Command(BaseCommand):
    help = (
        "Fyller upphandlingsregistret med realistiska demodata: kategorier och varugrupper (de som saknas), "
        "leverantörer, upphandlingar med anbud, avtal, avtalsuppföljningar, informationsaktiviteter, "
        "kompetenshöjande insatser och dialoger med kommunerna. Samma frö, år och skala ger alltid samma data. "
        "Indikatorerna som räknas fram ur registret hamnar nära planens historik (2021–2024) och nära 2024 års "
        "värden därefter. Inget dateras efter dagens datum, utom planerade datum (planerat klart, avtalens "
        "slutdatum). Registret måste vara tomt på upphandlingar; --replace tömmer det först (endast DEBUG=1). "
        "Posterna skrivs med bulk_create, så ingen ändringshistorik (django-simple-history) skapas för dem."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Frö för slumptalen (standard 1).")
        parser.add_argument("--years", default="2021-2026", help="År, t.ex. 2021-2026 (standard 2021-2026).")
        parser.add_argument(
            "--scale", type=float, default=1.0,
            help="Volym: 1 ger cirka 230 annonserade upphandlingar om året (standard 1).",
        )
        parser.add_argument(
            "--replace", action="store_true",
            help="Ta först bort hela registret (upphandlingar, anbud, avtal, uppföljningar, aktiviteter, "
                 "leverantörer). Endast i lokal demo (DEBUG=1).",
        )

    def handle(self, *args, **options):
        years = parse_years(options["years"])
        scale = options["scale"]
        if not 0 < scale <= 100:
            raise CommandError("Skalan ska vara större än 0 och högst 100.")
        if options["replace"] and not settings.DEBUG:
            raise CommandError("--replace tömmer registret och får bara användas i den lokala demon (DEBUG=1).")
        started = time.monotonic()
        try:
            summary = generate(seed=options["seed"], years=years, scale=scale, today=timezone.localdate(),
                               replace=options["replace"])
        except RegisterNotEmpty:
            raise CommandError(
                "Registret innehåller redan upphandlingar; demodata läggs bara in i ett tomt register. "
                "Använd --replace för att först ta bort registret (endast DEBUG=1)."
            ) from None
        self.stdout.write(
            f"Demodata skapade (frö {options['seed']}, år {years[0]}–{years[-1]}, skala "
            f"{str(scale).replace('.', ',')}) på {time.monotonic() - started:.1f} s:".replace(".", ",")
        )
        for line in summary.lines():
            self.stdout.write(f"  {line}")
