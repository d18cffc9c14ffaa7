"""The pages of contract management: the work list, the follow-up plan, the radar and an option's decision.

The register is that of tests/test_work_list.py, seen on the real today: its dates are set relative to it.
"""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.dates import add_months
from procurement.models import Contract, ContractFollowUp, ContractOption
from tests.access_register import form_data
from tests.factories import ContractFactory, ContractFollowUpFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def contracts(plan, staff_user, chief_user, today):
    """Staff's class B contract from today for at most 20 days (its one follow-up is due on its last day,
    within the list's six weeks), and a contract whose option must be decided in a month."""
    end = min(today + datetime.timedelta(days=20), datetime.date(today.year, 12, 31))
    mine = ContractFactory(number="A-MIN", title="Städtjänster", contract_class="B", start_date=today, end_date=end,
                           responsible=staff_user)
    optioned = ContractFactory(number="O-MIN", title="Livsmedel", contract_class="C",
                               start_date=datetime.date(2024, 1, 1), end_date=add_months(today, 4),
                               responsible=staff_user)
    ContractOption.objects.create(contract=optioned, order=1, length_months=12, notice_months=3)
    ContractFollowUpFactory(contract=optioned, date=datetime.date(today.year, 1, 2) if today.month > 1 else today,
                            form="email")
    return mine, optioned


def test_staff_see_their_work_list_with_one_click_actions(staff_client, contracts):
    mine, optioned = contracts
    page = staff_client.get(reverse("procurement:work_list")).content.decode()
    assert "Min lista" in page and "A-MIN" in page and "O-MIN" in page
    assert f"?contract={mine.pk}&amp;next=" in page  # record the follow-up, back to the list
    option = optioned.options.get()
    assert reverse("procurement:option_decision", args=[option.pk]) in page
    assert "Visa allas listor" not in page


def test_a_follow_up_recorded_from_the_work_list_leaves_it(staff_client, contracts, today):
    mine, _ = contracts
    work_list_url = reverse("procurement:work_list")
    url = f"{reverse('procurement:followup_create')}?contract={mine.pk}&next={work_list_url}"
    data = form_data(staff_client.get(url))
    data.update({"date": today.isoformat(), "form": "meeting", "notes": "Genomgång av leveranserna."})
    response = staff_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == work_list_url
    assert ContractFollowUp.objects.filter(contract=mine, date=today).exists()
    page = staff_client.get(work_list_url).content.decode()
    assert f"?contract={mine.pk}&amp;" not in page  # its one planned follow-up is held


def test_an_unsafe_next_is_ignored(staff_client, contracts, today):
    mine, _ = contracts
    url = f"{reverse('procurement:followup_create')}?contract={mine.pk}&next=https://evil.example/"
    data = form_data(staff_client.get(url))
    data.update({"date": today.isoformat(), "form": "meeting"})
    response = staff_client.post(url, data)
    assert response["Location"] == mine.get_absolute_url()


def test_chief_sees_everyones_work_list_by_person(chief_client, contracts):
    page = chief_client.get(reverse("procurement:work_list")).content.decode()
    assert "Uppgifter per person" in page and "uhc-test" in page
    assert "Visa bara min lista" in page
    own = chief_client.get(reverse("procurement:work_list") + "?vem=jag").content.decode()
    assert "Min lista" in own and "A-MIN" not in own


def test_the_follow_up_plan_shows_planned_against_held_per_class(staff_client, contracts, today):
    page = staff_client.get(reverse("procurement:follow_up_plan")).content.decode()
    assert f"Uppföljningsplan {today.year}" in page
    assert "3 gånger per år (Möte)" in page and "1 gång per år (E-post, Telefon, Möte)" in page
    response = staff_client.get(reverse("procurement:follow_up_plan") + "?ar=1999")
    assert response.context["year"] == today.year  # an impossible year falls back to this year


def test_the_radar_groups_by_meeting_and_exports_the_same_rows(staff_client, contracts, today):
    meeting = MeetingFactory(date=today + datetime.timedelta(days=10))
    page = staff_client.get(reverse("procurement:radar")).content.decode()
    assert "O-MIN" in page and "Option 1 att besluta" in page
    response = staff_client.get(reverse("procurement:radar") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Beslut före sammanträde", "Datum", "Vad", "Avtalsnummer")
    option_row = next(r for r in rows[1:] if r[3] == "O-MIN" and r[2] == "Option 1 att besluta")
    assert option_row[0].date() == meeting.date  # decided by in a month: the meeting before that


def test_deciding_an_option_moves_the_contracts_end(staff_client, contracts, today):
    _, optioned = contracts
    option = optioned.options.get()
    url = reverse("procurement:option_decision", args=[option.pk])
    page = staff_client.get(url)
    assert "Beslut senast" in page.content.decode()
    data = form_data(page)
    data.update({"decision": "used", "decided_on": today.isoformat(), "reason": "Nöjda kommuner"})
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert "Beslutet om option 1 för avtal O-MIN har sparats." in [str(m) for m in get_messages(response.wsgi_request)]
    optioned.refresh_from_db()
    assert optioned.end_date == add_months(add_months(today, 4), 12)
    assert "redan beslutad" in staff_client.get(url).content.decode()


def test_an_option_past_its_decide_by_date_is_refused_and_keeps_what_was_typed(staff_client, plan, staff_user, today):
    late = ContractFactory(number="SEN", start_date=datetime.date(2024, 1, 1), end_date=add_months(today, 1))
    option = ContractOption.objects.create(contract=late, order=1, length_months=12, notice_months=3)
    url = reverse("procurement:option_decision", args=[option.pk])
    data = form_data(staff_client.get(url))
    data.update({"decision": "used", "decided_on": today.isoformat(), "reason": "Sent men nödvändigt"})
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Optionen måste beslutas senast" in str(response.context["form"].errors["decided_on"])
    assert 'value="Sent men nödvändigt"' in response.content.decode()
    assert Contract.objects.get(pk=late.pk).end_date == add_months(today, 1)


@pytest.mark.parametrize("name, query", [
    ("procurement:work_list", ""), ("procurement:work_list", "?person=mine"), ("procurement:radar", ""),
    ("procurement:radar", "?risk=1"), ("procurement:follow_up_plan", "?ar=last"),
])
def test_the_pages_cost_the_same_queries_for_more_contracts(chief_client, staff_user, contracts, today, name, query):
    """Everyone's counts, one person's list, the radar and last year's plan (where every follow-up of a
    contract in force all year is overdue): the same queries with 15 more contracts, on pages of 50 rows."""
    query = query.replace("mine", str(staff_user.pk)).replace("last", str(today.year - 1))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert chief_client.get(reverse(name) + query).status_code == 200
        return len(queries)

    before = count()
    for n in range(15):
        contract = ContractFactory(number=f"EXTRA-{n}", contract_class="ABCD"[n % 4],
                                   start_date=datetime.date(2024, 1, 1), end_date=add_months(today, 2 + n),
                                   responsible=staff_user)
        ContractOption.objects.create(contract=contract, order=1, length_months=6, notice_months=1)
    assert count() == before


def test_long_lists_come_a_page_at_a_time(chief_client, staff_user, contracts, today):
    for n in range(60):
        ContractFactory(number=f"R-{n:02}", start_date=datetime.date(2024, 1, 1), end_date=add_months(today, 3),
                        responsible=staff_user)
    first = chief_client.get(reverse("procurement:radar") + "?risk=1")
    page = first.context["page_obj"]
    assert len(page.object_list) == 50 and page.paginator.count == 62  # the 60, A-MIN and O-MIN
    second = chief_client.get(reverse("procurement:radar") + "?risk=1&sida=2").content.decode()
    assert "Sida 2 av 2: rad 51–62 av 62" in second
    mine = chief_client.get(reverse("procurement:work_list") + f"?person={staff_user.pk}&typ=slut")
    assert {t.kind for t in mine.context["page_obj"].object_list} == {"end"}
    assert mine.context["page_obj"].paginator.count == 62  # the 60, A-MIN's end, O-MIN's end after its option
