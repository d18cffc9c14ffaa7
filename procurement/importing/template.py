"""The Excel template for importing the register: one sheet per record type and an instructions sheet.

The columns come from columns.py, so the template and the import never disagree. Coded values
get drop-down lists (from a hidden sheet, so labels may hold commas and lists may be long); every
cell is written through common/xlsx.py's `write_cell`, so text never becomes a formula.
"""

from io import BytesIO

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from common.xlsx import DATE_FORMAT, Sheet, add_sheet, write_cell, write_header, xlsx_response
from nämndplan.models import Municipality
from procurement.importing.columns import (
    BOOL,
    CATEGORY,
    CHOICE,
    DATE,
    DECIMAL,
    INSTRUCTIONS,
    INT,
    LISTS,
    MUNICIPALITIES,
    OPTIONS,
    ORG_NUMBER,
    PRODUCT_GROUP,
    SHEETS,
    USER,
)
from procurement.models import Category, ProductGroup

FILENAME = "upphandlingsregister-mall.xlsx"
# Drop-downs and formats cover this many data rows.
TEMPLATE_ROWS = 2000
YES_NO = ["Ja", "Nej"]  # part of the file format, like write_cell's booleans
# Keep Excel from reading them as numbers (or "12+12" as anything but text).
TEXT_KEYS = {"case_number", "number", "contract_number", "supplier_org", "options"}

GENERAL = [
    _("Fyll i en rad per upphandling, anbud, avtal och uppföljning. Rad 1 är rubriker och ska stå kvar som de är."),
    _("Datum skrivs ÅÅÅÅ-MM-DD, till exempel 2026-03-15, eller matas in som datum i kalkylprogrammet."),
    _("Ja/Nej-kolumner: skriv Ja eller Nej. En tom cell betyder standardvärdet i kolumnen Format."),
    _("Tal: decimalkomma går bra (1250,5), liksom mellanslag mellan tusental (125 000)."),
    _("Kodade värden (typ, förfarande, status, UHM-nivå, avtalsklass, form, kategori) väljs i listan i cellen."),
    _("Kommuner skrivs med namn åtskilda med kommatecken, till exempel: Falun, Borlänge."),
    _("Nycklar: diarienummer för upphandlingar, avtalsnummer för avtal och avtalsnummer + datum + form för "
      "uppföljningar. Importeras samma fil igen uppdateras posterna i stället för att dubbleras."),
    _("Anbuden för en upphandling ersätts av raderna på bladet Anbud. En upphandling utan rader där behåller "
      "sina anbud."),
    _("Leverantörer som inte finns i registret läggs till (organisationsnumret kontrolleras). Uppgifterna om "
      "befintliga leverantörer ändras inte av importen."),
    _("Avtal: avtalsförvaltaren anges med användarnamn eller e-postadress. Optionerna att förlänga avtalet anges "
      "som månader åtskilda med +, till exempel 12+12, med beslutstiden i månader före slutet i kolumnen bredvid "
      "(tom = 3). Optionerna ersätter avtalets; en tom cell lämnar dem som de är, och beslutade optioner ändras "
      "bara i registret."),
    _("Saknas en frivillig kolumn i filen ändras inte det fältet på befintliga poster; en mall från före "
      "kolumnerna för avtalsförvaltning kan alltså fortfarande importeras."),
    _("Allt eller inget: har någon rad fel sparas ingenting. Förhandsgranskningen visar varje fel med blad, rad "
      "och kolumn."),
]


def _format(column):
    default = column.default
    if column.kind == BOOL:
        return _("Ja/Nej (tom = %(default)s)") % {"default": YES_NO[0] if default else YES_NO[1]}
    if column.kind == DATE:
        return _("Datum ÅÅÅÅ-MM-DD")
    if column.kind == INT:
        return _("Heltal, 0 eller mer (tom = %(default)s)") % {"default": default or 0}
    if column.kind == DECIMAL:
        return _("Tal i kronor, decimalkomma tillåtet")
    if column.kind == CHOICE:
        labels = "; ".join(column.labels)
        blank = column.label(default, "")
        if column.required or not default:
            return _("Välj i listan: %(labels)s") % {"labels": labels}
        return _("Välj i listan: %(labels)s (tom = %(default)s)") % {"labels": labels, "default": blank}
    if column.kind == CATEGORY:
        return _("Välj i listan (registrets kategorier)")
    if column.kind == PRODUCT_GROUP:
        return _("Varugruppens namn")
    if column.kind == MUNICIPALITIES:
        return _("Kommunnamn åtskilda med kommatecken")
    if column.kind == ORG_NUMBER:
        return _("NNNNNN-NNNN")
    if column.kind == USER:
        return _("Användarnamn eller e-postadress")
    if column.kind == OPTIONS:
        return _("Månader per option åtskilda med +, till exempel 12+12")
    return _("Text")


def instructions_sheet():
    general = str(_("Allmänt"))
    rows = [[general, "", "", "", text] for text in GENERAL]
    for sheet, columns in SHEETS.items():
        for column in columns:
            rows.append([sheet, column.header, YES_NO[0] if column.required else YES_NO[1], _format(column),
                         column.help])
    return Sheet(INSTRUCTIONS, [_("Blad"), _("Kolumn"), _("Obligatorisk"), _("Format"), _("Beskrivning")], rows)


def _lists():
    """The values of every drop-down: list name → (title, values)."""
    lists = {
        "yes_no": (_("Ja/Nej"), YES_NO),
        "category": (_("Kategori"), [c.name for c in Category.objects.order_by("order", "name")]),
        "product_group": (_("Varugrupp"), sorted({g.name for g in ProductGroup.objects.all()})),
        "municipality": (_("Kommun"), [m.name for m in Municipality.objects.order_by("order", "name")]),
    }
    for columns in SHEETS.values():
        for column in columns:
            if column.kind == CHOICE:
                lists.setdefault(_list_name(column), (column.header, column.labels))
    return lists


def _list_name(column):
    if column.kind == CHOICE:
        return "choice:" + ",".join(code for code, _label in column.choices)
    return {BOOL: "yes_no", CATEGORY: "category", PRODUCT_GROUP: "product_group",
            MUNICIPALITIES: "municipality"}.get(column.kind)


def _ranges(lists):
    """List name → the cell range on the hidden lists sheet that holds it."""
    ranges = {}
    for index, (name, (_title, values)) in enumerate(lists.items(), start=1):
        if values:
            letter = get_column_letter(index)
            ranges[name] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _write_lists(workbook, lists):
    """The hidden sheet the drop-downs read from: one column per list."""
    ws = workbook.create_sheet(LISTS)
    ws.sheet_state = "hidden"
    for index, (title, values) in enumerate(lists.values(), start=1):
        write_cell(ws, 1, index, str(title))
        for row, value in enumerate(values, start=2):
            write_cell(ws, row, index, value)


# Excel's own check of a number column: its type of number and the message for anything else.
NUMBER_VALIDATIONS = {
    INT: ("whole", _("Skriv ett heltal, 0 eller mer.")),
    DECIMAL: ("decimal", _("Skriv ett tal, 0 eller mer.")),
}


def _validation(column, ranges):
    if column.kind in NUMBER_VALIDATIONS:
        kind, error = NUMBER_VALIDATIONS[column.kind]
        return DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                              showErrorMessage=True, errorTitle=str(_("Fel värde")), error=str(error))
    name = _list_name(column)
    if name not in ranges:
        return None
    # Municipalities are a comma-separated list and product groups depend on the category:
    # the list helps, but any text may be typed (the import checks it).
    strict = column.kind not in (MUNICIPALITIES, PRODUCT_GROUP)
    return DataValidation(type="list", formula1=f"={ranges[name]}", allow_blank=True, showErrorMessage=strict,
                          errorTitle=str(_("Fel värde")), error=str(_("Välj ett värde i listan.")))


def _data_sheet(workbook, sheet, columns, rows, ranges):
    ws = workbook.create_sheet(sheet)
    for index, column in enumerate(columns, start=1):
        write_header(ws, index, str(column.header) + (" *" if column.required else ""))
        letter = get_column_letter(index)
        dimension = ws.column_dimensions[letter]
        dimension.width = max(column.width, min(len(str(column.header)), 30) + 2)
        number_format = DATE_FORMAT if column.kind == DATE else "@" if column.key in TEXT_KEYS else None
        if number_format:
            dimension.number_format = number_format  # cells typed later get the column's format
        validation = _validation(column, ranges)
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    for row_index, record in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            write_cell(ws, row_index, index, _cell_value(column, record.get(column.key)))
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 45
    return ws


def _cell_value(column, value):
    """What a filled-in template cell holds: labels for codes, names for related objects."""
    if value is None:
        return None
    if column.kind == CHOICE:
        return column.label(value, value)
    if column.kind == MUNICIPALITIES and not isinstance(value, str):
        return ", ".join(str(m) for m in value)
    if column.kind in (CATEGORY, PRODUCT_GROUP) and not isinstance(value, str):
        return value.name
    if column.kind == USER and not isinstance(value, str):
        return value.get_username()
    if column.kind == OPTIONS and isinstance(value, (list, tuple)):
        return "+".join(str(length) for length in value)
    return value


def build_template(rows=None):
    """Bytes of the template; `rows` ({sheet: [{column key: value}]}) fills it in, e.g. for tests."""
    rows = rows or {}
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_sheet(workbook, instructions_sheet())
    lists = _lists()
    ranges = _ranges(lists)
    for sheet, columns in SHEETS.items():
        _data_sheet(workbook, sheet, columns, rows.get(sheet, []), ranges)
    _write_lists(workbook, lists)
    workbook.active = 0
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_response():
    return xlsx_response(build_template(), FILENAME)
