"""Economic follow-up: outcome and prognosis per budget line, entered by UhC staff."""

import datetime

import pytest
from django.urls import reverse

from nämndplan.models import BudgetLine, EconomicReport

pytestmark = pytest.mark.django_db


def _data(plan, as_of="2026-04-30", **overrides):
    data = {"as_of": as_of, "comment": "Prognos efter tertial 1"}
    for line in BudgetLine.objects.filter(plan=plan, year=2026):
        data[f"outcome_{line.pk}"] = str(line.amount_tkr // 3)
        data[f"prognosis_{line.pk}"] = str(line.amount_tkr)
    data.update(overrides)
    return data


def test_staff_enter_an_economic_report_with_every_budget_line(staff_client, staff_user, plan):
    response = staff_client.post(reverse("economy:economy_create"), _data(plan))
    assert response.status_code == 302
    report = EconomicReport.objects.get()
    assert report.as_of == datetime.date(2026, 4, 30) and report.recorded_by == staff_user
    totals = report.totals()
    assert totals["budget_income"] == 24859 and totals["prognosis_income"] == 24859
    assert report.lines.count() == 6


def test_a_negative_amount_is_refused_and_nothing_saved(staff_client, plan):
    line = BudgetLine.objects.filter(plan=plan, year=2026).first()
    response = staff_client.post(reverse("economy:economy_create"), _data(plan, **{f"outcome_{line.pk}": "-5"}))
    assert response.status_code == 200
    assert "Beloppet kan inte vara negativt." in response.content.decode()
    assert 'value="-5"' in response.content.decode()
    assert not EconomicReport.objects.exists()


def test_a_date_outside_the_plan_is_refused(staff_client, plan):
    # 2025 has passed (an outcome is never dated ahead, common/bounds.py) but lies before the plan.
    response = staff_client.post(reverse("economy:economy_create"), _data(plan, as_of="2025-04-30"))
    assert "Datumet måste ligga inom nämndplanens period 2026–2028." in response.content.decode()
    assert not EconomicReport.objects.exists()


def test_the_same_date_twice_is_refused(staff_client, plan):
    staff_client.post(reverse("economy:economy_create"), _data(plan))
    response = staff_client.post(reverse("economy:economy_create"), _data(plan))
    assert "Det finns redan en ekonomisk uppföljning för det datumet." in response.content.decode()
    assert EconomicReport.objects.count() == 1


def test_the_list_shows_the_prognosis_result(member_client, staff_client, plan):
    staff_client.post(reverse("economy:economy_create"), _data(plan))
    page = member_client.get(reverse("economy:economy_list")).content.decode()
    # Prognosis result: income 24 859 − costs 23 859 (bilaga 2 as written) = 1 000 tkr.
    assert "1\xa0000" in page or "1 000" in page
    # 8.1 is the deviation from the budgeted result, and the page says so (not "the prognosis in per cent").
    assert "Ekonomi i balans i år (avvikelse från budgeterat resultat, i procent av budgeterade intäkter):" in page
    assert "prognostiserat resultat i procent" not in page


def test_a_report_cannot_move_to_another_year(staff_client, plan):
    staff_client.post(reverse("economy:economy_create"), _data(plan))
    report = EconomicReport.objects.get()
    response = staff_client.post(reverse("economy:economy_update", args=[report.pk]), _data(plan, as_of="2025-04-30"))
    assert "kan inte flyttas till ett annat år" in response.content.decode()
    report.refresh_from_db()
    assert report.as_of == datetime.date(2026, 4, 30)
