"""The procurement plan in Excel: a year's plan exported, a template, and an import with a preview that saves
every row or none.

Built from the register importer's blocks, as the ledger's import (procurement/checks/excel.py) is: checks.py
refuses a file that must not be read, reading.py finds the columns by header and reads the rows, cells.py
reads each cell and messages.py words the errors. An error names the row, the column and the value.

The key of a row is its title and category within the plan (compared as cells.norm compares them): a row
whose key the plan has updates that planned procurement, any other row adds one. The export carries no id,
so a file can be imported into another year's plan as well; renaming a title in the file adds a procurement
(the import never deletes). The export's first columns are the import's, so an export imports unchanged.
Only a plan not adopted (draft or on consultation) takes an import; the adopted dates are set at adoption
and never by an import, so a row whose "Antagen annonsering" or "Antaget klart" differs from the plan's is
refused. The columns after them (start-by, the register's procurement, its status, the flag) are the plan's
information and are not read.
"""

import datetime
import re
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from common.locking import save_versioned
from common.xlsx import DATE_FORMAT, Sheet, write_cell, write_header, write_workbook
from nämndplan.models import Municipality
from procurement.importing import cells, reading
from procurement.importing.columns import CATEGORY, DATE, MUNICIPALITIES, PRODUCT_GROUP, TEXT, Column
from procurement.importing.messages import MESSAGES
from procurement.importing.result import ImportRefused
from procurement.models import Category, Contract, ProductGroup
from procurement.planning import proposals
from procurement.planning.models import PlannedProcurement, ProcurementPlan

SHEET = "Planerade upphandlingar"
LISTS = "Listor"
MAX_ROWS = 1000  # a plan holds a few hundred procurements at most
TEMPLATE_FILENAME = "upphandlingsplan-mall.xlsx"


def _header(name):
    return capfirst(PlannedProcurement._meta.get_field(name).verbose_name)


EDITABLE = [
    Column("title", _header("title"), TEXT, required=True, width=40,
           help=gettext_lazy("Nyckel tillsammans med kategorin: finns upphandlingen i planen ändras den, "
                             "annars läggs den till.")),
    Column("category", _header("category"), CATEGORY, required=True, width=28),
    Column("product_group", _header("product_group"), PRODUCT_GROUP, width=28),
    Column("municipalities", _header("municipalities"), MUNICIPALITIES, width=30),
    Column("replaces", gettext_lazy("Ersätter avtal (avtalsnummer)"), TEXT, width=18),
    Column("planned_advertising", _header("planned_advertising"), DATE),
    Column("planned_completion", _header("planned_completion"), DATE, required=True),
    Column("note", _header("note"), TEXT, width=40),
]
ADOPTED = [
    Column("adopted_advertising", _header("adopted_advertising"), DATE),
    Column("adopted_completion", _header("adopted_completion"), DATE),
]
COLUMNS = EDITABLE + ADOPTED  # what the import reads
INFORMATION = [  # what the export adds after them, not read by the import
    _header("start_by"), gettext_lazy("Upphandling i registret (diarienummer)"), gettext_lazy("Status i registret"),
    gettext_lazy("Försenad mot avtalets slut"),
]
HEADERS = {column.key: column.header for column in COLUMNS}
BLANK = {"title": "", "note": "", "municipalities": []}  # what a blank cell means; None for the others
FIELDS = ["product_group", "replaces", "planned_advertising", "planned_completion", "note"]  # compared on update

ADOPTED_PLAN = gettext_lazy("%(plan)s är antagen och kan inte ändras genom import. De antagna datumen ändras "
                            "aldrig; ändra de planerade datumen på planens sida.")
ADOPTED_DATE = gettext_lazy("De antagna datumen sätts när nämnden antar planen och ändras aldrig genom import: "
                            "lämna kolumnen tom.")
ADOPTED_DATE_KEPT = gettext_lazy("De antagna datumen sätts när nämnden antar planen och ändras aldrig genom "
                                 "import: lämna kolumnen tom eller som i exporten, %(value)s.")
UNKNOWN_CONTRACT = gettext_lazy("Det finns inget avtal med avtalsnummer %(value)s i registret.")
DUPLICATE_ROW = gettext_lazy("Upphandlingen ”%(title)s” i kategorin %(category)s finns redan på rad %(row)s.")
AMBIGUOUS = gettext_lazy("Planen har flera upphandlingar ”%(title)s” i kategorin %(category)s. Ändra dem på "
                         "planens sida, så att benämningen skiljer dem åt.")
TOO_MANY_ROWS = gettext_lazy("Filen har fler än %(limit)s rader; dela upp den.")


# --- The export ----------------------------------------------------------------------------------------

def export_workbook(plan, today=None):
    """Bytes of the plan as .xlsx: a row per planned procurement (the queries of proposals.planned_rows)."""
    headers = [str(column.header) for column in COLUMNS] + [str(header) for header in INFORMATION]
    rows = [_export_row(row) for row in proposals.planned_rows(plan, today)]
    # write_cell keeps every text a text: a title like "=HYPERLINK(…)" never becomes a formula.
    return write_workbook([Sheet(SHEET, headers, rows)])


def _export_row(row):
    p = row.planned
    register = p.procurement
    return [
        p.title, p.category.name, p.product_group.name if p.product_group else None,
        ", ".join(m.name for m in p.municipalities.all()), p.replaces.number if p.replaces else None,
        p.planned_advertising, p.planned_completion, p.note or None, p.adopted_advertising, p.adopted_completion,
        p.start_by, register.case_number if register else None, register.get_status_display() if register else None,
        row.late,
    ]


# --- The template --------------------------------------------------------------------------------------

def build_template():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    for index, column in enumerate(EDITABLE, start=1):
        write_header(sheet, index, f"{column.header} *" if column.required else str(column.header))
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = column.width
        if column.kind == DATE:
            for row in range(2, 102):
                sheet.cell(row=row, column=index).number_format = DATE_FORMAT
    _write_lists(workbook.create_sheet(LISTS))
    help_sheet = workbook.create_sheet(_("Instruktioner"))
    lines = [
        _("En rad per planerad upphandling. Rad 1 är rubriker och ska stå kvar; kolumner med * måste fyllas i."),
        _("Benämning och kategori är nyckeln: finns upphandlingen redan i planen ändras den, annars läggs den "
          "till. Importen tar aldrig bort någon upphandling."),
        _("Kategori, varugrupp och kommuner skrivs som på bladet Listor; flera kommuner åtskilda med kommatecken."),
        _("Datum skrivs ÅÅÅÅ-MM-DD. Avtalet som ersätts anges med avtalsnummer och måste finnas i registret."),
        _("Bara en plan som inte är antagen kan importeras. Importen sparar alla rader eller ingen."),
    ]
    for row, line in enumerate(lines, start=1):
        write_cell(help_sheet, row, 1, str(line))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_lists(sheet):
    """The names the import knows: categories, municipalities, and each product group with its category."""
    headers = [_("Kategori"), _("Kommun"), "", _("Varugruppens kategori"), _("Varugrupp")]
    for index, header in enumerate(headers, start=1):
        if header:
            write_header(sheet, index, header)
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 36 if header else 4
    columns = [
        (1, [[c.name] for c in Category.objects.all()]),
        (2, [[m.name] for m in Municipality.objects.all()]),
        (4, [[g.category.name, g.name] for g in ProductGroup.objects.select_related("category").order_by(
            "category__order", "category__name", "name")]),
    ]
    for first, rows in columns:
        for row, values in enumerate(rows, start=2):
            for offset, value in enumerate(values):
                write_cell(sheet, row, first + offset, value)


# --- Reading ---------------------------------------------------------------------------------------------

def read_file(upload):
    """The sheet's rows as raw cells and the columns it has; ImportRefused when the file cannot be read."""
    data = reading.read_single_sheet(upload, SHEET, COLUMNS, max_rows=MAX_ROWS, too_many=TOO_MANY_ROWS)
    return data


# --- Checking --------------------------------------------------------------------------------------------

@dataclass
class Change:
    """A row that adds or changes a planned procurement: the record with the file's values set, not saved."""

    row: int
    planned: PlannedProcurement
    municipalities: list | None  # None: the file has no such column, the municipalities stay
    changed: list = field(default_factory=list)  # headers of the changed columns; empty for a new one

    @property
    def is_new(self):
        return self.planned.pk is None

    @property
    def municipality_names(self):
        """The municipalities after the save (those of an existing record are prefetched: no query)."""
        found = self.municipalities if self.municipalities is not None else (
            self.planned.municipalities.all() if self.planned.pk else [])
        return ", ".join(m.name for m in found)


@dataclass
class Checked:
    changes: list = field(default_factory=list)
    unchanged: int = 0
    errors: list = field(default_factory=list)  # (row, column header, value as typed, message)

    @property
    def ok(self):
        return not self.errors

    @property
    def new(self):
        return sum(1 for change in self.changes if change.is_new)

    @property
    def updated(self):
        return len(self.changes) - self.new

    def summary(self):
        """What the rows would save, as plain values: the confirm saves only what the preview showed."""
        return [[c.row, c.planned.pk, [str(h) for h in c.changed]] for c in self.changes]


class _Lookups:
    """What the register and the plan have of what the rows name: a query each, whatever the number of rows."""

    def __init__(self, plan, rows):
        self.categories = {cells.norm(c.name): c for c in Category.objects.all()}
        self.product_groups = {(g.category_id, cells.norm(g.name)): g for g in ProductGroup.objects.all()}
        self.municipalities = {cells.norm(m.name): m for m in Municipality.objects.all()}
        numbers = {cells.parse_text(raw["replaces"]) for _n, raw in rows if not cells.is_blank(raw.get("replaces"))}
        self.contracts = Contract.objects.in_bulk(numbers, field_name="number")
        self.existing = {}
        for planned in plan.planned.prefetch_related("municipalities").order_by("pk"):
            self.existing.setdefault(_key(planned.title, planned.category_id), []).append(planned)


def _key(title, category_id):
    return cells.norm(title), category_id


def check_rows(plan, data):
    """Every row read and checked as the form checks it (the model's clean); nothing is saved."""
    if plan.is_adopted:
        raise ImportRefused(ADOPTED_PLAN % {"plan": plan})
    lookups, checked, seen = _Lookups(plan, data.rows), Checked(), {}
    for number, raw in data.rows:
        values, errors = _parse_row(raw, data.present, lookups)
        errors += _duplicate(number, values, seen)
        change = None
        if not errors:
            change, errors = _change(plan, number, values, lookups)
        checked.errors += [(number, str(HEADERS.get(key, "")), _typed(raw.get(key)), str(message))
                           for key, message in errors]
        if not errors and change is None:
            checked.unchanged += 1
        elif not errors:
            checked.changes.append(change)
    return checked


def _typed(value):
    return "" if value is None else cells.parse_text(value) if value is not cells.UNCALCULATED else ""


def _parse_row(raw, present, lookups):
    """{key: value} of the columns the file has, and [(key, message)]."""
    values, errors = {}, []
    for column in COLUMNS:
        if column.key not in present:
            continue
        value = raw.get(column.key)
        if cells.is_blank(value):
            if column.required:
                errors.append((column.key, MESSAGES["required"]))
            values[column.key] = BLANK.get(column.key)
            continue
        try:
            values[column.key] = _parse_cell(column, value, lookups, values.get("category"))
        except cells.CellError as error:
            errors.append((column.key, str(error)))
    return values, errors


def _parse_cell(column, value, lookups, category):
    if column.kind == CATEGORY:
        found = lookups.categories.get(cells.norm(cells.parse_text(value)))
        if found is None:
            raise cells.CellError(MESSAGES["category"] % {"value": cells.parse_text(value)})
        return found
    if column.kind == PRODUCT_GROUP:
        return _product_group(cells.parse_text(value), lookups, category)
    if column.kind == MUNICIPALITIES:
        names = [name.strip() for name in re.split(r"[,;\n]", cells.parse_text(value)) if name.strip()]
        unknown = [name for name in names if cells.norm(name) not in lookups.municipalities]
        if unknown:
            raise cells.CellError(MESSAGES["municipality"] % {"names": ", ".join(unknown)})
        return sorted({lookups.municipalities[cells.norm(name)] for name in names}, key=lambda m: m.pk)
    if column.key == "replaces":
        number = cells.parse_text(value)
        if number not in lookups.contracts:
            raise cells.CellError(UNKNOWN_CONTRACT % {"value": number})
        return lookups.contracts[number]
    return cells.parse_cell(column, value)


def _product_group(name, lookups, category):
    if category is None:  # the category's own error says what is wrong
        return None
    group = lookups.product_groups.get((category.pk, cells.norm(name)))
    if group is None:
        raise cells.CellError(MESSAGES["product_group"] % {"value": name, "category": category.name})
    return group


def _duplicate(number, values, seen):
    """A row whose key an earlier row has (whether or not that row had other errors)."""
    category, title = values.get("category"), values.get("title")
    if category is None or not title:
        return []
    key = _key(title, category.pk)
    if key in seen:
        return [("title", DUPLICATE_ROW % {"title": title, "category": category.name, "row": seen[key]})]
    seen[key] = number
    return []


def _change(plan, number, values, lookups):
    """(Change or None when the row changes nothing, [(key, message)])."""
    category, title = values["category"], values["title"]
    existing = lookups.existing.get(_key(title, category.pk), [])
    if len(existing) > 1:
        return None, [("title", AMBIGUOUS % {"title": title, "category": category.name})]
    planned = existing[0] if existing else PlannedProcurement(plan=plan, title=title, category=category)
    errors = _adopted_errors(planned, values)
    if errors:
        return None, errors
    before = {name: getattr(planned, name) for name in FIELDS}
    municipalities_before = {m.pk for m in planned.municipalities.all()} if planned.pk else set()
    for name in FIELDS:
        if name in values:
            setattr(planned, name, values[name])
    errors = _model_errors(planned)
    if errors:
        return None, errors
    municipalities = values.get("municipalities")
    changed = [HEADERS[name] for name in FIELDS if getattr(planned, name) != before[name]]
    if municipalities is not None and {m.pk for m in municipalities} != municipalities_before:
        changed.append(HEADERS["municipalities"])
    if planned.pk and not changed:
        return None, []
    return Change(number, planned, municipalities, [] if planned.pk is None else changed), []


def _adopted_errors(planned, values):
    """A filled adopted date must be the plan's own: an import never sets or moves one."""
    errors = []
    for column in ADOPTED:
        value, current = values.get(column.key), getattr(planned, column.key)
        if value is not None and value != current:
            errors.append((column.key, ADOPTED_DATE_KEPT % {"value": current.isoformat()} if current else ADOPTED_DATE))
    return errors


def _model_errors(planned):
    """The model's own checks (dates within bounds, the group in the category…) as (key, message)."""
    try:
        # No query per row: the records were found in the lookups, the model has no unique field but its key,
        # and clean() checks what its one constraint does (the constraint's own check is a query).
        planned.full_clean(exclude=["plan", "version", "procurement", "category", "product_group", "replaces"],
                           validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [(key if key in HEADERS else "", message) for key, texts in error.message_dict.items()
                for message in texts]
    return []


# --- Keeping the rows between the preview and the save -------------------------------------------------

def to_session(plan, data, checked):
    """The file's cells as JSON values, to be checked again at the save, and what the preview showed."""
    rows = [[number, {key: _cell_to_json(value) for key, value in raw.items()}] for number, raw in data.rows]
    return {"plan": plan.pk, "present": sorted(data.present), "rows": rows, "summary": checked.summary()}


def from_session(stored):
    rows = [(number, {key: _cell_from_json(value) for key, value in raw.items()}) for number, raw in stored["rows"]]
    return reading.SheetData(SHEET, set(stored["present"]), rows)


def _cell_to_json(value):
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return value.isoformat()
    return value


def _cell_from_json(value):
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.datetime.fromisoformat(value["datetime"])
        return datetime.date.fromisoformat(value["date"])
    return value


# --- Saving ----------------------------------------------------------------------------------------------

@transaction.atomic
def save_changes(*, plan, changes, user):
    """Every change saved, or none: the plan locked, and refused if it was adopted meanwhile.

    An update moves the planned procurement's version on (common/locking), so a form left open on it is
    refused rather than overwriting the import; EditConflict rolls every row back.
    """
    locked = ProcurementPlan.objects.select_for_update().order_by().get(pk=plan.pk)
    if locked.is_adopted:
        raise ImportRefused(ADOPTED_PLAN % {"plan": locked})
    for change in changes:
        planned = change.planned
        planned._history_user = user
        save_versioned(instance=planned, expected_version=planned.version)
        if change.municipalities is not None:
            planned.municipalities.set(change.municipalities)
    return len(changes)
