"""Hand-reported figures and an economic report for the local demo, so every page has something to show.

They stand for what UhC staff would report (NKI, NAI, staff figures, deviations, the economy).
"""

import datetime
from decimal import Decimal

from indicators.models import PERIOD_END, Indicator, IndicatorValue, Period
from nämndplan.models import BudgetLine, EconomicReport, EconomicReportLine

REPORTED_AFTER_DAYS = 14

# code -> [(year, period, value, comment)]; periods after the demo's "today" are skipped.
DEMO_VALUES = {
    # 8.3 takes its values from 1.1 (Indicator.value_from): the one NKI is entered once, here.
    "1.1": [(2025, Period.YEAR, "91.4", "Ny mätning och nya frågor 2025.")],
    "3.3": [(2025, Period.YEAR, "78", "Nollmätning: enkät i 7 upphandlingar."),
            (2026, Period.T2, "81", "Enkät i 5 upphandlingar hittills.")],
    "8.4": [(2025, Period.YEAR, "62", "Andel som använt friskvårdsbidraget."), (2026, Period.T2, "66", "")],
    "8.5": [(2025, Period.YEAR, "4.8", "Total sjukfrånvaro i procent."), (2026, Period.T2, "4.1", "")],
    "8.6": [(2025, Period.YEAR, "82", "Timmar per anställd."), (2026, Period.T1, "27", ""),
            (2026, Period.T2, "58", "")],
    "8.7": [(2025, Period.YEAR, "0", "Inga väsentliga avvikelser"),
            (2026, Period.T2, "0", "Inga väsentliga avvikelser")],
}


def add_demo_values(plan, today):
    """Create the demo's hand-reported values and economic report; existing ones are left alone."""
    indicators = {i.code: i for i in Indicator.objects.of_plan(plan).filter(code__in=DEMO_VALUES)}
    for code, rows in DEMO_VALUES.items():
        for year, period, value, comment in rows:
            period_end = datetime.date(year, *PERIOD_END[period])
            if period_end > today:
                continue
            # Reported two weeks after the period ended, as UhC staff would.
            known_from = min(period_end + datetime.timedelta(days=REPORTED_AFTER_DAYS), today)
            IndicatorValue.objects.get_or_create(
                indicator=indicators[code], year=year, period=period, municipality=None,
                defaults={"value": Decimal(value), "comment": comment, "known_from": known_from},
            )
    as_of = datetime.date(today.year, 8, 31)
    if as_of > today or EconomicReport.objects.filter(as_of=as_of).exists():
        return
    report = EconomicReport.objects.create(
        plan=plan, year=as_of.year, as_of=as_of, comment="Prognosen bygger på utfallet efter augusti."
    )
    for line in BudgetLine.objects.filter(plan=plan, year=as_of.year):
        # Outcome two thirds into the year; costs forecast 1 % under budget.
        prognosis = line.amount_tkr if line.kind == BudgetLine.Kind.INCOME else round(line.amount_tkr * 0.99)
        EconomicReportLine.objects.create(
            report=report, budget_line=line, outcome_tkr=round(line.amount_tkr * 8 / 12), prognosis_tkr=prognosis
        )
