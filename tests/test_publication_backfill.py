"""The data migration that gives reports frozen before Publication existed their shown figures."""

import datetime
import importlib

import pytest
from django.apps import apps

from indicators.models import Publication
from reports.services import create_report, freeze_report, reopen_report
from tests.factories import IndicatorValueFactory, MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]

backfill = importlib.import_module("reports.migrations.0007_backfill_publications").backfill


def test_each_frozen_report_and_archived_version_becomes_the_figures_shown_at_its_meeting(plan, chief_user):
    MeetingFactory(date=datetime.date(2025, 2, 19))  # so the November meeting is not the year's first (helår)
    IndicatorValueFactory(code="1.1", year=2025, value="91.4", known_from=datetime.date(2025, 11, 1))
    meeting = MeetingFactory(date=datetime.date(2025, 11, 20))
    report = freeze_report(report=create_report(meeting=meeting, user=chief_user)[0], user=chief_user)
    first_frozen_at = report.frozen_at
    report = reopen_report(report=report, user=chief_user, reason="Fel i texten")
    freeze_report(report=report, user=chief_user)
    Publication.objects.all().delete()

    backfill(apps, None)

    shown = list(Publication.objects.order_by("published_at"))
    assert [p.published_at for p in shown][0] == first_frozen_at
    assert len(shown) == 2 and {p.meeting_id for p in shown} == {meeting.pk}
    assert {p.year for p in shown} == {2025} and {p.as_of for p in shown} == {datetime.date(2025, 11, 20)}
    assert shown[1].figures["1.1"] == {"year": 2025, "value": "91.40", "status": "on_track", "unit": "index"}
    assert Publication.objects.latest_before(datetime.date(2026, 2, 1)) == shown[1]
    assert Publication.objects.latest_before(datetime.date(2025, 11, 20)) is None
