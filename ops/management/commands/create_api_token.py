import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken


class Command(BaseCommand):
    help = (
        "Skapar en API-nyckel (token) för en användare och skriver ut den en enda gång: bara ett hashvärde "
        "sparas. Används som `Authorization: Token <nyckel>`. Nycklar tas bort i admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Användaren som API-anropen görs som (hennes roll gäller).")
        parser.add_argument(
            "--days", type=int, default=settings.API_TOKEN_DAYS,
            help=f"Giltighet i dagar; 0 ger en nyckel utan slutdatum (standard: {settings.API_TOKEN_DAYS}).",
        )

    def handle(self, *args, **options):
        user = self._user(options["username"])
        days = options["days"]
        if days < 0:
            raise CommandError("--days ska vara 0 (utan slutdatum) eller fler dagar.")
        instance, token = AuthToken.objects.create(user=user, expiry=datetime.timedelta(days=days) if days else None)
        # The token alone on standard output, so a script can capture it; the notice goes to standard error.
        self.stdout.write(token)
        until = f"gäller till {instance.expiry:%Y-%m-%d}" if instance.expiry else "gäller utan slutdatum"
        self.stderr.write(
            f"API-nyckel för {user.get_username()} ({until}). Spara den nu: den visas inte igen.",
            style_func=self.style.WARNING,
        )

    def _user(self, username):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"Det finns ingen användare med användarnamnet {username}.") from exc
        if not user.is_active:
            raise CommandError(f"Användaren {username} är inaktiv och får ingen API-nyckel.")
        return user
