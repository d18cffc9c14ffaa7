"""Case numbers unique regardless of letter case and spaces ("uhc 2020/0010" is "UhC 2020/0010").

A register that already holds such variants is not changed: the migration stops and names them, to be
corrected (one of them renamed or merged) before it runs again.
"""

from django.db import migrations, models
from django.db.models.functions import Replace, Upper


def refuse_existing_variants(apps, schema_editor):
    Procurement = apps.get_model("procurement", "Procurement")
    key = Upper(Replace("case_number", models.Value(" "), models.Value("")))
    clashing = (Procurement.objects.annotate(key=key).values("key").annotate(n=models.Count("pk"))
                .filter(n__gt=1).values_list("key", flat=True))
    variants = [
        ", ".join(Procurement.objects.annotate(key=key).filter(key=k).order_by("case_number")
                  .values_list("case_number", flat=True))
        for k in clashing
    ]
    if variants:
        raise RuntimeError(
            "Diarienummer som bara skiljer sig i stora och små bokstäver eller mellanslag måste rättas först: "
            + "; ".join(variants)
        )


class Migration(migrations.Migration):

    dependencies = [
        ("procurement", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_variants, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="procurement",
            constraint=models.UniqueConstraint(
                Upper(Replace("case_number", models.Value(" "), models.Value(""))),
                name="procurement_case_number_unique_regardless_of_case",
                violation_error_code="case_number_taken",
                violation_error_message=(
                    "Diarienumret finns redan i registret, med andra stora och små bokstäver eller mellanslag."
                ),
            ),
        ),
    ]
