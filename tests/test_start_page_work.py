"""The start page's "Att göra" box: the staff member's own tasks; Chef UhC also sees everyone's totals."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_contract(plan, staff_user):
    today = timezone.localdate()
    end = min(today + datetime.timedelta(days=20), datetime.date(today.year, 12, 31))
    # Class B, in force from today: its one follow-up is due on its last day, within the list's weeks.
    return ContractFactory(number="B-IDAG", title="Skolmat", contract_class="B", start_date=today, end_date=end,
                           responsible=staff_user)


def test_staff_see_their_next_follow_up_with_a_link_to_record_it(staff_client, due_contract):
    page = staff_client.get(reverse("dashboards:home")).content.decode()
    assert 'id="att-gora-rubrik"' in page and "B-IDAG Skolmat" in page
    assert f"?contract={due_contract.pk}&amp;next=/" in page
    assert "Allas arbetslistor" not in page


def test_chief_gets_a_link_to_everyones_lists(chief_client, due_contract):
    page = chief_client.get(reverse("dashboards:home")).content.decode()
    assert "Du har inga uppgifter de kommande veckorna." in page
    assert "Allas arbetslistor, per person" in page


def test_members_have_no_work_list(member_client, due_contract):
    page = member_client.get(reverse("dashboards:home")).content.decode()
    assert 'id="att-gora-rubrik"' not in page and "B-IDAG" not in page


def test_the_box_costs_the_same_queries_for_more_contracts(staff_client, due_contract, staff_user):
    def count():
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(reverse("dashboards:home"))
        return len(queries)

    before = count()
    for n in range(10):
        ContractFactory(number=f"FLER-{n}", contract_class="ABCD"[n % 4], start_date=due_contract.start_date,
                        end_date=due_contract.end_date, responsible=staff_user)
    assert count() == before
