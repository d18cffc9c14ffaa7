"""The contract form's management fields: who manages the contract and the municipalities' contact."""

import pytest
from django.urls import reverse

from nämndplan.models import Municipality
from ops.roles import MEMBER, STAFF
from procurement.models import Contract
from tests.access_register import form_data
from tests.factories import SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_contract_gets_its_manager_and_contact(staff_client, staff_user, plan):
    colleague = UserFactory(username="anna", first_name="Anna", last_name="Ek", role=STAFF)
    UserFactory(username="lars", role=MEMBER)  # may not change contracts: not offered
    UserFactory(username="gone", role=STAFF, is_active=False)
    supplier = SupplierFactory()
    page = staff_client.get(reverse("procurement:contract_create"))
    choices = [label for _value, label in page.context["form"].fields["responsible"].choices]
    assert "Anna Ek" in choices and "uhc-test" in choices
    assert "lars" not in choices and "gone" not in choices
    data = form_data(page)
    data.update({
        "number": "AVT-2026-200", "title": "Städtjänster", "supplier": str(supplier.pk), "contract_class": "A",
        "municipalities": [str(Municipality.objects.get(name="Falun").pk)], "start_date": "2026-05-01",
        "end_date": "2028-04-30", "responsible": str(colleague.pk),
        "municipality_contact": "Karin Berg, Falu kommun, 023-123 45",
    })
    response = staff_client.post(reverse("procurement:contract_create"), data)
    assert response.status_code == 302
    contract = Contract.objects.get(number="AVT-2026-200")
    assert contract.responsible == colleague
    assert contract.municipality_contact == "Karin Berg, Falu kommun, 023-123 45"
