"""The command name integrations used before tokens were hashed (DRF's); kept so their scripts still run."""

from ops.management.commands.create_api_token import Command as CreateApiToken


class Command(CreateApiToken):
    help = "Samma som create_api_token (det tidigare namnet, för befintliga skript)."
