"""Writes that span several models: creating a report, saving its texts, freezing and reopening it.

Only POST views call these; showing a page never writes (report_parts builds the missing rows in memory).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.locking import advance_version
from indicators.models import Publication
from nämndplan.models import Meeting, Plan, SpecialAssignment
from reports.docx import render_docx
from reports.models import AssignmentStatus, GoalAnalysis, Report, ReportLog, ReportVersion
from reports.pdf import render_document, render_pdf
from reports.snapshot import build_snapshot


class ReportStateError(Exception):
    """The report is not in the state the action needs (e.g. freezing a frozen report)."""


def report_parts(report, plan=None, year=None):
    """(analyses, statuses): one analysis per goal and one status per special assignment of the report's year.

    The report's year is its period's (reports/period.py): the previous year for a full-year follow-up.
    The rows the report has, plus unsaved rows for goals and assignments it has none for yet (an
    assignment added to the plan after the report was created). Reads only: a GET builds its form
    from these, and ensure_parts stores the missing ones when the form is saved.
    """
    plan = plan or Plan.objects.current()
    year = year or report.period().year
    analyses = {a.goal_id: a for a in report.goal_analyses.select_related("goal")}
    for goal in plan.goals.all():
        analyses.setdefault(goal.pk, GoalAnalysis(report=report, goal=goal))
    statuses = {s.assignment_id: s for s in report.assignment_statuses.select_related("assignment")}
    # A new row starts from the assignment's current status, as the last report left it.
    for a in SpecialAssignment.objects.filter(plan=plan, year=year):
        statuses.setdefault(a.pk, AssignmentStatus(report=report, assignment=a, status=a.status,
                                                   status_text=a.status_text))
    return (
        sorted(analyses.values(), key=lambda a: a.goal.number),
        sorted(statuses.values(), key=lambda s: s.assignment.number),
    )


def ensure_parts(report, plan=None):
    """Store the rows report_parts lacks. Idempotent and safe when two requests do it at once:
    a row another request stored first is left as it is (ignore_conflicts on the unique constraints)."""
    with transaction.atomic():
        analyses, statuses = report_parts(report, plan)
        GoalAnalysis.objects.bulk_create([a for a in analyses if a.pk is None], ignore_conflicts=True)
        AssignmentStatus.objects.bulk_create([s for s in statuses if s.pk is None], ignore_conflicts=True)


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
    """Save the texts and assignment statuses of a draft from a valid ReportForm; EditConflict
    (common/locking.py) when they were saved by someone else (or in another tab) since the form was loaded."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_frozen:
        raise ReportStateError(_("Rapporten är fastställd och kan inte ändras. Öppna den för ändring först."))
    advance_version(report, form.loaded_version, field="edit_version")
    ensure_parts(report)  # the form was built with report_parts: every row it has a field for now exists
    data = form.cleaned_data
    report.updated_by = user
    # form.instance is `report`: its own fields are already set from the form. Only those are written,
    # never the status or version a concurrent freeze or reopen may just have changed.
    report.save(update_fields=[*form._meta.fields, "edit_version", "updated_by", "updated_at"])
    analyses = [a for a in report.goal_analyses.select_related("goal") if form.goal_field(a) in data]
    for analysis in analyses:
        analysis.text = data[form.goal_field(analysis)]
    GoalAnalysis.objects.bulk_update(analyses, ["text"])
    statuses = [s for s in report.assignment_statuses.select_related("assignment") if form.status_field(s) in data]
    for item in statuses:
        item.status, item.status_text = data[form.status_field(item)], data[form.text_field(item)]
    AssignmentStatus.objects.bulk_update(statuses, ["status", "status_text"])
    _update_current_assignments(report, statuses)
    return report


def _update_current_assignments(report, statuses):
    """The plan's assignments show the latest report's status; an older report does not overwrite it.

    The reports of a year's assignments are those at its meetings after the first and the full-year
    follow-up at the first meeting of the next year (reports/period.py).
    """
    year = report.period().year
    next_first = Meeting.objects.filter(date__year=year + 1).order_by("date").values_list("date", flat=True).first()
    later = Report.objects.filter(meeting__date__gt=report.meeting.date,
                                  meeting__date__lte=next_first or datetime.date(year, 12, 31))
    if later.exists():
        return
    assignments = []
    for item in statuses:
        item.assignment.status, item.assignment.status_text = item.status, item.status_text
        assignments.append(item.assignment)
    SpecialAssignment.objects.bulk_update(assignments, ["status", "status_text"])


def draft_snapshot(report, plan=None, period=None):
    """The live content of a draft report (nothing stored), for its period today unless `period` is given."""
    plan = plan or Plan.objects.current()
    previous = Report.objects.frozen_before(report.meeting.date)
    return build_snapshot(plan, period=period or report.period(), report=report, previous=previous)


def report_snapshot(report):
    """What the report shows: the stored snapshot when frozen, else the live draft."""
    return report.snapshot if report.is_frozen else draft_snapshot(report)


@transaction.atomic
def freeze_report(*, report, user):
    """Store the snapshot, the HTML document, the PDF and the Word file; from now on they are what the report is.

    The numbers are cut off at the meeting date, or at today when the report is frozen before the
    meeting (the usual case); the cut-off used is stored with the report and printed on its cover.
    A full-year follow-up stores 31 December of its year. What the committee was shown is also kept
    as a Publication, which the dashboards compare with.
    """
    report = Report.objects.select_for_update().select_related("meeting").get(pk=report.pk)
    if report.is_frozen:
        raise ReportStateError(_("Rapporten är redan fastställd."))
    now = timezone.now()
    period = report.period(timezone.localdate(now))
    version = report.version + 1
    plan = Plan.objects.current()
    previous = Report.objects.frozen_before(report.meeting.date)
    snapshot = build_snapshot(plan, period=period, report=report, previous=previous, frozen_by=user, frozen_at=now,
                              version=version)
    report.html = render_document(snapshot)
    report.pdf = render_pdf(report.html)
    report.docx = render_docx(snapshot)
    report.snapshot, report.period_end, report.version = snapshot, period.as_of, version
    report.status, report.frozen_at, report.frozen_by = Report.Status.FROZEN, now, user
    report.save()
    ReportLog.objects.create(report=report, action=ReportLog.Action.FROZEN, user=user)
    publish(report)
    return report


def publication_figures(snapshot):
    """{code: {"year", "value", "status", "unit"}}: every indicator row of the report, for the report's year."""
    rows = [row for goal in snapshot["goals"] for row in goal["indicators"]]
    return {row["code"]: {"year": snapshot["year"], "value": row["value"], "status": row["status"],
                          "unit": row["unit"]} for row in rows}


def publish(report):
    """Keep what the committee was shown at the meeting (indicators.models.Publication)."""
    return Publication.objects.create(
        meeting=report.meeting, year=report.snapshot["year"], as_of=report.period_end,
        published_at=report.frozen_at, figures=publication_figures(report.snapshot),
        analyses={str(goal["number"]): goal["analysis"] for goal in report.snapshot.get("goals", [])
                  if goal.get("analysis")},
    )


@transaction.atomic
def reopen_report(*, report, user, reason):
    """Turn a frozen report back into a draft (its numbers are live again); the reason is logged.

    The frozen version (snapshot, HTML, PDF and Word file, as sent) is archived first as a ReportVersion: a
    document that was sent never changes and stays downloadable.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_frozen:
        raise ReportStateError(_("Rapporten är inte fastställd."))
    reason = reason.strip()
    if not reason:
        raise ReportStateError(_("Ange varför rapporten öppnas för ändring."))
    # A report frozen before versions were counted is version 1 (or the one after those archived).
    number = report.version or report.versions.count() + 1
    ReportVersion.objects.create(
        report=report, number=number, frozen_at=report.frozen_at, frozen_by=report.frozen_by,
        period_end=report.period_end, snapshot=report.snapshot, html=report.html,
        pdf=bytes(report.pdf), docx=bytes(report.docx) if report.docx else None,
        reopened_at=timezone.now(), reopened_by=user, reason=reason,
    )
    report.version = number
    report.status, report.frozen_at, report.frozen_by, report.period_end = Report.Status.DRAFT, None, None, None
    report.snapshot, report.html, report.pdf, report.docx = None, "", None, None
    report.updated_by = user
    report.save()
    ReportLog.objects.create(report=report, action=ReportLog.Action.REOPENED, user=user, reason=reason)
    return report
