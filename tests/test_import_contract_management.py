"""The Avtal sheet's contract management columns: the contract's manager, the municipalities' contact, its options.

The columns are optional: a file from the template before them imports as it did, and leaves these alone.
"""

import datetime
import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from procurement.importing import CONTRACTS, RowError, build_template, engine, import_register, import_sheets, staging
from procurement.importing.models import ImportRun
from procurement.importing.reading import read_workbook
from procurement.models import Contract, ContractOption
from tests.factories import UserFactory
from tests.test_import_engine import ORG_A, xlsx

D = datetime.date
PENDING, USED = ContractOption.Decision.PENDING, ContractOption.Decision.USED
OPTIONS, NOTICE, MANAGER = "Optioner (månader)", "Beslut om option (månader före slut)", "Avtalsförvaltare"


def contract_row(**changes):
    """A contract of a supplier new to the register, from 2026-04-01 to 2028-03-31."""
    row = {"number": "AV-2026-01", "title": "Mejerivaror", "supplier_org": ORG_A, "supplier_name": "Mejeriet AB",
           "municipalities": "Falun, Borlänge", "contract_class": "B", "start_date": "2026-04-01",
           "end_date": "2028-03-31", "estimated_yearly_value": 2_500_000}
    return {**row, **changes}


def run(*rows, **options):
    return import_register(xlsx({CONTRACTS: list(rows)}), **options)


def options_of(number="AV-2026-01"):
    return list(ContractOption.objects.filter(contract__number=number).order_by("order").values_list(
        "order", "length_months", "notice_months", "decision", "decided_on"))


def imported(*rows):
    result = run(*rows)
    assert result.errors == []
    return Contract.objects.get(number=rows[0]["number"])


# The Avtal sheet as the template wrote it before the contract management columns.
OLD_HEADERS = ["Avtalsnummer *", "Benämning *", "Diarienummer", "Leverantörens organisationsnummer *",
               "Leverantörens namn", "Kommuner *", "Avtalsklass *", "Startdatum *", "Slutdatum", "Årsvärde (kr)",
               "Avslutat i förtid", "Skäl till förtida avslut"]
OTHER_SHEETS = {
    "Upphandlingar": ["Diarienummer *", "Benämning *", "Kategori *", "Beställande kommuner *", "Status *"],
    "Anbud": ["Diarienummer *", "Leverantörens organisationsnummer *"],
    "Uppföljningar": ["Avtalsnummer *", "Datum *", "Form *"],
}


def old_format_file(*contracts):
    """A workbook made by hand with the old template's columns: each contract a list of its cells."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, headers in OTHER_SHEETS.items():
        workbook.create_sheet(name).append(headers)
    sheet = workbook.create_sheet("Avtal")
    sheet.append(OLD_HEADERS)
    for cells in contracts:
        sheet.append(cells)
    data = BytesIO()
    workbook.save(data)
    data.name = "gammal-mall.xlsx"
    data.seek(0)
    return data


OLD_ROW = ["AV-2026-01", "Mejerivaror och ost", None, ORG_A, "Mejeriet AB", "Falun, Borlänge", "B", "2026-04-01",
           "2028-03-31", 2_600_000, None, None]


def test_a_new_contract_gets_its_manager_its_contact_and_pending_options(staff_user):
    contract = imported(contract_row(responsible="uhc-test", municipality_contact="Anna Berg, Falun",
                                     options="12+12", option_notice=3))

    assert contract.responsible == staff_user
    assert contract.municipality_contact == "Anna Berg, Falun"
    assert options_of() == [(1, 12, 3, PENDING, None), (2, 12, 3, PENDING, None)]
    # Latest possible end: 2028-03-31 + 12 + 12 months = 2030-03-31; option 1 is decided by 2028-03-31 − 3 months.
    assert contract.latest_possible_end(today=D(2026, 12, 1)) == D(2030, 3, 31)
    assert contract.option_schedule()[0].decide_by == D(2027, 12, 31)
    assert ContractOption.history.filter(history_type="+", history_user=None).count() == 2


def test_the_manager_may_be_named_by_e_mail_address_in_any_case_and_the_notice_defaults_to_three_months(plan):
    from ops.roles import STAFF

    manager = UserFactory(username="kalle", email="Kalle.Karlsson@ludvika.se", role=STAFF)
    contract = imported(contract_row(responsible="KALLE.KARLSSON@LUDVIKA.SE", options=24))

    assert contract.responsible == manager
    assert options_of() == [(1, 24, 3, PENDING, None)]


def test_the_import_records_who_added_the_options(staff_user):
    result = run(contract_row(options="12"), user=staff_user)
    assert result.errors == []
    assert ContractOption.history.get().history_user == staff_user


def test_an_old_template_without_the_new_columns_still_imports_and_leaves_them_alone(staff_user):
    new = import_register(old_format_file(["AV-2026-02", "Kaffe", None, ORG_A, "Mejeriet AB", "Säter", "C",
                                           "2026-05-01", None, None, None, None]))
    assert new.errors == []
    assert Contract.objects.get(number="AV-2026-02").responsible is None
    imported(contract_row(responsible="uhc-test", municipality_contact="Anna Berg", options="12+12"))
    ContractOption.objects.filter(order=1).update(decision=USED, decided_on=D(2026, 11, 2))

    result = import_register(old_format_file(OLD_ROW))

    assert result.errors == []
    assert (result.counts[CONTRACTS].updated, result.counts[CONTRACTS].unchanged) == (1, 0)
    contract = Contract.objects.get(number="AV-2026-01")
    assert (contract.title, contract.estimated_yearly_value) == ("Mejerivaror och ost", 2_600_000)
    assert (contract.responsible, contract.municipality_contact) == (staff_user, "Anna Berg")
    assert options_of() == [(1, 12, 3, USED, D(2026, 11, 2)), (2, 12, 3, PENDING, None)]


def test_an_unknown_user_is_refused_with_the_row_column_and_value_and_nothing_is_saved(staff_user):
    result = run(contract_row(responsible="uhc-test", options="12"),
                 contract_row(number="AV-2026-02", responsible="okand@example.se", options="12"))

    assert result.errors == [RowError(
        CONTRACTS, 3, MANAGER, "Det finns ingen användare med användarnamnet eller e-postadressen "
        "”okand@example.se”. Skriv användarnamnet eller e-postadressen för någon på UhC som förvaltar avtal.")]
    assert not result.saved
    assert (Contract.objects.count(), ContractOption.objects.count()) == (0, 0)


def test_a_user_who_may_not_manage_contracts_is_refused_unless_they_already_manage_the_contract(staff_user,
                                                                                                 member_user):
    result = run(contract_row(responsible="ledamot-test"))
    assert result.errors == [RowError(CONTRACTS, 2, MANAGER, "Användaren ledamot-test kan inte förvalta avtal: "
                                      "kontot är avstängt eller får inte ändra avtal.")]

    contract = imported(contract_row(responsible="uhc-test"))
    staff_user.is_active = False  # left UhC: the contract still names them until someone else takes it over
    staff_user.save()
    assert run(contract_row(responsible="uhc-test", title="Mejerivaror 2")).errors == []
    contract.refresh_from_db()
    assert (contract.title, contract.responsible) == ("Mejerivaror 2", staff_user)


def test_two_users_with_the_same_e_mail_address_must_be_named_by_username(plan):
    from ops.roles import STAFF

    UserFactory(username="anna1", email="anna@falun.se", role=STAFF)
    UserFactory(username="anna2", email="Anna@Falun.se", role=STAFF)
    result = run(contract_row(responsible="anna@falun.se"))
    assert result.errors == [RowError(CONTRACTS, 2, MANAGER, "Flera användare har e-postadressen eller "
                                      "användarnamnet ”anna@falun.se”. Skriv användarnamnet i stället.")]
    assert imported(contract_row(responsible="anna2")).responsible.username == "anna2"


def test_a_blank_manager_or_contact_cell_clears_them_as_blank_cells_do_for_every_optional_field(staff_user):
    imported(contract_row(responsible="uhc-test", municipality_contact="Anna Berg"))
    contract = imported(contract_row(responsible="", municipality_contact=""))
    assert (contract.responsible, contract.municipality_contact) == (None, "")


def test_a_decided_option_blocks_replacing_the_options_but_the_same_options_are_accepted(staff_user):
    imported(contract_row(options="12+12"))
    ContractOption.objects.filter(order=1).update(decision=USED, decided_on=D(2026, 11, 2))
    before = options_of()

    result = run(contract_row(options="24"))

    assert result.errors == [RowError(CONTRACTS, 2, OPTIONS, "Avtalet har beslutade optioner; ändra dem i registret.")]
    assert options_of() == before
    same = run(contract_row(options="12+12", option_notice=3))
    assert same.errors == []
    assert same.counts[CONTRACTS].unchanged == 1
    assert options_of() == before


def test_other_options_replace_undecided_ones_and_the_history_records_both(staff_user):
    imported(contract_row(options="12+12"))

    result = run(contract_row(options="6+6+6", option_notice=2), user=staff_user)

    assert result.errors == []
    assert (result.counts[CONTRACTS].updated, result.counts[CONTRACTS].unchanged) == (1, 0)
    assert options_of() == [(1, 6, 2, PENDING, None), (2, 6, 2, PENDING, None), (3, 6, 2, PENDING, None)]
    removed = ContractOption.history.filter(history_type="-")
    assert sorted(removed.values_list("order", "length_months", "history_user")) == [
        (1, 12, staff_user.pk), (2, 12, staff_user.pk)]
    assert ContractOption.history.filter(history_type="+").count() == 2 + 3
    assert Contract.objects.get().history.count() == 1  # the contract's own fields did not change


def test_a_blank_options_cell_leaves_the_options_alone(staff_user):
    imported(contract_row(options="12+12"))
    before = list(ContractOption.objects.values_list("pk", flat=True))
    assert run(contract_row(options="", option_notice=6)).errors == []
    assert list(ContractOption.objects.values_list("pk", flat=True)) == before


@pytest.mark.parametrize("cells, column, message", [
    ({"options": "12+"}, OPTIONS, "”12+” kan inte läsas som optioner. Skriv varje options längd i hela månader, "
     "åtskilda med +, till exempel 12+12 för två optioner om 12 månader."),
    ({"options": "tolv"}, OPTIONS, "”tolv” kan inte läsas som optioner. Skriv varje options längd i hela månader, "
     "åtskilda med +, till exempel 12+12 för två optioner om 12 månader."),
    ({"options": "12,5"}, OPTIONS, "”12,5” kan inte läsas som optioner. Skriv varje options längd i hela månader, "
     "åtskilda med +, till exempel 12+12 för två optioner om 12 månader."),
    ({"options": "0"}, OPTIONS, "”0”: en option är från 1 till 120 månader lång."),
    ({"options": "12+121"}, OPTIONS, "”12+121”: en option är från 1 till 120 månader lång."),
    ({"options": "+".join(["6"] * 21)}, OPTIONS, f"”{'+'.join(['6'] * 21)}” är 21 optioner; ett avtal kan ha "
     "högst 20."),
    ({"options": "12", "end_date": ""}, OPTIONS, "Ett avtal utan slutdatum kan inte ha optioner: ange slutdatum."),
    ({"options": "12", "option_notice": 61}, NOTICE, "Värdet måste ligga mellan 0 och 60."),
    ({"options": "12", "option_notice": "tre"}, NOTICE, "Skriv ett heltal, till exempel 3."),
])
def test_malformed_options_are_refused_with_the_row_column_and_value(plan, cells, column, message):
    result = run(contract_row(**cells))
    assert result.errors == [RowError(CONTRACTS, 2, column, message)]
    assert (Contract.objects.count(), ContractOption.objects.count()) == (0, 0)


def test_twenty_options_of_a_hundred_and_twenty_months_are_the_most_a_contract_takes(plan):
    imported(contract_row(options="+".join(["120"] * 20)))
    assert [length for _o, length, *_rest in options_of()] == [120] * 20


def test_importing_the_same_file_again_changes_nothing(staff_user):
    rows = [contract_row(responsible="uhc-test", municipality_contact="Anna Berg", options="12+12", option_notice=4)]
    assert run(*rows).errors == []
    contract = Contract.objects.get()
    before = (contract.version, contract.history.count(), ContractOption.history.count(), options_of(),
              list(ContractOption.objects.values_list("pk", flat=True)))

    result = run(*rows)

    assert result.errors == []
    assert (result.counts[CONTRACTS].updated, result.counts[CONTRACTS].unchanged) == (0, 1)
    contract.refresh_from_db()
    assert (contract.version, contract.history.count(), ContractOption.history.count(), options_of(),
            list(ContractOption.objects.values_list("pk", flat=True))) == before


def test_a_dry_run_writes_no_options(staff_user):
    result = run(contract_row(options="12+12"), dry_run=True)
    assert result.errors == [] and result.counts[CONTRACTS].created == 1
    assert ContractOption.objects.count() == 0


def test_options_are_written_when_the_rows_are_checked_again_inside_the_transaction(staff_user, monkeypatch):
    imported(contract_row(options="12"))
    monkeypatch.setattr(engine._Importer, "register_changed", lambda self: True)

    result = run(contract_row(options="12+12"), contract_row(number="AV-2026-02", options="6"))

    assert result.errors == []
    assert options_of() == [(1, 12, 3, PENDING, None), (2, 12, 3, PENDING, None)]
    assert options_of("AV-2026-02") == [(1, 6, 3, PENDING, None)]


def test_the_staged_rows_of_a_preview_import_the_options_and_the_manager(staff_user):
    run_ = ImportRun.objects.create(user=staff_user, file_name="register.xlsx")
    staging.stage(run_, read_workbook(xlsx({CONTRACTS: [contract_row(responsible="uhc-test", options="12+6")]})))

    result = import_sheets(staging.load(run_), user=staff_user, reload=lambda: staging.load(run_))

    assert result.errors == []
    assert Contract.objects.get().responsible == staff_user
    assert options_of() == [(1, 12, 3, PENDING, None), (2, 6, 3, PENDING, None)]


def many_contracts(count):
    return [contract_row(number=f"AV-{n:04}", title=f"Avtal {n}", responsible="uhc-test", options="12+12",
                         municipality_contact=f"Kontakt {n}") for n in range(count)]


def queries_to_import(rows):
    with CaptureQueriesContext(connection) as queries:
        result = import_register(xlsx({CONTRACTS: rows}))
    assert result.errors == []
    return queries.captured_queries


def test_the_queries_of_an_import_do_not_grow_with_its_contracts_options_and_managers(staff_user):
    queries_to_import(many_contracts(1))  # the supplier is in the register from now on
    Contract.objects.all().delete()
    few = len(queries_to_import(many_contracts(20)))
    Contract.objects.all().delete()

    assert len(queries_to_import(many_contracts(200))) == few
    assert ContractOption.objects.count() == 400

    # Again, the contracts are in the register: the users and the options are looked up in one query each.
    # (Not the total: Contract.clean reads a saved contract's end date, a query per contract with an end.)
    again = queries_to_import(many_contracts(200))
    tables = [re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in again if "FROM" in q["sql"]]
    assert (tables.count("auth_user"), tables.count("procurement_contractoption")) == (1, 1)


def test_the_template_writes_the_new_columns_last_with_their_help_and_the_instructions_mention_them(plan):
    workbook = load_workbook(BytesIO(build_template()))
    headers = [cell.value for cell in workbook["Avtal"][1]]
    assert headers[:len(OLD_HEADERS)] == OLD_HEADERS  # columns copied from an old template still line up
    assert headers[len(OLD_HEADERS):] == [MANAGER, "Kontaktperson i kommunerna", OPTIONS, NOTICE]
    assert workbook["Avtal"]["O1"].value == OPTIONS and workbook["Avtal"].column_dimensions["O"].number_format == "@"

    rows = [[cell.value for cell in row] for row in workbook["Instruktioner"].iter_rows(min_row=2)]
    by_column = {row[1]: row for row in rows if row[0] == "Avtal"}
    assert by_column[MANAGER][2:4] == ["Nej", "Användarnamn eller e-postadress"]
    assert "En tom cell tar bort avtalsförvaltaren; saknas kolumnen ändras den inte." in by_column[MANAGER][4]
    assert by_column[OPTIONS][3] == "Månader per option åtskilda med +, till exempel 12+12"
    assert "En tom cell lämnar avtalets optioner som de är" in by_column[OPTIONS][4]
    assert by_column[NOTICE][3] == "Heltal, 0 eller mer (tom = 3)"
    general = " ".join(row[4] for row in rows if row[0] == "Allmänt")
    assert "avtalsförvaltaren anges med användarnamn eller e-postadress" in general
    assert "12+12" in general


def test_a_filled_in_template_writes_options_and_managers_as_the_import_reads_them(staff_user):
    data = BytesIO(build_template({CONTRACTS: [contract_row(responsible=staff_user, options=(12, 6))]}))
    data.name = "ifylld.xlsx"
    ws = load_workbook(data)["Avtal"]
    assert (ws["M2"].value, ws["O2"].value) == ("uhc-test", "12+6")
    assert import_register(data).errors == []
    assert options_of() == [(1, 12, 3, PENDING, None), (2, 6, 3, PENDING, None)]


def test_options_the_database_refuses_are_reported_on_their_row_and_nothing_is_saved(staff_user, monkeypatch):
    from django.db import IntegrityError

    from procurement.importing import writing

    original_send = writing._send

    def send_refusing_options(cursor, sql, rows):
        if sql.startswith('INSERT INTO "procurement_contractoption"'):
            raise IntegrityError("UNIQUE constraint failed")  # as if another writer had added them meanwhile
        return original_send(cursor, sql, rows)

    monkeypatch.setattr(writing, "_send", send_refusing_options)
    result = run(contract_row(options="12"))

    assert result.errors == [RowError(CONTRACTS, 2, "", "Raden kunde inte sparas: UNIQUE constraint failed")]
    assert (Contract.objects.count(), ContractOption.objects.count()) == (0, 0)
