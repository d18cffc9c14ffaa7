"""One measurement for two indicators (8.3 takes 1.1's NKI), baseline years and values in another unit."""

import datetime
import json
import logging
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from indicators.results import indicator_results
from indicators.targets import Status
from nämndplan.loading import load_plan, read_plan_file
from tests.factories import IndicatorValueFactory, ProcurementFactory

pytestmark = pytest.mark.django_db
D = datetime.date
END_2026 = D(2026, 12, 31)


def _page(client, code):
    return client.get(reverse("indicators:indicator_detail", args=[code])).content.decode()


def _year_row(page, year):
    """The year's row of the indicator page's table of values."""
    return re.search(rf'<tr>\s*<th scope="row">{year}</th>(.*?)</tr>', page, re.S).group(1)


# --- 8.3 takes its values from 1.1 ----------------------------------------------------------------------

def test_nki_entered_once_for_1_1_is_met_under_both_indicators(plan, member_client):
    IndicatorValueFactory(code="1.1", year=2025, value=Decimal("91.4"))
    results = indicator_results(plan, as_of=END_2026)
    for code in ("1.1", "8.3"):
        result = results[code].for_year(2025)
        assert (result.value, result.status) == (Decimal("91.4"), Status.MET), code  # 91,4 > 90
    for code in ("1.1", "8.3"):
        row = _year_row(_page(member_client, code), 2025)
        assert "91,4" in row and "Uppfyllt" in row, code


def test_8_3_shows_exactly_1_1s_values_and_not_its_own(plan):
    # A value left on 8.3 itself (e.g. from before value_from) is not used.
    IndicatorValue.objects.create(indicator=Indicator.objects.get(code="8.3"), year=2025, value=Decimal("50"))
    IndicatorValueFactory(code="1.1", year=2025, value=Decimal("91.4"))
    series = indicator_results(plan, as_of=END_2026)["8.3"]
    assert {y: r.value for y, r in series.years.items() if r.value is not None} == {
        2021: Decimal("88.1"), 2022: Decimal("89.9"), 2023: Decimal("86.6"), 2024: Decimal("93.0"),
        2025: Decimal("91.4")}


def _queries(plan, code):
    indicators = Indicator.objects.filter(code=code).prefetch_related("targets", "values")
    with CaptureQueriesContext(connection) as queries:
        indicator_results(plan, as_of=END_2026, indicators=indicators)
    return len(queries)


def test_taking_another_indicators_values_costs_one_query_whatever_the_prefetch(plan):
    assert _queries(plan, "8.3") == _queries(plan, "1.1") + 1


def test_the_8_3_page_says_it_is_the_same_measurement_with_a_link(member_client, plan):
    page = _page(member_client, "8.3")
    assert f'<a href="{reverse("indicators:indicator_detail", args=["1.1"])}">Samma mätning som 1.1</a>' in page


def test_the_value_form_does_not_offer_8_3(staff_client, plan):
    form = staff_client.get(reverse("indicators:value_create")).context["form"]
    offered = set(form.fields["indicator"].queryset.values_list("code", flat=True))
    assert "1.1" in offered and "8.3" not in offered
    response = staff_client.post(reverse("indicators:value_create"), {
        "indicator": Indicator.objects.get(code="8.3").pk, "year": 2026, "period": "year", "value": "91"})
    assert response.status_code == 200 and "indicator" in response.context["form"].errors
    assert not IndicatorValue.objects.filter(indicator__code="8.3").exists()


def test_reporting_for_8_3_opens_the_form_for_1_1(staff_client, plan):
    form = staff_client.get(reverse("indicators:value_create_for", args=["8.3"])).context["form"]
    assert form.initial["indicator"] == Indicator.objects.get(code="1.1")


def test_a_new_value_for_an_indicator_taking_anothers_values_is_refused_by_the_model(plan):
    value = IndicatorValue(indicator=Indicator.objects.get(code="8.3"), year=2026, value=Decimal("91"))
    with pytest.raises(ValidationError) as refused:
        value.full_clean()
    assert refused.value.message_dict["indicator"] == ["8.3 hämtar sitt värde från 1.1: rapportera värdet där."]


@pytest.mark.parametrize("code, source, message", [
    ("1.1", "1.1", "En indikator kan inte hämta sitt värde från sig själv."),
    ("3.3", "1.2", "Värdet kan bara hämtas från en indikator som rapporteras in för hand."),
    ("3.3", "8.3", "8.3 hämtar själv sitt värde från en annan indikator: välj den i stället."),
    ("3.3", "8.4", "8.4 mäts i en annan enhet (procent)."),
    ("1.1", "3.3", "Andra indikatorer hämtar sitt värde från den här: den kan inte själv hämta från en annan."),
])
def test_value_from_must_be_a_manual_indicator_that_takes_from_no_other(plan, code, source, message):
    indicator = Indicator.objects.get(code=code)
    indicator.value_from = Indicator.objects.get(code=source)
    with pytest.raises(ValidationError) as refused:
        indicator.clean()
    assert refused.value.message_dict["value_from"] == [message]


def test_reloading_removes_8_3s_old_copies_of_1_1s_values_and_keeps_one_that_differs(plan, caplog):
    nki = Indicator.objects.get(code="8.3")
    same = IndicatorValue.objects.create(indicator=nki, year=2024, value=Decimal("93.0"))  # as 1.1's 2024
    other = IndicatorValue.objects.create(indicator=nki, year=2023, value=Decimal("80.0"))  # 1.1 has 86,6
    with caplog.at_level(logging.WARNING, logger="indicators.loading"):
        load_plan(read_plan_file())
    assert list(nki.values.values_list("pk", flat=True)) == [other.pk]
    assert not IndicatorValue.objects.filter(pk=same.pk).exists()
    assert "8.3 hämtar sina värden från 1.1" in caplog.text and "2023" in caplog.text


# --- Baselines --------------------------------------------------------------------------------------------

def test_3_2s_2025_is_a_baseline_even_with_register_data(plan, member_client):
    ProcurementFactory(case_number="UH-2025-1", status="completed", advertised_on=D(2025, 2, 1),
                       awarded_on=D(2025, 4, 1), completed_on=D(2025, 5, 1), bidders_contacted=True)
    result = indicator_results(plan, as_of=END_2026)["3.2"].for_year(2025)
    # 1 procurement with bidders contacted; the target "at least 50" would say not met.
    assert (result.value, result.status, str(result.status_label)) == (1, Status.BASELINE, "Nollmätning")
    assert "Nollmätning" in _year_row(_page(member_client, "3.2"), 2025)


def test_3_3s_2025_is_a_baseline(plan):
    IndicatorValueFactory(code="3.3", year=2025, value=78)
    result = indicator_results(plan, as_of=END_2026)["3.3"].for_year(2025)
    assert (result.value, result.status) == (78, Status.BASELINE)


@pytest.mark.parametrize("value_2026, status", [(66, Status.MET), (62, Status.NOT_MET)])
def test_an_increase_after_the_baseline_is_judged_against_the_baseline_value(plan, value_2026, status):
    # 8.4 (friskvårdsbidrag): target "increase" from 2025, baseline 2025 = 62 %.
    IndicatorValueFactory(code="8.4", year=2025, value=62)
    IndicatorValueFactory(code="8.4", year=2026, value=value_2026)
    series = indicator_results(plan, as_of=END_2026)["8.4"]
    assert series.for_year(2025).status == Status.BASELINE
    assert series.for_year(2026).status == status  # 66 > 62 met; 62 is no increase


# --- A value in another unit ------------------------------------------------------------------------------

def test_8_6s_percent_history_is_shown_in_percent_and_not_comparable(plan, member_client):
    result = indicator_results(plan, as_of=END_2026)["8.6"].for_year(2024)
    assert (result.value, result.unit, result.status) == (85, "percent", Status.NOT_COMPARABLE)
    row = _year_row(_page(member_client, "8.6"), 2024).replace("\xa0", " ")
    assert "85,0 %" in row and "Ej jämförbart" in row and "85 h" not in row


def test_a_value_in_another_unit_is_not_the_previous_year_of_an_increase(plan):
    # 5.4 (företagsklimat, increase): 2,7 in 2025 after 2,7 in 2024 is no increase, unless 2024 is not comparable.
    assert indicator_results(plan, as_of=END_2026)["5.4"].for_year(2025).status == Status.NOT_MET
    IndicatorValue.objects.filter(indicator__code="5.4", year=2024).update(unit="index")
    series = indicator_results(plan, as_of=END_2026)["5.4"]
    assert series.for_year(2024).status == Status.NOT_COMPARABLE
    assert series.for_year(2025).status == Status.NO_VALUE  # nothing comparable to compare with


def test_the_new_statuses_have_their_own_icons_and_words():
    baseline = render_to_string("partials/status.html", {"status": "baseline", "label": "Nollmätning"})
    other = render_to_string("partials/status.html", {"status": "not_comparable", "label": "Ej jämförbart"})
    assert "status--baseline" in baseline and "◎" in baseline and "Nollmätning" in baseline
    assert "status--not_comparable" in other and "≠" in other and "Ej jämförbart" in other


def test_the_export_gives_the_new_statuses_as_their_values(plan):
    IndicatorValueFactory(code="3.3", year=2025, value=78)

    def rows(year):
        out = StringIO()
        call_command("export_indicators", "--year", str(year), stdout=out)
        return {row["code"]: row for row in json.loads(out.getvalue())}

    assert rows(2025)["3.3"]["status"] == "baseline"
    assert rows(2024)["8.6"]["status"] == "not_comparable"
    assert rows(2024)["8.6"]["status_label"] == "Ej jämförbart"
