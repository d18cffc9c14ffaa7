"""A contract's life on its page and in the contract list: status, agreed and latest possible end, options,
responsible person, this year's follow-up plan; the list's columns, filters, export and query counts.

Today is held at 15 October 2026, so every date below is worked out by hand from it.
"""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from procurement.models import ContractOption
from tests.factories import ContractFactory, ContractFollowUpFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 10, 15)
LIST_URL = reverse("procurement:contract_list")
USED, DECLINED = ContractOption.Decision.USED, ContractOption.Decision.DECLINED

# The contract list's export headers before the contract's life was added: scripts read them, in this order.
OLD_EXPORT_HEADERS = [
    "Avtalsnummer", "Benämning", "Upphandling (diarienummer)", "Leverantör", "Organisationsnummer", "Kommuner",
    "Avtalsklass", "Startdatum", "Slutdatum", "Uppskattat årsvärde (kr)", "Avslutat i förtid",
    "Skäl till förtida avslut (hävning, uppsägning)", "Antal uppföljningar", "Senaste uppföljning",
]
NEW_EXPORT_HEADERS = [
    "Avtalsförvaltare", "Kontaktperson i kommunerna", "Optioner (månader)", "Beslut om option (månader före slut)",
    "Senast möjliga slutdatum med optionerna", "Status",
]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    return TODAY


def _options(contract, *lengths, notice=3, decisions=()):
    for order, length in enumerate(lengths, start=1):
        decision, decided_on = decisions[order - 1] if order <= len(decisions) else ("pending", None)
        ContractOption.objects.create(contract=contract, order=order, length_months=length, notice_months=notice,
                                      decision=decision, decided_on=decided_on)


@pytest.fixture
def manager(db):
    return UserFactory(username="anna", first_name="Anna", last_name="Avtalsson")


@pytest.fixture
def optioned(plan, manager):
    """Class A, 1 Jan 2025 – 31 Mar 2027, options 12+12 with 3 months' notice:
    option 1: 2027-03-31 → 2028-03-31, decide by 2026-12-31 (31 Mar less 3 months);
    option 2: 2028-03-31 → 2029-03-31, decide by 2027-12-31; latest possible end 2029-03-31.
    Option 1's decide-by date is within six months of today: "Option att besluta"."""
    contract = ContractFactory(number="AVT-OPT", title="Städtjänster", contract_class="A", start_date=D(2025, 1, 1),
                               end_date=D(2027, 3, 31), responsible=manager,
                               municipality_contact="Eva Ek, eva.ek@falun.se")
    _options(contract, 12, 12)
    return contract


# --- The contract's page -------------------------------------------------------------------------------

def _page(client, contract):
    response = client.get(contract.get_absolute_url())
    assert response.status_code == 200
    return response, " ".join(response.content.decode().replace("\xa0", " ").split())


def test_the_page_shows_status_agreed_and_latest_possible_end_and_who_manages(member_client, optioned):
    response, page = _page(member_client, optioned)
    groups = dict(response.context["groups"])
    validity = dict(groups["Giltighet och värde"])
    assert validity["Slutdatum"] == "31 mars 2027"
    assert validity["Senast möjliga slutdatum med optionerna"] == "31 mars 2029"  # + 12 + 12 months
    assert validity["Status"] == "Option att besluta"
    management = dict(groups["Förvaltning"])
    assert management["Avtalsförvaltare"] == "Anna Avtalsson"  # by name, not the username "anna"
    assert management["Kontaktperson i kommunerna"] == "Eva Ek, eva.ek@falun.se"
    assert "Avtalsklass A · Option att besluta" in page


def test_the_options_table_shows_each_step_of_the_schedule(member_client, optioned):
    response, page = _page(member_client, optioned)
    rows = response.context["option_rows"]
    assert [(r.step.end_before, r.step.end_after, r.step.decide_by) for r in rows] == [
        (D(2027, 3, 31), D(2028, 3, 31), D(2026, 12, 31)),
        (D(2028, 3, 31), D(2029, 3, 31), D(2027, 12, 31)),
    ]
    assert "2027-03-31 → 2028-03-31" in page and "2028-03-31 → 2029-03-31" in page
    assert "<td>12 månader</td>" in page and "Ej beslutad" in page


def test_staff_get_a_decide_link_for_the_next_option_naming_it_and_the_contract(staff_client, optioned):
    first, second = optioned.options.order_by("order")
    _response, page = _page(staff_client, optioned)
    link = (f'<a href="{reverse("procurement:option_decision", args=[first.pk])}">Besluta'
            f'<span class="visually-hidden"> om option 1 för avtal AVT-OPT</span></a>')
    assert link in page
    # Options are decided in order: the second waits for the first.
    assert reverse("procurement:option_decision", args=[second.pk]) not in page


def test_readers_get_no_decide_link(member_client, optioned):
    _response, page = _page(member_client, optioned)
    assert "Besluta" not in page and "/beslut/" not in page


def test_a_used_option_moves_the_schedule_and_the_next_one_is_to_decide(staff_client, plan):
    """Option 1 used (end moved from 2027-03-31 to 2028-03-31): the first term ended 2027-03-31;
    option 2 runs 2028-03-31 → 2029-03-31, decide by 2027-12-31, more than six months off: "Gäller"."""
    contract = ContractFactory(number="AVT-USED", start_date=D(2025, 1, 1), end_date=D(2028, 3, 31))
    _options(contract, 12, 12, decisions=[(USED, D(2026, 6, 1))])
    response, page = _page(staff_client, contract)
    first, second = response.context["option_rows"]
    assert (first.step.end_before, first.step.end_after) == (D(2027, 3, 31), D(2028, 3, 31))
    assert (second.step.decide_by, second.next_to_decide) == (D(2027, 12, 31), True)
    assert "Utnyttjad 2026-06-01" in page
    assert dict(dict(response.context["groups"])["Giltighet och värde"])["Status"] == "Gäller"
    assert reverse("procurement:option_decision", args=[second.option.pk]) in page


def test_an_option_past_its_decide_by_date_can_no_longer_be_used(staff_client, plan):
    """End 2026-12-31, option 12 months with 3 months' notice: decide by 2026-09-30, before today.
    The latest possible end is the agreed end, and the contract is in its last 12 months."""
    contract = ContractFactory(number="AVT-LAPSED", start_date=D(2025, 1, 1), end_date=D(2026, 12, 31))
    _options(contract, 12)
    response, page = _page(staff_client, contract)
    validity = dict(dict(response.context["groups"])["Giltighet och värde"])
    assert validity["Senast möjliga slutdatum med optionerna"] == "31 december 2026"
    assert validity["Status"] == "Sista 12 månaderna"
    assert "2026-09-30" in page and "(kan inte längre utnyttjas)" in page


def test_options_after_a_declined_one_are_not_scheduled(staff_client, plan):
    contract = ContractFactory(number="AVT-DECL", start_date=D(2025, 1, 1), end_date=D(2027, 3, 31))
    _options(contract, 12, 12, decisions=[(DECLINED, D(2026, 9, 1))])
    response, page = _page(staff_client, contract)
    first, second = response.context["option_rows"]
    assert first.step is None and second.step is None and not second.next_to_decide
    assert "Avstår 2026-09-01" in page and "/beslut/" not in page
    assert "31 mars 2027" == dict(dict(response.context["groups"])["Giltighet och värde"])[
        "Senast möjliga slutdatum med optionerna"]


@pytest.mark.parametrize(
    "dates, label",
    [
        ({"end_date": D(2029, 12, 31)}, "Gäller"),
        ({"end_date": D(2027, 6, 30)}, "Sista 12 månaderna"),  # before 2027-10-15, 12 months from today
        ({"end_date": D(2026, 6, 30)}, "Upphört"),
        ({"end_date": D(2029, 12, 31), "terminated_on": D(2026, 9, 1), "termination_reason": "Hävt"},
         "Avslutat i förtid"),
    ],
)
def test_the_status_follows_from_the_dates(member_client, plan, dates, label):
    contract = ContractFactory(start_date=D(2025, 1, 1), **dates)
    response, page = _page(member_client, contract)
    assert response.context["status_label"] == label
    assert "Avtalet har inga optioner att förlänga." in page


def test_the_page_shows_this_years_follow_up_plan(member_client, optioned):
    """Class A: three meetings a year, due 2026-04-30, 2026-08-31 and 2026-12-31. One meeting held (1 March);
    the e-mail of 1 May is not a form of class A. So 1 of 3, and 31 August is overdue on 15 October."""
    ContractFollowUpFactory(contract=optioned, date=D(2026, 3, 1), form="meeting")
    ContractFollowUpFactory(contract=optioned, date=D(2026, 5, 1), form="email")
    ContractFollowUpFactory(contract=optioned, date=D(2025, 11, 1), form="meeting")  # last year's
    response, page = _page(member_client, optioned)
    plan = response.context["plan"]
    assert plan.due == [D(2026, 4, 30), D(2026, 8, 31), D(2026, 12, 31)]
    assert (plan.held, plan.overdue, plan.next_due) == (1, [D(2026, 8, 31)], D(2026, 8, 31))
    assert "Uppföljningsplan 2026" in page and "Avtal i klass A följs upp 3 gånger per år (Möte)." in page
    assert "3: 2026-04-30, 2026-08-31, 2026-12-31" in page and "1 av 3 planerade" in page
    assert "Försenad: skulle ha gjorts senast 2026-08-31" in page


def test_the_next_follow_up_is_shown_when_none_is_overdue(member_client, plan):
    """Class B: one meeting a year, due 2026-12-31; nothing held yet, nothing overdue."""
    contract = ContractFactory(contract_class="B", start_date=D(2025, 1, 1))
    _response, page = _page(member_client, contract)
    assert "0 av 1 planerade" in page and "Senast 2026-12-31" in page and "Försenad" not in page


def test_an_ended_contract_has_no_follow_up_planned_this_year(member_client, plan):
    contract = ContractFactory(start_date=D(2020, 1, 1), end_date=D(2025, 12, 31))
    response, page = _page(member_client, contract)
    assert response.context["plan"] is None and "Avtalet har ingen planerad uppföljning i år." in page


def _detail_queries(client, contract):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(contract.get_absolute_url()).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_one_option_and_follow_up_as_for_eight(staff_client, plan, manager):
    small = ContractFactory(start_date=D(2025, 1, 1), end_date=D(2027, 3, 31), responsible=manager)
    _options(small, 12)
    ContractFollowUpFactory(contract=small, date=D(2026, 3, 1))
    large = ContractFactory(start_date=D(2025, 1, 1), end_date=D(2027, 3, 31), responsible=manager)
    _options(large, *[6] * 8)
    for day in range(1, 9):
        ContractFollowUpFactory(contract=large, date=D(2026, 3, day))
    _detail_queries(staff_client, small)  # warm caches (content types, permissions)
    with_one = _detail_queries(staff_client, small)
    assert _detail_queries(staff_client, large) == with_one
    # Session, user, permissions; contract, municipalities, options, follow-ups; the plan's rules and
    # contract; history (2); the menu's roles. Options not prefetched would cost one more per use.
    assert with_one <= 14


# --- The contract list ---------------------------------------------------------------------------------

def _rows(response):
    assert response.status_code == 200
    return {row.record.number: row for row in response.context["table"].paginated_rows}


def test_the_list_shows_status_manager_and_latest_possible_end_after_the_old_columns(member_client, optioned):
    ContractFactory(number="AVT-NONE", start_date=D(2025, 1, 1), end_date=D(2026, 6, 30))
    response = member_client.get(LIST_URL)
    table = response.context["table"]
    names = [column.name for column in table.columns]
    assert names[-3:] == ["status", "responsible", "latest_end"]
    assert names[:-3] == ["number", "title", "supplier", "contract_class", "start_date", "end_date",
                          "estimated_yearly_value", "follow_up_count", "last_follow_up", "terminated_on"]
    rows = _rows(response)
    assert rows["AVT-OPT"].get_cell("status") == "Option att besluta"
    assert rows["AVT-OPT"].get_cell("responsible") == "Anna Avtalsson"
    assert rows["AVT-OPT"].get_cell_value("latest_end") == D(2029, 3, 31)
    assert rows["AVT-NONE"].get_cell("status") == "Upphört" and rows["AVT-NONE"].get_cell("responsible") == "–"
    assert rows["AVT-NONE"].get_cell_value("latest_end") == D(2026, 6, 30)
    page = response.content.decode()
    assert "Senast möjliga slut med optionerna" in page and "Avtalsförvaltare" in page


def test_the_list_sorts_by_manager(member_client, optioned):
    other = UserFactory(username="bo", first_name="Bo", last_name="Berg")
    ContractFactory(number="AVT-BO", responsible=other)
    response = member_client.get(LIST_URL, {"sort": "-responsible"})
    assert [row.record.number for row in response.context["table"].paginated_rows] == ["AVT-BO", "AVT-OPT"]


@pytest.fixture
def managed(plan, staff_user, manager):
    ContractFactory(number="AVT-STAFF", responsible=staff_user)
    ContractFactory(number="AVT-ANNA", responsible=manager)
    ContractFactory(number="AVT-NOONE")
    UserFactory(username="manages-nothing", first_name="Ingen", last_name="Alls")
    return manager


def test_the_manager_filter_offers_only_people_who_manage_a_contract(staff_client, managed):
    form = staff_client.get(LIST_URL).context["filter"].form
    labels = [label for value, label in form.fields["responsible"].choices if value != ""]
    # By first name, as the contract form orders them (staff's user has none); "Ingen Alls" manages none.
    assert labels == ["uhc-test", "Anna Avtalsson"]


def test_the_manager_filter_narrows_the_list(staff_client, managed):
    assert sorted(_rows(staff_client.get(LIST_URL, {"responsible": managed.pk}))) == ["AVT-ANNA"]


def test_my_contracts_are_those_i_manage(staff_client, managed):
    assert sorted(_rows(staff_client.get(LIST_URL, {"mine": "on"}))) == ["AVT-STAFF"]
    assert sorted(_rows(staff_client.get(LIST_URL))) == ["AVT-ANNA", "AVT-NOONE", "AVT-STAFF"]
    page = staff_client.get(LIST_URL).content.decode()
    assert 'type="checkbox" name="mine"' in page and "Mina avtal" in page


def test_a_manager_who_is_no_user_any_more_is_reported_on_the_filter(staff_client, managed):
    response = staff_client.get(LIST_URL, {"responsible": "999999"})
    assert response.status_code == 200 and response.context["filter"].form.errors["responsible"]


def _sheet(response):
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content)).active


def test_the_export_adds_the_contracts_life_after_the_old_columns(member_client, optioned):
    ws = _sheet(member_client.get(LIST_URL, {"export": "xlsx"}))
    headers = [cell.value for cell in ws[1]]
    assert headers == OLD_EXPORT_HEADERS + NEW_EXPORT_HEADERS
    row = dict(zip(headers, [cell.value for cell in ws[2]], strict=True))
    assert row["Avtalsförvaltare"] == "Anna Avtalsson"
    assert row["Kontaktperson i kommunerna"] == "Eva Ek, eva.ek@falun.se"
    assert row["Optioner (månader)"] == "12+12" and row["Beslut om option (månader före slut)"] == 3
    assert row["Senast möjliga slutdatum med optionerna"] == datetime.datetime(2029, 3, 31)
    assert row["Status"] == "Option att besluta"


def test_the_export_of_a_contract_without_options_or_manager_leaves_those_cells_empty(member_client, plan):
    ContractFactory(number="AVT-BARE", start_date=D(2025, 1, 1))
    ws = _sheet(member_client.get(LIST_URL, {"export": "xlsx"}))
    row = dict(zip([cell.value for cell in ws[1]], [cell.value for cell in ws[2]], strict=True))
    assert row["Avtalsförvaltare"] is None and row["Optioner (månader)"] is None
    assert row["Beslut om option (månader före slut)"] is None
    assert row["Senast möjliga slutdatum med optionerna"] is None
    assert row["Status"] == "Gäller"


def test_options_with_different_notices_export_each_notice(member_client, plan):
    contract = ContractFactory(number="AVT-MIX", start_date=D(2025, 1, 1), end_date=D(2027, 3, 31))
    ContractOption.objects.create(contract=contract, order=1, length_months=24, notice_months=6)
    ContractOption.objects.create(contract=contract, order=2, length_months=12, notice_months=3)
    ws = _sheet(member_client.get(LIST_URL, {"export": "xlsx"}))
    row = dict(zip([cell.value for cell in ws[1]], [cell.value for cell in ws[2]], strict=True))
    assert (row["Optioner (månader)"], row["Beslut om option (månader före slut)"]) == ("24+12", "6+3")


def _grow(n, start, manager):
    for i in range(start, start + n):
        contract = ContractFactory(number=f"K-{i:03d}", start_date=D(2025, 1, 1), end_date=D(2027, 3, 31),
                                   responsible=manager)
        _options(contract, 12, 12)
        ContractFollowUpFactory(contract=contract, date=D(2026, 2, 1))


def _list_queries(client, **query):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST_URL, query).status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", [{}, {"export": "xlsx"}])
def test_the_list_costs_the_same_queries_for_3_and_20_contracts(staff_client, plan, manager, query):
    _grow(3, 0, manager)
    _list_queries(staff_client, **query)  # warm caches
    with_3 = _list_queries(staff_client, **query)
    _grow(17, 3, UserFactory(first_name="Bo"))
    assert _list_queries(staff_client, **query) == with_3
