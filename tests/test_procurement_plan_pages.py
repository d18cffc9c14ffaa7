"""The procurement plan's pages: what each shows, what each POST saves, and the queries they cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nämndplan.models import Municipality
from procurement.models import Procurement
from procurement.planning import forms as plan_forms
from procurement.planning.models import PlanConsultation, PlannedProcurement, ProcurementPlan
from tests.factories import CategoryFactory, ContractFactory, MeetingFactory, ProcurementFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def food(plan):
    return CategoryFactory(name="Livsmedel")


@pytest.fixture
def plan_2027(food):
    procurement_plan = ProcurementPlan.objects.create(year=2027)
    PlannedProcurement.objects.create(plan=procurement_plan, title="Skolmat", category=food,
                                      planned_completion=D(2027, 6, 30), planned_advertising=D(2027, 1, 10))
    return procurement_plan


def url(name, *args):
    return reverse(f"procurement:{name}", args=args)


def test_the_list_shows_each_plan_and_its_status(member_client, plan_2027):
    response = member_client.get(url("plan_list"))
    assert response.status_code == 200
    assert "Upphandlingsplan 2027" in response.content.decode()
    assert "Utkast" in response.content.decode()


def test_staff_create_a_plan_for_a_year(staff_client, plan):
    response = staff_client.post(url("plan_create"), {"year": "2028", "note": ""})
    assert response.status_code == 302
    assert ProcurementPlan.objects.filter(year=2028, status="draft").exists()


def test_a_second_plan_for_the_same_year_is_refused(staff_client, plan_2027):
    response = staff_client.post(url("plan_create"), {"year": "2027", "note": ""})
    assert "Det finns redan en upphandlingsplan för det året." in response.content.decode()


def test_the_plan_page_shows_adopted_and_current_dates_and_the_flags(member_client, plan_2027, food):
    contract = ContractFactory(number="GAMMAL", start_date=D(2024, 1, 1), end_date=D(2027, 5, 31))
    item = plan_2027.planned.get()
    item.replaces = contract
    item.save()
    PlannedProcurement.objects.filter(pk=item.pk).update(adopted_completion=D(2027, 4, 30))
    ContractFactory(number="LUCKA", start_date=D(2024, 1, 1), end_date=D(2028, 2, 29))
    page = member_client.get(url("plan_detail", 2027)).content.decode()
    assert "2027-04-30" in page and "nu</span>" not in page  # adopted, with the current date beside it
    assert "nu 2027-06-30" in page
    assert "Försenad mot avtalets slut" in page  # planned 30 June, the contract ends 31 May
    assert "LUCKA" in page  # a contract ending with nothing planned


def test_the_plan_page_costs_the_same_queries_for_more_procurements(staff_client, plan_2027, food):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url("plan_detail", 2027)).status_code == 200
        return len(queries)

    def add(n):
        contract = ContractFactory(number=f"K{n}", start_date=D(2024, 1, 1), end_date=D(2028, 1, 1))
        contract.options.create(order=1, length_months=6, notice_months=3)
        item = PlannedProcurement.objects.create(plan=plan_2027, title=f"P{n}", category=food, replaces=contract,
                                                 planned_completion=D(2027, 9, 1))
        item.municipalities.set(Municipality.objects.all()[:2])
        item.procurement = ProcurementFactory(title=f"P{n}")
        item.save()

    add(0)
    one = count()
    for n in range(1, 11):
        add(n)
    assert count() == one


def test_staff_add_several_proposals_at_once(staff_client, plan_2027, food):
    source = ProcurementFactory(category=food)
    a = ContractFactory(number="A1", procurement=source, start_date=D(2024, 1, 1), end_date=D(2027, 12, 31))
    b = ContractFactory(number="B1", procurement=source, start_date=D(2024, 1, 1), end_date=D(2028, 6, 30))
    page = staff_client.get(url("plan_proposals", 2027)).content.decode()
    assert "A1" in page and "B1" in page and "(standard)" in page
    response = staff_client.post(url("plan_proposals", 2027), {"contracts": [a.pk, b.pk]})
    assert response.status_code == 302
    added = PlannedProcurement.objects.filter(plan=plan_2027, replaces__isnull=False).order_by("planned_completion")
    # default lead time 240 days: 2027-12-31 (day 365) − 240 = day 125 = 2027-05-05; complete by − 60 = 2027-11-01;
    # 2028-06-30 (day 182, a leap year) − 240 = day 307 of 2027 = 2027-11-03; complete by − 60 = 2028-05-01
    assert [(p.replaces, p.start_by, p.planned_completion) for p in added] == [
        (a, D(2027, 5, 5), D(2027, 11, 1)), (b, D(2027, 11, 3), D(2028, 5, 1)),
    ]


def test_a_contract_without_a_category_needs_one_chosen(staff_client, plan_2027):
    contract = ContractFactory(number="UTAN", start_date=D(2024, 1, 1), end_date=D(2027, 12, 31))
    response = staff_client.post(url("plan_proposals", 2027), {"contracts": [contract.pk]})
    expected = str(plan_forms.CATEGORY_NEEDED) % {"contracts": "UTAN"}
    assert expected in response.content.decode()
    assert not PlannedProcurement.objects.filter(replaces=contract).exists()


def test_nothing_chosen_is_refused(staff_client, plan_2027):
    ContractFactory(number="UTAN", start_date=D(2024, 1, 1), end_date=D(2027, 12, 31))
    response = staff_client.post(url("plan_proposals", 2027), {})
    assert str(plan_forms.NONE_CHOSEN) in response.content.decode()


def test_sending_for_consultation_and_recording_an_answer(staff_client, plan_2027):
    today = datetime.date.today()
    response = staff_client.post(url("plan_send", 2027), {"sent_on": today.isoformat()})
    assert response.status_code == 302
    plan_2027.refresh_from_db()
    assert plan_2027.status == "consultation"
    falun = PlanConsultation.objects.get(plan=plan_2027, municipality__name="Falun")
    response = staff_client.post(url("plan_consultation_update", falun.pk), {
        "sent_on": today.isoformat(), "answered_on": today.isoformat(), "comment": "Inga synpunkter",
        "version": falun.version,
    })
    assert response.status_code == 302
    falun.refresh_from_db()
    assert (falun.answered_on, falun.comment, falun.dialogue.date) == (today, "Inga synpunkter", today)
    page = staff_client.get(url("plan_consultations", 2027)).content.decode()
    assert "1 av 7 kommuner" in page


def test_an_answer_before_the_plan_was_sent_is_refused(staff_client, plan_2027):
    falun = PlanConsultation.objects.create(plan=plan_2027, municipality=Municipality.objects.get(name="Falun"),
                                            sent_on=D(2026, 9, 1))
    response = staff_client.post(url("plan_consultation_update", falun.pk), {
        "sent_on": "2026-09-01", "answered_on": "2026-08-01", "comment": "", "version": falun.version,
    })
    assert "Ett svar kan inte komma före remissen skickades." in response.content.decode()


def test_chief_adopts_the_plan_and_the_dates_freeze(chief_client, plan_2027):
    meeting = MeetingFactory(date=D(2026, 11, 20))
    response = chief_client.post(url("plan_adopt", 2027), {
        "adopted_on": "2026-11-20", "meeting": meeting.pk, "version": plan_2027.version,
    })
    assert response.status_code == 302
    plan_2027.refresh_from_db()
    item = plan_2027.planned.get()
    assert (plan_2027.status, plan_2027.adopted_on, plan_2027.adopted_at) == ("adopted", D(2026, 11, 20), meeting)
    assert (item.adopted_advertising, item.adopted_completion, item.on_time_by) == (
        D(2027, 1, 10), D(2027, 6, 30), D(2027, 6, 30)
    )


def test_editing_an_adopted_procurement_keeps_the_adopted_date(staff_client, plan_2027, food):
    item = plan_2027.planned.get()
    PlannedProcurement.objects.filter(pk=item.pk).update(adopted_completion=D(2027, 6, 30))
    response = staff_client.post(url("plan_item_update", item.pk), {
        "title": "Skolmat", "category": food.pk, "planned_advertising": "2027-02-01",
        "planned_completion": "2027-09-30", "note": "", "version": item.version,
    })
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.adopted_completion, item.planned_completion, item.version) == (D(2027, 6, 30), D(2027, 9, 30), 2)


def test_an_edit_from_an_old_version_is_refused(staff_client, plan_2027, food):
    item = plan_2027.planned.get()
    response = staff_client.post(url("plan_item_update", item.pk), {
        "title": "Ändrad", "category": food.pk, "planned_completion": "2027-09-30", "note": "", "version": 0,
    })
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title == "Skolmat"


def test_starting_a_planned_procurement_needs_only_the_case_number(staff_client, plan_2027, food):
    item = plan_2027.planned.get()
    response = staff_client.post(url("plan_item_start", item.pk), {"case_number": "UHC 2027/0001",
                                                                    "version": item.version})
    procurement = Procurement.objects.get(case_number="UHC 2027/0001")
    assert response.status_code == 302 and response["Location"] == procurement.get_absolute_url()
    assert (procurement.title, procurement.category, procurement.planned_completion) == (
        "Skolmat", food, D(2027, 6, 30)
    )
    item.refresh_from_db()
    assert item.procurement == procurement


def test_a_case_number_taken_is_refused_on_its_field(staff_client, plan_2027):
    ProcurementFactory(case_number="UHC 2027/0001")
    item = plan_2027.planned.get()
    response = staff_client.post(url("plan_item_start", item.pk), {"case_number": "UHC 2027/0001",
                                                                    "version": item.version})
    assert "Diarienumret finns redan i registret." in response.content.decode()
    item.refresh_from_db()
    assert item.procurement is None


def test_a_plan_that_does_not_exist_is_not_found(staff_client, plan):
    assert staff_client.get(url("plan_detail", 2031)).status_code == 404
