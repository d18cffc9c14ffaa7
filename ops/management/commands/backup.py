from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ops import backups

# Rebuilt by migrate (content types, permissions) or short-lived (sessions, login attempts, the background
# task queue, import runs and the rows they staged: an import in flight is not part of the register).
EXCLUDED = [
    "contenttypes", "auth.permission", "sessions", "axes", "admin.logentry", "django_tasks_database", "register_import",
]


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar all data (plan, värden, register, rapporter, användare) till en komprimerad "
        "JSON-fil som kan läsas tillbaka med restore, även till en annan databas (SQLite ↔ PostgreSQL). "
        f"Filen skrivs med rättigheterna 0600 och ersätter en äldre fil först när den är hel. Med "
        f"{backups.KEY_VARIABLE} satt krypteras den."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Filnamn; .json.gz komprimeras, .json inte. Förval: backup-ÅÅÅÅ-MM-DDTHHMMSS.json.gz "
            "(.json.gz.fernet krypterad) i aktuell katalog.",
        )

    def handle(self, *args, **options):
        try:
            fernet = backups.fernet_from_environment()
            path = Path(options["output"] or backups.default_file_name(encrypted=fernet is not None))
            self._write(path, fernet)
        except backups.BackupError as exc:
            raise CommandError(f"Säkerhetskopian skrevs inte: {exc}") from exc
        except Exception as exc:
            # dumpdata wraps the real error in an English CommandError: show the real one.
            cause = exc.__context__ if isinstance(exc, CommandError) and exc.__context__ else exc
            raise CommandError(
                f"Säkerhetskopieringen misslyckades: {cause}. Ingen fil skrevs och en befintlig {path} är orörd."
            ) from exc
        key = backups.KEY_VARIABLE
        state = f"krypterad med {key}" if fernet else f"okrypterad: {key} är inte satt"
        self.stdout.write(f"Säkerhetskopia skriven: {path} ({path.stat().st_size} byte, {state}).")

    def _write(self, path, fernet):
        compressed = fernet is not None or path.suffix == ".gz"
        if not compressed and path.suffix != ".json":
            raise backups.BackupError(f"filnamnet {path.name} ska sluta på .json.gz (komprimerad) eller .json.")
        # dumpdata compresses by the temporary file's extension.
        backups.register_format()
        with backups.replacing(path, suffix=".json.gz" if compressed else ".json") as temporary:
            call_command(
                "dumpdata",
                format=backups.FORMAT,
                natural_foreign=True,
                natural_primary=True,
                exclude=EXCLUDED,
                output=str(temporary),
                verbosity=0,
            )
            if fernet:
                backups.encrypt_in_place(temporary, fernet)
