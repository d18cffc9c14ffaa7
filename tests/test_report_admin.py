"""Frozen in the admin too: a superuser can neither delete nor change a frozen report, its archived versions,
its log or its meeting's date; a draft's texts can still be corrected there (PDF rendering faked)."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from nämndplan.models import Meeting
from reports.models import Report, ReportLog, ReportVersion
from reports.services import create_report, freeze_report, reopen_report
from tests.conftest import FAKE_PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]
MAY_20 = datetime.date(2026, 5, 20)



@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("admin-test", "admin@example.se", "test-password-123"))
    return client


@pytest.fixture
def draft(plan, chief_user):
    return create_report(meeting=Meeting.objects.create(date=MAY_20, title="Majsammanträdet"), user=chief_user)[0]


@pytest.fixture
def frozen(draft, chief_user):
    return freeze_report(report=draft, user=chief_user)


@pytest.fixture
def reopened(frozen, chief_user):
    return reopen_report(report=frozen, user=chief_user, reason="Fel siffra i ekonomin.")


def admin_url(name, *args):
    return reverse(f"admin:{name}", args=args)


def change_data(client, url, **changes):
    """The admin change form as the page shows it (with its inlines' management forms), and `changes`."""
    context = client.get(url).context
    data = {name: field.value() for name, field in
            ((f, context["adminform"].form[f]) for f in context["adminform"].form.fields)}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()})
        for form in formset.forms:
            data.update({form.add_prefix(name): form[name].value() for name in ("id", formset.fk.name)})
    return {name: "" if value is None else value for name, value in data.items()} | changes


def test_a_superuser_cannot_delete_a_frozen_report_its_pdf_or_its_log(admin_client, frozen):
    delete = admin_url("reports_report_delete", frozen.pk)
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    frozen.refresh_from_db()
    assert frozen.is_frozen and bytes(frozen.pdf) == FAKE_PDF
    assert list(frozen.log.values_list("action", flat=True)) == ["frozen", "created"]


def test_the_delete_action_of_the_list_refuses_a_frozen_report(admin_client, frozen):
    response = admin_client.post(admin_url("reports_report_changelist"),
                                 {"action": "delete_selected", "_selected_action": [frozen.pk], "post": "yes"})
    assert response.status_code == 200  # the page saying why it cannot be deleted
    assert Report.objects.filter(pk=frozen.pk, status=Report.Status.FROZEN).exists()


def test_a_reopened_report_with_an_archived_version_cannot_be_deleted(admin_client, reopened):
    assert admin_client.post(admin_url("reports_report_delete", reopened.pk), {"post": "yes"}).status_code == 403
    assert bytes(reopened.versions.get().pdf) == FAKE_PDF


def test_a_superuser_cannot_change_a_frozen_report(admin_client, frozen):
    change = admin_url("reports_report_change", frozen.pk)
    page = admin_client.get(change)
    assert page.status_code == 200 and 'name="case_number"' not in page.content.decode()  # shown, not editable
    response = admin_client.post(change, {"case_number": "ÄNDRAT 2026/1", "overall_analysis": "", "staff_text": ""})
    assert response.status_code == 403
    frozen.refresh_from_db()
    assert frozen.case_number == "" and frozen.is_frozen


def test_a_draft_can_still_be_corrected(admin_client, draft):
    change = admin_url("reports_report_change", draft.pk)
    response = admin_client.post(change, change_data(admin_client, change, case_number="GNU 2026/12"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.case_number == "GNU 2026/12"


def test_the_log_cannot_be_changed_or_deleted(admin_client, reopened):
    entry = reopened.log.get(action=ReportLog.Action.REOPENED)
    assert admin_client.post(admin_url("reports_reportlog_delete", entry.pk), {"post": "yes"}).status_code == 403
    admin_client.post(admin_url("reports_reportlog_changelist"),
                      {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert admin_client.post(admin_url("reports_reportlog_change", entry.pk), {"reason": "Annat"}).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == "Fel siffra i ekonomin."
    assert ReportVersion.objects.filter(report=reopened).count() == 1


@pytest.mark.parametrize("state", ["frozen", "reopened"])
def test_the_meeting_of_a_report_that_has_been_frozen_cannot_be_re_dated(admin_client, request, state):
    report = request.getfixturevalue(state)
    change = admin_url("plan_meeting_change", report.meeting_id)
    assert 'name="date"' not in admin_client.get(change).content.decode()
    response = admin_client.post(change, {"date": "2026-06-10", "title": "Flyttat"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=report.meeting_id)
    assert (meeting.date, meeting.title) == (MAY_20, "Flyttat")  # the title may change, the date not


def test_the_meeting_of_a_draft_can_be_re_dated(admin_client, draft):
    change = admin_url("plan_meeting_change", draft.meeting_id)
    assert 'name="date"' in admin_client.get(change).content.decode()
    assert admin_client.post(change, {"date": "2026-06-10", "title": "Flyttat"}).status_code == 302
    assert Meeting.objects.get(pk=draft.meeting_id).date == datetime.date(2026, 6, 10)


def test_a_meeting_with_a_frozen_report_cannot_be_deleted(admin_client, frozen):
    admin_client.post(admin_url("plan_meeting_delete", frozen.meeting_id), {"post": "yes"})
    assert Report.objects.filter(pk=frozen.pk, meeting_id=frozen.meeting_id).exists()
