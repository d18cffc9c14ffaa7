import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from indicators import freshness
from ops import backups
from procurement import integrity
from procurement.follow_up_plan import ensure_default_rules
from procurement.models import FollowUpRule, IntegrityRule, SubmissionMinimum


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia från backup. ALL befintlig data ersätts. Filen granskas först "
        "(hel, rätt nyckel, innehåller plan, användare och register); allt sker i en transaktion: går något "
        "fel är databasen som förut."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Filen som backup skrev.")
        parser.add_argument("--yes", action="store_true", help="Bekräfta att befintlig data ska ersättas.")
        parser.add_argument(
            "--check", action="store_true", help="Granska bara filen och visa vad den innehåller; databasen rörs inte."
        )
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="MODELL=ANTAL",
            help="Vägra filen om den har färre rader av modellen, t.ex. procurement.procurement=200 (kan upprepas; "
            "=0 tillåter en modell som annars krävs).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Filen {path} finns inte.")
        if not (options["yes"] or options["check"]):
            raise CommandError("Återställning ersätter all data i databasen. Kör igen med --yes för att bekräfta.")
        try:
            expected = backups.expectations(options["expect"])
            backup = backups.read_backup(path, backups.fernet_from_environment())
            self.stdout.write(backup.summary())
            backup.check(expected)
        except backups.BackupError as exc:
            raise CommandError(f"{path} återställs inte, databasen är orörd. {exc}") from exc
        if options["check"]:
            self.stdout.write("Filen går att återställa. Databasen är inte ändrad.")
            return
        self._load(backup)
        self.stdout.write(f"Databasen är återställd från {path}.")

    def _load(self, backup):
        # loaddata reads a file, so the checked JSON goes to a private temporary folder (mode 0700).
        # History is off while loading: loaddata sets many-to-many fields, which django-simple-history
        # would otherwise record as thousands of changes nobody made; the backup's own history is restored.
        with tempfile.TemporaryDirectory(prefix="restore-") as folder:
            plain = Path(folder) / "backup.json"
            plain.write_bytes(backup.data)
            with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic(), freshness.paused():
                call_command("flush", interactive=False, verbosity=0)
                # The flush's post_migrate puts the default follow-up rules back; the backup's own rules
                # (as changed in admin) replace them. A backup without rules leaves the defaults in code.
                FollowUpRule.objects.all().delete()
                IntegrityRule.objects.all().delete()  # likewise the flags' rules and minimum periods
                SubmissionMinimum.objects.all().delete()
                call_command("loaddata", str(plain), verbosity=0)
                ensure_default_rules()
                integrity.ensure_default_rules()
