"""The meeting calendar as the reports page shows it: the next meeting, a year's meetings with their reports."""

from dataclasses import dataclass

from django.db import transaction

from nämndplan.models import Meeting, Plan
from reports.models import Report
from reports.period import ReportPeriod, meeting_period


@dataclass
class MeetingRow:
    meeting: Meeting
    report: Report | None
    period: ReportPeriod


def _period(meeting, report, first_of_year, plan):
    """What the report at the meeting covers: as frozen, else as it will be on the meeting day."""
    if report is not None and report.is_frozen:
        return report.period()
    return meeting_period(meeting, meeting.date, first_of_year=first_of_year, plan=plan)


def year_rows(year):
    """The year's meetings in date order with their reports (content deferred) and periods: three queries."""
    plan = Plan.objects.current()
    meetings = list(Meeting.objects.filter(date__year=year).order_by("date"))
    reports = {r.meeting_id: r for r in Report.objects.without_content().filter(meeting__in=meetings)}
    for report in reports.values():
        report.meeting = next(m for m in meetings if m.pk == report.meeting_id)
    return [
        MeetingRow(meeting, reports.get(meeting.pk), _period(meeting, reports.get(meeting.pk), i == 0, plan))
        for i, meeting in enumerate(meetings)
    ]


def next_meeting(today):
    """The first meeting on or after `today`, with its report and period; None when none is planned."""
    meeting = Meeting.objects.filter(date__gte=today).order_by("date").first()
    if meeting is None:
        return None
    report = Report.objects.without_content().filter(meeting=meeting).first()
    if report is not None:
        report.meeting = meeting
    return MeetingRow(meeting, report, _period(meeting, report, None, Plan.objects.current()))


@transaction.atomic
def add_meetings(meetings):
    """Store the planned meetings (validated by nämndplan.forms.MeetingCalendarForm), all or none."""
    for meeting in meetings:
        meeting.save()
    return meetings
