"""The Excel import engine: creates and updates the register, reports every bad row, saves all or nothing."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from nämndplan.models import Municipality
from procurement.importing import (
    BIDS,
    CONTRACTS,
    FOLLOW_UPS,
    PROCUREMENTS,
    SUPPLIERS,
    RowError,
    build_template,
    import_register,
    writing,
)
from procurement.models import Bid, Contract, ContractFollowUp, Procurement, Supplier
from tests.factories import SupplierFactory

# Organisation numbers with a correct check digit (worked out with the Luhn rule).
ORG_A = "556016-0680"
ORG_B = "556677-8899"
ORG_C = "802012-3454"


def good_rows():
    """Two procurements, three bids (two suppliers), one contract and two follow-ups."""
    return {
        PROCUREMENTS: [
            {
                "case_number": "UhC 2026/001", "title": "Livsmedel till skolor", "category": "Livsmedel",
                "product_group": "mejeri", "kind": "Gemensam upphandling", "municipalities": "Falun, Borlänge",
                "procedure": "Öppet förfarande", "status": "Avslutad",
                "advertised_on": datetime.date(2026, 1, 15), "awarded_on": "2026-03-01",
                "completed_on": datetime.date(2026, 3, 20), "questions_received": 4, "is_food": "Ja",
                "organic_food_requirement": "ja", "env_management_level": "Avancerad",
                "planned_completion": "2026-03-31",
            },
            {
                "case_number": "UhC 2026/002", "title": "IT-konsulter", "category": "IT och telefoni",
                "kind": "Kommunspecifik upphandling", "municipalities": "Ludvika", "status": "Annonserad",
                "advertised_on": "2026-04-01", "negotiation_held": "Ja", "negotiation_saving_sek": "1 250 000",
                "in_procurement_plan": "Nej", "notes": "Andra rad",
            },
        ],
        BIDS: [
            {"case_number": "UhC 2026/001", "supplier_org": ORG_A, "supplier_name": "Mejeriet i Dalarna AB",
             "regional": "Ja", "sme": "Ja", "awarded": "Ja"},
            {"case_number": "UhC 2026/001", "supplier_org": "5566778899", "supplier_name": "Grossisten AB",
             "disqualified": "Ja"},
            {"case_number": "UhC 2026/002", "supplier_org": ORG_A},
        ],
        CONTRACTS: [
            {"number": "AV-2026-01", "title": "Mejerivaror", "case_number": "UhC 2026/001", "supplier_org": ORG_A,
             "municipalities": "Falun; Borlänge", "contract_class": "A – mest kritiska",
             "start_date": "2026-04-01", "end_date": datetime.date(2028, 3, 31),
             "estimated_yearly_value": "2 500 000,00"},
        ],
        FOLLOW_UPS: [
            {"contract_number": "AV-2026-01", "date": "2026-05-10", "form": "Möte", "notes": "Startmöte"},
            {"contract_number": "AV-2026-01", "date": datetime.date(2026, 6, 10), "form": "E-post"},
        ],
    }


def xlsx(rows, name="register.xlsx"):
    """The template filled with `rows`, as an in-memory file like an upload."""
    data = BytesIO(build_template(rows))
    data.name = name
    return data


def run(rows, **options):
    return import_register(xlsx(rows), **options)


def database_state():
    return (
        list(Procurement.objects.order_by("case_number").values_list("case_number", "title", "version")),
        list(Bid.objects.order_by("pk").values_list("procurement__case_number", "supplier__org_number", "awarded")),
        list(Supplier.objects.order_by("org_number").values_list("org_number", "name")),
        list(Contract.objects.values_list("number", "title", "estimated_yearly_value")),
        list(ContractFollowUp.objects.order_by("date").values_list("contract__number", "date", "form", "notes")),
    )


def test_a_good_file_creates_procurements_bids_suppliers_contracts_and_follow_ups(categories):
    result = run(good_rows())

    assert result.errors == []
    assert result.saved
    first = Procurement.objects.get(case_number="UhC 2026/001")
    assert first.title == "Livsmedel till skolor"
    assert first.category == categories["food"]
    assert first.product_group.name == "Mejeri"
    assert first.kind == Procurement.Kind.JOINT
    assert first.status == Procurement.Status.COMPLETED
    assert (first.advertised_on, first.awarded_on, first.completed_on) == (
        datetime.date(2026, 1, 15), datetime.date(2026, 3, 1), datetime.date(2026, 3, 20))
    assert first.planned_completion == datetime.date(2026, 3, 31)
    assert first.questions_received == 4
    assert first.is_food and first.organic_food_requirement and not first.local_food_requirement
    assert first.env_management_level == "avancerad"
    assert first.reuse_level == "none"
    assert first.in_procurement_plan  # blank cell: the model's default
    assert sorted(m.name for m in first.municipalities.all()) == ["Borlänge", "Falun"]
    assert first.is_coordinated

    second = Procurement.objects.get(case_number="UhC 2026/002")
    assert second.kind == Procurement.Kind.MUNICIPAL
    assert second.negotiation_saving_sek == Decimal("1250000")
    assert second.in_procurement_plan is False
    assert second.notes == "Andra rad"
    assert [m.name for m in second.municipalities.all()] == ["Ludvika"]

    supplier_a = Supplier.objects.get(org_number=ORG_A)
    assert (supplier_a.name, supplier_a.regional, supplier_a.sme, supplier_a.social_enterprise) == (
        "Mejeriet i Dalarna AB", True, True, False)
    assert Supplier.objects.get(org_number=ORG_B).name == "Grossisten AB"  # "5566778899" normalised
    assert sorted(first.bids.values_list("supplier__org_number", "disqualified", "awarded")) == [
        (ORG_A, False, True), (ORG_B, True, False)]
    assert list(second.bids.values_list("supplier__org_number", flat=True)) == [ORG_A]

    contract = Contract.objects.get(number="AV-2026-01")
    assert (contract.procurement, contract.supplier, contract.contract_class) == (first, supplier_a, "A")
    assert contract.estimated_yearly_value == Decimal("2500000")
    assert contract.end_date == datetime.date(2028, 3, 31)
    assert sorted(m.name for m in contract.municipalities.all()) == ["Borlänge", "Falun"]
    assert list(contract.follow_ups.order_by("date").values_list("date", "form", "notes")) == [
        (datetime.date(2026, 5, 10), "meeting", "Startmöte"), (datetime.date(2026, 6, 10), "email", "")]

    counts = {sheet: (c.created, c.updated, c.unchanged, c.deleted) for sheet, c in result.counts.items()}
    assert counts == {PROCUREMENTS: (2, 0, 0, 0), BIDS: (3, 0, 0, 0), CONTRACTS: (1, 0, 0, 0),
                      FOLLOW_UPS: (2, 0, 0, 0), SUPPLIERS: (2, 0, 0, 0)}


def test_the_import_records_history(categories):
    run(good_rows())
    procurement = Procurement.objects.get(case_number="UhC 2026/001")
    assert procurement.history.first().title == "Livsmedel till skolor"
    assert procurement.history.first().history_type in ("+", "~")  # saving the municipalities adds a record
    assert Bid.history.filter(history_type="+").count() == 3


def test_importing_the_same_file_again_updates_and_duplicates_nothing(categories):
    rows = good_rows()
    run(rows)
    history_before = {p.case_number: p.history.count() for p in Procurement.objects.all()}
    rows[PROCUREMENTS][0]["title"] = "Livsmedel till skolor och förskolor"
    rows[CONTRACTS][0]["estimated_yearly_value"] = 2600000
    rows[FOLLOW_UPS][0]["notes"] = "Startmöte med protokoll"

    result = run(rows)

    assert result.errors == []
    assert Procurement.objects.count() == 2
    assert Bid.objects.count() == 3
    assert Supplier.objects.count() == 2
    assert Contract.objects.count() == 1
    assert ContractFollowUp.objects.count() == 2
    procurement = Procurement.objects.get(case_number="UhC 2026/001")
    assert procurement.title == "Livsmedel till skolor och förskolor"
    assert procurement.version == 2  # an edit form opened before the import is refused
    assert procurement.history.count() == history_before["UhC 2026/001"] + 1
    assert procurement.history.first().title == "Livsmedel till skolor och förskolor"
    unchanged = Procurement.objects.get(case_number="UhC 2026/002")
    assert unchanged.history.count() == history_before["UhC 2026/002"]  # not saved again
    assert Contract.objects.get().estimated_yearly_value == Decimal("2600000")
    assert ContractFollowUp.objects.get(date=datetime.date(2026, 5, 10)).notes == "Startmöte med protokoll"
    counts = {sheet: (c.created, c.updated, c.unchanged, c.deleted) for sheet, c in result.counts.items()}
    assert counts == {PROCUREMENTS: (0, 1, 1, 0), BIDS: (0, 0, 3, 0), CONTRACTS: (0, 1, 0, 0),
                      FOLLOW_UPS: (0, 1, 1, 0), SUPPLIERS: (0, 0, 0, 0)}


def test_the_file_replaces_the_bids_of_each_procurement_it_has_bid_rows_for(categories):
    rows = good_rows()
    run(rows)
    # 001 now has one bid only, changed to not awarded; 002 keeps its bid although the file has no row for it.
    rows[BIDS] = [{"case_number": "UhC 2026/001", "supplier_org": ORG_B, "supplier_name": "Grossisten AB"}]

    result = run(rows)

    assert result.errors == []
    assert list(Bid.objects.filter(procurement__case_number="UhC 2026/001").values_list(
        "supplier__org_number", "disqualified")) == [(ORG_B, False)]
    assert Bid.objects.filter(procurement__case_number="UhC 2026/002").count() == 1
    assert (result.counts[BIDS].updated, result.counts[BIDS].deleted) == (1, 1)
    assert Bid.history.filter(history_type="-").count() == 1


def test_existing_suppliers_are_used_and_not_changed(categories):
    SupplierFactory(name="Mejeriet AB (registret)", org_number=ORG_A, regional=False)
    run(good_rows())
    supplier = Supplier.objects.get(org_number=ORG_A)
    assert (supplier.name, supplier.regional) == ("Mejeriet AB (registret)", False)
    assert Supplier.objects.count() == 2


def test_bids_and_contracts_may_refer_to_procurements_already_in_the_register(categories):
    run(good_rows())
    rows = {
        BIDS: [{"case_number": "UhC 2026/002", "supplier_org": ORG_C, "supplier_name": "Konsult AB"}],
        FOLLOW_UPS: [{"contract_number": "AV-2026-01", "date": "2026-09-01", "form": "Telefon"}],
    }
    result = run(rows)
    assert result.errors == []
    assert list(Bid.objects.filter(procurement__case_number="UhC 2026/002").values_list(
        "supplier__name", flat=True)) == ["Konsult AB"]
    assert ContractFollowUp.objects.filter(form="phone").count() == 1


def bad_rows():
    rows = good_rows()
    rows[PROCUREMENTS] += [
        {"case_number": "UhC 2026/003", "title": "Tilldelad före annonsering", "category": "Livsmedel",
         "municipalities": "Säter", "status": "Tilldelad", "advertised_on": "2026-03-01",
         "awarded_on": "2026-02-01"},
        {"case_number": "UhC 2026/004", "title": "Negativt antal frågor", "category": "Livsmedel",
         "municipalities": "Gagnef, Hedemora", "status": "Planerad", "questions_received": -2},
        {"case_number": "UhC 2026/005", "title": "Okänd kategori", "category": "Rymdfart",
         "municipalities": "Avesta, Mora", "status": "Ingen aning"},
        {"case_number": "UhC 2026/001", "title": "Samma diarienummer igen", "category": "Livsmedel",
         "municipalities": "Falun", "status": "Planerad"},
    ]
    rows[BIDS] += [
        {"case_number": "UhC 2026/002", "supplier_org": "556016-0681", "supplier_name": "Fel siffra AB"},
        {"case_number": "UhC 2026/002", "supplier_org": ORG_C, "supplier_name": "Konsult AB",
         "disqualified": "Ja", "awarded": "Ja"},
        {"case_number": "UhC 2026/001", "supplier_org": ORG_A},
        {"case_number": "UhC 2099/999", "supplier_org": ORG_B},
    ]
    rows[CONTRACTS] += [
        {"number": "AV-2026-02", "title": "Negativt värde", "supplier_org": ORG_B, "municipalities": "Falun",
         "contract_class": "B", "start_date": "2026-05-01", "estimated_yearly_value": "-5 000"},
    ]
    rows[FOLLOW_UPS] += [
        {"contract_number": "AV-2099-99", "date": "15/5 2026", "form": "Möte"},
        {"contract_number": "AV-2026-01", "date": "2026-01-01", "form": "Möte"},
        {"contract_number": "AV-2026-01", "date": "2026-07-01", "form": "Brevduva"},
    ]
    return rows


def test_a_file_with_errors_in_several_rows_saves_nothing_and_reports_each(categories):
    result = run(bad_rows())

    assert not result.saved
    assert database_state() == ([], [], [], [], [])
    assert result.errors == [
        RowError(PROCUREMENTS, 4, "Datum tilldelningsbeslut",
                 "Tilldelningsbeslutet kan inte komma före annonseringen."),
        RowError(PROCUREMENTS, 5, "Frågor under annonseringen", "Värdet måste ligga mellan 0 och 100\xa0000."),
        RowError(PROCUREMENTS, 6, "Kategori", "Kategorin ”Rymdfart” finns inte i registret."),
        RowError(PROCUREMENTS, 6, "Beställande kommuner",
                 "Okänd kommun: Mora. Skriv de samverkande kommunernas namn åtskilda med kommatecken."),
        RowError(PROCUREMENTS, 6, "Status", "”Ingen aning” är inte ett giltigt val. Välj något av: Planerad; "
                 "Annonserad; Tilldelad; Avslutad; Avbruten."),
        RowError(PROCUREMENTS, 7, "Diarienummer", "Diarienumret UhC 2026/001 finns redan på rad 2."),
        RowError(BIDS, 5, "Leverantörens organisationsnummer",
                 "Organisationsnumret 556016-0681 har fel kontrollsiffra."),
        RowError(BIDS, 6, "Tilldelat", "Ett diskvalificerat anbud kan inte tilldelas."),
        RowError(BIDS, 7, "Leverantörens organisationsnummer",
                 "Leverantören har redan ett anbud i upphandlingen (rad 2)."),
        RowError(BIDS, 8, "Diarienummer", "Det finns ingen upphandling med diarienummer UhC 2099/999, varken på "
                 "bladet Upphandlingar eller i registret."),
        RowError(CONTRACTS, 3, "Årsvärde (kr)", "Värdet måste ligga mellan 0 och 10\xa0000\xa0000\xa0000."),
        RowError(FOLLOW_UPS, 4, "Avtalsnummer", "Det finns inget avtal med avtalsnummer AV-2099-99, varken på "
                 "bladet Avtal eller i registret."),
        RowError(FOLLOW_UPS, 4, "Datum", "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15."),
        RowError(FOLLOW_UPS, 5, "Datum", "Uppföljningen kan inte ligga före avtalets startdatum."),
        RowError(FOLLOW_UPS, 6, "Form", "”Brevduva” är inte ett giltigt val. Välj något av: Möte; E-post; Telefon."),
    ]


def test_errors_leave_records_already_in_the_register_as_they_were(categories):
    run(good_rows())
    before = database_state()
    rows = bad_rows()
    rows[PROCUREMENTS][0]["title"] = "Ändrad titel som inte får sparas"
    result = run(rows)
    assert result.errors
    assert database_state() == before


@pytest.mark.parametrize(
    "changes, column, message",
    [
        ({"status": "Avbruten", "cancelled_on": "2026-05-01"}, "Skäl för avbrytande",
         "Ange skälet till att upphandlingen avbröts."),
        ({"negotiation_held": "Ja", "negotiation_saving_sek": "12,5"}, "Besparing genom förhandling (kr)",
         "Säkerställ att det inte är mer än 0 decimaler."),
        ({"negotiation_saving_sek": "5000"}, "Besparing genom förhandling (kr)",
         "En besparing genom förhandling kräver att förhandling hållits."),
        ({"negotiation_held": "Ja", "negotiation_saving_sek": "mycket"}, "Besparing genom förhandling (kr)",
         "Skriv ett tal, till exempel 125000 eller 1250,5."),
        ({"questions_received": "2,5"}, "Frågor under annonseringen", "Skriv ett heltal, till exempel 3."),
        ({"reserved": "Kanske"}, "Reserverad upphandling", "Skriv Ja eller Nej."),
        ({"advertised_on": "2026-02-30"}, "Datum annonserad", "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15."),
        ({"title": ""}, "Benämning", "Fältet måste fyllas i."),
        ({"municipalities": " , "}, "Beställande kommuner", "Ange minst en kommun."),
        ({"product_group": "Bröd"}, "Varugrupp", "Varugruppen ”Bröd” finns inte i kategorin ”Livsmedel”."),
        ({"traineeships": 3}, "Praktikplatser eller motsvarande",
         "Praktikplatser redovisas för upphandlingar med sysselsättningskrav."),
        ({"is_food": "Nej"}, "Livsmedelsupphandling",
         "Krav på ekologiska eller lokalproducerade livsmedel gäller livsmedelsupphandlingar."),
        # Only a database constraint says this; its message is the one reported.
        ({"status": "Planerad", "advertised_on": "", "awarded_on": ""}, "",
         "En upphandling kan inte avslutas före annonseringen."),
    ],
)
def test_each_rule_of_the_procurement_form_applies_to_imported_rows(categories, changes, column, message):
    rows = good_rows()
    rows[PROCUREMENTS][0].update(changes)
    result = run(rows)
    assert result.errors == [RowError(PROCUREMENTS, 2, column, message)]
    assert Procurement.objects.count() == 0


def test_a_new_supplier_needs_a_name(categories):
    rows = good_rows()
    rows[BIDS][1]["supplier_name"] = ""
    result = run(rows)
    assert result.errors == [RowError(BIDS, 3, "Leverantörens namn", "Leverantören 556677-8899 finns inte i "
                                      "registret. Ange leverantörens namn så läggs den till.")]


def test_a_dry_run_saves_nothing_but_counts_what_would_happen(categories):
    result = run(good_rows(), dry_run=True)
    assert result.errors == []
    assert not result.saved
    assert result.counts[PROCUREMENTS].created == 2
    assert result.counts[BIDS].created == 3
    assert database_state() == ([], [], [], [], [])


def test_a_crash_in_the_middle_leaves_the_database_as_it_was(categories, monkeypatch):
    run(good_rows())
    before = database_state()
    rows = good_rows()
    rows[PROCUREMENTS][0]["title"] = "Ny titel"
    rows[PROCUREMENTS][1]["title"] = "Ny titel 2"
    rows[PROCUREMENTS].append({"case_number": "UhC 2026/003", "title": "Tredje", "category": "Livsmedel",
                               "municipalities": "Säter", "status": "Planerad"})
    original_send = writing._send
    written = []

    def send_that_fails_at_the_history(cursor, sql, rows):
        if sql.startswith('INSERT INTO "procurement_historicalprocurement"'):
            # The new and the changed procurements are written (inside the import's transaction)...
            written.extend(Procurement.objects.order_by("case_number").values_list("title", flat=True))
            raise RuntimeError("disken är full")
        return original_send(cursor, sql, rows)

    monkeypatch.setattr(writing, "_send", send_that_fails_at_the_history)
    with pytest.raises(RuntimeError):
        run(rows)
    assert written == ["Ny titel", "Ny titel 2", "Tredje"]
    assert database_state() == before  # ...and rolled back with everything else


def test_text_that_looks_like_a_formula_is_imported_as_text_and_written_back_as_text(categories):
    rows = good_rows()
    rows[PROCUREMENTS][0]["title"] = '=HYPERLINK("http://example.com","Klicka")'
    rows[PROCUREMENTS][0]["notes"] = "+46 23 123 45"
    run(rows)
    procurement = Procurement.objects.get(case_number="UhC 2026/001")
    assert procurement.title == '=HYPERLINK("http://example.com","Klicka")'
    assert procurement.notes == "+46 23 123 45"

    written = load_workbook(BytesIO(build_template({PROCUREMENTS: [{"title": procurement.title}]})))
    cell = written[PROCUREMENTS]["B2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.com","Klicka")'


def test_cells_typed_in_a_spreadsheet_program_are_read_forgivingly(categories):
    """Real dates and numbers, Excel booleans, labels in other case, municipality names in any case."""
    workbook = load_workbook(BytesIO(build_template({})))
    ws = workbook[PROCUREMENTS]
    headers = {str(cell.value).rstrip(" *"): cell.column for cell in ws[1]}
    values = {"Diarienummer": 2026042, "Benämning": "Städtjänster", "Kategori": "livsmedel",
              "Beställande kommuner": "FALUN,borlänge", "Status": "annonserad",
              "Datum annonserad": datetime.datetime(2026, 2, 3), "Frågor under annonseringen": 7.0,
              "Reserverad upphandling": True, "Förfarande": "Forenklat"}
    values["Förfarande"] = "förenklat  förfarande"
    for header, value in values.items():
        ws.cell(row=2, column=headers[header], value=value)
    data = BytesIO()
    workbook.save(data)
    data.name = "ifylld.xlsx"

    result = import_register(data)

    assert result.errors == []
    procurement = Procurement.objects.get()
    assert procurement.case_number == "2026042"
    assert procurement.advertised_on == datetime.date(2026, 2, 3)
    assert procurement.questions_received == 7
    assert procurement.reserved is True
    assert procurement.procedure == Procurement.Procedure.SIMPLIFIED
    assert set(procurement.municipalities.all()) == set(Municipality.objects.filter(name__in=["Falun", "Borlänge"]))


def test_rows_are_imported_without_a_lookup_query_per_row(categories):
    rows = {
        PROCUREMENTS: [
            {"case_number": f"UhC 2025/{i:04}", "title": f"Upphandling {i}", "category": "Livsmedel",
             "product_group": "Mejeri", "municipalities": "Falun, Borlänge", "status": "Annonserad",
             "advertised_on": "2025-02-01"}
            for i in range(150)
        ],
        BIDS: [{"case_number": f"UhC 2025/{i:04}", "supplier_org": ORG_A, "supplier_name": "Leverantör"}
               for i in range(150)],
        CONTRACTS: [{"number": f"AV-{i}", "title": "Avtal", "case_number": f"UhC 2025/{i:04}", "supplier_org": ORG_A,
                     "municipalities": "Falun", "contract_class": "B", "start_date": "2025-06-01"}
                    for i in range(150)],
        FOLLOW_UPS: [{"contract_number": f"AV-{i}", "date": "2025-09-01", "form": "Möte"} for i in range(150)],
    }
    assert import_register(xlsx(rows)).errors == []

    same_file = xlsx(rows)
    with CaptureQueriesContext(connection) as queries:
        result = import_register(same_file)

    assert result.counts[PROCUREMENTS].unchanged == 150
    lookups = [q["sql"] for q in queries.captured_queries
               if re.search(r'FROM "(procurement_(category|productgroup|supplier|procurement|contract|bid|'
                            r'contractfollowup)|plan_municipality)"', q["sql"])
               and "NOT (" not in q["sql"]]  # full_clean's unique checks exclude the record itself
    tables = [re.search(r'FROM "(\w+)"', sql).group(1) for sql in lookups]
    # One query per table, whatever the number of rows; municipalities three times: the lookup and the
    # prefetched municipalities of procurements and of contracts.
    assert sorted(tables) == [
        "plan_municipality", "plan_municipality", "plan_municipality", "procurement_bid", "procurement_category",
        "procurement_contract", "procurement_contractfollowup", "procurement_procurement",
        "procurement_productgroup", "procurement_supplier",
    ]


def test_a_change_to_the_register_while_the_rows_are_checked_is_seen_before_anything_is_written(
        categories, monkeypatch):
    from procurement.importing import engine
    from procurement.models import Category

    original_prepare = engine._Importer.prepare
    renamed = []

    def prepare_while_someone_renames_a_category(self, user):
        if not renamed:  # between the check (outside the transaction) and the write
            renamed.append(Category.objects.filter(name="IT och telefoni").update(name="IT"))
        return original_prepare(self, user)

    monkeypatch.setattr(engine._Importer, "prepare", prepare_while_someone_renames_a_category)
    result = run(good_rows())
    assert renamed == [1]
    # Checked again inside the transaction, against the register as it was then: nothing is saved.
    assert result.errors == [
        RowError(PROCUREMENTS, 3, "Kategori", "Kategorin ”IT och telefoni” finns inte i registret.")]
    assert database_state() == ([], [], [], [], [])
