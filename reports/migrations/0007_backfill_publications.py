"""The figures shown at each meeting so far, from the frozen reports and their archived versions.

From now on freezing a report writes its Publication (reports/services.py); this gives the reports
frozen before that one too, so "sedan förra sammanträdet" has something to compare with at once.
"""

from django.db import migrations


def figures(snapshot):
    return {
        row["code"]: {"year": snapshot["year"], "value": row["value"], "status": row["status"], "unit": row["unit"]}
        for goal in snapshot.get("goals", [])
        for row in goal["indicators"]
    }


def backfill(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ReportVersion = apps.get_model("reports", "ReportVersion")
    Publication = apps.get_model("indicators", "Publication")
    shown = [
        (v.report.meeting_id, v.period_end, v.frozen_at, v.snapshot)
        for v in ReportVersion.objects.select_related("report").iterator()
    ]
    shown += [
        (r.meeting_id, r.period_end, r.frozen_at, r.snapshot)
        for r in Report.objects.filter(status="frozen").iterator()
    ]
    Publication.objects.bulk_create([
        Publication(meeting_id=meeting, year=snapshot["year"], as_of=as_of, published_at=at, figures=figures(snapshot))
        for meeting, as_of, at, snapshot in shown
        if snapshot and as_of and at
    ])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_edit_version_and_bounds"),
        ("indicators", "0005_known_from_and_publication"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
