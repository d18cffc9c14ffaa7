"""Access rules for the meetings and follow-up reports. See tests/test_access.py for how they are walked.

Chosen rules: everyone with a role reads reports, drafts included (read-only preview), their PDF
and HTML document and the PDFs of earlier frozen versions; Chef UhC writes, freezes, reopens and
exports to Excel; whoever may add meetings (plan.add_meeting: UhC staff and Chef UhC) adds meetings.
"""

import datetime

from tests.access import ALL, CHIEF, STAFF

_SNAPSHOT = {}


def _snapshot(plan):
    """Built once per test session: the world is rebuilt for every test and the snapshot is plain data."""
    from reports.snapshot import build_snapshot

    if "data" not in _SNAPSHOT:
        _SNAPSHOT["data"] = build_snapshot(plan, as_of=datetime.date(2026, 4, 22))
    return _SNAPSHOT["data"]


def build(world):
    from django.utils import timezone

    from nämndplan.models import Meeting
    from ops.roles import CHIEF as CHIEF_ROLE
    from reports.models import Report, ReportVersion
    from reports.services import create_report
    from tests.conftest import make_user

    author = make_user("rapportskrivare", CHIEF_ROLE)
    draft_meeting = Meeting.objects.create(date=datetime.date(2026, 5, 20))
    world["draft_report"], _ = create_report(meeting=draft_meeting, user=author)
    frozen_meeting = Meeting.objects.create(date=datetime.date(2026, 4, 22))
    snapshot = _snapshot(world["plan"])
    world["frozen_report"] = Report.objects.create(
        meeting=frozen_meeting, status=Report.Status.FROZEN, snapshot=snapshot,
        html="<!doctype html><html lang=sv><title>Lagrad rapport</title></html>",
        pdf=b"%PDF-1.7 stored", frozen_at=timezone.now(), frozen_by=author,
        period_end=frozen_meeting.date, version=2,
    )
    ReportVersion.objects.create(
        report=world["frozen_report"], number=1, frozen_at=timezone.now(), frozen_by=author,
        period_end=datetime.date(2026, 4, 20), snapshot=snapshot, html="<!doctype html><title>Version 1</title>",
        pdf=b"%PDF-1.7 version 1", reopened_at=timezone.now(), reopened_by=author, reason="Fel siffra.",
    )
    world["open_meeting"] = Meeting.objects.create(date=datetime.date(2026, 6, 10))


def _draft(w):
    return {"pk": w["draft_report"].pk}


def _frozen(w):
    return {"pk": w["frozen_report"].pk}


RULES = {
    "reports:meeting_list": (lambda w: {}, ALL, None),
    "reports:meeting_create": (lambda w: {}, {STAFF, CHIEF}, {STAFF, CHIEF}),
    "reports:report_create": (lambda w: {"meeting_pk": w["open_meeting"].pk}, None, {CHIEF}),
    "reports:report_detail": (_draft, ALL, None),
    "reports:report_edit": (_draft, {CHIEF}, {CHIEF}),
    "reports:report_freeze": (_draft, {CHIEF}, {CHIEF}),
    "reports:report_reopen": (_frozen, {CHIEF}, {CHIEF}),
    "reports:report_pdf": (_frozen, ALL, None),
    "reports:report_version_pdf": (lambda w: {"pk": w["frozen_report"].pk, "number": 1}, ALL, None),
    "reports:report_html": (_frozen, ALL, None),
    "reports:report_xlsx": (_frozen, {CHIEF}, None),
}
