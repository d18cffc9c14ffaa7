"""Values within bounds everywhere (common/bounds.py): every number and date a user can type has a plausible
range in the model, the forms and the import refuse what lies outside it in Swedish, and nothing out of range
reaches the database (where it used to give server errors on every page that read it)."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.urls import reverse
from django.utils import timezone, translation

from common import bounds
from indicators.models import Indicator, IndicatorValue
from nämndplan.models import BudgetLine, EconomicReport, Meeting
from procurement.importing import FOLLOW_UPS, build_template, import_register
from procurement.models import ContractFollowUp, Procurement
from tests.factories import CategoryFactory, ContractFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()
BOUND_VALIDATORS = (bounds.DateRange, bounds.YearRange, bounds.AtLeast)


# --- Every field of every model ------------------------------------------------------------------------

# The project's rooms. The import's own app (procurement.importing: its runs and staged rows) holds counters
# the import writes itself, never typed; the staged rows are validated by the register's models.
ROOMS = {"nämndplan", "procurement", "indicators", "reports", "dashboards", "ops"}


def _project_models():
    """The project's own models (not the libraries'), without django-simple-history's copies, which are
    written by the system from a record that was itself validated, never typed."""
    for model in apps.get_models():
        if model._meta.app_config.name.split(".apps")[0] in ROOMS and not hasattr(model, "instance_type"):
            yield model


def _typed_fields(model):
    """Concrete number and date fields a user or a file can give a value: not keys, counters or timestamps."""
    for field in model._meta.concrete_fields:
        if field.primary_key or field.is_relation or not field.editable:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField, models.DateField)):
            yield field


def _bound(field):
    found = [v for v in field.validators if isinstance(v, BOUND_VALIDATORS)]
    return found[0] if found else None


def _just_outside(field, validator):
    """A value one step below the range and one above, in the field's own type."""
    low, high = validator.bounds()
    if isinstance(field, models.DateTimeField):
        noon = datetime.time(12)
        return [timezone.make_aware(datetime.datetime.combine(d, noon)) for d in
                (low - datetime.timedelta(days=1), high + datetime.timedelta(days=1))]
    if isinstance(field, models.DateField):
        return [low - datetime.timedelta(days=1), high + datetime.timedelta(days=1)]
    if isinstance(field, models.DecimalField):
        step = Decimal(1).scaleb(-field.decimal_places)
        return [Decimal(low) - step, Decimal(high) + step]
    return [low - 1, high + 1]


FIELDS = [(model, field) for model in _project_models() for field in _typed_fields(model)]


def test_the_walk_covers_the_fields_of_the_issue():
    names = {f"{model.__name__}.{field.name}" for model, field in FIELDS}
    # 17 typed date fields in the register, plan and reports, and the numbers the issue found unbounded.
    assert {"IndicatorValue.value", "EconomicReportLine.outcome_tkr", "ContractFollowUp.date", "Meeting.date",
            "Procurement.advertised_on", "Contract.end_date", "BudgetLine.amount_tkr"} <= names
    assert len([1 for _model, field in FIELDS if isinstance(field, models.DateField)]) >= 17


def test_every_number_and_date_field_has_a_range():
    unbounded = [f"{model.__name__}.{field.name}" for model, field in FIELDS if _bound(field) is None]
    assert unbounded == [], f"Fält utan gränser i common/bounds.py: {unbounded}"


@pytest.mark.parametrize("model, field", FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in FIELDS])
def test_a_value_just_outside_the_range_is_refused_in_swedish(model, field):
    validator = _bound(field)
    assert validator is not None, f"{model.__name__}.{field.name} saknar gränser"
    others = [f.name for f in model._meta.fields if f.name != field.name]
    for value in _just_outside(field, validator):
        instance = model()
        setattr(instance, field.attname, value)
        with pytest.raises(ValidationError) as refusal, translation.override("sv"):
            instance.clean_fields(exclude=others)
        messages = refusal.value.message_dict.get(field.name, [])
        assert any("måste ligga mellan" in message for message in messages), (model.__name__, field.name, value,
                                                                               messages)


@pytest.mark.parametrize("model, field", FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in FIELDS])
def test_the_range_ends_are_accepted(model, field):
    low, high = _bound(field).bounds()
    others = [f.name for f in model._meta.fields if f.name != field.name]
    for value in (low, high):
        if isinstance(field, models.DateTimeField):
            value = timezone.make_aware(datetime.datetime.combine(value, datetime.time(0 if value == low else 1)))
        instance = model()
        setattr(instance, field.attname, value)
        instance.clean_fields(exclude=others)


@pytest.mark.parametrize("model, field", [(m, f) for m, f in FIELDS if not isinstance(f, models.DateField)],
                         ids=lambda item: getattr(item, "name", getattr(item, "__name__", "")))
def test_a_numbers_range_fits_its_column_on_every_database(model, field):
    """PostgreSQL's integer is 32 bits (Django's base ranges); a decimal must fit its digits and a float."""
    low, high = _bound(field).bounds()
    if isinstance(field, models.DecimalField):
        for end in (Decimal(low), Decimal(high)):
            digits = len(end.quantize(Decimal(1).scaleb(-field.decimal_places)).as_tuple().digits)
            assert digits <= min(field.max_digits, bounds.FLOAT_DIGITS), (field.name, end)
    else:
        column_low, column_high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        assert column_low <= low and high <= column_high, field.name


def test_the_ranges_ahead_follow_today():
    assert bounds.last_date(planned=True, today=D(2026, 5, 31)) == D(2036, 5, 31)
    assert bounds.last_date(planned=False, today=D(2026, 5, 31)) == D(2026, 5, 31)
    assert bounds.last_year(today=D(2026, 5, 31)) == 2036
    with pytest.raises(ValidationError, match="fler siffror"):
        bounds.FloatDigits()(Decimal("1234567890123456"))  # 16 digits: a float keeps 15
    bounds.FloatDigits()(Decimal("123456789012345"))


# --- Indicator values -----------------------------------------------------------------------------------

VALUE_CREATE = reverse("indicators:value_create")


def _value_post(client, code, value, year=2026):
    indicator = Indicator.objects.get(code=code)
    return client.post(VALUE_CREATE, {"indicator": indicator.pk, "year": year, "period": "year",
                                      "municipality": "", "value": value, "comment": ""})


@pytest.mark.parametrize("value, message", [
    ("99999999999999,99", "Värdet måste ligga mellan −999 999 999 999,99 och 999 999 999 999,99."),
    ("12345678901234,56", "Värdet måste ligga mellan −999 999 999 999,99 och 999 999 999 999,99."),
])
def test_a_value_too_large_to_store_is_refused_and_nothing_saved(staff_client, plan, value, message):
    response = _value_post(staff_client, "2.3", value)  # 2.3 is reported by hand in counts
    assert response.status_code == 200
    page = response.content.decode().replace("\xa0", " ").replace("&#x2212;", "−")
    assert message.replace("−", "-") in page.replace("−", "-")
    assert value in page  # what was typed is kept
    assert not IndicatorValue.objects.filter(indicator__code="2.3", year=2026).exists()


@pytest.mark.parametrize("value", ["150", "2147483648", "-1"])
def test_an_index_outside_0_to_100_is_refused(staff_client, plan, value):
    response = _value_post(staff_client, "1.1", value)  # 1.1 NKI is an index
    assert "Ett index (NKI, NAI) måste ligga mellan 0 och 100." in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator__code="1.1", year=2026).exists()


def test_an_index_of_100_is_accepted(staff_client, plan):
    assert _value_post(staff_client, "1.1", "100").status_code == 302
    assert IndicatorValue.objects.get(indicator__code="1.1", year=2026).value == 100


def test_the_largest_value_is_stored_and_read_back_exactly(plan):
    largest = Decimal("999999999999.99")
    value = IndicatorValue(indicator=Indicator.objects.get(code="2.3"), year=2026, value=largest)
    value.full_clean()
    value.save()
    assert IndicatorValue.objects.get(pk=value.pk).value == largest


def test_the_model_refuses_what_the_unit_does_not_allow(plan):
    value = IndicatorValue(indicator=Indicator.objects.get(code="1.1"), year=2026, value=Decimal(150))
    with pytest.raises(ValidationError) as refusal:
        value.full_clean()
    assert refusal.value.message_dict["value"] == ["Ett index (NKI, NAI) måste ligga mellan 0 och 100."]


# --- Economy --------------------------------------------------------------------------------------------

def _economy_data(plan, amount):
    data = {"as_of": "2026-04-30", "comment": ""}
    for line in BudgetLine.objects.filter(plan=plan, year=2026):
        data[f"outcome_{line.pk}"] = "100"
        data[f"prognosis_{line.pk}"] = str(amount)
    return data


@pytest.mark.parametrize("amount", [2**63, 1_000_001])
def test_an_amount_above_what_the_business_allows_is_refused(staff_client, plan, amount):
    response = staff_client.post(reverse("economy:economy_create"), _economy_data(plan, amount))
    assert response.status_code == 200
    assert "Beloppet kan vara högst 1\xa0000\xa0000 tkr." in response.content.decode()
    assert not EconomicReport.objects.exists()


def test_the_largest_amount_is_accepted(staff_client, plan):
    response = staff_client.post(reverse("economy:economy_create"), _economy_data(plan, 1_000_000))
    assert response.status_code == 302
    assert EconomicReport.objects.get().lines.filter(prognosis_tkr=1_000_000).exists()


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31"])
def test_an_economic_report_dated_implausibly_is_refused(staff_client, plan, as_of):
    response = staff_client.post(reverse("economy:economy_create"), {**_economy_data(plan, 100), "as_of": as_of})
    assert response.status_code == 200
    assert "Datumet måste ligga mellan 2000-01-01 och i dag" in response.content.decode()
    assert not EconomicReport.objects.exists()


# --- Dates in the register ------------------------------------------------------------------------------

@pytest.mark.parametrize("date, message", [
    ("0001-01-01", "Datumet måste ligga mellan 2000-01-01 och i dag ({today})."),
    ("1999-12-31", "Datumet måste ligga mellan 2000-01-01 och i dag ({today})."),
    ("9999-12-31", "Datumet måste ligga mellan 2000-01-01 och i dag ({today})."),
])
def test_a_follow_up_dated_implausibly_is_refused(staff_client, plan, date, message):
    contract = ContractFactory(start_date=D(2000, 1, 1))
    response = staff_client.post(reverse("procurement:followup_create"),
                                 {"contract": contract.pk, "date": date, "form": "meeting", "notes": "", "actions": ""})
    assert response.status_code == 200
    assert message.format(today=TODAY.isoformat()) in response.content.decode()
    assert not ContractFollowUp.objects.exists()


def test_an_import_row_with_a_date_out_of_range_is_refused_with_its_row_and_column(plan):
    contract = ContractFactory(number="AV-BOUNDS-1", start_date=D(2026, 1, 1))
    rows = {FOLLOW_UPS: [
        {"contract_number": contract.number, "date": "2026-05-10", "form": "Möte"},
        {"contract_number": contract.number, "date": "9999-12-31", "form": "Möte"},
    ]}
    upload = BytesIO(build_template(rows))
    upload.name = "register.xlsx"
    result = import_register(upload)
    assert not result.saved
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("Uppföljningar", 3, "Datum")]
    assert result.errors[0].message == f"Datumet måste ligga mellan 2000-01-01 och i dag ({TODAY.isoformat()})."
    assert not ContractFollowUp.objects.exists()


# --- Meetings outside the plan's years -------------------------------------------------------------------

@pytest.mark.parametrize("date, message", [
    ("2029-03-01", "Datumet 2029-03-01 ligger utanför nämndplanens år (2021–2028)."),
    ("1900-03-01", "Datumet måste ligga mellan 2000-01-01 och"),
    ("0001-03-01", "Datumet måste ligga mellan 2000-01-01 och"),
])
def test_a_meeting_outside_the_plans_years_is_refused(chief_client, plan, date, message):
    response = chief_client.post(reverse("reports:meeting_create"), {"date": date, "title": ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_plans_history_is_accepted(chief_client, plan):
    response = chief_client.post(reverse("reports:meeting_create"), {"date": "2021-03-01", "title": ""})
    assert response.status_code == 302
    assert Meeting.objects.filter(date=D(2021, 3, 1)).exists()


REPORT_PAGES = ["reports:report_detail", "reports:report_edit", "reports:report_freeze", "reports:report_pdf",
                "reports:report_html", "reports:report_xlsx"]


@pytest.mark.parametrize("date", [D(2029, 3, 1), D(1900, 3, 1), D(1, 3, 1)])
def test_a_stored_meeting_outside_the_plan_is_still_reported(chief_client, plan, fake_pdf, date):
    """A meeting saved before the check (straight into the database) is reported for its own year."""
    report = ReportFactory(meeting=MeetingFactory(date=date))
    for name in REPORT_PAGES:
        response = chief_client.get(reverse(name, args=[report.pk]))
        assert response.status_code == 200, name
    detail = chief_client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert str(date.year) in detail
    response = chief_client.post(reverse("reports:report_freeze", args=[report.pk]), {"confirm": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_frozen and report.snapshot["year"] == date.year
    assert report.snapshot["years"][-1] == date.year
    assert chief_client.get(reverse("reports:meeting_list"), {"ar": date.year}).status_code == 200
    assert chief_client.get(reverse("dashboards:home"), {"ar": date.year, "mote": report.meeting.pk}).status_code == 200


# --- Query parameters -----------------------------------------------------------------------------------

@pytest.mark.parametrize("year", ["99999", "0", "-1", "99999999999999999999", "2026x"])
def test_the_meeting_list_takes_an_implausible_year_as_this_year(member_client, plan, year):
    MeetingFactory(date=D(TODAY.year, 3, 1))
    response = member_client.get(reverse("reports:meeting_list"), {"ar": year})
    assert response.status_code == 200
    assert response.context["year"] == TODAY.year
    assert f"{TODAY.year}-03-01" in response.content.decode()


def test_the_api_takes_the_year_from_until(member_client, plan):
    response = member_client.get(reverse("api:api_data"), {"until": "2026-05-20", "kpi": "1.1"})
    assert response.status_code == 200
    assert [row["period"] for row in response.json()["values"]] == [2026]


@pytest.mark.parametrize("until", ["2029-05-20", "0001-01-01", "9999-12-31"])
def test_the_api_refuses_a_cut_off_outside_the_plan_in_swedish(member_client, plan, until):
    response = member_client.get(reverse("api:api_data"), {"until": until})
    assert response.status_code == 400
    assert response.json() == {"until": "Datumet ligger utanför planens år 2021–2028."}


def test_a_list_shows_at_most_200_rows_a_page(member_client, plan):
    category = CategoryFactory()
    Procurement.objects.bulk_create(
        Procurement(case_number=f"UHC-PAGE-{n}", title="Sida", category=category) for n in range(205)
    )
    response = member_client.get(reverse("procurement:procurement_list"), {"per_page": "100000"})
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == 200
    for per_page in ("-1", "0", "abc"):
        assert member_client.get(reverse("procurement:procurement_list"), {"per_page": per_page}).status_code == 200


def test_a_huge_key_in_a_filter_is_an_unknown_choice_not_a_server_error(member_client, plan):
    for params in ({"municipality": "99999999999999999999"}, {"municipalities": "99999999999999999999"},
                   {"category": "-99999999999999999999"}):
        assert member_client.get(reverse("procurement:procurement_list"), params).status_code == 200

