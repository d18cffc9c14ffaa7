"""Damaged and oversized workbooks get a Swedish refusal, never a server error, and nothing is saved.

Each file starts as a good filled template; the damage is done to its zip archive or its XML, as a broken
disk, a cut-off download or a hostile upload would. Some of them fail only while the rows are read, after
openpyxl has opened the workbook.
"""

import math
import re
import struct
import zipfile
from io import BytesIO

import pytest

from procurement.importing import PROCUREMENTS, ImportRefused, build_template, import_register
from procurement.models import Procurement
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db
UNREADABLE = "Filen kunde inte läsas som en Excel-arbetsbok. Utgå från mallen och försök igen."
ROW = {"case_number": "UhC 2026/0001", "title": "Städtjänster", "category": "Städ och lokalvård",
       "municipalities": "Falun", "status": "Planerad"}


@pytest.fixture(autouse=True)
def category(plan):
    return CategoryFactory(name="Städ och lokalvård")


def good_file(rows=(ROW,)):
    return build_template({PROCUREMENTS: list(rows)})


def procurement_sheet(data):
    """The archive name of the Upphandlingar sheet's XML."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return _sheet_named(archive, PROCUREMENTS)


def _sheet_named(archive, title):
    """xl/worksheets/sheetN.xml of the sheet called `title` (workbook.xml names sheets by relationship id)."""
    workbook = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rel_id = re.search(rf'<sheet[^>]*name="{title}"[^>]*r:id="(rId\d+)"', workbook).group(1)
    target = re.search(rf'<Relationship[^>]*Id="{rel_id}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rel_id}"', rels)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def replaced(data, name, content, compression=zipfile.ZIP_DEFLATED):
    """The archive with the part `name` holding `content`."""
    source, out = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item.filename))
    return out.getvalue()


def patched_header(data, name, offset_local, offset_central, value):
    """The archive with a 4-byte field of `name`'s local and central directory headers set to `value`."""
    data = bytearray(data)
    info = zipfile.ZipFile(BytesIO(bytes(data))).getinfo(name)
    struct.pack_into("<I", data, info.header_offset + offset_local, value)
    encoded = name.encode()
    position = data.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46:position + 46 + length]) == encoded:
            struct.pack_into("<I", data, position + offset_central, value)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def as_upload(data):
    file = BytesIO(data)
    file.name = "register.xlsx"
    return file


def refusal(data):
    with pytest.raises(ImportRefused) as refused:
        import_register(as_upload(data))
    assert not Procurement.objects.exists()
    return refused.value.messages


def test_a_bad_checksum_is_refused_as_unreadable():
    data = good_file()
    name = procurement_sheet(data)
    crc = zipfile.ZipFile(BytesIO(data)).getinfo(name).CRC
    assert refusal(patched_header(data, name, 14, 16, crc ^ 0xFFFF)) == [UNREADABLE]


def test_malformed_xml_inside_a_sheet_is_refused_as_unreadable():
    data = good_file()
    name = procurement_sheet(data)
    xml = zipfile.ZipFile(BytesIO(data)).read(name)
    broken = xml[: xml.index(b"UhC 2026/0001")] + b"<c r=\"Z9\"><v>1</v></row></sheetData>"  # tags that do not close
    assert refusal(replaced(data, name, broken)) == [UNREADABLE]


def test_a_zip_header_that_lies_about_the_size_is_refused_as_unreadable():
    data = good_file()
    name = procurement_sheet(data)
    size = zipfile.ZipFile(BytesIO(data)).getinfo(name).file_size
    # zipfile stops reading the part at the stated size: the XML is cut short and its checksum is wrong.
    assert refusal(patched_header(data, name, 22, 24, size // 2)) == [UNREADABLE]


def test_a_truncated_file_is_refused_as_unreadable():
    data = good_file()
    assert refusal(data[: len(data) // 2]) == [UNREADABLE]


def test_a_zip_bomb_over_the_unpacked_cap_is_refused_by_its_table_of_contents(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 300 * 1024
    data = good_file()
    name = procurement_sheet(data)
    xml = zipfile.ZipFile(BytesIO(data)).read(name)
    bomb = xml.replace(b"</sheetData>", b"<row/>" * 100_000 + b"</sheetData>")  # 600 kB that pack to about 1 kB
    packed = replaced(data, name, bomb)
    assert len(packed) < len(data) + 5_000
    unpacked = sum(info.file_size for info in zipfile.ZipFile(BytesIO(packed)).infolist())
    kilobytes = math.ceil(unpacked / 1024)  # over 100 kB: whole kilobytes, rounded up
    assert 600 < kilobytes < 1000
    assert refusal(packed) == [
        f"Arbetsboken är {kilobytes}\xa0kB uppackad; den får vara högst 300\xa0kB. Dela upp den i flera filer."]


def test_more_rows_than_the_cap_are_refused_while_reading(settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [{**ROW, "case_number": f"UhC 2026/{n:04}"} for n in range(1, 5)]  # 4 rows
    assert refusal(good_file(rows)) == [
        "Arbetsboken har fler än 3 rader på de fyra bladen tillsammans; det är det mesta en import får ha. "
        "Dela upp den i flera filer."]


def test_the_row_cap_counts_rows_on_every_sheet(settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = {PROCUREMENTS: [ROW, {**ROW, "case_number": "UhC 2026/0002"}],
            "Anbud": [{"case_number": "UhC 2026/0001", "supplier_org": "556016-0680", "supplier_name": "A AB"},
                      {"case_number": "UhC 2026/0002", "supplier_org": "556016-0680"}]}
    with pytest.raises(ImportRefused) as refused:
        import_register(as_upload(build_template(rows)))
    assert "fler än 3 rader" in refused.value.messages[0]


def test_exactly_the_cap_is_accepted(settings):
    settings.IMPORT_MAX_ROWS = 2
    result = import_register(as_upload(good_file([ROW, {**ROW, "case_number": "UhC 2026/0002"}])))
    assert result.errors == [] and Procurement.objects.count() == 2


def test_more_shared_strings_than_the_rows_could_use_are_refused_before_they_are_loaded(settings):
    settings.IMPORT_MAX_ROWS = 2  # at most 2 × 50 = 100 shared strings
    data = good_file()
    strings = "".join(f"<si><t>text {n}</t></si>" for n in range(101))
    table = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             f'2006/main" count="101" uniqueCount="101">{strings}</sst>').encode()
    # openpyxl writes its strings inline: add a table, named as [Content_Types].xml says (not by its file name).
    types = zipfile.ZipFile(BytesIO(data)).read("[Content_Types].xml").replace(b"</Types>", (
        b'<Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    data = replaced(data, "[Content_Types].xml", types)
    with_table = BytesIO()
    with zipfile.ZipFile(with_table, "w") as target, zipfile.ZipFile(BytesIO(data)) as source:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        target.writestr("xl/strings.xml", table)
    assert refusal(with_table.getvalue()) == [
        "Arbetsboken har fler olika texter (101) än en import med högst 2 rader kan ha. Dela upp den i flera filer."]
