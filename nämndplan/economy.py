"""The economy: saving an economic report with its lines, and the year's result against the budget.

The result against the budgeted result (indicator 8.1, the economy page, the report) is computed
here and nowhere else.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum

from common.locking import advance_version
from nämndplan.models import BudgetLine, EconomicReport, EconomicReportLine


@transaction.atomic
def save_economic_report(*, form, user, instance=None):
    """Save the report and its lines from a valid EconomicReportForm, refused with EditConflict
    (common/locking.py) when someone else saved the report since the form was loaded."""
    data = form.cleaned_data
    report = instance or EconomicReport(plan=form.plan)
    advance_version(report, form.loaded_version)
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


@dataclass(frozen=True)
class Balance:
    """A year's result against the budgeted result of bilaga 2, in tkr (plus = better than budget)."""

    budget_income: Decimal
    budget_result: Decimal
    result: Decimal  # the outcome once the year is over, else the full-year prognosis

    @property
    def deviation(self):
        return self.result - self.budget_result


def balance_by_year(plan, years, as_of):
    """{year: Balance} from the latest economic report of each year dated by `as_of`.

    The budget is the plan's bilaga 2 for the year (each plan also carries the previous year's
    budget), or the report's own budget lines where the plan has none for that year. A report dated
    31 December gives the outcome; any earlier one its full-year prognosis.
    """
    reports = (
        EconomicReport.objects.filter(plan=plan, year__in=years, as_of__lte=as_of)
        .order_by("year", "as_of")
        .prefetch_related("lines__budget_line")
    )
    latest = {report.year: report for report in reports}
    budget = {
        row["year"]: row
        for row in BudgetLine.objects.filter(plan=plan, year__in=years).values("year").annotate(
            income=Sum("amount_tkr", filter=Q(kind=BudgetLine.Kind.INCOME)),
            cost=Sum("amount_tkr", filter=Q(kind=BudgetLine.Kind.COST)),
        ).order_by()
    }
    balances = {}
    for year, report in latest.items():
        totals = report.totals()
        planned = budget.get(year, {"income": totals["budget_income"], "cost": totals["budget_cost"]})
        year_end = report.as_of == datetime.date(year, 12, 31)
        balances[year] = Balance(
            budget_income=planned["income"] or 0,
            budget_result=(planned["income"] or 0) - (planned["cost"] or 0),
            result=totals["outcome_result"] if year_end else totals["prognosis_result"],
        )
    return balances
