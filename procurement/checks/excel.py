"""The ledger in Excel: a template, and an import with a preview that saves every row or none.

Built from the register importer's blocks: checks.py refuses a file that must not be read (size, type,
macros, zip bombs), reading.py finds the columns by header and reads the rows, cells.py reads each cell
and messages.py words the errors. The ledger is small (a few hundred checks a year), so the import runs
in the request: the preview keeps the checked rows in the session and the confirm checks them again
before it saves them all, in one transaction. An error names the row, the column and the value.
The export is the list's own (?export=xlsx, tables.py): the same columns, so an export can be imported.
"""

import datetime
from dataclasses import dataclass, field
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from common.xlsx import DATE_FORMAT, write_cell, write_header, xlsx_response
from procurement.checks.forms import ImportUploadForm
from procurement.checks.models import SupplierCheck
from procurement.importing import cells, reading
from procurement.importing.columns import CHOICE, DATE, ORG_NUMBER, TEXT, Column
from procurement.importing.messages import MESSAGES
from procurement.importing.result import ImportRefused
from procurement.models import Contract, Procurement, Supplier

PERMISSION = "supplier_checks.add_suppliercheck"
SHEET = "Kontroller"
SESSION_KEY = "supplier_checks_import"
MAX_ROWS = 2000  # a ledger file: a few hundred rows a year
TEMPLATE_NAME = "procurement/checks/import.html"
FILENAME = "leverantorskontroller-mall.xlsx"
Kind, Result, Action = SupplierCheck.Kind, SupplierCheck.Result, SupplierCheck.Action
KINDS = tuple(choice for choice in Kind.choices if choice[0] != Kind.UNSPECIFIED)

COLUMNS = [
    Column("date", gettext_lazy("Kontrolldatum"), DATE, required=True, width=14),
    Column("supplier", gettext_lazy("Leverantör (organisationsnummer)"), ORG_NUMBER, required=True, width=18),
    Column("procurement", gettext_lazy("Diarienummer"), TEXT, width=16,
           help=gettext_lazy("Upphandlingen, avtalet eller båda.")),
    Column("contract", gettext_lazy("Avtalsnummer"), TEXT, width=16),
    Column("kind", gettext_lazy("Typ av kontroll"), CHOICE, required=True, choices=KINDS, width=34),
    Column("result", gettext_lazy("Resultat"), CHOICE, required=True, choices=tuple(Result.choices), width=18),
    Column("action", gettext_lazy("Åtgärd"), CHOICE, choices=tuple(Action.choices), width=22,
           help=gettext_lazy("Vid avvikelse: steget på åtgärdstrappan.")),
    Column("action_on", gettext_lazy("Åtgärdsdatum"), DATE, width=14),
    Column("note", gettext_lazy("Anteckning"), TEXT, width=40),
]
UNKNOWN_PROCUREMENT = gettext_lazy("Det finns ingen upphandling med diarienummer %(value)s i registret.")
UNKNOWN_CONTRACT = gettext_lazy("Det finns inget avtal med avtalsnummer %(value)s i registret.")
BLANK_IS_TEXT = {"kind", "result", "action", "note"}  # the others are records or dates: None when blank
HEADERS = {column.key: column.header for column in COLUMNS}


@dataclass
class Parsed:
    """The file's rows as values for the model ({field: value}, by row number) and its errors."""

    rows: list = field(default_factory=list)  # (row number, {field: value})
    errors: list = field(default_factory=list)  # (row number, column header, value as typed, message)

    @property
    def ok(self):
        return not self.errors


# --- The template --------------------------------------------------------------------------------------

def build_template():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    for index, column in enumerate(COLUMNS, start=1):
        write_header(sheet, index, f"{column.header} *" if column.required else str(column.header))
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = column.width
        if column.kind == CHOICE:
            labels = ",".join(column.labels)
            validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=not column.required)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(validation)
        if column.kind == DATE:
            for row in range(2, 52):
                sheet.cell(row=row, column=index).number_format = DATE_FORMAT
    help_sheet = workbook.create_sheet(_("Instruktioner"))
    lines = [
        _("En rad per kontroll. Rad 1 är rubriker och ska stå kvar som de är; kolumner med * måste fyllas i."),
        _("Datum skrivs ÅÅÅÅ-MM-DD. Leverantören anges med organisationsnummer och måste finnas i registret."),
        _("Ange diarienummer, avtalsnummer eller båda. Åtgärd och åtgärdsdatum anges bara vid avvikelse."),
        _("Importen sparar alla rader eller ingen: en rad med fel anges med rad, kolumn och värde."),
    ]
    for row, line in enumerate(lines, start=1):
        write_cell(help_sheet, row, 1, str(line))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading and checking -----------------------------------------------------------------------------

def read_file(upload):
    """The rows of the Kontroller sheet as raw cells; ImportRefused when the file cannot be read."""
    data = reading.read_single_sheet(upload, SHEET, COLUMNS, max_rows=MAX_ROWS,
                                     too_many=_("Filen har fler än %(limit)s rader; dela upp den."))
    return data.rows


class _Lookups:
    """The suppliers, procurements and contracts the rows name: one query each."""

    def __init__(self, rows):
        def wanted(key):
            return {cells.parse_text(raw.get(key)) for _number, raw in rows if not cells.is_blank(raw.get(key))}

        orgs = set()
        for value in wanted("supplier"):
            try:
                orgs.add(cells.parse_org_number(value))
            except cells.CellError:
                pass
        self.suppliers = Supplier.objects.in_bulk(orgs, field_name="org_number")
        self.procurements = Procurement.objects.in_bulk(wanted("procurement"), field_name="case_number")
        self.contracts = Contract.objects.in_bulk(wanted("contract"), field_name="number")


def check_rows(rows):
    """Every row read and checked as the form checks it (the model's clean); nothing is saved."""
    lookups, parsed = _Lookups(rows), Parsed()
    for number, raw in rows:
        values, errors = _parse_row(raw, lookups)
        if not errors:
            errors = _model_errors(values)
        parsed.errors += [(number, HEADERS.get(key, ""), _typed(raw.get(key)), message) for key, message in errors]
        if not errors:
            parsed.rows.append((number, values))
    return parsed


def _typed(value):
    return "" if value is None else cells.parse_text(value) if value is not cells.UNCALCULATED else ""


def _parse_row(raw, lookups):
    values, errors = {}, []
    for column in COLUMNS:
        value = raw.get(column.key)
        if cells.is_blank(value):
            if column.required:
                errors.append((column.key, str(MESSAGES["required"])))
            values[column.key] = "" if column.key in BLANK_IS_TEXT else None
            continue
        try:
            values[column.key] = _parse_cell(column, value, lookups)
        except cells.CellError as error:
            errors.append((column.key, str(error)))
    return values, errors


def _parse_cell(column, value, lookups):
    if column.key == "supplier":
        org_number = cells.parse_org_number(value)
        if org_number not in lookups.suppliers:
            raise cells.CellError(_("Leverantören %(value)s finns inte i registret. Registrera leverantören först.")
                                  % {"value": org_number})
        return lookups.suppliers[org_number]
    if column.key == "procurement":
        return _known(lookups.procurements, value, UNKNOWN_PROCUREMENT)
    if column.key == "contract":
        return _known(lookups.contracts, value, UNKNOWN_CONTRACT)
    return cells.parse_cell(column, value)


def _known(records, value, message):
    key = cells.parse_text(value)
    if key not in records:
        raise cells.CellError(str(message) % {"value": key})
    return records[key]


def _model_errors(values):
    """The model's own checks (dates within bounds, an action only with a deviation…) as (field, message)."""
    try:
        SupplierCheck(**values).full_clean(exclude=["version", "origin"])
    except ValidationError as error:
        return [(key if key in HEADERS else "", message) for key, texts in error.message_dict.items()
                for message in texts]
    return []


# --- Keeping the checked rows between the preview and the save ---------------------------------------

def _to_session(parsed):
    return [
        [number, {key: (value.pk if hasattr(value, "pk") else value.isoformat()
                        if isinstance(value, datetime.date) else value) for key, value in values.items()}]
        for number, values in parsed.rows
    ]


def _from_session(stored):
    """The stored rows as values again, the records looked up anew (one query each)."""
    models = {"supplier": Supplier, "procurement": Procurement, "contract": Contract}
    found = {key: model.objects.in_bulk({v[key] for _n, v in stored if v.get(key)}) for key, model in models.items()}
    rows = []
    for number, values in stored:
        row = dict(values)
        for key in models:
            row[key] = found[key].get(values[key]) if values.get(key) else None
        for key in ("date", "action_on"):
            row[key] = datetime.date.fromisoformat(values[key]) if values.get(key) else None
        rows.append((number, row))
    return rows


@transaction.atomic
def save_rows(rows, user):
    """Every row saved, or none (a row the model refuses now rolls all back): returns how many."""
    for _number, values in rows:
        entry = SupplierCheck(**values)
        entry.full_clean(exclude=["version", "origin"])
        entry._history_user = user
        entry.save()
    return len(rows)


# --- Views ---------------------------------------------------------------------------------------------

@require_safe
@permission_required(PERMISSION, raise_exception=True)
def template_view(request):
    return xlsx_response(build_template(), FILENAME)


@permission_required(PERMISSION, raise_exception=True)
def import_page(request):
    """GET: the upload form. POST: the file read and checked, shown as a preview; saved only on confirm."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": COLUMNS}
    if request.method == "POST" and form.is_valid():
        try:
            parsed = check_rows(read_file(form.cleaned_data["file"]))
        except ImportRefused as refused:
            context["refused"] = refused.messages
        else:
            context["parsed"] = parsed
            context["preview"] = [(number, SupplierCheck(**values)) for number, values in parsed.rows]
            request.session[SESSION_KEY] = _to_session(parsed) if parsed.ok and parsed.rows else None
    return render(request, TEMPLATE_NAME, context)


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def import_confirm(request):
    stored = request.session.pop(SESSION_KEY, None)
    if not stored:
        messages.error(request, _("Det finns ingen förhandsgranskad fil att spara. Ladda upp filen igen."))
        return redirect("procurement:check_import")
    rows = _from_session(stored)
    parsed = check_rows_again(rows)
    if not parsed.ok:
        return render(request, TEMPLATE_NAME, {"form": ImportUploadForm(), "columns": COLUMNS, "parsed": parsed})
    count = save_rows(rows, request.user)
    messages.success(request, _("%(count)s leverantörskontroller har importerats.") % {"count": count})
    return redirect("procurement:check_list")


def check_rows_again(rows):
    """The preview's rows checked again at the save: a record they name may have gone meanwhile."""
    parsed = Parsed()
    for number, values in rows:
        missing = [key for key in ("supplier",) if values.get(key) is None]
        errors = [(key, str(MESSAGES["required"])) for key in missing] or _model_errors(values)
        parsed.errors += [(number, HEADERS.get(key, ""), "", message) for key, message in errors]
    return parsed
