"""Backup files: written whole or not at all, private from the first byte, optionally encrypted, and
read back only when they hold what a backup of this system must hold.

A backup is Django's JSON dump (natural keys, times to the microsecond), gzip-compressed when its
name ends in .gz. With BACKUP_ENCRYPTION_KEY set it is always compressed and then encrypted with
Fernet (AES-128-CBC with an HMAC-SHA256, from the `cryptography` package). Fernet encrypts one token
in memory, so the whole compressed dump is held in memory once while it is encrypted: fine for
backups of tens of MB.
"""

import datetime
import gzip
import json
import os
import tempfile
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core import serializers
from django.core.serializers import json as json_serializer
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

KEY_VARIABLE = "BACKUP_ENCRYPTION_KEY"
FORMAT = "backup-json"  # Django's json format with full time precision; loaddata reads it as json
GZIP_MAGIC = b"\x1f\x8b"
# A Fernet token is URL-safe base64 of the version byte 0x80 and a 64-bit timestamp whose high bits
# are zero for centuries: it always starts with these characters.
FERNET_PREFIX = b"gAAAAA"

# What every backup of this system holds: the plan (with its goals and indicators), the users and the
# register. `restore --expect LABEL=N` raises or lowers one of these (N=0 allows an empty register).
MINIMUM_ROWS = {
    "plan.plan": 1,
    "plan.goal": 1,
    "indicators.indicator": 1,
    "auth.user": 1,
    "procurement.procurement": 1,
}


class BackupError(Exception):
    """A backup that cannot be written or read back; the message is Swedish and meant for the operator."""


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes and times to milliseconds (ECMA-262); a backup keeps the microseconds
    of every history entry and log time, so a restore gives back exactly what was dumped."""

    def default(self, o):
        if isinstance(o, datetime.datetime) or (isinstance(o, datetime.time) and o.utcoffset() is None):
            return o.isoformat()
        return super().default(o)


class Serializer(json_serializer.Serializer):
    """The serializer of FORMAT (this module is registered as its serializer module)."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = _ExactEncoder


Deserializer = json_serializer.Deserializer


def register_format():
    serializers.register_serializer(FORMAT, __name__)


def fernet_from_environment():
    """The Fernet for BACKUP_ENCRYPTION_KEY, or None when the variable is unset or empty."""
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        return None
    try:
        return Fernet(key)
    except ValueError as exc:
        raise BackupError(
            f"{KEY_VARIABLE} är ingen giltig nyckel: den ska vara 32 byte i url-säker base64 (44 tecken), "
            "som Fernet.generate_key() ger (se docs/deployment.md)."
        ) from exc


def default_file_name(*, encrypted):
    """backup-2026-12-01T224512.json.gz: local time (Europe/Stockholm) to the second."""
    stamp = timezone.localtime().strftime("%Y-%m-%dT%H%M%S")
    return f"backup-{stamp}.json.gz" + (".fernet" if encrypted else "")


@contextmanager
def replacing(target, *, suffix):
    """A private temporary file beside `target` that replaces it only if the block finishes.

    mkstemp creates the file with mode 0600, so the data is never readable by others, not even while
    it is written; os.replace swaps it in atomically. On any error the temporary file is removed and
    an existing `target` is left as it was.
    """
    target = Path(target)
    if not target.parent.is_dir():
        raise BackupError(f"Katalogen {target.parent} finns inte.")
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{suffix}", dir=target.parent)
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        _sync(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)


def encrypt_in_place(path, fernet):
    # Writing over the file keeps its mode (0600).
    path.write_bytes(fernet.encrypt(path.read_bytes()))


@dataclass(frozen=True)
class Backup:
    """A backup file read back: its JSON (decrypted and decompressed) and its rows per model."""

    data: bytes
    rows: Counter
    encrypted: bool

    def check(self, expected):
        """Refuse a backup with fewer rows of a model than MINIMUM_ROWS, overridden by `expected`, asks."""
        if not self.rows:
            raise BackupError("Filen är tom: den innehåller inga objekt alls.")
        short = [
            f"{_described(label)}: minst {count}, filen har {self.rows[label]}"
            for label, count in {**MINIMUM_ROWS, **expected}.items()
            if self.rows[label] < count
        ]
        if short:
            raise BackupError("Filen har för få rader: " + "; ".join(short) + ".")

    def summary(self):
        lines = [f"Filen innehåller {self.rows.total()} objekt" + (" (krypterad)" if self.encrypted else "") + ":"]
        lines += [f"  {label}: {count} ({_verbose_name(label)})" for label, count in sorted(self.rows.items())]
        return "\n".join(lines)


def read_backup(path, fernet):
    """Read a file that backup wrote (encrypted or not, compressed or not), or raise a Swedish BackupError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BackupError(f"Filen kunde inte läsas ({exc.strerror}).") from exc
    encrypted = data.startswith(FERNET_PREFIX)
    if encrypted:
        data = _decrypted(data, fernet)
    if data.startswith(GZIP_MAGIC):
        data = _decompressed(data)
    return Backup(data=data, rows=_rows_per_model(_parsed(data)), encrypted=encrypted)


def expectations(texts):
    """`["procurement.procurement=200"]` → {"procurement.procurement": 200}, refusing what is not so written."""
    expected = {}
    for text in texts:
        label, _, count = text.partition("=")
        label = label.strip().lower()
        if not count.strip().isdigit():
            raise BackupError(
                f"--expect ska skrivas MODELL=ANTAL, till exempel procurement.procurement=200 (fick {text!r})."
            )
        _model(label)
        expected[label] = int(count)
    return expected


def _decrypted(data, fernet):
    if fernet is None:
        raise BackupError(f"Filen är krypterad. Sätt {KEY_VARIABLE} till nyckeln den krypterades med.")
    try:
        return fernet.decrypt(data)
    except InvalidToken as exc:
        raise BackupError(
            f"Filen kunde inte dekrypteras: {KEY_VARIABLE} är inte nyckeln den krypterades med, eller filen är skadad."
        ) from exc


def _decompressed(data):
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise BackupError("Filen är inte en hel gzip-fil: den är avkortad eller skadad.") from exc


def _parsed(data):
    try:
        objects = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupError("Filen är inte en säkerhetskopia: den är inte hel JSON (avkortad eller skadad?).") from exc
    if not isinstance(objects, list) or not all(
        isinstance(item, dict) and isinstance(item.get("model"), str) and isinstance(item.get("fields"), dict)
        for item in objects
    ):
        raise BackupError("Filen är inte en säkerhetskopia från backup: den är JSON men inte en lista av objekt.")
    return objects


def _rows_per_model(objects):
    rows = Counter(item["model"].lower() for item in objects)
    for label in rows:
        _model(label)
    return rows


def _model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise BackupError(f"{label!r} är ingen modell i systemet (en säkerhetskopia från en annan version?).") from exc


def _verbose_name(label):
    return str(_model(label)._meta.verbose_name_plural)


def _described(label):
    return f"{label} ({_verbose_name(label)})"


def _sync(path):
    with open(path, "rb+") as file:
        os.fsync(file.fileno())


def _sync_directory(path):
    # The rename itself is made durable by syncing the directory that holds it.
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
