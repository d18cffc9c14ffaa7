"""The final write of an import: every checked record at once, with its history, in one short transaction.

The engine has checked every row before anything is written (engine.py) and hands over a `WritePlan`:
what to add, what to change (and which fields), whose municipalities to set and which bids to remove.
`prepare` turns it into plain rows of database values before the transaction begins: it reserves the
new records' ids (from PostgreSQL's sequences; on SQLite by moving its AUTOINCREMENT counter on), so
records that point at each other can be linked, and does all of Django's per-value work. `execute`, inside
the transaction, only sends those rows (executemany), so the transaction that holds the register (on SQLite
the whole database) lasts seconds, even for 50 000 rows.

Writes made this way send no model signals, so the history is written here the way django-simple-history
writes it on a save (one "+" or "~" record per record, with a snapshot of its municipalities), and the
register's `register_changed` tells the rooms above. Bids are removed one by one through Django's delete,
which records each removal in the history itself. A contract's options the file replaces are removed in bulk,
with a "-" history record of each as it was, before the new ones are inserted (their order is unique per
contract); the new options get their ids here like every record added, and point at their contract's id,
reserved here too when the contract is new.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from procurement.models import Bid, Contract, ContractFollowUp, ContractOption, Procurement, Supplier
from procurement.signals import register_changed

ROWS_PER_CALL = 5000  # rows per executemany
# Parents before the records that point at them.
WRITE_ORDER = (Supplier, Procurement, Bid, Contract, ContractOption, ContractFollowUp)


@dataclass
class Planned:
    """One checked record to write, with what is needed to explain a refusal by the database."""

    row: object  # rows.Row
    instance: object
    adding: bool
    fields: list  # the attnames that changed (updates)
    m2m: tuple | None  # (field name, related objects) to set, or None to leave as they are
    exclude: set
    field_keys: dict | None
    counted: bool = True  # counted on its sheet (a contract's options are not: their contract is)


@dataclass
class WritePlan:
    records: dict = field(default_factory=lambda: defaultdict(list))  # model → [Planned]
    stale_bids: list = field(default_factory=list)  # pks of the bids the file replaces
    stale_options: list = field(default_factory=list)  # the options (as looked up) the file replaces

    def add(self, planned):
        self.records[type(planned.instance)].append(planned)

    def __bool__(self):
        return bool(self.stale_bids or self.stale_options) or any(self.records.values())

    def forget_written(self):
        """After a rolled-back write: the records added are unsaved again, and nothing points at their old ids."""
        added = {id(p.instance) for records in self.records.values() for p in records if p.adding}
        for records in self.records.values():
            for planned in records:
                instance = planned.instance
                if planned.adding:
                    instance.pk = None
                    instance._state.adding = True
                for relation in _relations(instance):
                    if id(getattr(instance, relation.name)) in added:
                        instance.__dict__[relation.attname] = None


class DatabaseRefused(Exception):
    """The database refused the records of `model` (an IntegrityError); nothing was written."""

    def __init__(self, model, error):
        self.model, self.error = model, error
        super().__init__(str(error))


def _relations(instance):
    return [f for f in instance._meta.concrete_fields if f.is_relation and f.is_cached(instance)
            and getattr(instance, f.name) is not None]


@dataclass
class Prepared:
    """What `execute` sends: (model refused if it fails, SQL, rows) in order; SQL None removes the stale bids."""

    statements: list
    stale_bids: list
    instances: list  # the records added, to mark as saved
    notify: bool


def prepare(plan, *, user=None, history=True):
    """The plan as SQL and rows of database values, ready to send; `history=False` for a write that is rolled back.

    Runs outside the import's transaction: ids are reserved here, and no other writer waits for this work.
    """
    now = timezone.now()
    added = {model: [p for p in plan.records.get(model, []) if p.adding] for model in WRITE_ORDER}
    for model, records in added.items():
        for planned, pk in zip(records, _reserve(model, len(records)), strict=True):
            planned.instance.pk = pk
    statements, instances = [], []
    for model in WRITE_ORDER:
        records = plan.records.get(model, [])
        for planned in records:
            _link(planned.instance)
        if model is Bid and plan.stale_bids:
            statements.append((Bid, None, None))
        if model is ContractOption:
            statements += _removals(ContractOption, plan.stale_options, user, now, history)
        statements += _inserts(model, added[model], now)
        statements += _updates(model, [p for p in records if not p.adding], now)
        statements += _relations_set(model, [p for p in records if p.m2m])
        if history:
            statements += _history(model, records, user, now)
        instances += [p.instance for p in added[model]]
    return Prepared(statements, plan.stale_bids, instances, notify=history and bool(plan))


def execute(prepared):
    """Send what `prepare` made; the caller holds the transaction. Raises DatabaseRefused if the database refuses."""
    with connection.cursor() as cursor:
        for model, sql, rows in prepared.statements:
            if sql is None:
                # QuerySet.delete() sends post_delete for each bid, so the history records the removals.
                Bid.objects.filter(pk__in=prepared.stale_bids).delete()
                continue
            try:
                _send(cursor, sql, rows)
            except IntegrityError as error:
                raise DatabaseRefused(model, error) from error
    for instance in prepared.instances:
        instance._state.adding, instance._state.db = False, connection.alias
    if prepared.notify:
        register_changed.send(sender=Procurement)


INSERT = re.compile(r"^INSERT INTO (?P<table>\S+) \((?P<columns>[^)]*)\) VALUES \(")


def _send(cursor, sql, rows):
    """The statement sent for every row: sqlite3 steps through them in C; PostgreSQL loads inserted rows with COPY,
    tens of times quicker than a statement a row (and than statements of many rows, which psycopg parses anew
    each time)."""
    if not rows:
        return
    insert = INSERT.match(sql)
    if insert and connection.vendor == "postgresql":
        with connection.wrap_database_errors, cursor.cursor.copy(
                f"COPY {insert['table']} ({insert['columns']}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    for start in range(0, len(rows), ROWS_PER_CALL):
        cursor.executemany(sql, rows[start:start + ROWS_PER_CALL])


def _reserve(model, count):
    """`count` ids for new rows of `model` that no other writer will take (a short transaction of its own)."""
    if not count:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, column, count])
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # Django's SQLite tables are AUTOINCREMENT: new ids follow sqlite_sequence, which may be moved on.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            counter = cursor.fetchone()
            cursor.execute(f"SELECT MAX({_quote(column)}) FROM {_quote(table)}")
            start = max(counter[0] if counter else 0, cursor.fetchone()[0] or 0)
            if counter:
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start + count, table])
            else:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start + count])
            return range(start + 1, start + count + 1)
    raise NotImplementedError(f"The import writes to SQLite or PostgreSQL, not {connection.vendor}.")


def _quote(name):
    return connection.ops.quote_name(name)


def _link(instance):
    """Point each relation's id at its record, which may have been given its id just now."""
    for relation in _relations(instance):
        instance.__dict__[relation.attname] = getattr(instance, relation.name).pk


def _prep(model_field, value):
    return model_field.get_db_prep_save(value, connection)


def _inserts(model, records, now):
    if not records:
        return []
    fields = model._meta.concrete_fields
    for planned in records:
        for model_field in fields:
            if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                setattr(planned.instance, model_field.attname, now)
    sql = (f"INSERT INTO {_quote(model._meta.db_table)} ({', '.join(_quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    return [(model, sql, [[_prep(f, getattr(p.instance, f.attname)) for f in fields] for p in records])]


def _updates(model, records, now):
    """One UPDATE per set of changed fields, each sent for every record that changed just those."""
    if not records:
        return []
    meta = model._meta
    always = [f.attname for f in meta.concrete_fields if getattr(f, "auto_now", False)]
    if any(f.attname == "version" for f in meta.concrete_fields):
        always.append("version")
    by_fields = defaultdict(list)
    for planned in records:
        instance = planned.instance
        if "version" in always:
            instance.version += 1  # an edit form opened before the import will be refused
        for attname in always:
            if attname != "version":
                setattr(instance, attname, now)
        by_fields[tuple(sorted(set(planned.fields) | set(always)))].append(instance)
    statements = []
    for attnames, instances in by_fields.items():
        fields = [meta.get_field(attname) for attname in attnames]
        sql = (f"UPDATE {_quote(meta.db_table)} SET {', '.join(f'{_quote(f.column)} = %s' for f in fields)} "
               f"WHERE {_quote(meta.pk.column)} = %s")
        statements.append((model, sql, [[_prep(f, getattr(i, f.attname)) for f in fields] + [i.pk]
                                        for i in instances]))
    return statements


def _relations_set(model, records):
    """Each record's related objects exactly as planned: the old through rows out, the new ones in."""
    statements = []
    by_field = defaultdict(list)
    for planned in records:
        by_field[planned.m2m[0]].append(planned)
    for name, planned_records in by_field.items():
        m2m = model._meta.get_field(name)
        through = m2m.remote_field.through
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        table = _quote(through._meta.db_table)
        source_column = _quote(through._meta.get_field(source).column)
        target_column = _quote(through._meta.get_field(target).column)
        changed = [[p.instance.pk] for p in planned_records if not p.adding]
        if changed:
            statements.append((model, f"DELETE FROM {table} WHERE {source_column} = %s", changed))
        pairs = [(p, related) for p in planned_records for related in p.m2m[1]]
        ids = _reserve(through, len(pairs))
        rows = []
        for (planned, related), pk in zip(pairs, ids, strict=True):
            rows.append([pk, planned.instance.pk, related.pk])
            planned.through_rows = [*getattr(planned, "through_rows", []), (pk, related.pk)]
        statements.append((model, f"INSERT INTO {table} ({_quote(through._meta.pk.column)}, {source_column}, "
                                  f"{target_column}) VALUES (%s, %s, %s)", rows))
    return statements


def _history(model, records, user, now):
    """One history record per record, as a save makes it, with a snapshot of its municipalities."""
    if not records:
        return []
    history_model = model.history.model
    statement, ids = _history_records(model, [(p.instance, "+" if p.adding else "~") for p in records], user, now)
    for planned, history_id in zip(records, ids, strict=True):
        planned.history_id = history_id
    return [statement, *_history_of_relations(model, history_model, records)]


def _history_records(model, changes, user, now):
    """(The INSERT of a history record for each (record, history type) in `changes`, their history ids)."""
    history_model = model.history.model
    fields = history_model._meta.concrete_fields
    ids = _reserve(history_model, len(changes))
    made = {"history_date": now, "history_change_reason": None, "history_user_id": user.pk if user else None}
    rows = []
    for (instance, history_type), history_id in zip(changes, ids, strict=True):
        values = {**made, "history_id": history_id, "history_type": history_type}
        rows.append([_prep(f, values[f.attname] if f.attname in values else getattr(instance, f.attname))
                     for f in fields])
    table = _quote(history_model._meta.db_table)
    return (model, f"INSERT INTO {table} ({', '.join(_quote(f.column) for f in fields)}) "
                   f"VALUES ({', '.join(['%s'] * len(fields))})", rows), ids


def _removals(model, instances, user, now, history):
    """The DELETE of each of `instances`, after a "-" history record of each as it was (as a delete makes it).

    Nothing points at these records (a contract's options), so no delete needs to cascade.
    """
    if not instances:
        return []
    meta = model._meta
    statements = [_history_records(model, [(i, "-") for i in instances], user, now)[0]] if history else []
    return [*statements, (model, f"DELETE FROM {_quote(meta.db_table)} WHERE {_quote(meta.pk.column)} = %s",
                          [[instance.pk] for instance in instances])]


def _history_of_relations(model, history_model, records):
    statements = []
    for m2m in getattr(history_model, "_history_m2m_fields", []):
        through = m2m.remote_field.through
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        # Records whose municipalities stay as they were: their through rows as the register has them.
        unchanged = [p.instance.pk for p in records if not p.m2m]
        kept = defaultdict(list)
        for start in range(0, len(unchanged), 10_000):
            for pk, owner, related in through.objects.filter(**{f"{source}__in": unchanged[start:start + 10_000]}
                                                             ).values_list("pk", f"{source}_id", f"{target}_id"):
                kept[owner].append((pk, related))
        m2m_history = getattr(history_model, m2m.name).model
        columns = [m2m_history._meta.get_field(name).column for name in ("id", source, target, "history")]
        rows = [[pk, p.instance.pk, related, p.history_id]
                for p in records for pk, related in (getattr(p, "through_rows", []) if p.m2m else kept[p.instance.pk])]
        statements.append((model, f"INSERT INTO {_quote(m2m_history._meta.db_table)} "
                                  f"({', '.join(_quote(c) for c in columns)}) VALUES (%s, %s, %s, %s)", rows))
    return statements
