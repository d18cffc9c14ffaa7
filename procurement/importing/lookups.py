"""What the register already has of what the file names: one query each, before any row is read.

So rows never query to find things. Procurements and contracts are locked until the import ends
(select_for_update); the engine adds the records it saves, so later sheets find them too.
"""

import re

from nämndplan.models import Municipality
from procurement.importing.cells import CellError, is_blank, norm, parse_cell, parse_org_number, parse_text
from procurement.importing.columns import (
    BIDS,
    CATEGORY,
    CONTRACTS,
    FOLLOW_UPS,
    MUNICIPALITIES,
    PROCUREMENTS,
    PRODUCT_GROUP,
)
from procurement.importing.messages import MESSAGES
from procurement.models import Bid, Category, Contract, ContractFollowUp, Procurement, ProductGroup, Supplier


class Lookups:
    def __init__(self, sheets):
        self.sheets = sheets
        self.categories = {norm(c.name): c for c in Category.objects.all()}
        self.product_groups = {(g.category_id, norm(g.name)): g for g in ProductGroup.objects.all()}
        self.municipalities = {norm(m.name): m for m in Municipality.objects.all()}
        orgs = self._keys((BIDS, "supplier_org"), (CONTRACTS, "supplier_org"), parse=parse_org_number)
        self.suppliers = {s.org_number: s for s in Supplier.objects.filter(org_number__in=orgs)}
        cases = self._keys((PROCUREMENTS, "case_number"), (BIDS, "case_number"), (CONTRACTS, "case_number"))
        self.procurements = _locked(Procurement, "case_number", cases)
        self.bids = {(b.procurement_id, b.supplier_id): b for b in Bid.objects.filter(
            procurement__in=[p.pk for p in self.procurements.values()])}
        numbers = self._keys((CONTRACTS, "number"), (FOLLOW_UPS, "contract_number"))
        self.contracts = _locked(Contract, "number", numbers)
        self.follow_ups = {
            (f.contract_id, f.date, f.form): f
            for f in ContractFollowUp.objects.filter(contract__in=[c.pk for c in self.contracts.values()])
        }

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
        return parse_cell(column, raw)

    def _municipalities(self, raw):
        names = [name.strip() for name in re.split(r"[,;\n]", parse_text(raw)) if name.strip()]
        unknown = [name for name in names if norm(name) not in self.municipalities]
        if unknown:
            raise CellError(MESSAGES["municipality"] % {"names": ", ".join(unknown)})
        found = {self.municipalities[norm(name)] for name in names}
        if not found:
            raise CellError(MESSAGES["municipality_required"])
        return sorted(found, key=lambda m: m.pk)


def _locked(model, key, values):
    """The records whose `key` is one of `values`, by key: locked until the import ends, with their municipalities."""
    records = model.objects.select_for_update().filter(**{f"{key}__in": values}).prefetch_related("municipalities")
    return {getattr(record, key): record for record in records}
