"""Importing the procurement register from the Excel template (written by register_template.py).

One plain function, `import_register`, serves both the upload views and the `import_register`
command (the upload form reads the workbook itself and hands the sheets to `import_sheets`). The
import is all-or-nothing: everything runs inside one `transaction.atomic()`, each row is validated
with the model's `full_clean()` (the same rules as the forms) and saved inside a nested atomic
block, every bad row is reported as (sheet, row, column, message), and the whole transaction is
rolled back when there was any error or on a dry run.

Keys: procurements by diarienummer, contracts by avtalsnummer, follow-ups by (avtalsnummer,
datum, form), suppliers by organisationsnummer; so importing the same file again updates instead
of duplicating. The bids of a procurement that has rows on the Anbud sheet become exactly those
rows. Suppliers that do not exist are created; existing suppliers are not changed by an import.

Refusals (`ImportRefused`) come before anything is read: wrong file type (by extension and by
content), macros, size over settings.IMPORT_MAX_BYTES, missing sheets or required columns.
"""

import datetime
import re
import zipfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from nämndplan.models import Municipality
from procurement.models import (
    Bid,
    Category,
    Contract,
    ContractFollowUp,
    Procurement,
    ProductGroup,
    Supplier,
)
from procurement.validators import normalize_org_number, validate_org_number

# Sheet names are part of the file format: changing them breaks files staff already keep.
PROCUREMENTS = "Upphandlingar"
BIDS = "Anbud"
CONTRACTS = "Avtal"
FOLLOW_UPS = "Uppföljningar"
SUPPLIERS = "Leverantörer"  # counted, but not a sheet of its own
INSTRUCTIONS = "Instruktioner"
LISTS = "Listor"

XLSX_MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# A workbook unpacking to more than this many times the upload limit is refused (zip bomb).
MAX_UNPACK_RATIO = 30

MESSAGES = {
    "too_large": _("Filen är för stor (%(size)s). Största tillåtna storlek är %(limit)s."),
    "not_xlsx": _("Filen ”%(name)s” är inte en Excel-arbetsbok. Bara filer av typen .xlsx kan importeras."),
    "not_xlsx_content": _(
        "Filen ”%(name)s” heter .xlsx men är ingen Excel-arbetsbok. Spara den som ”Excel-arbetsbok (.xlsx)” "
        "i kalkylprogrammet och försök igen."
    ),
    "macros": _(
        "Filen innehåller makron och tas inte emot. Spara den som ”Excel-arbetsbok (.xlsx)” utan makron "
        "och försök igen."
    ),
    "too_large_unpacked": _("Arbetsboken är för stor uppackad. Dela upp den i flera filer."),
    "unreadable": _("Filen kunde inte läsas som en Excel-arbetsbok. Utgå från mallen och försök igen."),
    "missing_sheets": _("Arbetsboken saknar bladen: %(sheets)s. Utgå från mallen."),
    "missing_columns": _("Bladet %(sheet)s saknar kolumnerna: %(columns)s."),
    "required": _("Fältet måste fyllas i."),
    "date": _("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15."),
    "bool": _("Skriv Ja eller Nej."),
    "int": _("Skriv ett heltal, till exempel 3."),
    "decimal": _("Skriv ett tal, till exempel 125000 eller 1250,5."),
    "choice": _("”%(value)s” är inte ett giltigt val. Välj något av: %(choices)s."),
    "category": _("Kategorin ”%(value)s” finns inte i registret."),
    "product_group": _("Varugruppen ”%(value)s” finns inte i kategorin ”%(category)s”."),
    "municipality": _("Okänd kommun: %(names)s. Skriv de samverkande kommunernas namn åtskilda med kommatecken."),
    "municipality_required": _("Ange minst en kommun."),
    "duplicate_case_number": _("Diarienumret %(value)s finns redan på rad %(row)s."),
    "duplicate_contract_number": _("Avtalsnumret %(value)s finns redan på rad %(row)s."),
    "duplicate_bid": _("Leverantören har redan ett anbud i upphandlingen (rad %(row)s)."),
    "duplicate_follow_up": _("Uppföljningen finns redan på rad %(row)s."),
    "unknown_procurement": _(
        "Det finns ingen upphandling med diarienummer %(value)s, varken på bladet Upphandlingar eller i registret."
    ),
    "unknown_contract": _(
        "Det finns inget avtal med avtalsnummer %(value)s, varken på bladet Avtal eller i registret."
    ),
    "supplier_name_needed": _(
        "Leverantören %(value)s finns inte i registret. Ange leverantörens namn så läggs den till."
    ),
    "database": _("Raden kunde inte sparas: %(error)s"),
}


class ImportRefused(Exception):
    """The file was refused before any row was read; `messages` says why, in Swedish."""

    def __init__(self, messages):
        self.messages = [str(m) for m in (messages if isinstance(messages, (list, tuple)) else [messages])]
        super().__init__("; ".join(self.messages))


# --- Columns of the template ----------------------------------------------------------------

TEXT, DATE, BOOL, INT, DECIMAL, CHOICE = "text", "date", "bool", "int", "decimal", "choice"
CATEGORY, PRODUCT_GROUP, MUNICIPALITIES, ORG_NUMBER = "category", "product_group", "municipalities", "org_number"


@dataclass(frozen=True)
class Column:
    key: str  # the model field the value goes to, or a key the sheet's importer knows
    header: str
    kind: str
    required: bool = False
    choices: tuple = ()  # ((value, label), …) for CHOICE
    default: object = None  # what a blank cell means
    width: int = 14
    help: str = ""


def _col(model, name, kind, *, header=None, required=False, width=None, help=None):
    model_field = model._meta.get_field(name) if model else None
    if model_field is not None:
        default = model_field.get_default() if model_field.has_default() else None
        if default is None and model_field.empty_strings_allowed and not model_field.null:
            default = ""  # a blank text or code cell is an empty string, never NULL
        help = help if help is not None else model_field.help_text
    else:
        default = "" if kind == TEXT else None
    widths = {TEXT: 24, DATE: 12, BOOL: 10, INT: 10, DECIMAL: 14, CHOICE: 22}
    return Column(
        key=name,
        header=header or capfirst(model_field.verbose_name),
        kind=kind,
        required=required,
        choices=tuple(model_field.choices or ()) if kind == CHOICE else (),
        default=[] if kind == MUNICIPALITIES else default,
        width=width or widths.get(kind, 24),
        help=help or "",
    )


P, B, S, C, F = Procurement, Bid, Supplier, Contract, ContractFollowUp

PROCUREMENT_COLUMNS = [
    _col(P, "case_number", TEXT, required=True, width=16, help=_(
        "Nyckel: finns diarienumret redan i registret uppdateras upphandlingen, annars läggs den till.")),
    _col(P, "title", TEXT, required=True, width=40),
    _col(P, "category", CATEGORY, required=True, width=28, help=_("En av registrets inköpskategorier.")),
    _col(P, "product_group", PRODUCT_GROUP, width=28, help=_("Frivillig. En varugrupp inom kategorin.")),
    _col(P, "kind", CHOICE, width=26),
    _col(P, "municipalities", MUNICIPALITIES, required=True, width=30),
    _col(P, "procedure", CHOICE, width=34),
    _col(P, "reserved", BOOL),
    _col(P, "in_procurement_plan", BOOL, header=_("I upphandlingsplanen")),
    _col(P, "planned_completion", DATE),
    _col(P, "status", CHOICE, required=True, width=14),
    _col(P, "advertised_on", DATE, header=_("Datum annonserad")),
    _col(P, "awarded_on", DATE, header=_("Datum tilldelningsbeslut")),
    _col(P, "completed_on", DATE, header=_("Datum avslutad")),
    _col(P, "cancelled_on", DATE, header=_("Datum avbruten")),
    _col(P, "cancellation_reason", TEXT, help=_("Krävs när status är Avbruten.")),
    _col(P, "questions_received", INT),
    _col(P, "negotiation_held", BOOL),
    _col(P, "negotiation_saving_sek", DECIMAL),
    _col(P, "bidders_contacted", BOOL, header=_("Kontaktade anbudsgivare")),
    _col(P, "appealed_on", DATE, header=_("Överprövning datum")),
    _col(P, "appeal_outcome", CHOICE, header=_("Överprövning utgång"), width=30),
    _col(P, "employment_requirement", BOOL),
    _col(P, "traineeships", INT),
    _col(P, "labour_law_conditions", BOOL),
    _col(P, "accessibility_requirement", BOOL),
    _col(P, "gender_equality_requirement", BOOL),
    _col(P, "preparedness_requirement", BOOL),
    _col(P, "environmental_requirement", BOOL),
    _col(P, "env_management_level", CHOICE, width=16),
    _col(P, "reuse_level", CHOICE, width=16),
    _col(P, "climate_transport_level", CHOICE, width=16),
    _col(P, "climate_other_level", CHOICE, width=16),
    _col(P, "chemicals_level", CHOICE, width=16),
    _col(P, "is_food", BOOL),
    _col(P, "organic_food_requirement", BOOL),
    _col(P, "local_food_requirement", BOOL),
    _col(P, "welfare_crime_risk", BOOL),
    _col(P, "supplier_checks", INT),
    _col(P, "tenders_disqualified_welfare", INT),
    _col(P, "welfare_actions", INT),
    _col(P, "welfare_actions_text", TEXT),
    _col(P, "innovative_solution", BOOL),
    _col(P, "notes", TEXT, width=30),
]

_NEW_SUPPLIER_ONLY = _("Gäller bara när leverantören läggs till; befintliga leverantörer ändras inte av importen.")
BID_COLUMNS = [
    _col(None, "case_number", TEXT, header=_("Diarienummer"), required=True, width=16,
         help=_("Upphandlingens diarienummer, på bladet Upphandlingar eller redan i registret.")),
    _col(None, "supplier_org", ORG_NUMBER, header=_("Leverantörens organisationsnummer"), required=True, width=18,
         help=_("NNNNNN-NNNN; sista siffran är en kontrollsiffra.")),
    _col(None, "supplier_name", TEXT, header=_("Leverantörens namn"), width=30,
         help=_("Krävs när leverantören inte redan finns i registret.")),
    _col(S, "regional", BOOL, header=_("Regional verksamhet"), help=_NEW_SUPPLIER_ONLY),
    _col(S, "sme", BOOL, header=_("SMF"), help=_NEW_SUPPLIER_ONLY),
    _col(S, "social_enterprise", BOOL, header=_("Socialt företag eller idéburen"), help=_NEW_SUPPLIER_ONLY),
    _col(B, "disqualified", BOOL),
    _col(B, "awarded", BOOL),
]

CONTRACT_COLUMNS = [
    _col(C, "number", TEXT, required=True, width=16, help=_(
        "Nyckel: finns avtalsnumret redan i registret uppdateras avtalet, annars läggs det till.")),
    _col(C, "title", TEXT, required=True, width=40),
    _col(None, "case_number", TEXT, header=_("Diarienummer"), width=16,
         help=_("Frivillig. Upphandlingen som ledde till avtalet.")),
    _col(None, "supplier_org", ORG_NUMBER, header=_("Leverantörens organisationsnummer"), required=True, width=18,
         help=_("NNNNNN-NNNN; sista siffran är en kontrollsiffra.")),
    _col(None, "supplier_name", TEXT, header=_("Leverantörens namn"), width=30,
         help=_("Krävs när leverantören inte redan finns i registret eller på bladet Anbud.")),
    _col(C, "municipalities", MUNICIPALITIES, required=True, width=30),
    _col(C, "contract_class", CHOICE, required=True, width=18),
    _col(C, "start_date", DATE, required=True),
    _col(C, "end_date", DATE),
    _col(C, "estimated_yearly_value", DECIMAL, header=_("Årsvärde (kr)")),
    _col(C, "terminated_on", DATE),
    _col(C, "termination_reason", TEXT, header=_("Skäl till förtida avslut")),
]

FOLLOW_UP_COLUMNS = [
    _col(None, "contract_number", TEXT, header=_("Avtalsnummer"), required=True, width=16,
         help=_("Avtalet, på bladet Avtal eller redan i registret. Avtalsnummer, datum och form är nyckel.")),
    _col(F, "date", DATE, required=True),
    _col(F, "form", CHOICE, required=True),
    _col(F, "notes", TEXT, width=40),
    _col(F, "actions", TEXT, width=40),
]

SHEETS = {
    PROCUREMENTS: PROCUREMENT_COLUMNS,
    BIDS: BID_COLUMNS,
    CONTRACTS: CONTRACT_COLUMNS,
    FOLLOW_UPS: FOLLOW_UP_COLUMNS,
}


COLUMNS_BY_KEY = {sheet: {column.key: column for column in columns} for sheet, columns in SHEETS.items()}


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # as Excel shows it (the header is row 1)
    column: str  # the column header, or "" for the row as a whole
    message: str


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class ImportResult:
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: {name: SheetCounts() for name in (*SHEETS, SUPPLIERS)})
    errors: list = field(default_factory=list)
    more_errors: int = 0  # errors left out of `errors` when the result was kept (as_data)

    @property
    def ok(self):
        return not self.errors

    @property
    def saved(self):
        return self.ok and not self.dry_run

    @property
    def error_count(self):
        return len(self.errors) + self.more_errors

    def as_data(self, max_errors=None):
        """The counts and (at most `max_errors` of the) errors as plain JSON-able data, for the session."""
        kept = self.errors if max_errors is None else self.errors[:max_errors]
        return {
            "dry_run": self.dry_run,
            "counts": {name: asdict(counts) for name, counts in self.counts.items()},
            "errors": [asdict(error) for error in kept],
            "more_errors": self.more_errors + len(self.errors) - len(kept),
        }

    @classmethod
    def from_data(cls, data):
        """The result `as_data` gave."""
        return cls(
            dry_run=data["dry_run"],
            counts={name: SheetCounts(**counts) for name, counts in data["counts"].items()},
            errors=[RowError(**error) for error in data["errors"]],
            more_errors=data.get("more_errors", 0),
        )

    def summary(self):
        """The counts in one Swedish sentence per record type, e.g. 'Upphandlingar: 2 nya, 1 ändrad.'"""
        parts = []
        for name, counts in self.counts.items():
            words = [
                ngettext("%(n)s ny", "%(n)s nya", counts.created) % {"n": counts.created},
                ngettext("%(n)s ändrad", "%(n)s ändrade", counts.updated) % {"n": counts.updated},
            ]
            if counts.unchanged:
                words.append(ngettext("%(n)s oförändrad", "%(n)s oförändrade", counts.unchanged)
                             % {"n": counts.unchanged})
            if counts.deleted:
                words.append(ngettext("%(n)s borttagen", "%(n)s borttagna", counts.deleted) % {"n": counts.deleted})
            parts.append(f"{name}: {', '.join(words)}.")
        return " ".join(parts)


# --- Refusals before reading ------------------------------------------------------------------


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
    if suffix in {".xlsm", ".xltm", ".xlam", ".xlsb"}:
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


# --- Reading the sheets -----------------------------------------------------------------------


def _norm(value):
    """Compare names and labels forgivingly: case, spaces and dash kinds do not matter."""
    return " ".join(str(value).replace("–", "-").replace("—", "-").split()).casefold()


def _header_key(value):
    """A header as the template writes it, "Diarienummer *" for a required column, matches "Diarienummer"."""
    return _norm(str(value).strip().rstrip("*"))


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class SheetData:
    name: str
    present: set  # keys of the columns the sheet has
    rows: list  # (row number, {key: raw value})


def read_workbook(source):
    """Open the workbook and read the four sheets; refuse when sheets or required columns are missing."""
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file; all mean the same to the user
        raise ImportRefused(MESSAGES["unreadable"]) from None
    try:
        by_name = {_norm(name): name for name in workbook.sheetnames}
        missing = [sheet for sheet in SHEETS if _norm(sheet) not in by_name]
        if missing:
            raise ImportRefused(MESSAGES["missing_sheets"] % {"sheets": ", ".join(missing)})
        problems, data = [], {}
        for sheet, columns in SHEETS.items():
            worksheet = workbook[by_name[_norm(sheet)]]
            worksheet.reset_dimensions()  # some programs write a wrong size; read what is there
            data[sheet] = _read_sheet(sheet, columns, worksheet.iter_rows(values_only=True), problems)
        if problems:
            raise ImportRefused(problems)
        return data
    finally:
        workbook.close()


def _read_sheet(sheet, columns, rows, problems):
    header = next(rows, None) or ()
    positions = {}
    for index, value in enumerate(header):
        if not _blank(value):
            positions.setdefault(_header_key(value), index)
    found = {column.key: positions[_header_key(column.header)] for column in columns
             if _header_key(column.header) in positions}
    missing = [str(column.header) for column in columns if column.required and column.key not in found]
    if missing:
        problems.append(MESSAGES["missing_columns"] % {"sheet": sheet, "columns": ", ".join(missing)})
    records = []
    for number, values in enumerate(rows, start=2):
        raw = {key: values[index] if index < len(values) else None for key, index in found.items()}
        if not all(_blank(value) for value in raw.values()):
            records.append((number, raw))
    return SheetData(sheet, set(found), records)


# --- Parsing cells ----------------------------------------------------------------------------


class CellError(Exception):
    pass


ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
TRUE_WORDS = {"ja", "j", "x", "sant", "true", "1"}
FALSE_WORDS = {"nej", "n", "falskt", "false", "0"}


def parse_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = ISO_DATE.match(str(value).strip())
    if not match:
        raise CellError(MESSAGES["date"])
    try:
        return datetime.date.fromisoformat(match.group(1))
    except ValueError:
        raise CellError(MESSAGES["date"]) from None


def parse_bool(value):
    if isinstance(value, bool):
        return value
    word = _norm(parse_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(MESSAGES["bool"])


def parse_decimal(value, message=MESSAGES["decimal"]):
    """12500, 12500.0, "12 500", "1250,5", "-3" → Decimal; whole numbers without decimals."""
    if isinstance(value, bool):
        raise CellError(message)
    if isinstance(value, (int, float, Decimal)):
        text = str(value)
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace("−", "-").replace(",", ".")
        text = re.sub(r"(?i)kr$", "", text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(message) from None
    if not number.is_finite():
        raise CellError(message)
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def parse_int(value):
    number = parse_decimal(value, MESSAGES["int"])
    if number != number.to_integral_value():
        raise CellError(MESSAGES["int"])
    return int(number)


def parse_choice(value, column):
    wanted = _norm(parse_text(value))
    for code, label in column.choices:
        if wanted in (_norm(label), _norm(code)):
            return code
    labels = "; ".join(str(label) for code, label in column.choices if code != "")
    raise CellError(MESSAGES["choice"] % {"value": parse_text(value), "choices": labels})


def parse_org_number(value):
    org_number = normalize_org_number(parse_text(value))
    try:
        validate_org_number(org_number)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None
    return org_number


# --- The import -------------------------------------------------------------------------------


def import_register(source, *, dry_run=False):
    """Import the workbook at `source` (a path or an uploaded file); see the module docstring.

    Raises ImportRefused before anything is read; returns an ImportResult otherwise. Nothing is
    saved when the result has errors or on a dry run.
    """
    check_file(source)
    return import_sheets(read_workbook(source), dry_run=dry_run)


def import_sheets(sheets, *, dry_run=False):
    """Import the sheets `read_workbook` read (the upload form reads them once, to refuse a bad file)."""
    with transaction.atomic():
        result = _Importer(sheets, dry_run).run()
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result


class _Row:
    """One row being imported: its parsed values and the errors found in it."""

    def __init__(self, importer, sheet, number, raw):
        self.importer, self.sheet, self.number = importer, sheet, number
        self.columns = COLUMNS_BY_KEY[sheet]
        self.present = importer.sheets[sheet].present
        self.seen = set()  # (column, message) already reported
        self.failed = set()  # keys whose cell could not be read
        self.invalid = set()  # model fields full_clean found wrong
        self.values = {}
        for key in self.present:
            self._parse(self.columns[key], raw.get(key))

    @property
    def has_errors(self):
        return bool(self.seen)

    def error(self, key, message):
        """Record a message for the column `key` (None for the row as a whole), each once.

        A rule checked both in clean() (for a column) and as a database constraint (for the row)
        gives the same message twice; the one naming a column is kept.
        """
        message = str(message)
        header = str(self.columns[key].header) if key in self.columns else ""
        if (header, message) in self.seen or (not header and any(m == message for _h, m in self.seen)):
            return
        self.seen.add((header, message))
        self.importer.result.errors.append(RowError(self.sheet, self.number, header, message))

    def fail(self, key, message):
        self.failed.add(key)
        self.error(key, message)

    def _parse(self, column, raw):
        if _blank(raw):
            if column.required:
                self.fail(column.key, MESSAGES["required"])
            else:
                self.values[column.key] = column.default
            return
        try:
            self.values[column.key] = self.importer.parse(column, raw)
        except CellError as error:
            self.fail(column.key, error)

    def validation_error(self, error, field_keys=None):
        """Spread a ValidationError from full_clean over the columns (`field_keys`: model field → column key)."""
        field_keys = field_keys or {}
        self.invalid |= set(getattr(error, "error_dict", {})) - {NON_FIELD_ERRORS}
        for name, errors in error.error_dict.items() if hasattr(error, "error_dict") else [(None, [error])]:
            for item in errors:
                key = field_keys.get(name, name)
                if name in (None, NON_FIELD_ERRORS):
                    key = NON_FIELD_COLUMNS.get(item.code)
                elif key in self.failed:
                    continue  # the cell could not be read: that message is enough
                for message in item.messages:
                    self.error(key, message)


def _error_order(error):
    """Sheets in template order, then rows, then columns left to right (the row as a whole last)."""
    headers = [str(column.header) for column in SHEETS[error.sheet]]
    column = headers.index(error.column) if error.column in headers else len(headers)
    return list(SHEETS).index(error.sheet), error.row, column


def _field_values(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


# Related objects the importer found in its lookups (or reported as unknown): full_clean need not
# query for each of them again. The file's duplicate checks stand in for Bid's unique constraint.
LOOKED_UP = {
    Procurement: {"category", "product_group"},
    Bid: {"procurement", "supplier"},
    Contract: {"procurement", "supplier"},
    ContractFollowUp: {"contract"},
}

# Non-field errors that belong to one column.
NON_FIELD_COLUMNS = {"awarded_disqualified": "awarded"}


class _Importer:
    def __init__(self, sheets, dry_run):
        self.sheets = sheets
        self.result = ImportResult(dry_run=dry_run)
        self.first_row = {}  # (sheet, key) → the row that first had it, for duplicate messages
        self.failed_procurements, self.failed_contracts = set(), set()
        self.bids_in_file = {}  # procurement pk → pks of the bids the file keeps

    def run(self):
        self._load_lookups()
        for number, raw in self.sheets[PROCUREMENTS].rows:
            self._procurement(_Row(self, PROCUREMENTS, number, raw))
        for number, raw in self.sheets[BIDS].rows:
            self._bid(_Row(self, BIDS, number, raw))
        self._delete_bids_not_in_file()
        for number, raw in self.sheets[CONTRACTS].rows:
            self._contract(_Row(self, CONTRACTS, number, raw))
        for number, raw in self.sheets[FOLLOW_UPS].rows:
            self._follow_up(_Row(self, FOLLOW_UPS, number, raw))
        self.result.errors.sort(key=_error_order)
        return self.result

    # Lookups: one query each, before any row, so rows never query to find things.

    def _keys(self, sheet, key, parse=parse_text):
        """The distinct readable values of one column, to look records up before the rows are read."""
        values = set()
        for _number, raw in self.sheets[sheet].rows:
            if _blank(raw.get(key)):
                continue
            try:
                values.add(parse(raw[key]))
            except CellError:
                pass
        return values

    def _load_lookups(self):
        self.categories = {_norm(c.name): c for c in Category.objects.all()}
        self.product_groups = {(g.category_id, _norm(g.name)): g for g in ProductGroup.objects.all()}
        self.municipalities = {_norm(m.name): m for m in Municipality.objects.all()}
        orgs = self._keys(BIDS, "supplier_org", parse_org_number) | self._keys(CONTRACTS, "supplier_org",
                                                                                  parse_org_number)
        self.suppliers = {s.org_number: s for s in Supplier.objects.filter(org_number__in=orgs)}
        cases = self._keys(PROCUREMENTS, "case_number") | self._keys(BIDS, "case_number") | self._keys(
            CONTRACTS, "case_number")
        self.procurements = {
            p.case_number: p
            for p in Procurement.objects.select_for_update().filter(case_number__in=cases).prefetch_related(
                "municipalities")
        }
        self.bids = {(b.procurement_id, b.supplier_id): b for b in Bid.objects.filter(
            procurement__in=[p.pk for p in self.procurements.values()])}
        numbers = self._keys(CONTRACTS, "number") | self._keys(FOLLOW_UPS, "contract_number")
        self.contracts = {
            c.number: c
            for c in Contract.objects.select_for_update().filter(number__in=numbers).prefetch_related(
                "municipalities")
        }
        self.follow_ups = {
            (f.contract_id, f.date, f.form): f
            for f in ContractFollowUp.objects.filter(contract__in=[c.pk for c in self.contracts.values()])
        }

    def parse(self, column, raw):
        kind = column.kind
        if kind == TEXT:
            return parse_text(raw)
        if kind == DATE:
            return parse_date(raw)
        if kind == BOOL:
            return parse_bool(raw)
        if kind == INT:
            return parse_int(raw)
        if kind == DECIMAL:
            return parse_decimal(raw)
        if kind == CHOICE:
            return parse_choice(raw, column)
        if kind == ORG_NUMBER:
            return parse_org_number(raw)
        if kind == CATEGORY:
            category = self.categories.get(_norm(parse_text(raw)))
            if category is None:
                raise CellError(MESSAGES["category"] % {"value": parse_text(raw)})
            return category
        if kind == PRODUCT_GROUP:
            return parse_text(raw)  # resolved with the category, see _product_group
        if kind == MUNICIPALITIES:
            return self._municipalities(raw)
        raise ValueError(kind)

    def _municipalities(self, raw):
        names = [name.strip() for name in re.split(r"[,;\n]", parse_text(raw)) if name.strip()]
        unknown = [name for name in names if _norm(name) not in self.municipalities]
        if unknown:
            raise CellError(MESSAGES["municipality"] % {"names": ", ".join(unknown)})
        found = {self.municipalities[_norm(name)] for name in names}
        if not found:
            raise CellError(MESSAGES["municipality_required"])
        return sorted(found, key=lambda m: m.pk)

    def _duplicate(self, row, sheet, key_value, column, message):
        """Report a key seen on an earlier row of the sheet; True if it was a duplicate."""
        first = self.first_row.setdefault((sheet, key_value), row.number)
        if first != row.number:
            row.error(column, MESSAGES[message] % {"value": key_value[-1] if isinstance(key_value, tuple)
                                                   else key_value, "row": first})
            return True
        return False

    # Saving one record

    def _save(self, row, sheet, instance, values, *, exclude=(), m2m=None, field_keys=None, can_save=True):
        """Assign `values`, validate and save unless the row has errors.

        Returns the saved (or unchanged) instance, or None when it was not saved.
        """
        adding = instance._state.adding
        exclude = set(exclude) | LOOKED_UP.get(type(instance), set())
        before = _field_values(instance)
        for key, value in values.items():
            setattr(instance, key, value)
        changed = adding or before != _field_values(instance)
        if m2m is not None and not adding:
            changed = changed or {m.pk for m in m2m[1]} != {m.pk for m in getattr(instance, m2m[0]).all()}
        self._validate(row, instance, exclude, field_keys)
        if row.has_errors or not can_save:
            return None
        counts = self.result.counts[sheet]
        if not changed:
            counts.unchanged += 1
            return instance
        try:
            with transaction.atomic():
                if not adding and hasattr(instance, "version"):
                    instance.version += 1  # an edit form opened before the import will be refused
                if self.result.dry_run:
                    # Rolled back anyway; history records cost most of the time of a save.
                    instance.skip_history_when_saving = True
                instance.save()
                if m2m is not None:
                    getattr(instance, m2m[0]).set(m2m[1])
        except IntegrityError as error:
            self._explain_refusal(row, instance, exclude, field_keys, error)
            return None
        if adding:
            counts.created += 1
        else:
            counts.updated += 1
        return instance

    def _validate(self, row, instance, exclude, field_keys):
        """full_clean, with the check constraints left to the database when the row is otherwise good.

        Model.clean() states every check constraint's rule with the same message, and checking a
        constraint from Python costs a query each (7 for a procurement: most of an import's time).
        A row the database still refuses gets the constraints' own messages (_explain_refusal).
        """
        try:
            if row.failed:
                # Rules across fields wait until every cell of the row could be read: an unreadable
                # date would otherwise also give "awarded before advertising".
                instance.clean_fields(exclude=exclude)
                return
            instance.full_clean(exclude=exclude, validate_constraints=False)
        except ValidationError as error:
            row.validation_error(error, field_keys)
        if row.has_errors:
            self._check_constraints(row, instance, exclude, field_keys)

    def _check_constraints(self, row, instance, exclude, field_keys):
        try:
            # Like full_clean: constraints on fields that already have an error are not checked again.
            instance.validate_constraints(exclude=exclude | row.invalid)
        except ValidationError as error:
            row.validation_error(error, field_keys)

    def _explain_refusal(self, row, instance, exclude, field_keys, error):
        self._check_constraints(row, instance, exclude, field_keys)
        if not row.has_errors:
            row.error(None, MESSAGES["database"] % {"error": error})

    # Sheets

    def _procurement(self, row):
        values = dict(row.values)
        case_number = values.get("case_number")
        duplicate = bool(case_number) and self._duplicate(
            row, PROCUREMENTS, case_number, "case_number", "duplicate_case_number")
        instance = Procurement() if duplicate or not case_number else self.procurements.get(case_number, Procurement())
        if "product_group" in values:
            values["product_group"] = self._product_group(row, values.get("category"), values["product_group"])
        municipalities = values.pop("municipalities", None)
        values = {k: v for k, v in values.items() if k not in row.failed}
        saved = self._save(
            row, PROCUREMENTS, instance, values, exclude=row.failed | ({"case_number"} if duplicate else set()),
            m2m=("municipalities", municipalities) if municipalities is not None else None,
        )
        if saved is not None:
            self.procurements[case_number] = saved
        elif case_number and not duplicate:
            self.failed_procurements.add(case_number)

    def _product_group(self, row, category, name):
        if not name or category is None:
            return None
        group = self.product_groups.get((category.pk, _norm(name)))
        if group is None:
            row.fail("product_group", MESSAGES["product_group"] % {"value": name, "category": category.name})
        return group

    def _parent(self, row, key, value, found, failed, message):
        """The procurement or contract a row refers to; None (with an error if unknown) if there is none."""
        if not value or key in row.failed or value in failed:
            return None  # its own row already has the error
        if value in found:
            return found[value]
        row.fail(key, MESSAGES[message] % {"value": value})
        return None

    def _supplier(self, row, name_key="supplier_name"):
        org_number = row.values.get("supplier_org")
        if not org_number:
            return None
        if org_number in self.suppliers:
            return self.suppliers[org_number]
        name = row.values.get(name_key) or ""
        if not name:
            row.fail(name_key, MESSAGES["supplier_name_needed"] % {"value": org_number})
            return None
        flags = {key: row.values.get(key) or False for key in ("regional", "sme", "social_enterprise")}
        supplier = Supplier(name=name, org_number=org_number, **flags)
        keys = {"name": name_key, "org_number": "supplier_org"}
        saved = self._save(row, SUPPLIERS, supplier, {}, field_keys=keys)
        if saved is not None:
            self.suppliers[org_number] = saved
        return saved

    def _bid(self, row):
        case_number, org_number = row.values.get("case_number"), row.values.get("supplier_org")
        procurement = self._parent(row, "case_number", case_number, self.procurements, self.failed_procurements,
                                   "unknown_procurement")
        supplier = self._supplier(row)
        duplicate = bool(case_number and org_number) and self._duplicate(
            row, BIDS, (case_number, org_number), "supplier_org", "duplicate_bid")
        existing = self.bids.get((procurement.pk, supplier.pk)) if procurement and supplier else None
        instance = existing if existing and not duplicate else Bid()
        values = {k: row.values[k] for k in ("disqualified", "awarded") if k in row.values and k not in row.failed}
        exclude = set(row.failed) | ({"supplier"} if duplicate else set())
        if procurement is not None:
            values["procurement"] = procurement
        else:
            exclude.add("procurement")
        if supplier is not None:
            values["supplier"] = supplier
        else:
            exclude.add("supplier")
        can_save = not duplicate and procurement is not None and supplier is not None
        saved = self._save(row, BIDS, instance, values, exclude=exclude, can_save=can_save,
                           field_keys={"procurement": "case_number", "supplier": "supplier_org"})
        if saved is not None:
            self.bids_in_file.setdefault(procurement.pk, set()).add(saved.pk)

    def _delete_bids_not_in_file(self):
        """The file's bids replace those of each procurement it has bid rows for."""
        stale = [bid.pk for (procurement_id, _s), bid in self.bids.items()
                 if procurement_id in self.bids_in_file and bid.pk not in self.bids_in_file[procurement_id]]
        if stale:
            # QuerySet.delete() sends post_delete for each bid, so the history records the deletions.
            Bid.objects.filter(pk__in=stale).delete()
            self.result.counts[BIDS].deleted += len(stale)

    def _contract(self, row):
        values = dict(row.values)
        number = values.get("number")
        duplicate = bool(number) and self._duplicate(row, CONTRACTS, number, "number", "duplicate_contract_number")
        instance = Contract() if duplicate or not number else self.contracts.get(number, Contract())
        exclude = set(row.failed) | ({"number"} if duplicate else set())
        if "case_number" in values:
            case_number = values.pop("case_number")
            procurement = self._parent(row, "case_number", case_number, self.procurements, self.failed_procurements,
                                       "unknown_procurement")
            if case_number and procurement is None:
                exclude.add("procurement")  # its row failed or the number is unknown: checked, not saved
            else:
                values["procurement"] = procurement
        supplier = self._supplier(row)
        if supplier is not None:
            values["supplier"] = supplier
        else:
            exclude.add("supplier")
        municipalities = values.pop("municipalities", None)
        values = {k: v for k, v in values.items() if k not in row.failed and k not in {"supplier_org", "supplier_name"}}
        saved = self._save(
            row, CONTRACTS, instance, values, exclude=exclude,
            can_save=not duplicate and supplier is not None and "procurement" not in exclude,
            m2m=("municipalities", municipalities) if municipalities is not None else None,
            field_keys={"procurement": "case_number", "supplier": "supplier_org"},
        )
        if saved is not None:
            self.contracts[number] = saved
        elif number and not duplicate:
            self.failed_contracts.add(number)

    def _follow_up(self, row):
        values = dict(row.values)
        number = values.pop("contract_number", None)
        contract = self._parent(row, "contract_number", number, self.contracts, self.failed_contracts,
                                "unknown_contract")
        key = (number, values.get("date"), values.get("form"))
        duplicate = all(key) and self._duplicate(row, FOLLOW_UPS, key, "date", "duplicate_follow_up")
        existing = self.follow_ups.get((contract.pk, key[1], key[2])) if contract else None
        instance = existing if existing and not duplicate else ContractFollowUp()
        values = {k: v for k, v in values.items() if k not in row.failed}
        exclude = set(row.failed)
        if contract is not None:
            values["contract"] = contract
        else:
            exclude.add("contract")
        self._save(row, FOLLOW_UPS, instance, values, exclude=exclude, can_save=not duplicate and contract is not None,
                   field_keys={"contract": "contract_number"})
