"""Today's register plan fields (`in_procurement_plan`, `planned_completion`) become adopted plans per year,
each procurement a planned procurement adopted on its planned completion and linked to it: 8.2 keeps its data.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from procurement.planning.legacy import plans_from_register

    plans_from_register(
        apps.get_model("procurement", "Procurement"),
        apps.get_model("procurement_plan", "ProcurementPlan"),
        apps.get_model("procurement_plan", "PlannedProcurement"),
    )


class Migration(migrations.Migration):
    dependencies = [("procurement_plan", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
