"""Refusals before anything is read: size, file type by name and by content, macros, zip bombs.

An .xlsx file is a zip archive: its table of contents says how large it unpacks, whether it holds
a macro project and what kind of workbook it is, without unpacking anything.
"""

import math
import zipfile
import zlib
from pathlib import Path

from django.conf import settings

from common.formatting import format_number
from procurement.importing.messages import MESSAGES
from procurement.importing.result import ImportRefused

XLSX_MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".xlsb"}
ZIP_SIGNATURE = b"PK\x03\x04"  # how a zip archive (and so an .xlsx file) starts
UNITS = [(1024 * 1024, "MB"), (1024, "kB"), (1, "byte")]


def file_size(size, *, round_up=False):
    """12 850 000 → "12,3 MB", 10 485 760 → "10 MB", 2000 → "2 kB", 669 600 → "654 kB": one decimal below 100
    of the unit, none when it is 0.

    `round_up` for a size over a limit, so that it never reads as the limit itself ("10,1 MB", not "10,0 MB").
    """
    factor, unit = next((factor, unit) for factor, unit in UNITS if size >= factor or factor == 1)
    step = 10 if size / factor >= 100 else 1  # tenths below 100 of the unit, whole units above
    tenths = (math.ceil if round_up else round)(size * 10 / factor / step) * step
    value = tenths / 10
    decimals = 0 if tenths % 10 == 0 else 1
    return f"{format_number(value, decimals=decimals)}\xa0{unit}"


def _name_and_size(source):
    if isinstance(source, (str, Path)):
        path = Path(source)
        return path.name, path.stat().st_size
    name = getattr(source, "name", "") or ""
    size = getattr(source, "size", None)
    if size is None:
        position = source.tell()
        size = source.seek(0, 2)
        source.seek(position)
    return Path(name).name, size


def check_file(source):
    """Refuse what must not be read: too large, not .xlsx by name or content, macros, zip bombs."""
    name, size = _name_and_size(source)
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(MESSAGES["too_large"] % {"size": file_size(size, round_up=True), "limit": file_size(limit)})
    suffix = Path(name).suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise ImportRefused(MESSAGES["macros"])
    if suffix != ".xlsx":
        raise ImportRefused(MESSAGES["not_xlsx"] % {"name": name})
    if isinstance(source, (str, Path)):
        with open(source, "rb") as handle:
            _check_zip(handle, name)
    else:
        source.seek(0)
        try:
            _check_zip(source, name)
        finally:
            source.seek(0)


def _check_zip(handle, name):
    not_xlsx = MESSAGES["not_xlsx_content"] % {"name": name}
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
            if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
                raise ImportRefused(MESSAGES["macros"])
            # The sizes the archive states bound what it unpacks to: zipfile stops reading a part there.
            unpacked, unpacked_limit = sum(info.file_size for info in infos), settings.IMPORT_MAX_UNPACKED_BYTES
            if unpacked > unpacked_limit:
                raise ImportRefused(MESSAGES["too_large_unpacked"] % {
                    "size": file_size(unpacked, round_up=True), "limit": file_size(unpacked_limit)})
            try:
                content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            except KeyError:
                raise ImportRefused(not_xlsx) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        # (NotImplementedError: an unknown compression method; RuntimeError: an encrypted part.)
        # A damaged zip (cut short, say) is a workbook that cannot be read; anything else is no workbook at all.
        handle.seek(0)
        raise ImportRefused(MESSAGES["unreadable"] if handle.read(4) == ZIP_SIGNATURE else not_xlsx) from None
    if "macroEnabled" in content_types:
        raise ImportRefused(MESSAGES["macros"])
    if XLSX_MAIN_CONTENT_TYPE not in content_types:
        raise ImportRefused(not_xlsx)
