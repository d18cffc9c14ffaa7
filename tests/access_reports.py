"""Access rules for the meetings and follow-up reports. See tests/test_access.py for how they are walked.

Chosen rules: everyone with a role reads reports, drafts included (read-only preview), their PDF,
Word file and HTML document and the PDFs and Word files of earlier frozen versions; Chef UhC writes,
freezes, reopens and exports to Excel; whoever may add meetings (plan.add_meeting: UhC staff and
Chef UhC) adds meetings, one at a time or a year's on the planning page.
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
    from ops.roles import CHIEF as CHIEF_ROLE
    from reports.services import create_report
    from tests.factories import MeetingFactory, ReportFactory, ReportVersionFactory, UserFactory

    author = UserFactory(username="rapportskrivare", role=CHIEF_ROLE)
    draft_meeting = MeetingFactory(date=datetime.date(2026, 5, 20))
    world["draft_report"], _ = create_report(meeting=draft_meeting, user=author)
    world["frozen_report"] = ReportFactory(
        meeting=MeetingFactory(date=datetime.date(2026, 4, 22)), frozen=True, frozen_by=author,
        snapshot=_snapshot(world["plan"]), version=2,
    )
    ReportVersionFactory(report=world["frozen_report"], period_end=datetime.date(2026, 4, 20))
    world["open_meeting"] = MeetingFactory(date=datetime.date(2026, 6, 10))


def _draft(w):
    return {"pk": w["draft_report"].pk}


def _frozen(w):
    return {"pk": w["frozen_report"].pk}


RULES = {
    "reports:meeting_list": (lambda w: {}, ALL, None),
    "reports:meeting_create": (lambda w: {}, {STAFF, CHIEF}, {STAFF, CHIEF}),
    "reports:meeting_plan": (lambda w: {}, {STAFF, CHIEF}, {STAFF, CHIEF}),
    "reports:report_create": (lambda w: {"meeting_pk": w["open_meeting"].pk}, None, {CHIEF}),
    "reports:report_detail": (_draft, ALL, None),
    "reports:report_edit": (_draft, {CHIEF}, {CHIEF}),
    "reports:report_freeze": (_draft, {CHIEF}, {CHIEF}),
    "reports:report_reopen": (_frozen, {CHIEF}, {CHIEF}),
    "reports:report_pdf": (_frozen, ALL, None),
    "reports:report_version_pdf": (lambda w: {"pk": w["frozen_report"].pk, "number": 1}, ALL, None),
    "reports:report_docx": (_frozen, ALL, None),
    "reports:report_version_docx": (lambda w: {"pk": w["frozen_report"].pk, "number": 1}, ALL, None),
    "reports:report_html": (_frozen, ALL, None),
    "reports:report_xlsx": (_frozen, {CHIEF}, None),
}
