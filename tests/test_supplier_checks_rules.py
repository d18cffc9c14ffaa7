"""The ledger's rules: validation, the register's numbers kept as entries, 3.5 and 3.6 from the ledger (equal to
their values before the ledger for the same data), the high-risk contracts not checked, and the report's counts.

Today is taken as the real date; every date below is in 2024–2026, before it.
"""

import datetime
from io import BytesIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from indicators import sources as s
from indicators.calculation import compute_all
from indicators.definitions import SUM, _count, total
from nämndplan.models import Municipality
from procurement.checks.models import SupplierCheck, high_risk_unchecked
from procurement.checks.services import ledger_counts, sync_register_entries
from procurement.models import Procurement
from procurement.signals import register_changed
from tests.factories import ContractFactory, ProcurementFactory, SupplierFactory

D = datetime.date
AS_OF = D(2026, 11, 30)
Kind, Result, Action = SupplierCheck.Kind, SupplierCheck.Result, SupplierCheck.Action
pytestmark = pytest.mark.django_db


def check(**values):
    values.setdefault("kind", Kind.IN_DEPTH)
    values.setdefault("result", Result.NO_REMARK)
    values.setdefault("date", D(2026, 3, 1))
    if "supplier" not in values:
        values["supplier"] = SupplierFactory()
    if "procurement" not in values and "contract" not in values:
        values["procurement"] = ProcurementFactory()
    return SupplierCheck(**values)


def errors_of(entry):
    with pytest.raises(ValidationError) as caught:
        entry.full_clean()
    return caught.value.message_dict


# --- Validation ------------------------------------------------------------------------------------------

def test_an_action_needs_a_deviation(plan):
    entry = check(action=Action.NOTICE, action_on=D(2026, 3, 5))
    assert errors_of(entry)["action"] == ["En åtgärd kräver att kontrollen visade en avvikelse."]


def test_an_action_cannot_be_taken_before_the_check(plan):
    entry = check(result=Result.DEVIATION, action=Action.PENALTY, action_on=D(2026, 2, 28))
    assert errors_of(entry)["action_on"] == ["Åtgärdsdatumet kan inte ligga före kontrolldatumet."]


def test_an_action_needs_its_step_and_its_date(plan):
    assert errors_of(check(result=Result.DEVIATION, action=Action.PENALTY))["action_on"] == ["Ange datum för åtgärden."]
    no_step = check(result=Result.DEVIATION, action_on=D(2026, 3, 2))
    assert errors_of(no_step)["action"] == ["Ange vilken åtgärd som vidtogs."]


def test_a_check_concerns_a_procurement_or_a_contract(plan):
    entry = SupplierCheck(supplier=SupplierFactory(), date=D(2026, 3, 1), kind=Kind.CREDIT, result=Result.NO_REMARK)
    assert errors_of(entry)["procurement"] == ["Ange upphandlingen eller avtalet som kontrollen gäller."]


def test_a_check_in_the_future_is_refused(plan):
    entry = check(date=datetime.date.today() + datetime.timedelta(days=1))
    assert "date" in errors_of(entry)


def test_a_ledger_entry_names_the_supplier_and_the_result(plan):
    entry = check(supplier=None, result="")
    errors = errors_of(entry)
    assert errors["supplier"] == ["Ange leverantören som kontrollerades."]
    assert errors["result"] == ["Ange resultatet av kontrollen."]


def test_a_contract_from_another_procurement_is_refused(plan):
    contract = ContractFactory(procurement=ProcurementFactory())
    errors = errors_of(check(procurement=ProcurementFactory(), contract=contract))
    assert errors["contract"] == ["Avtalet kommer från en annan upphandling än den angivna."]


def test_a_valid_deviation_with_rescission_passes(plan):
    check(result=Result.DEVIATION, action=Action.RESCISSION, action_on=D(2026, 4, 1)).full_clean()


# --- The register's numbers as entries -------------------------------------------------------------------

def register_entries(procurement):
    return list(SupplierCheck.objects.from_register().filter(procurement=procurement).order_by("kind", "id"))


def test_the_register_numbers_become_entries_dated_when_advertised(plan):
    procurement = ProcurementFactory(advertised_on=D(2025, 5, 2), supplier_checks=3, welfare_actions=2,
                                     welfare_actions_text="Skriftlig erinran")
    entries = register_entries(procurement)
    assert [e.kind for e in entries] == [Kind.IN_DEPTH] * 3 + [Kind.UNSPECIFIED] * 2
    assert {e.date for e in entries} == {D(2025, 5, 2)}
    assert [e.action_on for e in entries] == [None] * 3 + [D(2025, 5, 2)] * 2
    assert sorted(e.note for e in entries) == ["", "", "", "", "Skriftlig erinran"]
    assert all(e.supplier_id is None for e in entries)


def test_a_changed_number_or_date_rewrites_the_entries(plan):
    procurement = ProcurementFactory(advertised_on=D(2025, 5, 2), supplier_checks=3)
    procurement.supplier_checks, procurement.advertised_on = 1, D(2025, 6, 1)
    procurement.save()
    assert [(e.kind, e.date) for e in register_entries(procurement)] == [(Kind.IN_DEPTH, D(2025, 6, 1))]
    procurement.advertised_on = None  # not advertised: its numbers count nowhere, as before the ledger
    procurement.save()
    assert register_entries(procurement) == []


def test_the_ledger_own_entries_are_left_alone(plan):
    procurement = ProcurementFactory(advertised_on=D(2025, 5, 2), supplier_checks=1)
    own = check(procurement=procurement)
    own.save()
    procurement.supplier_checks = 0
    procurement.save()
    assert list(SupplierCheck.objects.filter(procurement=procurement)) == [own]


def test_an_import_that_writes_without_signals_is_followed(plan):
    """The importer writes in bulk and sends register_changed (procurement/importing/writing.py)."""
    procurement = ProcurementFactory(advertised_on=D(2025, 5, 2))
    Procurement.objects.filter(pk=procurement.pk).update(supplier_checks=4, welfare_actions=1)
    assert register_entries(procurement) == []
    register_changed.send(sender=Procurement)
    assert len(register_entries(procurement)) == 5
    assert sync_register_entries() == 0  # in step now: nothing to rewrite


# --- 3.5 and 3.6 from the ledger, equal to before ---------------------------------------------------------

OLD_35 = _count("3.5", s.ADVERTISED, total("supplier_checks"), "", "", measure=SUM)
OLD_36 = _count("3.6", s.ADVERTISED, total("welfare_actions"), "", "", measure=SUM)


def old_values(definition, municipality=None):
    """The indicator as computed before the ledger: the register's numbers summed by the advertising year."""
    rows = definition.source.by_year({"n": definition.numerator}, AS_OF, municipality)
    return {year: row["n"] for year, row in rows.items()}


def new_values(code, municipality=None):
    return {year: m.numerator for year, m in compute_all(AS_OF, [2024, 2025, 2026], municipality)[code].items()}


@pytest.fixture
def register_numbers(plan):
    """Advertised 2024: 2 checks (Falun, Borlänge); 2025: 3 + 1 checks, 1 + 2 actions; 2026: 4 checks, 1 action
    (Avesta); one never advertised (5 checks, counted nowhere); one in December 2026, after the cut-off."""
    ProcurementFactory(advertised_on=D(2024, 3, 1), supplier_checks=2)
    ProcurementFactory(advertised_on=D(2025, 2, 1), supplier_checks=3, welfare_actions=1, welfare_actions_text="Vite")
    ProcurementFactory(advertised_on=D(2025, 9, 1), supplier_checks=1, welfare_actions=2, municipalities=["Falun"])
    ProcurementFactory(advertised_on=D(2026, 4, 1), supplier_checks=4, welfare_actions=1, municipalities=["Avesta"])
    ProcurementFactory(supplier_checks=5)


def test_3_5_and_3_6_keep_their_values_from_the_register(register_numbers):
    assert new_values("3.5") == old_values(OLD_35) == {2024: 2, 2025: 4, 2026: 4}  # 2025: 3 + 1
    assert new_values("3.6") == {2024: 0, 2025: 3, 2026: 1}  # 2025: 1 + 2
    assert old_values(OLD_36) == {2024: 0, 2025: 3, 2026: 1}
    falun = Municipality.objects.get(name="Falun")
    assert new_values("3.5", falun) == old_values(OLD_35, falun) == {2024: 2, 2025: 4}
    assert new_values("3.6", falun) == old_values(OLD_36, falun) == {2024: 0, 2025: 3}


def test_the_data_migration_makes_the_same_values(register_numbers):
    migration = __import__("procurement.checks.migrations.0002_entries_from_register", fromlist=["x"])
    SupplierCheck.objects.all().delete()
    assert new_values("3.5") == {2024: 0, 2025: 0, 2026: 0}
    migration.entries_from_register(apps, None)
    assert new_values("3.5") == old_values(OLD_35) == {2024: 2, 2025: 4, 2026: 4}
    assert new_values("3.6") == old_values(OLD_36) == {2024: 0, 2025: 3, 2026: 1}
    assert sync_register_entries() == 0  # what the migration made is what the register's numbers stand for


def test_a_new_check_counts_in_the_year_it_was_made(register_numbers):
    old = ProcurementFactory(advertised_on=D(2024, 3, 1))
    check(procurement=old, date=D(2026, 3, 10)).save()
    check(procurement=old, date=D(2026, 3, 10), kind=Kind.TAXES).save()  # a basic check: not in 3.5
    deviation = check(procurement=old, date=D(2025, 12, 20), result=Result.DEVIATION, action=Action.NOTICE,
                      action_on=D(2026, 1, 10))
    deviation.save()
    assert new_values("3.5") == {2024: 2, 2025: 4 + 1, 2026: 4 + 1}
    assert new_values("3.6") == {2024: 0, 2025: 3, 2026: 1 + 1}  # the action in January 2026


def test_a_check_under_a_contract_counts_in_the_contract_municipalities(plan):
    # 2026 is a year with register data in both municipalities; the procurement has no checks.
    ProcurementFactory(advertised_on=D(2026, 1, 5), municipalities=["Säter", "Falun"])
    contract = ContractFactory(municipalities=["Säter"])
    check(contract=contract, date=D(2026, 5, 5)).save()
    assert new_values("3.5", Municipality.objects.get(name="Säter")) == {2026: 1}
    assert new_values("3.5", Municipality.objects.get(name="Falun")) == {2026: 0}


# --- High-risk contracts not checked -----------------------------------------------------------------------

def test_high_risk_contracts_not_checked_for_twelve_months_are_listed(plan):
    today = D(2026, 11, 1)
    risky = ProcurementFactory(welfare_crime_risk=True, advertised_on=D(2025, 1, 1))
    never = ContractFactory(procurement=risky, start_date=D(2025, 6, 1))
    long_ago = ContractFactory(procurement=risky, start_date=D(2025, 6, 1))
    check(contract=long_ago, supplier=long_ago.supplier, date=D(2025, 11, 1)).save()  # 12 months to the day
    lately = ContractFactory(procurement=risky, start_date=D(2025, 6, 1))
    check(contract=lately, supplier=lately.supplier, date=D(2026, 9, 1)).save()
    at_award = ContractFactory(procurement=risky, start_date=D(2025, 6, 1))
    check(procurement=risky, supplier=at_award.supplier, date=D(2026, 2, 1), kind=Kind.TAXES).save()
    ContractFactory(procurement=risky, start_date=D(2025, 6, 1), end_date=D(2026, 6, 30))  # ended
    ContractFactory(procurement=ProcurementFactory(), start_date=D(2025, 6, 1))  # no elevated risk
    assert list(high_risk_unchecked(today)) == sorted([never, long_ago], key=lambda c: c.number)


# --- The report's counts -------------------------------------------------------------------------------------

def test_ledger_counts_for_the_report(plan):
    procurement = ProcurementFactory(welfare_crime_risk=True, advertised_on=D(2026, 1, 10), supplier_checks=2,
                                     welfare_actions=1)
    ContractFactory(procurement=procurement, start_date=D(2026, 2, 1))  # unchecked: counted as high risk
    check(procurement=procurement, kind=Kind.TAXES, date=D(2026, 2, 1)).save()
    check(procurement=procurement, kind=Kind.CREDIT, date=D(2026, 2, 1), result=Result.DEVIATION,
          action=Action.WITHHELD_PAYMENT, action_on=D(2026, 2, 15)).save()
    check(procurement=procurement, kind=Kind.IN_DEPTH, date=D(2025, 12, 1)).save()  # last year
    counts = ledger_counts(2026, AS_OF)
    assert counts.checks_by_kind == {"taxes": 1, "convictions": 0, "credit": 1, "in_depth": 2, "unspecified": 1}
    assert (counts.checks, counts.in_depth) == (5, 2)  # 1 + 1 + 2 from the register + 1 action from it
    assert counts.deviations == 2  # the credit check and the register's action
    assert counts.actions_by_step == {"withheld_payment": 1, "": 1}
    assert (counts.actions, counts.high_risk_unchecked) == (2, 1)


# --- The register's Excel import ----------------------------------------------------------------------------

def test_the_register_import_columns_still_import_as_ledger_entries(categories):
    from procurement.importing import PROCUREMENTS, build_template, import_register

    row = {"case_number": "UhC 2026/050", "title": "Hemtjänst", "category": "Livsmedel", "municipalities": "Falun",
           "kind": "Gemensam upphandling", "procedure": "Öppet förfarande", "status": "Annonserad",
           "advertised_on": "2026-04-01", "supplier_checks": 2, "welfare_actions": 1,
           "welfare_actions_text": "Innehållen betalning"}
    upload = BytesIO(build_template({PROCUREMENTS: [row]}))
    upload.name = "register.xlsx"
    result = import_register(upload)
    assert result.ok, result.errors
    entries = register_entries(Procurement.objects.get(case_number="UhC 2026/050"))
    assert [(e.kind, e.date, e.action_on, e.note) for e in entries] == [
        (Kind.IN_DEPTH, D(2026, 4, 1), None, ""), (Kind.IN_DEPTH, D(2026, 4, 1), None, ""),
        (Kind.UNSPECIFIED, D(2026, 4, 1), D(2026, 4, 1), "Innehållen betalning"),
    ]
