import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from ops.roles import CHIEF, MEMBER, STAFF

DEMO_USERS = [
    ("uhc", STAFF, "Ulla", "Upphandlare"),
    ("ledamot", MEMBER, "Lars", "Ledamot"),
    ("chef", CHIEF, "Cecilia", "Chef"),
]
PASSWORD_FILE = Path(settings.BASE_DIR) / ".demo-password"


class Command(BaseCommand):
    help = "Skapar demoanvändarna uhc, ledamot och chef (endast i lokal demo med DEBUG=1)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Lösenord; annars DEMO_PASSWORD eller ett genererat.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demoanvändare skapas bara i den lokala demon (DEBUG=1), aldrig i produktion.")
        password = options["password"] or self._password()
        for username, role, first, last in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
        self.stdout.write(f"Demoanvändare (lösenord: {password}):")
        for username, role, _first, _last in DEMO_USERS:
            self.stdout.write(f"  {username:<8} {role}")

    def _password(self):
        import os

        if os.environ.get("DEMO_PASSWORD"):
            return os.environ["DEMO_PASSWORD"]
        if PASSWORD_FILE.exists():
            return PASSWORD_FILE.read_text().strip()
        password = secrets.token_urlsafe(12)
        PASSWORD_FILE.write_text(password)
        PASSWORD_FILE.chmod(0o600)
        return password
