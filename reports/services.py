"""Writes that span several models: creating a report, saving its texts, freezing and reopening it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nämndplan.models import Plan, SpecialAssignment
from reports.models import AssignmentStatus, GoalAnalysis, Report, ReportLog
from reports.pdf import render_document, render_pdf
from reports.snapshot import build_snapshot


class ReportStateError(Exception):
    """The report is not in the state the action needs (e.g. freezing a frozen report)."""


def ensure_parts(report, plan=None):
    """One analysis row per goal and one status row per special assignment of the meeting's year."""
    plan = plan or Plan.objects.current()
    have_goals = set(report.goal_analyses.values_list("goal_id", flat=True))
    GoalAnalysis.objects.bulk_create(
        [GoalAnalysis(report=report, goal=goal) for goal in plan.goals.all() if goal.pk not in have_goals]
    )
    have_assignments = set(report.assignment_statuses.values_list("assignment_id", flat=True))
    assignments = SpecialAssignment.objects.filter(plan=plan, year=report.meeting.date.year)
    # A new report starts from the assignments' current status, as the last report left them.
    AssignmentStatus.objects.bulk_create([
        AssignmentStatus(report=report, assignment=a, status=a.status, status_text=a.status_text)
        for a in assignments if a.pk not in have_assignments
    ])


@transaction.atomic
def create_report(*, meeting, user):
    """The meeting's report, created as an empty draft if it has none; returns (report, created)."""
    report, created = Report.objects.get_or_create(meeting=meeting, defaults={"updated_by": user})
    if created:
        ensure_parts(report)
        ReportLog.objects.create(report=report, action=ReportLog.Action.CREATED, user=user)
    return report, created


@transaction.atomic
def save_report_texts(*, report, form, user):
    """Save the texts and assignment statuses of a draft from a valid ReportForm."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_frozen:
        raise ReportStateError(_("Rapporten är fastställd och kan inte ändras. Öppna den för ändring först."))
    data = form.cleaned_data
    report.updated_by = user
    report.save()  # form.instance is `report`: its own fields are already set from the form
    analyses = list(report.goal_analyses.select_related("goal"))
    for analysis in analyses:
        analysis.text = data[form.goal_field(analysis)]
    GoalAnalysis.objects.bulk_update(analyses, ["text"])
    statuses = list(report.assignment_statuses.select_related("assignment"))
    for item in statuses:
        item.status, item.status_text = data[form.status_field(item)], data[form.text_field(item)]
    AssignmentStatus.objects.bulk_update(statuses, ["status", "status_text"])
    _update_current_assignments(report, statuses)
    return report


def _update_current_assignments(report, statuses):
    """The plan's assignments show the latest report's status; an older report does not overwrite it."""
    later = Report.objects.filter(meeting__date__gt=report.meeting.date, meeting__date__year=report.meeting.date.year)
    if later.exists():
        return
    assignments = []
    for item in statuses:
        item.assignment.status, item.assignment.status_text = item.status, item.status_text
        assignments.append(item.assignment)
    SpecialAssignment.objects.bulk_update(assignments, ["status", "status_text"])


def draft_snapshot(report, plan=None):
    """The live content of a draft report (nothing stored)."""
    plan = plan or Plan.objects.current()
    previous = Report.objects.frozen_before(report.meeting.date)
    return build_snapshot(plan, as_of=report.as_of, report=report, previous=previous)


def report_snapshot(report):
    """What the report shows: the stored snapshot when frozen, else the live draft."""
    return report.snapshot if report.is_frozen else draft_snapshot(report)


@transaction.atomic
def freeze_report(*, report, user):
    """Store the snapshot, the HTML document and the PDF; from now on they are what the report is."""
    report = Report.objects.select_for_update().select_related("meeting").get(pk=report.pk)
    if report.is_frozen:
        raise ReportStateError(_("Rapporten är redan fastställd."))
    now = timezone.now()
    plan = Plan.objects.current()
    previous = Report.objects.frozen_before(report.meeting.date)
    snapshot = build_snapshot(plan, as_of=report.as_of, report=report, previous=previous, frozen_by=user, frozen_at=now)
    report.html = render_document(snapshot)
    report.pdf = render_pdf(report.html)
    report.snapshot = snapshot
    report.status, report.frozen_at, report.frozen_by = Report.Status.FROZEN, now, user
    report.save()
    ReportLog.objects.create(report=report, action=ReportLog.Action.FROZEN, user=user)
    return report


@transaction.atomic
def reopen_report(*, report, user, reason):
    """Turn a frozen report back into a draft (its numbers are live again); the reason is logged."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_frozen:
        raise ReportStateError(_("Rapporten är inte fastställd."))
    if not reason.strip():
        raise ReportStateError(_("Ange varför rapporten öppnas för ändring."))
    report.status, report.frozen_at, report.frozen_by = Report.Status.DRAFT, None, None
    report.snapshot, report.html, report.pdf = None, "", None
    report.updated_by = user
    report.save()
    ReportLog.objects.create(report=report, action=ReportLog.Action.REOPENED, user=user, reason=reason.strip())
    return report
