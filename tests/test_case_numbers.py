"""A case number (diarienummer) is unique regardless of letter case and spaces: "uhc 2020/0010" is "UhC 2020/0010".

Refused by the database, by full_clean and the form (on the case-number field), and by the import (on its row and
column); the demo register never makes two that clash.
"""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count

from procurement.demo import generate
from procurement.forms import ProcurementForm
from procurement.importing import PROCUREMENTS, RowError, build_template, import_register
from procurement.models import CASE_NUMBER_KEY, Procurement
from tests.factories import CategoryFactory, ProcurementFactory

pytestmark = pytest.mark.django_db
TAKEN = "Diarienumret finns redan i registret, med andra stora och små bokstäver eller mellanslag."
EXACTLY_TAKEN = "Diarienumret finns redan i registret."
VARIANTS = ["uhc 2020/0010", "UHC 2020/0010", "UhC2020/0010", "U hC 2020/ 0010"]


@pytest.fixture
def existing(plan):
    return ProcurementFactory(case_number="UhC 2020/0010")


def unsaved(case_number):
    return Procurement(case_number=case_number, title="Städtjänster", category=CategoryFactory(name="Städ"))


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_database_refuses_a_number_differing_only_in_case_or_spaces(existing, variant):
    with pytest.raises(IntegrityError), transaction.atomic():
        unsaved(variant).save()
    assert list(Procurement.objects.values_list("case_number", flat=True)) == ["UhC 2020/0010"]


def test_another_number_is_accepted(existing):
    unsaved("UhC 2020/0011").save()
    assert Procurement.objects.count() == 2


@pytest.mark.parametrize("variant", VARIANTS)
def test_full_clean_refuses_it_on_the_case_number_field(existing, variant):
    with pytest.raises(ValidationError) as refused:
        unsaved(variant).full_clean()
    assert refused.value.message_dict == {"case_number": [TAKEN]}


def test_an_exact_duplicate_keeps_its_own_message_only(existing):
    with pytest.raises(ValidationError) as refused:
        unsaved("UhC 2020/0010").full_clean()
    assert refused.value.message_dict == {"case_number": [EXACTLY_TAKEN]}


def test_editing_a_procurement_keeps_its_own_number(existing):
    existing.case_number = "UHC 2020/0010"  # its own number in other letters: no other record has it
    existing.full_clean()
    existing.save()
    assert Procurement.objects.get().case_number == "UHC 2020/0010"


def form_data(form):
    """What the browser sends for `form` as it is shown (checkboxes left out when not ticked)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False, ""):
            data[name] = [str(v.pk) if hasattr(v, "pk") else str(v) for v in value] if isinstance(
                value, (list, tuple)) else str(value)
    return data


def test_the_form_refuses_it_on_the_field(existing):
    data = form_data(ProcurementForm(instance=existing)) | {"case_number": "uhc 2020/0010", "version": ""}
    form = ProcurementForm(data, instance=Procurement())
    assert not form.is_valid()
    assert form.errors["case_number"] == [TAKEN]
    assert Procurement.objects.count() == 1


def test_the_form_keeps_the_message_for_exactly_the_same_number(existing):
    data = form_data(ProcurementForm(instance=existing)) | {"version": ""}
    form = ProcurementForm(data, instance=Procurement())
    assert not form.is_valid()
    assert form.errors["case_number"] == [EXACTLY_TAKEN]


def procurement_row(case_number):
    return {"case_number": case_number, "title": "Städtjänster", "category": "Städ och lokalvård",
            "municipalities": "Falun", "status": "Planerad"}


def run(*rows):
    """Import the template filled with these procurement rows, as an upload."""
    upload = BytesIO(build_template({PROCUREMENTS: list(rows)}))
    upload.name = "register.xlsx"
    return import_register(upload)


def test_the_import_refuses_a_variant_of_a_number_in_the_register_on_its_row_and_column(existing):
    result = run(procurement_row("UhC 2026/0001"), procurement_row("uhc 2020/0010"))
    assert result.errors == [RowError(PROCUREMENTS, 3, "Diarienummer", TAKEN)]
    assert list(Procurement.objects.values_list("case_number", flat=True)) == ["UhC 2020/0010"]


def test_the_import_refuses_two_rows_of_the_file_with_variants_of_a_number(plan):
    CategoryFactory(name="Städ och lokalvård")
    result = run(procurement_row("UhC 2026/0001"), procurement_row("uhc 2026/ 0001"))
    assert result.errors == [
        RowError(PROCUREMENTS, 3, "Diarienummer", "Diarienumret uhc 2026/ 0001 finns redan på rad 2.")]
    assert not Procurement.objects.exists()


def test_the_demo_register_makes_no_numbers_that_clash(plan):
    generate(seed=7, years=range(2024, 2026), scale=0.2, today=datetime.date(2025, 6, 15))
    keys = Procurement.objects.annotate(key=CASE_NUMBER_KEY).values("key").annotate(n=Count("pk")).order_by()
    assert Procurement.objects.count() > 100
    assert not keys.filter(n__gt=1).exists()
