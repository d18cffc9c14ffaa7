"""What the register already has of what the file names: one query each, before any row is read.

So rows never query to find things. Inside the import's write transaction procurements and contracts
are locked until it ends (select_for_update); the engine adds the records it will create, so later sheets
find them too. `signature()` tells whether the register changed between two lookups.
"""

import re

from nämndplan.models import Municipality
from procurement.importing.cells import CellError, is_blank, norm, parse_cell, parse_org_number, parse_text
from procurement.importing.columns import (
    BIDS,
    CATEGORY,
    CHOICE,
    CONTRACTS,
    FOLLOW_UPS,
    MUNICIPALITIES,
    PROCUREMENTS,
    PRODUCT_GROUP,
)
from procurement.importing.messages import MESSAGES
from procurement.models import Bid, Category, Contract, ContractFollowUp, Procurement, ProductGroup, Supplier


class Lookups:
    def __init__(self, sheets, *, locked=False, keys=None):
        """What the register has of what `sheets` name (or of the `keys` an earlier lookup found in them)."""
        self.sheets = sheets
        self.choices = {}  # see _choices
        self.categories = {norm(c.name): c for c in Category.objects.all()}
        self.product_groups = {(g.category_id, norm(g.name)): g for g in ProductGroup.objects.all()}
        self.municipalities = {norm(m.name): m for m in Municipality.objects.all()}
        self.keys = keys or (
            self._keys((BIDS, "supplier_org"), (CONTRACTS, "supplier_org"), parse=parse_org_number),
            self._keys((PROCUREMENTS, "case_number"), (BIDS, "case_number"), (CONTRACTS, "case_number")),
            self._keys((CONTRACTS, "number"), (FOLLOW_UPS, "contract_number")),
        )
        orgs, cases, numbers = self.keys
        self.suppliers = {s.org_number: s for s in _among(Supplier.objects.all(), "org_number", orgs)}
        self.procurements = _by_key(Procurement, "case_number", cases, locked)
        self.bids = {(b.procurement_id, b.supplier_id): b for b in _among(
            Bid.objects.all(), "procurement", [p.pk for p in self.procurements.values()])}
        self.contracts = _by_key(Contract, "number", numbers, locked)
        self.follow_ups = {
            (f.contract_id, f.date, f.form): f
            for f in _among(ContractFollowUp.objects.all(), "contract", [c.pk for c in self.contracts.values()])
        }

    def signature(self):
        """Everything looked up, as plain values: equal signatures mean the rows would be checked the same way."""
        def values(records):
            return sorted((tuple(_values(record)), _municipality_pks(record)) for record in records)

        return tuple(values(found.values()) for found in (
            self.categories, self.product_groups, self.municipalities, self.suppliers, self.procurements,
            self.bids, self.contracts, self.follow_ups))

    def _keys(self, *columns, parse=parse_text):
        """The distinct readable values of the columns (sheet, key), to look records up before the rows are read."""
        values = set()
        for sheet, key in columns:
            for _number, raw in self.sheets[sheet].rows:
                if is_blank(raw.get(key)):
                    continue
                try:
                    values.add(parse(raw[key]))
                except CellError:
                    pass
        return values

    def parse(self, column, raw):
        """The value of a cell, with categories and municipalities found among the register's."""
        if column.kind == CATEGORY:
            category = self.categories.get(norm(parse_text(raw)))
            if category is None:
                raise CellError(MESSAGES["category"] % {"value": parse_text(raw)})
            return category
        if column.kind == PRODUCT_GROUP:
            return parse_text(raw)  # resolved with the category, see the engine's _product_group
        if column.kind == MUNICIPALITIES:
            return self._municipalities(raw)
        if column.kind == CHOICE:
            code = self._choices(column).get(norm(parse_text(raw)))
            if code is not None:
                return code
        return parse_cell(column, raw)  # and the message for a choice that is not one

    def _choices(self, column):
        """A choice's code by its label or code as norm() gives them, worked out once per import and column."""
        if id(column) not in self.choices:  # the columns are the module's constants (columns.py)
            self.choices[id(column)] = {
                **{norm(code): code for code, _label in column.choices},
                **{norm(label): code for code, label in column.choices}}
        return self.choices[id(column)]

    def _municipalities(self, raw):
        names = [name.strip() for name in re.split(r"[,;\n]", parse_text(raw)) if name.strip()]
        unknown = [name for name in names if norm(name) not in self.municipalities]
        if unknown:
            raise CellError(MESSAGES["municipality"] % {"names": ", ".join(unknown)})
        found = {self.municipalities[norm(name)] for name in names}
        if not found:
            raise CellError(MESSAGES["municipality_required"])
        return sorted(found, key=lambda m: m.pk)


def _by_key(model, key, values, locked):
    """The records whose `key` is one of `values`, by key, with their municipalities; `locked` until the transaction
    ends."""
    records = model.objects.select_for_update() if locked else model.objects.all()
    return {getattr(record, key): record for record in _among(records.prefetch_related("municipalities"), key, values)}


# Keys per query: SQLite takes at most 32 766 parameters a statement, and a file may name 50 000 keys.
CHUNK = 10_000


def _among(queryset, field, values):
    """The records of `queryset` whose `field` is one of `values`, a query per CHUNK values."""
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield from queryset.filter(**{f"{field}__in": values[start:start + CHUNK]})


def _values(record):
    return [str(getattr(record, f.attname)) for f in record._meta.concrete_fields]


def _municipality_pks(record):
    prefetched = getattr(record, "_prefetched_objects_cache", {}).get("municipalities")
    return tuple(sorted(m.pk for m in prefetched)) if prefetched is not None else ()
