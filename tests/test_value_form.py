"""Hand-reported values: what staff may enter, and bad input refused in Swedish with nothing saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from tests.factories import IndicatorValueFactory

URL = reverse("indicators:value_create")


def _post(client, **fields):
    data = {"indicator": Indicator.objects.get(code=fields.pop("code", "1.1")).pk, "year": 2026,
            "period": "year", "municipality": "", "value": "91,5", "comment": "Enkät i mars"}
    data.update(fields)
    return client.post(URL, data)


def test_staff_enter_a_value_with_decimal_comma(staff_client, staff_user, plan):
    response = _post(staff_client)
    value = IndicatorValue.objects.get(indicator__code="1.1", year=2026)
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:indicator_detail", args=["1.1"])
    assert value.value == Decimal("91.5")
    assert value.comment == "Enkät i mars"
    assert value.recorded_by == staff_user


def test_the_value_shows_on_the_indicator_page_with_decimal_comma(staff_client, plan):
    _post(staff_client)
    page = staff_client.get(reverse("indicators:indicator_detail", args=["1.1"])).content.decode()
    assert "91,5" in page


@pytest.mark.parametrize(
    "fields, field, message",
    [
        # 8.4 (frisknärvaro) is a share reported by hand.
        ({"code": "8.4", "value": "101"}, "value", "En andel måste ligga mellan 0 och 100 %."),
        ({"code": "8.4", "value": "-1"}, "value", "En andel måste ligga mellan 0 och 100 %."),
        ({"code": "8.6", "value": "-3"}, "value", "Värdet kan inte vara negativt"),
        ({"year": "2030"}, "year", "År 2030 ligger utanför nämndplanens period 2026–2028."),
        ({"year": "2025"}, "year", "År 2025 ligger utanför nämndplanens period 2026–2028."),
        ({"value": "många"}, "value", "Fyll i ett tal."),
        ({"value": ""}, "value", "Det här fältet är obligatoriskt."),
    ],
)
def test_bad_input_is_refused_in_swedish_and_keeps_what_was_typed(staff_client, plan, fields, field, message):
    typed = dict(fields)
    response = _post(staff_client, **fields)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert IndicatorValue.objects.filter(year__gte=2026).count() == 0
    page = response.content.decode()
    assert message.split(" ")[0] in page
    if "value" in typed and typed["value"]:
        assert f'value="{typed["value"]}"' in page


def test_a_second_value_for_the_same_period_is_refused(staff_client, plan):
    _post(staff_client)
    response = _post(staff_client, value="92")
    assert response.status_code == 200
    assert "finns redan" in response.content.decode()
    assert IndicatorValue.objects.get(indicator__code="1.1", year=2026).value == Decimal("91.5")


def test_computed_indicators_are_not_offered_for_hand_entry(staff_client, plan):
    response = _post(staff_client, code="1.2", value="50")
    assert response.status_code == 200
    assert "indicator" in response.context["form"].errors


def test_an_existing_value_cannot_be_moved_onto_a_computed_indicator(staff_client, plan):
    value = IndicatorValueFactory(code="1.1", year=2026, period="t1", value=91)
    response = staff_client.post(reverse("indicators:value_update", args=[value.pk]), {
        "indicator": Indicator.objects.get(code="1.2").pk, "year": 2026, "period": "t1", "value": "50"})
    assert response.status_code == 200 and "indicator" in response.context["form"].errors
    value.refresh_from_db()
    assert value.indicator.code == "1.1"


def test_the_duplicate_message_links_to_the_value_to_change(staff_client, plan):
    _post(staff_client)
    existing = IndicatorValue.objects.get(indicator__code="1.1", year=2026)
    response = _post(staff_client, value="92")
    page = response.content.decode()
    assert "Det finns redan ett värde för indikatorn, året och perioden." in page
    link = f'<a href="{reverse("indicators:value_update", args=[existing.pk])}">Ändra det befintliga värdet (91,5)</a>'
    assert link in page
    assert "Ändra det i stället" not in page


def test_changing_a_value_is_not_a_duplicate_of_itself(staff_client, plan):
    _post(staff_client)
    existing = IndicatorValue.objects.get(indicator__code="1.1", year=2026)
    response = staff_client.post(reverse("indicators:value_update", args=[existing.pk]), {
        "indicator": existing.indicator_id, "year": 2026, "period": "year", "municipality": "", "value": "93,0",
        "comment": "Rättad", "version": existing.version, "reason": "Felskrivet"})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.value == Decimal("93.0")


def test_a_value_for_a_year_that_has_not_begun_is_refused(staff_client, plan, monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 12, 1))
    response = _post(staff_client, year="2027")
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        "Året 2027 har inte börjat: ett värde för det kan rapporteras från 1 januari 2027."]
    assert not IndicatorValue.objects.filter(year=2027).exists()
