from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0003_backfill_period_end_and_version"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='report',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'draft'), models.Q(('frozen_at__isnull', False), ('snapshot__isnull', False), ('pdf__isnull', False), ('period_end__isnull', False)), _connector='OR'), name='report_frozen_has_content', violation_error_message='En fastställd rapport måste ha sitt innehåll sparat.'),
        ),
    ]
