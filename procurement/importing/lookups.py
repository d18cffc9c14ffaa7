"""What the register already has of what the file names: one query each, before any row is read.

So rows never query to find things. Inside the import's write transaction procurements and contracts
are locked until it ends (select_for_update); the engine adds the records it will create, so later sheets
find them too. `signature()` tells whether the register changed between two lookups.
"""

import re

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

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
    USER,
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
            self._keys((CONTRACTS, "responsible")),
        )
        orgs, cases, numbers, user_keys = self.keys
        self.suppliers = {s.org_number: s for s in _among(Supplier.objects.all(), "org_number", orgs)}
        self.procurements = _by_key(Procurement, "case_number", cases, locked)
        self.bids = {(b.procurement_id, b.supplier_id): b for b in _among(
            Bid.objects.all(), "procurement", [p.pk for p in self.procurements.values()])}
        # With their options: the engine compares them with the file's, and Contract.clean reads them.
        self.contracts = _by_key(Contract, "number", numbers, locked, prefetch=("municipalities", "options"))
        self.users = _users(user_keys)
        self.user_index = _user_index(self.users.values())
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
            self.bids, self.contracts, self.follow_ups)) + (
            sorted(tuple(_values(o)) for c in self.contracts.values() for o in c.options.all()),
            sorted((u.pk, u.username, u.email, u.is_active, u.may_manage) for u in self.users.values()),
        )

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
        if column.kind == USER:
            return self._user(raw)
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


    def _user(self, raw):
        """The user a cell names by username or e-mail address (any case); an exact username comes first."""
        text = parse_text(raw)
        exact, by_username, by_email = self.user_index
        for found in (exact.get(text, []), by_username.get(_user_key(text), []), by_email.get(_user_key(text), [])):
            if len(found) == 1:
                return found[0]
            if found:
                raise CellError(MESSAGES["ambiguous_user"] % {"value": text})
        raise CellError(MESSAGES["unknown_user"] % {"value": text})


def _by_key(model, key, values, locked, prefetch=("municipalities",)):
    """The records whose `key` is one of `values`, by key, with their municipalities (and the other `prefetch`);
    `locked` until the transaction ends."""
    records = model.objects.select_for_update() if locked else model.objects.all()
    return {getattr(record, key): record for record in _among(records.prefetch_related(*prefetch), key, values)}


def _user_key(value):
    """A username or e-mail address as compared: case does not matter."""
    return value.lower()


def _user_index(users):
    """The users by exact username, by username in any case and by e-mail address in any case."""
    exact, by_username, by_email = {}, {}, {}
    for user in users:
        exact.setdefault(user.username, []).append(user)
        by_username.setdefault(_user_key(user.username), []).append(user)
        if user.email:
            by_email.setdefault(_user_key(user.email), []).append(user)
    return exact, by_username, by_email


def _users(texts):
    """{pk: user} of the users whose username or e-mail address is one of `texts` in any case, each with
    `may_manage`: whether the contract form would offer them as a contract's manager."""
    from procurement.forms import contract_managers  # the form's rule; forms.py imports much of the app

    users = get_user_model().objects.annotate(
        username_key=Lower("username"), email_key=Lower("email"),
        may_manage=Exists(contract_managers().filter(pk=OuterRef("pk"))),
    )
    texts, found = sorted(texts), {}
    for start in range(0, len(texts), USER_CHUNK):
        chunk = texts[start:start + USER_CHUNK]
        lowered = sorted({_user_key(text) for text in chunk})
        # SQLite's LOWER leaves letters outside ASCII as they are: the texts as written are looked up too.
        match = Q(username_key__in=lowered) | Q(email_key__in=lowered) | Q(username__in=chunk) | Q(email__in=chunk)
        found.update({user.pk: user for user in users.filter(match)})
    return found


# Keys per query: SQLite takes at most 32 766 parameters a statement, and a file may name 50 000 keys.
CHUNK = 10_000
USER_CHUNK = CHUNK // 4  # each key is a parameter four times


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
