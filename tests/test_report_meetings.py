"""The meetings page: meetings of a year with their reports, and adding a meeting."""

import datetime

import pytest
from django.urls import reverse

from nämndplan.models import Meeting
from reports.services import create_report, freeze_report
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db
LIST = reverse("reports:meeting_list")


def test_the_list_shows_the_meetings_of_the_year_with_their_reports(member_client, chief_user, plan, monkeypatch):
    monkeypatch.setattr("reports.services.render_pdf", lambda html: b"%PDF")
    april = MeetingFactory(date=datetime.date(2026, 4, 22))
    may = MeetingFactory(date=datetime.date(2026, 5, 20), title="Majsammanträdet")
    MeetingFactory(date=datetime.date(2025, 11, 26))
    freeze_report(report=create_report(meeting=april, user=chief_user)[0], user=chief_user)
    create_report(meeting=may, user=chief_user)
    page = member_client.get(LIST, {"ar": 2026}).content.decode()
    assert "2026-04-22" in page and "2026-05-20" in page and "Majsammanträdet" in page
    assert "2025-11-26" not in page
    assert "Fastställd" in page and "Utkast" in page
    assert "Skriv rapport" not in page and "Lägg till sammanträde" not in page  # a member only reads
    assert "2025-11-26" in member_client.get(LIST, {"ar": 2025}).content.decode()


def test_chief_sees_the_buttons_to_write_and_add(chief_client, plan):
    MeetingFactory(date=datetime.date(2026, 9, 23))
    page = chief_client.get(LIST, {"ar": 2026}).content.decode()
    assert "Skriv rapport" in page and "Lägg till sammanträde" in page


def test_chief_adds_a_meeting(chief_client, plan):
    response = chief_client.post(reverse("reports:meeting_create"), {"date": "2026-09-23", "title": "Septembermötet"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?ar=2026"
    assert Meeting.objects.get(date=datetime.date(2026, 9, 23)).title == "Septembermötet"


def test_a_second_meeting_on_the_same_day_is_refused(chief_client, plan):
    MeetingFactory(date=datetime.date(2026, 9, 23))
    response = chief_client.post(reverse("reports:meeting_create"), {"date": "2026-09-23", "title": ""})
    assert response.status_code == 200
    assert "Det finns redan ett sammanträde den dagen." in response.content.decode()
    assert Meeting.objects.count() == 1


def test_a_member_cannot_add_a_meeting(member_client, plan):
    response = member_client.post(reverse("reports:meeting_create"), {"date": "2026-09-23"})
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_the_menu_links_to_the_reports_for_those_who_may_read_them(member_client, plan):
    assert f'href="{LIST}"' in member_client.get(reverse("dashboards:home")).content.decode()
