"""The register's lists: filters narrow the rows, the Excel export holds exactly the filtered rows
(every page), and a page costs the same number of queries whatever the size of the register."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from nämndplan.models import Municipality
from procurement.models import Procurement
from tests.factories import (
    BidFactory,
    CategoryFactory,
    CompetenceEffortFactory,
    ContractFactory,
    ContractFollowUpFactory,
    InformationActivityFactory,
    MunicipalityDialogueFactory,
    ProcurementFactory,
    SupplierFactory,
    valid_org_number,
)

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("procurement:procurement_list")
FORMULA_TITLE = '=HYPERLINK("http://example.com","Klicka")'


@pytest.fixture
def register(plan):
    """Five procurements worked out by hand:

    001  2026 adv+completed, Falun+Borlänge, Städ, sysselsättningskrav, 3 bids (1 disqualified, 1 awarded)
    002  2026 advertised,    Avesta,         Livsmedel, food + organic + preparedness
    014  adv 2025, completed 2026, Falun,    Städ, environmental requirement
    003  2025 cancelled,     Ludvika+Säter,  Livsmedel, reserved, kommunspecifik
    P    planned (no dates), Gagnef,         Städ, title that looks like a formula
    """
    cleaning, food = CategoryFactory(name="Städ", order=1), CategoryFactory(name="Livsmedel", order=2)
    s1, s2 = SupplierFactory(name="Dala Städ AB"), SupplierFactory(name="Falu Bygg AB")
    s3 = SupplierFactory(name="Rikslev AB", org_number=valid_org_number(3))
    completed = Procurement.Status.COMPLETED
    return {
        "001": ProcurementFactory(
            case_number="UHC-2026-001", municipalities=["Falun", "Borlänge"], bids=[s1, s2, s3],
            bids__awarded=[s1], bids__disqualified=[s3],
            title="Städtjänster", category=cleaning, status=completed, advertised_on=D(2026, 2, 1),
            awarded_on=D(2026, 3, 1), completed_on=D(2026, 4, 1), employment_requirement=True,
        ),
        "002": ProcurementFactory(
            case_number="UHC-2026-002", municipalities=["Avesta"], title="Frukt och grönt", category=food,
            status=Procurement.Status.ADVERTISED, advertised_on=D(2026, 5, 1), is_food=True,
            organic_food_requirement=True, preparedness_requirement=True,
        ),
        "014": ProcurementFactory(
            case_number="UHC-2025-014", municipalities=["Falun"], title="Kontorsmaterial", category=cleaning,
            status=completed, advertised_on=D(2025, 11, 1), awarded_on=D(2025, 12, 1), completed_on=D(2026, 1, 20),
            environmental_requirement=True,
        ),
        "003": ProcurementFactory(
            case_number="UHC-2025-003", municipalities=["Ludvika", "Säter"], title="Fordon", category=food,
            status=Procurement.Status.CANCELLED, advertised_on=D(2025, 3, 1), cancelled_on=D(2025, 4, 1),
            cancellation_reason="Inga anbud", reserved=True, kind=Procurement.Kind.MUNICIPAL,
        ),
        "P": ProcurementFactory(case_number="UHC-2027-001", municipalities=["Gagnef"], title=FORMULA_TITLE,
                                category=cleaning),
        "cleaning": cleaning,
        "food": food,
    }


def _case_numbers(response):
    assert response.status_code == 200
    return sorted(row.record.case_number for row in response.context["table"].paginated_rows)


def _get(client, **query):
    return _case_numbers(client.get(URL, query))


def test_the_list_shows_every_procurement_with_counts_of_bids_and_municipalities(staff_client, register):
    response = staff_client.get(URL)
    rows = {row.record.case_number: row.record for row in response.context["table"].paginated_rows}
    assert len(rows) == 5
    first = rows["UHC-2026-001"]
    assert (first.bid_count, first.valid_bid_count, first.awarded_bid_count, first.municipality_count) == (3, 2, 1, 2)
    assert rows["UHC-2027-001"].bid_count == 0
    page = response.content.decode()
    assert "<caption>Upphandlingar" in page and "5 träffar" in page
    assert 'scope="col"' in page and 'scope="row"' in page


@pytest.mark.parametrize(
    "query, expected",
    [
        # The year counts what was advertised or completed in it: 014 was advertised in 2025, completed in 2026.
        ({"year": "2026"}, ["UHC-2025-014", "UHC-2026-001", "UHC-2026-002"]),
        ({"year": "2025"}, ["UHC-2025-003", "UHC-2025-014"]),
        ({"status": "completed"}, ["UHC-2025-014", "UHC-2026-001"]),
        ({"kind": "municipal"}, ["UHC-2025-003"]),
        ({"q": "frukt"}, ["UHC-2026-002"]),
        ({"q": "uhc-2025"}, ["UHC-2025-003", "UHC-2025-014"]),
        ({"requirements": "employment_requirement"}, ["UHC-2026-001"]),
        ({"requirements": "environmental_requirement"}, ["UHC-2025-014"]),
        ({"requirements": "preparedness_requirement"}, ["UHC-2026-002"]),
        ({"requirements": "reserved"}, ["UHC-2025-003"]),
        ({"requirements": ["is_food", "organic_food_requirement"]}, ["UHC-2026-002"]),
        ({"requirements": ["is_food", "reserved"]}, []),
        ({"requirements": "coordinated"}, ["UHC-2025-003", "UHC-2026-001"]),
        ({"requirements": "appealed"}, []),
    ],
)
def test_filters_narrow_the_procurements(member_client, register, query, expected):
    assert _get(member_client, **query) == expected


def test_category_and_municipality_filters(member_client, register):
    assert _get(member_client, category=register["food"].pk) == ["UHC-2025-003", "UHC-2026-002"]
    falun = Municipality.objects.get(name="Falun")
    assert _get(member_client, municipality=falun.pk) == ["UHC-2025-014", "UHC-2026-001"]
    assert _get(member_client, municipality=falun.pk, year="2025") == ["UHC-2025-014"]


def test_the_bidder_filter_finds_the_procurements_a_supplier_bid_in(staff_client, register):
    assert _get(staff_client, supplier="rikslev") == ["UHC-2026-001"]
    assert _get(staff_client, supplier="550000-0038") == ["UHC-2026-001"]  # Rikslev AB's org number
    assert _get(staff_client, supplier="5500000038") == ["UHC-2026-001"]
    assert _get(staff_client, supplier="Ingen sådan AB") == []


def test_filtering_by_municipality_keeps_the_count_of_all_municipalities(member_client, register):
    falun = Municipality.objects.get(name="Falun")
    response = member_client.get(URL, {"municipality": falun.pk, "status": "completed", "year": "2026"})
    counts = {row.record.case_number: row.record.municipality_count for row in response.context["table"].paginated_rows}
    assert counts == {"UHC-2026-001": 2, "UHC-2025-014": 1}


def test_a_bad_filter_value_is_reported_and_the_list_still_shows(member_client, register):
    response = member_client.get(URL, {"status": "finns-inte"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["status"]
    assert len(_case_numbers(response)) == 5


def test_the_filter_form_keeps_the_chosen_values(member_client, register):
    page = member_client.get(URL, {"q": "frukt", "requirements": "is_food"}).content.decode()
    assert 'value="frukt"' in page
    assert 'value="is_food" id="id_requirements_8" checked' in page
    assert "Rensa filtret" in page


def test_sorting_orders_the_rows_and_marks_the_column(member_client, register):
    response = member_client.get(URL, {"sort": "-case_number"})
    numbers = [row.record.case_number for row in response.context["table"].paginated_rows]
    assert numbers == sorted(numbers, reverse=True)
    assert 'aria-sort="descending"' in response.content.decode()


def _more_procurements(count, year=2026, towns=("Falun",)):
    category = CategoryFactory(name="Städ", order=1)
    supplier = SupplierFactory(name="Massleverantör AB")
    for i in range(count):
        ProcurementFactory(
            case_number=f"UHC-{year}-{100 + i:03d}", municipalities=towns, bids__awarded=[supplier],
            category=category, status=Procurement.Status.ADVERTISED, advertised_on=D(year, 1 + i % 12, 1),
        )


def test_the_list_shows_25_a_page_with_swedish_pagination(member_client, plan):
    _more_procurements(30)
    response = member_client.get(URL)
    assert len(response.context["table"].paginated_rows) == 25
    page = response.content.decode()
    assert "Visar 1–25 av 30." in page and "Nästa sida" in page and 'aria-current="page"' in page
    second = member_client.get(URL, {"page": 2})
    assert len(second.context["table"].paginated_rows) == 5


# --- Excel export ------------------------------------------------------------------------------------

def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(BytesIO(response.content)).active


def _column(ws, header):
    headers = [cell.value for cell in ws[1]]
    index = headers.index(header) + 1
    return [ws.cell(row=r, column=index) for r in range(2, ws.max_row + 1)]


def test_the_export_holds_every_filtered_row_across_pages(member_client, plan):
    _more_procurements(30, year=2026)
    _more_procurements(4, year=2024, towns=("Avesta",))
    response = member_client.get(URL, {"year": "2026", "export": "xlsx", "page": "2"})
    ws = _sheet(response)
    numbers = sorted(cell.value for cell in _column(ws, "Diarienummer"))
    assert numbers == sorted(Procurement.objects.filter(advertised_on__year=2026).values_list("case_number", flat=True))
    assert len(numbers) == 30


def test_the_export_has_swedish_headers_real_dates_and_numbers(member_client, register):
    ws = _sheet(member_client.get(URL, {"q": "UHC-2026-001", "export": "xlsx"}))
    headers = [cell.value for cell in ws[1]]
    for header in ["Diarienummer", "Benämning", "Kategori", "Status", "Annonserad", "Antal anbud",
                   "Beställande kommuner", "Sysselsättningskrav", "Klimat övrigt (UHM-nivå)"]:
        assert header in headers
    assert ws.max_row == 2
    advertised = _column(ws, "Annonserad")[0]
    assert advertised.is_date and advertised.value.date() == D(2026, 2, 1)
    bids = _column(ws, "Antal anbud")[0]
    assert bids.data_type == "n" and bids.value == 3
    assert _column(ws, "Giltiga anbud")[0].value == 2
    assert _column(ws, "Status")[0].value == "Avslutad"
    assert _column(ws, "Beställande kommuner")[0].value == "Falun, Borlänge"
    assert _column(ws, "Tilldelade leverantörer")[0].value == "Dala Städ AB"
    assert _column(ws, "Sysselsättningskrav")[0].value == "Ja"


def test_a_title_starting_with_equals_is_exported_as_text_not_a_formula(member_client, register):
    ws = _sheet(member_client.get(URL, {"q": "UHC-2027", "export": "xlsx"}))
    title = _column(ws, "Benämning")[0]
    assert title.value == FORMULA_TITLE
    assert title.data_type == "s"


def test_the_export_file_is_named_for_the_list_and_the_day(member_client, register):
    from django.utils import timezone

    response = member_client.get(URL, {"export": "xlsx"})
    expected = f'attachment; filename="upphandlingar-{timezone.localdate():%Y-%m-%d}.xlsx"'
    assert response["Content-Disposition"] == expected


def test_the_export_follows_the_lists_sort_order(member_client, register):
    ws = _sheet(member_client.get(URL, {"export": "xlsx", "sort": "case_number"}))
    numbers = [cell.value for cell in _column(ws, "Diarienummer")]
    assert numbers == sorted(numbers)


def test_the_export_link_keeps_the_filter_but_not_the_page(member_client, register):
    response = member_client.get(URL, {"year": "2026", "page": "1"})
    assert response.context["export_url"] == "?year=2026&export=xlsx"


def test_anonymous_users_get_no_export(client, register):
    response = client.get(URL, {"export": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- The other lists -------------------------------------------------------------------------------

@pytest.fixture
def contracts(plan):
    dala = SupplierFactory(name="Dala Städ AB")
    falu = SupplierFactory(name="Falu Bygg AB", org_number=valid_org_number(2))
    today = datetime.date.today()
    ending = ContractFactory(number="AVT-1", supplier=dala, municipalities=["Falun", "Borlänge"], title="Städ",
                             contract_class="A", start_date=D(2024, 1, 1), end_date=today + datetime.timedelta(days=60),
                             estimated_yearly_value=1250000)
    old = ContractFactory(number="AVT-2", supplier=falu, municipalities=["Avesta"], title="Bygg", contract_class="C",
                          start_date=D(2020, 1, 1), end_date=D(2022, 12, 31))
    terminated = ContractFactory(number="AVT-3", supplier=falu, municipalities=["Falun"], title="Vägsalt",
                                 contract_class="B", start_date=D(2023, 1, 1), terminated_on=D(2024, 6, 1),
                                 termination_reason="Hävt")
    ContractFollowUpFactory(contract=ending, date=D(2025, 3, 1), form="meeting", notes="Kvartalsmöte")
    ContractFollowUpFactory(contract=ending, date=D(2026, 3, 1), form="email", actions="Vite")
    ContractFollowUpFactory(contract=old, date=D(2021, 5, 5), form="phone")
    return {"ending": ending, "old": old, "terminated": terminated}


def _numbers(response):
    assert response.status_code == 200
    return sorted(row.record.number for row in response.context["table"].paginated_rows)


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ["AVT-1", "AVT-2", "AVT-3"]),
        ({"contract_class": "A"}, ["AVT-1"]),
        ({"supplier": "falu"}, ["AVT-2", "AVT-3"]),
        ({"supplier": "5500000020"}, ["AVT-2", "AVT-3"]),  # Falu Bygg's org number typed without the hyphen
        ({"active_on": "2022-06-01"}, ["AVT-2"]),
        ({"ending_within": "3"}, ["AVT-1"]),
        ({"terminated": "ja"}, ["AVT-3"]),
        ({"terminated": "nej"}, ["AVT-1", "AVT-2"]),
        ({"q": "vägsalt"}, ["AVT-3"]),
        ({"q": "dala"}, ["AVT-1"]),
    ],
)
def test_filters_narrow_the_contracts(member_client, contracts, query, expected):
    assert _numbers(member_client.get(reverse("procurement:contract_list"), query)) == expected


def test_the_contract_list_counts_follow_ups_and_shows_the_latest(member_client, contracts):
    response = member_client.get(reverse("procurement:contract_list"))
    rows = {row.record.number: row.record for row in response.context["table"].paginated_rows}
    assert rows["AVT-1"].follow_up_count == 2 and rows["AVT-1"].last_follow_up == D(2026, 3, 1)
    assert rows["AVT-3"].follow_up_count == 0
    assert "1 250 000" in response.content.decode().replace("\xa0", " ")


def test_the_contract_export_writes_the_yearly_value_as_a_number(member_client, contracts):
    ws = _sheet(member_client.get(reverse("procurement:contract_list"), {"contract_class": "A", "export": "xlsx"}))
    value = _column(ws, "Uppskattat årsvärde (kr)")[0]
    assert value.value == 1250000 and value.data_type == "n"
    assert _column(ws, "Kommuner")[0].value == "Falun, Borlänge"


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, [D(2021, 5, 5), D(2025, 3, 1), D(2026, 3, 1)]),
        ({"year": "2026"}, [D(2026, 3, 1)]),
        ({"form": "meeting"}, [D(2025, 3, 1)]),
        ({"contract_class": "C"}, [D(2021, 5, 5)]),
        ({"q": "vite"}, [D(2026, 3, 1)]),
    ],
)
def test_filters_narrow_the_follow_ups(member_client, contracts, query, expected):
    response = member_client.get(reverse("procurement:followup_list"), query)
    assert sorted(row.record.date for row in response.context["table"].paginated_rows) == expected


def test_follow_ups_filter_by_the_contracts_municipality(member_client, contracts):
    avesta = Municipality.objects.get(name="Avesta")
    response = member_client.get(reverse("procurement:followup_list"), {"municipality": avesta.pk})
    assert [row.record.contract.number for row in response.context["table"].paginated_rows] == ["AVT-2"]


def test_filters_narrow_the_suppliers(member_client, plan):
    SupplierFactory(name="Dala Städ AB", org_number=valid_org_number(1), regional=True, sme=True)
    SupplierFactory(name="Rikslev AB")
    SupplierFactory(name="Arbetsintegrerande Ek. För.", social_enterprise=True, regional=True)
    url = reverse("procurement:supplier_list")

    def names(**query):
        return sorted(row.record.name for row in member_client.get(url, query).context["table"].paginated_rows)

    assert names(regional="ja") == ["Arbetsintegrerande Ek. För.", "Dala Städ AB"]
    assert names(regional="ja", sme="nej") == ["Arbetsintegrerande Ek. För."]
    assert names(social_enterprise="ja") == ["Arbetsintegrerande Ek. För."]
    assert names(q="rik") == ["Rikslev AB"]
    assert names(q="550000-0012") == ["Dala Städ AB"]


def test_filters_narrow_the_activities(member_client, plan):
    falun, avesta = Municipality.objects.get(name="Falun"), Municipality.objects.get(name="Avesta")
    InformationActivityFactory(date=D(2026, 2, 1), kind="rfi", title="RFI städ", municipalities=[falun])
    InformationActivityFactory(date=D(2025, 2, 1), kind="dialogue", title="Tidig dialog fordon")
    CompetenceEffortFactory(date=D(2026, 4, 1), municipality=falun, title="LOU grund", participants=12)
    CompetenceEffortFactory(date=D(2026, 5, 1), municipality=avesta, title="Avtalstrohet", participants=8)
    MunicipalityDialogueFactory(date=D(2026, 3, 1), municipality=avesta, kind="preparedness")
    MunicipalityDialogueFactory(date=D(2026, 3, 2), municipality=falun, kind="plan_remiss")

    def titles(name, **query):
        response = member_client.get(reverse(f"procurement:{name}"), query)
        assert response.status_code == 200
        return sorted(str(row.record) for row in response.context["table"].paginated_rows)

    assert titles("information_list", year="2026") == ["2026-02-01 RFI städ"]
    assert titles("information_list", kind="dialogue") == ["2025-02-01 Tidig dialog fordon"]
    assert titles("information_list", municipality=falun.pk) == ["2026-02-01 RFI städ"]
    assert titles("competence_list", municipality=avesta.pk) == ["2026-05-01 Avesta: Avtalstrohet"]
    preparedness = "2026-03-01 Avesta: Dialog om samhällsstörning, kris och krig"
    assert titles("dialogue_list", kind="preparedness") == [preparedness]


def test_only_staff_see_edit_links_and_the_add_button(client, member_user, staff_user, plan):
    CompetenceEffortFactory(date=D(2026, 4, 1), municipality="Falun", title="LOU grund", participants=12)
    url = reverse("procurement:competence_list")
    client.force_login(member_user)
    page = client.get(url).content.decode()
    assert "Ändra" not in page and "Ny insats" not in page
    client.force_login(staff_user)
    page = client.get(url).content.decode()
    assert "Ändra<span class=\"visually-hidden\"> 2026-04-01 Falun: LOU grund</span>" in page and "Ny insats" in page


@pytest.mark.parametrize(
    "name, prefix",
    [
        ("contract_list", "avtal"),
        ("followup_list", "avtalsuppfoljningar"),
        ("supplier_list", "leverantorer"),
        ("information_list", "informationsaktiviteter"),
        ("competence_list", "kompetensinsatser"),
        ("dialogue_list", "dialoger"),
    ],
)
def test_every_list_exports_to_xlsx_for_readers(member_client, contracts, name, prefix):
    response = member_client.get(reverse(f"procurement:{name}"), {"export": "xlsx"})
    ws = _sheet(response)
    assert f'filename="{prefix}-' in response["Content-Disposition"]
    assert ws.max_row >= 1 and all(isinstance(cell.value, str) for cell in ws[1])


# --- Queries ---------------------------------------------------------------------------------------

def _grow(n, start=0):
    """n of everything: procurements with bids and two municipalities, contracts with follow-ups, activities."""
    category = CategoryFactory(name="Städ", order=1)
    towns = ["Falun", "Borlänge"]
    for i in range(start, start + n):
        supplier = SupplierFactory()
        procurement = ProcurementFactory(
            case_number=f"Q-{i}", municipalities=towns, bids__awarded=[supplier], category=category,
            status=Procurement.Status.ADVERTISED, advertised_on=D(2026, 1, 1),
        )
        BidFactory(procurement=procurement)
        contract = ContractFactory(number=f"K-{i}", supplier=supplier, municipalities=towns, procurement=procurement)
        ContractFollowUpFactory(contract=contract, date=D(2026, 2, 1))
        InformationActivityFactory(date=D(2026, 2, 1), title=f"RFI {i}", procurement=procurement,
                                   municipalities=towns)
        CompetenceEffortFactory(date=D(2026, 2, 1), title=f"Insats {i}")
        MunicipalityDialogueFactory(date=D(2026, 2, 1))


def _query_count(client, url, **query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


LISTS = ["procurement_list", "contract_list", "followup_list", "supplier_list", "information_list",
         "competence_list", "dialogue_list"]


@pytest.mark.parametrize("name", LISTS)
def test_a_list_page_costs_the_same_queries_for_5_and_30_rows(staff_client, plan, name):
    url = reverse(f"procurement:{name}")
    _grow(5)
    staff_client.get(url)  # warm caches (content types, permissions)
    with_5 = _query_count(staff_client, url)
    _grow(25, start=5)
    assert _query_count(staff_client, url) == with_5
    assert with_5 <= 14


@pytest.mark.parametrize("name", LISTS)
def test_an_export_costs_the_same_queries_for_5_and_30_rows(staff_client, plan, name):
    url = reverse(f"procurement:{name}")
    _grow(5)
    staff_client.get(url, {"export": "xlsx"})
    with_5 = _query_count(staff_client, url, export="xlsx")
    _grow(25, start=5)
    assert _query_count(staff_client, url, export="xlsx") == with_5
