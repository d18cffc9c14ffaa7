"""Frozen in the shell too: the models refuse to delete or change a frozen report, its archived versions, its log
or its meeting's date, in Swedish; reopening, with its reason logged, stays the way (PDF rendering faked)."""

import datetime

import pytest
from django.db.models import ProtectedError

from nämndplan.models import Meeting
from reports.models import FrozenError, Report, ReportLog, ReportVersion
from reports.services import create_report, freeze_report, reopen_report
from tests.conftest import FAKE_PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]
MAY_20 = datetime.date(2026, 5, 20)
NOT_DELETED = "En rapport som har fastställts kan inte tas bort: det som skickades till nämnden ska finnas kvar."
NOT_CHANGED = "En fastställd rapport kan inte ändras. Öppna den för ändring på rapportsidan och ange skälet."
VERSION_KEPT = "En tidigare fastställd version av en rapport kan inte ändras eller tas bort."
LOG_KEPT = "Rapportens logg kan inte ändras eller tas bort."
DATE_KEPT = "Sammanträdets rapport har fastställts, så sammanträdets datum kan inte ändras."



@pytest.fixture
def draft(plan, chief_user):
    return create_report(meeting=Meeting.objects.create(date=MAY_20), user=chief_user)[0]


@pytest.fixture
def frozen(draft, chief_user):
    return freeze_report(report=draft, user=chief_user)


@pytest.fixture
def reopened(frozen, chief_user):
    return reopen_report(report=frozen, user=chief_user, reason="Fel siffra i ekonomin.")


def refusal(action):
    with pytest.raises(FrozenError) as refused:
        action()
    return refused.value.args[0]


def test_a_frozen_report_cannot_be_deleted_one_by_one_or_as_a_queryset(frozen):
    assert refusal(lambda: Report.objects.get(pk=frozen.pk).delete()) == NOT_DELETED
    assert refusal(lambda: Report.objects.all().delete()) == NOT_DELETED
    assert refusal(lambda: Report.objects.filter(meeting__date=MAY_20).delete()) == NOT_DELETED
    frozen.refresh_from_db()
    assert frozen.is_frozen and bytes(frozen.pdf) == FAKE_PDF and frozen.log.count() == 2


def test_a_reopened_report_cannot_be_deleted_either(reopened):
    assert refusal(lambda: Report.objects.get(pk=reopened.pk).delete()) == NOT_DELETED
    assert refusal(lambda: Report.objects.all().delete()) == NOT_DELETED
    assert ReportVersion.objects.filter(report=reopened).count() == 1


def test_the_refusal_is_a_protected_error(frozen):
    with pytest.raises(ProtectedError):
        frozen.delete()


def test_a_frozen_report_cannot_be_changed(frozen):
    report = Report.objects.get(pk=frozen.pk)
    report.case_number = "ÄNDRAT 2026/1"
    assert refusal(report.save) == NOT_CHANGED
    report.status, report.pdf = Report.Status.DRAFT, None  # reopening by hand, without archiving the version
    assert refusal(report.save) == NOT_CHANGED
    assert refusal(lambda: Report.objects.filter(pk=frozen.pk).update(pdf=b"annat")) == NOT_CHANGED
    frozen.refresh_from_db()
    assert frozen.is_frozen and frozen.case_number == "" and bytes(frozen.pdf) == FAKE_PDF


def test_reopening_is_the_way_and_logs_its_reason(frozen, chief_user):
    report = reopen_report(report=frozen, user=chief_user, reason="Ny analys.")
    assert not report.is_frozen and report.log.get(action=ReportLog.Action.REOPENED).reason == "Ny analys."
    report.case_number = "GNU 2026/12"
    report.save()  # a draft again: its texts can be changed
    assert Report.objects.get(pk=report.pk).case_number == "GNU 2026/12"
    assert freeze_report(report=report, user=chief_user).version == 2


def test_an_archived_version_cannot_be_changed_or_deleted(reopened):
    version = reopened.versions.get()
    version.pdf = b"annat"
    assert refusal(version.save) == VERSION_KEPT
    assert refusal(version.delete) == VERSION_KEPT
    assert refusal(lambda: ReportVersion.objects.all().delete()) == VERSION_KEPT
    assert refusal(lambda: reopened.versions.update(reason="Annat")) == VERSION_KEPT
    version.refresh_from_db()
    assert bytes(version.pdf) == FAKE_PDF and version.reason == "Fel siffra i ekonomin."


def test_the_log_cannot_be_changed_or_deleted(reopened):
    entry = reopened.log.get(action=ReportLog.Action.REOPENED)
    entry.reason = "Annat"
    assert refusal(entry.save) == LOG_KEPT
    assert refusal(entry.delete) == LOG_KEPT
    assert refusal(lambda: reopened.log.all().delete()) == LOG_KEPT
    assert refusal(lambda: ReportLog.objects.update(reason="")) == LOG_KEPT
    assert list(reopened.log.values_list("action", "reason")) == [
        ("reopened", "Fel siffra i ekonomin."), ("frozen", ""), ("created", "")]


def test_a_draft_keeps_its_log_so_it_is_not_deleted_with_it(draft):
    with pytest.raises(ProtectedError):
        draft.delete()
    assert draft.log.get().action == ReportLog.Action.CREATED


@pytest.mark.parametrize("state", ["frozen", "reopened"])
def test_the_meeting_of_a_report_that_has_been_frozen_keeps_its_date(request, state):
    meeting = Meeting.objects.get(pk=request.getfixturevalue(state).meeting_id)
    meeting.date = datetime.date(2026, 6, 10)
    assert refusal(meeting.save) == DATE_KEPT
    meeting.date, meeting.title = MAY_20, "Majsammanträdet"
    meeting.save()  # other changes are fine
    assert Meeting.objects.get(pk=meeting.pk).title == "Majsammanträdet"


def test_the_meeting_of_a_draft_can_be_re_dated(draft):
    meeting = draft.meeting
    meeting.date = datetime.date(2026, 6, 10)
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).date == datetime.date(2026, 6, 10)
