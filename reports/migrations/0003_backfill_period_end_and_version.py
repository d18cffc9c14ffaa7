"""Frozen reports get the cut-off they were frozen with (their snapshot's as_of) and their version number
(how many times they were frozen, from the log), before 0004 requires a cut-off on every frozen report."""

import datetime

from django.db import migrations


def backfill(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ReportLog = apps.get_model("reports", "ReportLog")
    for report in Report.objects.select_related("meeting"):
        freezes = ReportLog.objects.filter(report=report, action="frozen").count()
        if report.status == "frozen":
            as_of = (report.snapshot or {}).get("as_of")
            report.period_end = datetime.date.fromisoformat(as_of) if as_of else report.meeting.date
            freezes = max(freezes, 1)
        report.version = freezes
        report.save(update_fields=["period_end", "version"])


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_report_versions_and_period_end"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
