"""Refusals before anything is read: size, file type by name and by content, macros, zip bombs.

An .xlsx file is a zip archive: its table of contents says how large it unpacks, whether it holds
a macro project and what kind of workbook it is, without unpacking anything.
"""

import zipfile
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from procurement.importing.messages import MESSAGES
from procurement.importing.result import ImportRefused

XLSX_MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# A workbook unpacking to more than this many times the upload limit is refused (zip bomb).
MAX_UNPACK_RATIO = 30
MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".xlsb"}


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
        raise ImportRefused(MESSAGES["too_large"] % {"size": filesizeformat(size), "limit": filesizeformat(limit)})
    suffix = Path(name).suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise ImportRefused(MESSAGES["macros"])
    if suffix != ".xlsx":
        raise ImportRefused(MESSAGES["not_xlsx"] % {"name": name})
    if isinstance(source, (str, Path)):
        with open(source, "rb") as handle:
            _check_zip(handle, name, limit)
    else:
        source.seek(0)
        try:
            _check_zip(source, name, limit)
        finally:
            source.seek(0)


def _check_zip(handle, name, limit):
    not_xlsx = MESSAGES["not_xlsx_content"] % {"name": name}
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
            if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
                raise ImportRefused(MESSAGES["macros"])
            if sum(info.file_size for info in infos) > limit * MAX_UNPACK_RATIO:
                raise ImportRefused(MESSAGES["too_large_unpacked"])
            try:
                content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            except KeyError:
                raise ImportRefused(not_xlsx) from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportRefused(not_xlsx) from None
    if "macroEnabled" in content_types:
        raise ImportRefused(MESSAGES["macros"])
    if XLSX_MAIN_CONTENT_TYPE not in content_types:
        raise ImportRefused(not_xlsx)
