"""The analysis per goal shown at each meeting so far (Publication.analyses), from the frozen reports.

Freezing now stores it (reports/services.py publish); this gives the publications written before the
analyses what their reports said, so meeting mode shows it for those meetings too. A publication is
matched to its report by meeting and time of freezing.
"""

from django.db import migrations


def analyses(snapshot):
    return {str(goal["number"]): goal["analysis"] for goal in (snapshot or {}).get("goals", []) if goal.get("analysis")}


def backfill(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ReportVersion = apps.get_model("reports", "ReportVersion")
    Publication = apps.get_model("indicators", "Publication")
    frozen = {(v.report.meeting_id, v.frozen_at): v.snapshot
              for v in ReportVersion.objects.select_related("report").iterator()}
    frozen |= {(r.meeting_id, r.frozen_at): r.snapshot for r in Report.objects.filter(status="frozen").iterator()}
    changed = []
    for publication in Publication.objects.iterator():
        texts = analyses(frozen.get((publication.meeting_id, publication.published_at)))
        if texts:
            publication.analyses = texts
            changed.append(publication)
    Publication.objects.bulk_update(changed, ["analyses"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_report_docx_reportversion_docx"),
        ("indicators", "0009_publication_analyses"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
