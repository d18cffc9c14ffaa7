"""The meeting calendar: planning next year's meetings on one page, and the next meeting on the reports page.

The clock is at 30 November 2026, so "next year" is 2027; the plan covers 2021–2028.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from nämndplan.forms import MeetingCalendarForm
from nämndplan.models import Meeting
from reports.services import create_report
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db
D = datetime.date
PLAN = reverse("reports:meeting_plan")
LIST = reverse("reports:meeting_list")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    moment = timezone.make_aware(datetime.datetime(2026, 11, 30, 10))
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return moment.date()


def rows(**dates):
    return {f"date_{n}": dates.get(f"date_{n}", "") for n in range(1, 6)}


def test_the_page_offers_five_empty_date_rows_for_next_year(chief_client, plan):
    page = chief_client.get(PLAN).content.decode()
    assert "Planera nästa års sammanträden: 2027" in page
    assert page.count('type="date"') == 5 and 'name="date_1"' in page and 'name="date_5"' in page
    assert 'value="20' not in page  # prefilled with nothing


def test_chief_plans_next_years_meetings_and_blank_rows_are_ignored(chief_client, plan):
    response = chief_client.post(PLAN, rows(date_1="2027-02-17", date_3="2027-04-21", date_5="2027-06-09"))
    assert response.status_code == 302 and response["Location"] == f"{LIST}?ar=2027"
    assert list(Meeting.objects.values_list("date", flat=True)) == [D(2027, 2, 17), D(2027, 4, 21), D(2027, 6, 9)]
    page = chief_client.get(response["Location"]).content.decode()
    assert "3 sammanträden för 2027 är inlagda." in page
    assert "<strong>Helårsuppföljning 2026</strong>" in page  # 17 February is 2027's first meeting


@pytest.mark.parametrize(("typed", "message"), [
    ("2027-02-30", "Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2027-02-17."),
    ("17 februari", "Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2027-02-17."),
    ("2026-12-09", "Datumet 2026-12-09 ligger inte i 2027."),
])
def test_a_bad_date_is_refused_in_swedish_keeping_what_was_typed(chief_client, plan, typed, message):
    response = chief_client.post(PLAN, rows(date_1="2027-02-17", date_2=typed))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert f'value="{typed}"' in page and 'value="2027-02-17"' in page
    assert not Meeting.objects.exists()  # all or nothing


def test_a_date_outside_the_plans_years_is_refused(chief_client, plan):
    response = chief_client.post(f"{PLAN}?ar=2029", rows(date_1="2029-02-14"))
    assert "Datumet 2029-02-14 ligger utanför nämndplanens år (2021–2028)." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_day_with_a_meeting_or_typed_twice_is_refused(chief_client, plan):
    MeetingFactory(date=D(2027, 2, 17))
    page = chief_client.post(PLAN, rows(date_1="2027-02-17", date_2="2027-04-21", date_3="2027-04-21")).content.decode()
    assert "Det finns redan ett sammanträde den 2027-02-17." in page
    assert "Datumet 2027-04-21 står på två rader." in page
    assert Meeting.objects.count() == 1


def test_an_empty_page_asks_for_a_date(plan):
    form = MeetingCalendarForm(rows(), year=2027)
    assert not form.is_valid() and form.non_field_errors() == ["Ange minst ett datum."]


def test_a_member_cannot_plan_meetings(member_client, plan):
    assert member_client.get(PLAN).status_code == 403
    assert member_client.post(PLAN, rows(date_1="2027-02-17")).status_code == 403
    assert not Meeting.objects.exists()


def test_the_reports_page_shows_the_next_meeting_and_its_reports_state(chief_client, chief_user, plan):
    MeetingFactory(date=D(2026, 11, 25))  # held
    coming = MeetingFactory(date=D(2026, 12, 9), title="Decembersammanträdet")
    MeetingFactory(date=D(2027, 2, 17))
    page = chief_client.get(LIST, {"ar": 2025}).content.decode()  # on every year's page
    box = page[page.index('id="next-meeting-h"'):page.index("</section>")]
    assert "9 december 2026" in box and "Decembersammanträdet" in box
    assert "Rapporten är inte påbörjad." in box and "Skriv rapporten till nästa sammanträde" in box
    report = create_report(meeting=coming, user=chief_user)[0]
    page = chief_client.get(LIST).content.decode()
    box = page[page.index('id="next-meeting-h"'):page.index("</section>")]
    assert f'<a href="{report.get_absolute_url()}">Rapporten är ett utkast</a>' in box


def test_without_a_coming_meeting_the_page_says_so_and_links_to_planning(chief_client, member_user, plan):
    MeetingFactory(date=D(2026, 11, 25))
    page = chief_client.get(LIST).content.decode()
    assert "Inget kommande sammanträde är inlagt." in page
    assert f'<a href="{PLAN}">Planera nästa års sammanträden</a>' in page
    chief_client.force_login(member_user)
    member_page = chief_client.get(LIST).content.decode()
    assert "Inget kommande sammanträde är inlagt." in member_page and PLAN not in member_page
