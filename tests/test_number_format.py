"""One Swedish number format everywhere: common/formatting.py, the `fmt` filter, the register's tables,
Excel number formats and the economy page's figures and words."""

import datetime
from decimal import Decimal
from io import BytesIO

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from common.formatting import format_as_written, format_number
from common.xlsx import INTEGER_FORMAT, Formatted, Sheet, unit_format, write_workbook
from indicators.economy_views import ReportFigures
from nämndplan.models import BudgetLine
from procurement.tables import AmountColumn, NumberColumn, RegisterTable
from tests.factories import EconomicReportFactory

NBSP, MINUS = "\xa0", "\u2212"


# --- format_number ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0, None, "0"),
        (24859, None, f"24{NBSP}859"),
        (1436, "count", f"1{NBSP}436"),
        (Decimal("9.40"), None, "9,4"),  # a stored DecimalField's trailing zeros are not shown
        (Decimal("1.234"), None, "1,23"),
        (None, "percent", "–"),
        # kronor without öre: 6 678 249,3 → 6 678 249 (half up), a float as written, not 6678249.29999…
        (6678249.3, "sek", f"6{NBSP}678{NBSP}249 kr"),
        (Decimal("6678249.5"), "sek", f"6{NBSP}678{NBSP}250 kr"),
        (12345, "tkr", f"12{NBSP}345 tkr"),
        # shares always with one decimal: 56,2; 5 → 5,0; 56.00 from the database → 56,0; 1,25 → 1,3 (half up)
        (Decimal("56.2"), "percent", "56,2 %"),
        (5, "percent", "5,0 %"),
        (Decimal("56.00"), "percent", "56,0 %"),
        (Decimal("1.25"), "percent", "1,3 %"),
        (Decimal("1234.5"), "percent", f"1{NBSP}234,5 %"),
        # a real minus sign (U+2212), also after grouping; a value that rounds to zero has none
        (-425, "tkr", f"{MINUS}425 tkr"),
        (Decimal("-1.71"), "deviation", f"{MINUS}1,7 %"),
        (Decimal("-24859"), None, f"{MINUS}24{NBSP}859"),
        (Decimal("-0.04"), "percent", "0,0 %"),
        (58, "hours", "58 h"),
        (Decimal("53.3"), "hours", "53,3 h"),
    ],
)
def test_format_number_writes_swedish_numbers(value, unit, expected):
    assert format_number(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(80, "percent", "80 %"), (Decimal("3.0"), "deviation", "3 %"), (Decimal("62.5"), "percent", "62,5 %"),
     (1250000, "sek", f"1{NBSP}250{NBSP}000 kr"), (None, "percent", "–")],
)
def test_a_number_the_plan_wrote_keeps_only_its_own_decimals(value, unit, expected):
    assert format_as_written(value, unit) == expected


def test_an_amount_with_ore_keeps_its_decimals_when_asked():
    assert format_number(Decimal("1234.5"), "sek", decimals=2) == f"1{NBSP}234,50 kr"


def test_the_template_filter_is_the_same_rule_in_every_room():
    context = Context({"hits": 1436, "share": Decimal("5")})
    for library in ("number_tags", "indicator_tags"):
        template = Template("{% load " + library + " %}{{ hits|fmt }} / {{ share|fmt:'percent' }}")
        assert template.render(context) == f"1{NBSP}436 / 5,0 %"


# --- The register's tables --------------------------------------------------------------------------

class CountTable(RegisterTable):
    name = tables.Column()
    bids = NumberColumn("Anbud")
    value = AmountColumn("Årsvärde (kr)")
    caption = "Upphandlingar"
    export = [("name", "Namn"), ("bids", "Anbud"), ("value", "Årsvärde (kr)")]

    class Meta(RegisterTable.Meta):
        pass


def _table(rows, per_page=25):
    request = RequestFactory().get("/register/upphandlingar/")
    table = CountTable(rows)
    tables.RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    return table, request


def test_the_hit_count_and_the_pages_are_grouped():
    # 1 436 rows in memory (no database): 58 pages of 25, the last page shows rows 1 426–1 436.
    rows = [{"name": f"P{i}", "bids": i, "value": Decimal(i * 1000)} for i in range(1436)]
    table, request = _table(rows)
    table.paginate(page=58, per_page=25)
    html = Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )
    assert f"1{NBSP}436 träffar, sida 58 av 58" in html
    assert f"Visar 1{NBSP}426–1{NBSP}436 av 1{NBSP}436." in html
    assert "1436" not in html


def test_one_hit_is_singular():
    table, request = _table([{"name": "P", "bids": 1, "value": None}])
    html = Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )
    assert "(1 träff)" in html


def test_count_and_amount_cells_are_grouped_on_the_page_and_numbers_in_the_export():
    table, _request = _table([{"name": "P", "bids": 1234, "value": Decimal("6678249")}])
    row = table.rows[0]
    assert row.get_cell("bids") == f"1{NBSP}234"
    assert row.get_cell("value") == f"6{NBSP}678{NBSP}249"
    ws = load_workbook(BytesIO(write_workbook([table.as_sheet("Upphandlingar")]))).active
    assert ws["B2"].value == 1234 and ws["B2"].data_type == "n" and ws["B2"].number_format == INTEGER_FORMAT
    assert ws["C2"].value == 6678249 and ws["C2"].number_format == INTEGER_FORMAT


# --- Excel -------------------------------------------------------------------------------------------

def test_excel_cells_keep_the_number_and_show_the_unit_as_the_pages_do():
    rows = [["1.2", Formatted(Decimal("56.2"), unit_format("percent")), 2026],
            ["2.4", Formatted(9722000, unit_format("sek")), 2026]]
    ws = load_workbook(BytesIO(write_workbook([Sheet("Blad", ["Kod", "Värde", "År"], rows)]))).active
    assert ws["B2"].value == 56.2 and ws["B2"].data_type == "n"  # 56,2 stays 56,2, not 0,562 or text
    assert ws["B2"].number_format == '#,##0.0" %"'
    assert ws["B3"].value == 9722000 and ws["B3"].number_format == '#,##0" kr"'
    assert ws["C2"].value == 2026 and ws["C2"].number_format == "General"  # a year is never grouped


# --- The economy page ---------------------------------------------------------------------------------

class _Report:
    def __init__(self, **totals):
        self._totals = totals

    def totals(self):
        return self._totals


def test_the_economy_figures_are_the_prognosis_its_share_and_the_deviation():
    # Budgeted income 100 000 tkr, budgeted result 4 000 tkr, prognosis 5 000 tkr:
    # the prognosis is 5 000 / 100 000 = 5,0 % of income; it beats the budget by 1 000 tkr = 1,0 % (8.1).
    figures = ReportFigures.of(_Report(budget_income=100_000, budget_result=4_000, prognosis_result=5_000))
    assert figures.prognosis.deviation == 1_000
    assert format_number(figures.result_share, "percent") == "5,0 %"
    assert format_number(figures.deviation_share, "deviation") == "1,0 %"


def test_without_a_budgeted_income_there_is_no_share():
    figures = ReportFigures.of(_Report(budget_income=0, budget_result=0, prognosis_result=10))
    assert figures.result_share is None and format_number(figures.deviation_share, "percent") == "–"


@pytest.mark.django_db
def test_the_economy_page_names_each_figure_for_what_it_is(member_client, plan):
    # Bilaga 2 for 2026: income 24 859, costs 23 859 → budgeted result 1 000 tkr. The prognosis keeps every
    # line at budget but one cost 425 tkr higher: result 575 tkr = 575 / 24 859 = 2,31 % → 2,3 % of income;
    # deviation 575 − 1 000 = −425 tkr = −1,71 % → −1,7 % of budgeted income (8.1).
    extra_cost = BudgetLine.objects.filter(plan=plan, year=2026, kind=BudgetLine.Kind.COST).first()

    def lines(line):
        prognosis = line.amount_tkr + (425 if line == extra_cost else 0)
        return line.amount_tkr // 2, prognosis

    EconomicReportFactory(as_of=datetime.date(2026, 6, 30), lines=lines)
    page = member_client.get(reverse("economy:economy_list")).content.decode()
    cells = [
        ("Budgeterat resultat (tkr)", f"1{NBSP}000"),
        ("Resultat, helårsprognos (tkr)", "575"),
        ("Helårsprognosens resultat i procent av budgeterade intäkter", "2,3 %"),
        ("Avvikelse från budgeterat resultat (tkr)", f"{MINUS}425"),
        ("Avvikelse från budgeterat resultat i procent av budgeterade intäkter", f"{MINUS}1,7 %"),
    ]
    headers = page.split("<thead>")[1].split("</thead>")[0]
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    for header, cell in cells:
        assert f">{header}</th>" in headers
        assert f'<td class="num">{cell}</td>' in body
    # The headline is 8.1 itself: the deviation, the same −1,7 %, and not called the prognosis.
    assert f"i procent av budgeterade intäkter): <strong>{MINUS}1,7 %</strong> (2026)" in page
    assert f'<td class="num">{format_number(24859)}</td>' in body  # income prognosis, grouped
