"""A sent report never changes: reopening archives the frozen version, which stays downloadable as it was.

The PDF renderer is faked with one that gives different bytes on every render, so a byte-identical
archived PDF can only be the stored one, not a new rendering.
"""

import datetime
import itertools

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from reports.models import Report, ReportLog, ReportVersion
from reports.services import create_report
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db
MAY_20 = datetime.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def february_meeting(db):
    """The year's first meeting (its report is the full-year follow-up of 2025), so that the
    reports of later meetings in these tests cover 2026 up to their cut-off."""
    return MeetingFactory(date=datetime.date(2026, 2, 18))


@pytest.fixture(autouse=True)
def numbered_pdfs(monkeypatch):
    renders = itertools.count(1)
    monkeypatch.setattr("reports.services.render_pdf", lambda html: b"%%PDF-1.7 rendering %d" % next(renders))


@pytest.fixture
def report(plan, chief_user):
    return create_report(meeting=MeetingFactory(date=MAY_20), user=chief_user)[0]


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


def test_reopening_archives_the_frozen_version_and_freezing_again_makes_version_2(
    chief_client, chief_user, member_user, report
):
    chief_client.post(url("report_freeze", report.pk), {"confirm": "on"})
    report.refresh_from_db()
    sent_pdf, sent_html, sent_snapshot, frozen_at = bytes(report.pdf), report.html, report.snapshot, report.frozen_at
    assert sent_pdf == b"%PDF-1.7 rendering 1" and report.version == 1

    chief_client.post(url("report_reopen", report.pk), {"reason": "Fel siffra i ekonomin."})
    report.refresh_from_db()
    assert not report.is_frozen and report.pdf is None
    archived = report.versions.get()
    assert archived.number == 1
    assert bytes(archived.pdf) == sent_pdf and archived.html == sent_html and archived.snapshot == sent_snapshot
    assert (archived.frozen_at, archived.frozen_by, archived.period_end) == (frozen_at, chief_user, MAY_20)
    assert (archived.reopened_by, archived.reason) == (chief_user, "Fel siffra i ekonomin.")
    assert report.log.get(action=ReportLog.Action.REOPENED).reason == "Fel siffra i ekonomin."

    # The archived PDF is downloaded byte for byte as it was frozen, by a member too (like the current PDF).
    download = chief_client.get(url("report_version_pdf", report.pk, 1))
    assert download.content == sent_pdf
    assert download["Content-Disposition"] == 'attachment; filename="Uppfoljning-2026-05-20-version-1.pdf"'
    member = Client()
    member.force_login(member_user)
    assert member.get(url("report_version_pdf", report.pk, 1)).content == sent_pdf
    page = member.get(url("report_detail", report.pk)).content.decode()
    assert "Tidigare fastställda versioner" in page and "Fel siffra i ekonomin." in page
    assert f'href="{url("report_version_pdf", report.pk, 1)}"' in page

    chief_client.post(url("report_freeze", report.pk), {"confirm": "on"})
    report.refresh_from_db()
    assert report.is_frozen and report.version == 2 and report.snapshot["frozen"]["version"] == 2
    assert bytes(report.pdf) == b"%PDF-1.7 rendering 2"
    assert "(version 2; ersätter tidigare fastställda versioner)" in report.html
    assert chief_client.get(url("report_pdf", report.pk)).content == b"%PDF-1.7 rendering 2"
    assert chief_client.get(url("report_version_pdf", report.pk, 1)).content == sent_pdf
    assert "Det är version 2 av rapporten." in chief_client.get(url("report_detail", report.pk)).content.decode()

    chief_client.post(url("report_reopen", report.pk), {"reason": "Ny analys."})
    assert list(report.versions.values_list("number", flat=True)) == [2, 1]
    assert bytes(ReportVersion.objects.get(report=report, number=2).pdf) == b"%PDF-1.7 rendering 2"


def test_a_version_that_does_not_exist_is_not_found(chief_client, report, plan, chief_user):
    chief_client.post(url("report_freeze", report.pk), {"confirm": "on"})
    chief_client.post(url("report_reopen", report.pk), {"reason": "Fel."})
    other = create_report(meeting=MeetingFactory(date=datetime.date(2026, 6, 10)), user=chief_user)[0]
    assert chief_client.get(url("report_version_pdf", report.pk, 2)).status_code == 404
    assert chief_client.get(url("report_version_pdf", other.pk, 1)).status_code == 404


def test_a_report_with_a_sent_version_cannot_be_deleted(chief_client, report):
    chief_client.post(url("report_freeze", report.pk), {"confirm": "on"})
    chief_client.post(url("report_reopen", report.pk), {"reason": "Fel."})
    with pytest.raises(ProtectedError):
        Report.objects.get(pk=report.pk).delete()
    assert ReportVersion.objects.filter(report=report).count() == 1
