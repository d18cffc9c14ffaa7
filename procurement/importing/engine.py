"""The import of the register: all or nothing, checked first and written at once.

One plain function, `import_register`, serves the `import_register` command; the background tasks
(tasks.py) read the workbook into staged rows and hand the sheets to `import_sheets`.

Two phases. First every row is checked with the model's `full_clean()` (the same rules as the forms)
against what the register has (lookups.py), outside any transaction, so nobody waits while tens of
thousands of rows are read and checked; every bad row is reported as (sheet, row, column, message).
Then, in one short transaction, the checked records are written in bulk (writing.py): the register is
looked up again, and if any record the file names changed meanwhile the rows are checked again inside
the transaction, against the register as it is then. The transaction is rolled back when there was
any error or on a dry run (which so finds what only the database refuses, as the import would).

Keys: procurements by diarienummer, contracts by avtalsnummer, follow-ups by (avtalsnummer,
datum, form), suppliers by organisationsnummer; so importing the same file again updates instead
of duplicating. The bids of a procurement that has rows on the Anbud sheet become exactly those
rows. Suppliers that do not exist are created; existing suppliers are not changed by an import.
A contract's options become those of its row's "Optioner (månader)" cell (a blank cell leaves them as
they are), unless any has been decided: then only the same options are accepted.

Refusals (`ImportRefused`) come before anything is read (checks.py, reading.py): wrong file type
(by extension and by content), macros, size over settings.IMPORT_MAX_BYTES, unpacked size or rows
over their caps, a file that cannot be read, missing sheets or required columns.
"""

import time
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from procurement import quality
from procurement.importing.cells import norm
from procurement.importing.checks import check_file
from procurement.importing.columns import BIDS, CONTRACTS, FOLLOW_UPS, PROCUREMENTS, SUPPLIERS
from procurement.importing.lookups import Lookups
from procurement.importing.messages import MESSAGES
from procurement.importing.reading import read_workbook
from procurement.importing.result import ImportResult, error_order
from procurement.importing.rows import Row
from procurement.importing.writing import DatabaseRefused, Planned, WritePlan, execute, prepare
from procurement.models import Bid, Contract, ContractFollowUp, ContractOption, Procurement, Supplier, case_number_key

# Stages the progress callback is told of (the names of models.ImportRun.Stage).
CHECKING, SAVING = "checking", "saving"
PROGRESS_EVERY = 500  # rows between two progress reports


def import_register(source, *, dry_run=False, user=None, progress=None):
    """Import the workbook at `source` (a path or an uploaded file); see the module docstring.

    Raises ImportRefused before anything is read; returns an ImportResult otherwise. Nothing is
    saved when the result has errors or on a dry run.
    """
    check_file(source)
    return import_sheets(read_workbook(source, progress=progress), dry_run=dry_run, user=user, progress=progress)


def import_sheets(sheets, *, dry_run=False, user=None, progress=None, reload=None):
    """Import the sheets `read_workbook` read (or staging.py kept); `user` is named in the history.

    `progress(stage, done, total)`, when given, is told how far the import has come. With `reload` (which gives
    the sheets again), the rows are let go once checked, for memory, and read again only if they must be
    checked again.
    """
    importer = _Importer(sheets, dry_run, progress)
    del sheets  # the importer's reference is the only one it keeps
    importer.check(locked=False)
    if reload is not None:
        importer.sheets = None
    if not importer.plan:
        return importer.result
    _report(progress, SAVING, 0, 0)
    prepared = importer.prepare(user)
    try:
        with transaction.atomic():
            if importer.register_changed():
                importer.sheets = importer.sheets or reload()
                importer.check(locked=True)  # the register as it is now, locked until the end
                prepared = importer.prepare(user)
            before = quality.counts() if dry_run else None
            execute(prepared)
            if dry_run:
                importer.result.quality_warnings = _new_quality_problems(before, quality.counts())
            if dry_run or importer.result.errors:
                transaction.set_rollback(True)
    except DatabaseRefused as refused:
        importer.explain(refused)
    except IntegrityError as error:  # PostgreSQL checks references when the transaction commits
        importer.explain(DatabaseRefused(None, error))
    return importer.result


def _new_quality_problems(before, after):
    """[(check's label, how many more)] for the data-quality checks the rows would add to."""
    return [(str(quality.BY_CODE[code].label), after[code] - before[code])
            for code in after if after[code] > before[code]]


def _report(progress, stage, done, total):
    if progress is not None:
        progress(stage, done, total)


def _field_values(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


# Related objects the importer found in its lookups (or reported as unknown): full_clean need not
# query for each of them again. The file's duplicate checks stand in for Bid's unique constraint.
LOOKED_UP = {
    Procurement: {"category", "product_group"},
    Bid: {"procurement", "supplier"},
    Contract: {"procurement", "supplier", "responsible"},
    ContractFollowUp: {"contract"},
}

# The columns of the related records on the Anbud and Avtal sheets, for their errors.
PROCUREMENT_AND_SUPPLIER_COLUMNS = {"procurement": "case_number", "supplier": "supplier_org"}
# The columns of a contract's options, on the Avtal sheet.
OPTION_COLUMNS = {"contract": "number", "order": "options", "length_months": "options",
                  "notice_months": "option_notice"}
NOTICE = ContractOption._meta.get_field("notice_months")


def _relate(values, exclude, name, record):
    """Set the related record `name`, or leave the field out of validation when there is none."""
    if record is not None:
        values[name] = record
    else:
        exclude.add(name)


def _municipalities_to_set(values):
    """Take the municipalities out of `values`, as _save's `m2m`; None when the sheet has no such column."""
    municipalities = values.pop("municipalities", None)
    return ("municipalities", municipalities) if municipalities is not None else None


class _Importer:
    def __init__(self, sheets, dry_run, progress=None):
        self.sheets = sheets
        self.dry_run = dry_run
        self.progress = progress
        self.total = sum(len(data.rows) for data in sheets.values())

    def check(self, *, locked):
        """Check every row against the register as it is now, and plan what to write; returns the result."""
        self.result = ImportResult(dry_run=self.dry_run)
        self.plan = WritePlan()
        self.lookups = Lookups(self.sheets, locked=locked)
        self.signature = self.lookups.signature()  # before the rows add what they create
        self.first_row = {}  # (sheet, key) → the row that first had it, for duplicate messages
        self.failed_procurements, self.failed_contracts = set(), set()
        self.bids_in_file = {}  # procurement pk → pks of the bids the file keeps
        self.done, self.reported_at = 0, 0.0
        _report(self.progress, CHECKING, 0, self.total)
        self._import_rows(PROCUREMENTS, self._procurement)
        self._import_rows(BIDS, self._bid)
        self._delete_bids_not_in_file()
        self._import_rows(CONTRACTS, self._contract)
        self._import_rows(FOLLOW_UPS, self._follow_up)
        _report(self.progress, CHECKING, self.total, self.total)
        self.result.errors.sort(key=error_order)
        return self.result

    def prepare(self, user):
        """The planned write as rows ready to send; without history when it will be rolled back anyway."""
        return prepare(self.plan, user=user, history=not (self.dry_run or self.result.errors))

    def register_changed(self):
        """Whether any record the rows were checked against changed since (looked up again, and locked)."""
        return Lookups(None, locked=True, keys=self.lookups.keys).signature() != self.signature

    def explain(self, refused):
        """The database refused a record of `refused.model`: find which rows, by their constraints, and why.

        Runs after the rollback, outside any transaction. Their rows are no longer counted as saved.
        """
        self.plan.forget_written()
        found = False
        for planned in self.plan.records.get(refused.model, []):
            row = planned.row
            before = row.has_errors
            self._check_constraints(row, planned.instance, planned.exclude, planned.field_keys)
            if row.has_errors and not before:
                found = True
                self._uncount(planned)
        if not found:  # not a rule of the model (another writer took a key meanwhile, say)
            planned = next(iter(self.plan.records.get(refused.model) or sum(self.plan.records.values(), [])))
            planned.row.error(None, MESSAGES["database"] % {"error": refused.error})
            self._uncount(planned)
        self.result.errors.sort(key=error_order)

    def _uncount(self, planned):
        if not planned.counted:
            return
        counts = self.result.counts[planned.row.sheet]
        if planned.adding:
            counts.created -= 1
        else:
            counts.updated -= 1

    def _import_rows(self, sheet, import_row):
        for number, raw in self.sheets[sheet].rows:
            row = Row(self, sheet, number, raw)
            import_row(row)
            row.values = None  # read; a planned record keeps its row only to explain a refusal
            self.done += 1
            due = self.done % PROGRESS_EVERY == 0 and time.monotonic() - self.reported_at > 0.5
            if self.progress is not None and due:
                self.reported_at = time.monotonic()
                self.progress(CHECKING, self.done, self.total)

    def _duplicate(self, row, sheet, key_value, column, message, same=None):
        """Report a key seen on an earlier row of the sheet (`same` gives what makes keys the same); True if so."""
        first = self.first_row.setdefault((sheet, same(key_value) if same else key_value), row.number)
        if first != row.number:
            row.error(column, MESSAGES[message] % {"value": key_value[-1] if isinstance(key_value, tuple)
                                                   else key_value, "row": first})
            return True
        return False

    def _keyed(self, row, sheet, model, key, found, message, same=None):
        """(key value, the record it names or a new one, whether an earlier row of the sheet has the key)."""
        value = row.values.get(key)
        duplicate = bool(value) and self._duplicate(row, sheet, value, key, message, same)
        instance = model() if duplicate or not value else found.get(value, model())
        return value, instance, duplicate

    @staticmethod
    def _remember(saved, value, duplicate, found, failed):
        """Let later sheets find the saved record by its key, or know that its row failed."""
        if saved is not None:
            found[value] = saved
        elif value and not duplicate:
            failed.add(value)

    # Checking one record

    def _save(self, row, sheet, instance, values, *, exclude=(), m2m=None, field_keys=None, can_save=True,
              related_changed=False):
        """Assign `values` and validate; plan the write unless the row has errors or nothing changed.

        Returns the record as it will be saved (or the unchanged one), or None when it will not be saved.
        With `related_changed` (records of its own the caller plans, a contract's options) the record is counted
        as changed, and written only if its own fields changed too.
        """
        adding = instance._state.adding
        exclude = set(exclude) | LOOKED_UP.get(type(instance), set())
        before = _field_values(instance)
        for key, value in values.items():
            setattr(instance, key, value)
        after = _field_values(instance)
        fields = [name for name, value in after.items() if before[name] != value]
        if m2m is not None and not adding and {m.pk for m in m2m[1]} == {m.pk for m in getattr(instance, m2m[0]).all()}:
            m2m = None  # the same municipalities as before
        self._validate(row, instance, exclude, field_keys)
        if row.has_errors or not can_save:
            return None
        counts = self.result.counts[sheet]
        if not (adding or fields or m2m or related_changed):
            counts.unchanged += 1
            return instance
        if adding or fields or m2m:
            self.plan.add(Planned(row, instance, adding, fields, m2m, exclude, field_keys))
        if adding:
            counts.created += 1
        else:
            counts.updated += 1
        return instance

    def _validate(self, row, instance, exclude, field_keys):
        """full_clean, with the check constraints left to the database when the row is otherwise good.

        Model.clean() states every check constraint's rule with the same message, and checking a
        constraint from Python costs a query each (7 for a procurement: most of an import's time).
        A row the database still refuses gets the constraints' own messages (explain).
        """
        try:
            if row.failed:
                # Rules across fields wait until every cell of the row could be read: an unreadable
                # date would otherwise also give "awarded before advertising".
                instance.clean_fields(exclude=exclude)
                return
            with _stand_in_ids(instance):
                # Uniqueness is the lookups' concern: a key the register has is an update, never a new record.
                instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
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

    # Related records

    def _product_group(self, row, category, name):
        if not name or category is None:
            return None
        group = self.lookups.product_groups.get((category.pk, norm(name)))
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

    def _procurement_of(self, row, case_number):
        return self._parent(row, "case_number", case_number, self.lookups.procurements, self.failed_procurements,
                            "unknown_procurement")

    def _supplier(self, row, name_key="supplier_name"):
        org_number = row.values.get("supplier_org")
        if not org_number:
            return None
        if org_number in self.lookups.suppliers:
            return self.lookups.suppliers[org_number]
        name = row.values.get(name_key) or ""
        if not name:
            row.fail(name_key, MESSAGES["supplier_name_needed"] % {"value": org_number})
            return None
        flags = {key: row.values.get(key) or False for key in ("regional", "sme", "social_enterprise")}
        supplier = Supplier(name=name, org_number=org_number, **flags)
        keys = {"name": name_key, "org_number": "supplier_org"}
        saved = self._save(row, SUPPLIERS, supplier, {}, field_keys=keys)
        if saved is not None:
            self.lookups.suppliers[org_number] = saved
        return saved

    # Sheets

    def _procurement(self, row):
        case_number, instance, duplicate = self._keyed(
            row, PROCUREMENTS, Procurement, "case_number", self.lookups.procurements, "duplicate_case_number",
            same=case_number_key)
        values = dict(row.values)
        if "product_group" in values:
            values["product_group"] = self._product_group(row, values.get("category"), values["product_group"])
        m2m = _municipalities_to_set(values)
        values = {k: v for k, v in values.items() if k not in row.failed}
        saved = self._save(row, PROCUREMENTS, instance, values,
                           exclude=row.failed | ({"case_number"} if duplicate else set()), m2m=m2m)
        self._remember(saved, case_number, duplicate, self.lookups.procurements, self.failed_procurements)

    def _bid(self, row):
        case_number, org_number = row.values.get("case_number"), row.values.get("supplier_org")
        procurement = self._procurement_of(row, case_number)
        supplier = self._supplier(row)
        duplicate = bool(case_number and org_number) and self._duplicate(
            row, BIDS, (case_number, org_number), "supplier_org", "duplicate_bid")
        existing = self.lookups.bids.get((procurement.pk, supplier.pk)) if procurement and supplier else None
        instance = existing if existing and not duplicate else Bid()
        values = {k: row.values[k] for k in ("disqualified", "awarded") if k in row.values and k not in row.failed}
        exclude = set(row.failed) | ({"supplier"} if duplicate else set())
        _relate(values, exclude, "procurement", procurement)
        _relate(values, exclude, "supplier", supplier)
        can_save = not duplicate and procurement is not None and supplier is not None
        saved = self._save(row, BIDS, instance, values, exclude=exclude, can_save=can_save,
                           field_keys=PROCUREMENT_AND_SUPPLIER_COLUMNS)
        if saved is not None and procurement.pk is not None:
            self.bids_in_file.setdefault(procurement.pk, set()).add(saved.pk)

    def _delete_bids_not_in_file(self):
        """The file's bids replace those of each procurement it has bid rows for."""
        stale = [bid.pk for (procurement_id, _s), bid in self.lookups.bids.items()
                 if procurement_id in self.bids_in_file and bid.pk not in self.bids_in_file[procurement_id]]
        self.plan.stale_bids = stale
        self.result.counts[BIDS].deleted += len(stale)

    def _contract(self, row):
        number, instance, duplicate = self._keyed(
            row, CONTRACTS, Contract, "number", self.lookups.contracts, "duplicate_contract_number")
        values = dict(row.values)
        options = self._options(row, instance, values)
        exclude = set(row.failed) | ({"number"} if duplicate else set())
        if "responsible" in values and "responsible" not in row.failed:
            self._check_responsible(row, instance, values["responsible"])
        if "case_number" in values:
            case_number = values.pop("case_number")
            procurement = self._procurement_of(row, case_number)
            if case_number and procurement is None:
                exclude.add("procurement")  # its row failed or the number is unknown: checked, not saved
            else:
                values["procurement"] = procurement
        supplier = self._supplier(row)
        _relate(values, exclude, "supplier", supplier)
        m2m = _municipalities_to_set(values)
        values = {k: v for k, v in values.items() if k not in row.failed and k not in {"supplier_org", "supplier_name"}}
        saved = self._save(
            row, CONTRACTS, instance, values, exclude=exclude,
            can_save=not duplicate and supplier is not None and "procurement" not in exclude,
            m2m=m2m, field_keys=PROCUREMENT_AND_SUPPLIER_COLUMNS, related_changed=options is not None,
        )
        if saved is not None and options is not None:
            self._replace_options(row, saved, options)
        self._remember(saved, number, duplicate, self.lookups.contracts, self.failed_contracts)

    def _check_responsible(self, row, contract, user):
        """A contract's manager is someone the contract form offers, or the one who already manages it."""
        if user is not None and not user.may_manage and user.pk != contract.responsible_id:
            row.fail("responsible", MESSAGES["not_a_contract_manager"] % {"value": user.username})

    def _options(self, row, contract, values):
        """The options the row gives the contract, [(length, notice)] in order, or None to leave them as they are.

        Takes the option columns out of `values`. A blank cell leaves the options, and so do the contract's own
        options; other options replace them only when none of them has been decided.
        """
        lengths = values.pop("options", None)
        notice = values.pop("option_notice", NOTICE.default)  # the column may be missing: the default then
        if lengths is None or {"options", "option_notice"} & row.failed:
            return None
        try:
            NOTICE.run_validators(notice)
        except ValidationError as error:
            row.fail("option_notice", error.messages[0])
            return None
        wanted = [(length, notice) for length in lengths]
        current = list(contract.options.all()) if contract.pk else []  # prefetched (lookups.py)
        if [(option.length_months, option.notice_months) for option in current] == wanted:
            return None
        if any(option.decision != ContractOption.Decision.PENDING for option in current):
            row.fail("options", MESSAGES["options_decided"])
            return None
        end_date = values["end_date"] if "end_date" in values else contract.end_date
        if end_date is None and "end_date" not in row.failed:
            row.fail("options", MESSAGES["options_without_end"])  # options extend the contract from its end
            return None
        return wanted

    def _replace_options(self, row, contract, wanted):
        """Plan the contract's options: its old ones removed, the wanted ones added undecided, in order.

        Checked by the parser and _options (their numbers' ranges, the notice's validators); an undecided option
        has no other rule.
        """
        if contract.pk:
            self.plan.stale_options += list(contract.options.all())
        for order, (length, notice) in enumerate(wanted, start=1):
            option = ContractOption(contract=contract, order=order, length_months=length, notice_months=notice)
            self.plan.add(Planned(row, option, True, [], None, set(), OPTION_COLUMNS, counted=False))

    def _follow_up(self, row):
        values = dict(row.values)
        number = values.pop("contract_number", None)
        contract = self._parent(row, "contract_number", number, self.lookups.contracts, self.failed_contracts,
                                "unknown_contract")
        key = (number, values.get("date"), values.get("form"))
        duplicate = all(key) and self._duplicate(row, FOLLOW_UPS, key, "date", "duplicate_follow_up")
        existing = self.lookups.follow_ups.get((contract.pk, key[1], key[2])) if contract else None
        instance = existing if existing and not duplicate else ContractFollowUp()
        values = {k: v for k, v in values.items() if k not in row.failed}
        exclude = set(row.failed)
        _relate(values, exclude, "contract", contract)
        self._save(row, FOLLOW_UPS, instance, values, exclude=exclude, can_save=not duplicate and contract is not None,
                   field_keys={"contract": "contract_number"})


# A record the file adds has no id until it is written; clean() methods that guard a relation by its id
# (`if self.contract_id`) would skip their rule for it.
STAND_IN_ID = -1


@contextmanager
def _stand_in_ids(instance):
    """Give relations to records not written yet a stand-in id while the record is validated."""
    unsaved = [f.attname for f in instance._meta.concrete_fields
               if f.is_relation and f.is_cached(instance) and getattr(instance, f.name) is not None
               and getattr(instance, f.name).pk is None]
    for attname in unsaved:
        instance.__dict__[attname] = STAND_IN_ID
    try:
        yield
    finally:
        for attname in unsaved:
            instance.__dict__[attname] = None
