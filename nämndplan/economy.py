"""Saving an economic report with all its lines in one transaction."""

from django.db import transaction

from nämndplan.models import EconomicReport, EconomicReportLine


@transaction.atomic
def save_economic_report(*, form, user, instance=None):
    data = form.cleaned_data
    report = instance or EconomicReport(plan=form.plan)
    report.year, report.as_of, report.comment, report.recorded_by = (
        data["as_of"].year, data["as_of"], data["comment"], user,
    )
    report.save()
    report.lines.exclude(budget_line__in=form.budget_lines).delete()
    for line in form.budget_lines:
        EconomicReportLine.objects.update_or_create(
            report=report,
            budget_line=line,
            defaults={"outcome_tkr": data[f"outcome_{line.pk}"], "prognosis_tkr": data[f"prognosis_{line.pk}"]},
        )
    return report
