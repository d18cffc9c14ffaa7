"""Two people editing the same record: the second save is refused with a message, keeps what was
typed and shows what the other person changed; the database keeps the first save."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from ops.roles import STAFF
from procurement.models import Contract, Procurement
from procurement.services import EditConflict, save_versioned
from tests.access_register import form_data
from tests.factories import ContractFactory, ContractFollowUpFactory, ProcurementFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
CONFLICT_MESSAGE = (
    "Någon annan har ändrat posten medan du redigerade den. Dina ändringar är inte sparade: "
    "jämför med den aktuella versionen och spara igen."
)


@pytest.fixture
def anna(plan):
    return UserFactory(username="anna", role=STAFF, first_name="Anna", last_name="Andersson")


@pytest.fixture
def bo(plan):
    return UserFactory(username="bo", role=STAFF, first_name="Bo", last_name="Berg")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_second_of_two_procurement_edits_is_refused_and_keeps_what_was_typed(anna, bo):
    dala, falu = SupplierFactory(name="Dala Städ AB"), SupplierFactory(name="Falu Bygg AB")
    procurement = ProcurementFactory(case_number="UHC-2026-080", bids=[dala], title="Städ", status="advertised",
                                     advertised_on=D(2026, 3, 1))
    url = reverse("procurement:procurement_update", args=[procurement.pk])
    annas_client, bos_client = _client(anna), _client(bo)
    annas_form, bos_form = form_data(annas_client.get(url)), form_data(bos_client.get(url))
    assert annas_form["version"] == bos_form["version"] == "1"

    annas_form["title"] = "Städtjänster (Annas rättelse)"
    assert annas_client.post(url, annas_form).status_code == 302

    bos_form.update({"title": "Städtjänster för skolor", "bids-0-awarded": "on", "bids-1-supplier": falu.org_number,
                     "status": "awarded", "awarded_on": "2026-05-01"})
    response = bos_client.post(url, bos_form)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [CONFLICT_MESSAGE]
    page = response.content.decode()
    assert CONFLICT_MESSAGE in page
    assert 'value="Städtjänster för skolor"' in page  # Bo's typing is kept …
    assert f'name="bids-1-supplier" value="{falu.org_number}"' in page  # … including the bid row he added
    assert "Anna Andersson" in page and "Städtjänster (Annas rättelse)" in page  # what Anna changed
    procurement.refresh_from_db()
    assert procurement.title == "Städtjänster (Annas rättelse)" and procurement.version == 2
    assert procurement.status == "advertised"
    assert [(b.supplier_id, b.awarded) for b in procurement.bids.all()] == [(dala.pk, False)]


def test_after_comparing_the_second_person_can_save_again(anna, bo):
    procurement = ProcurementFactory(case_number="UHC-2026-081", title="Städ")
    url = reverse("procurement:procurement_update", args=[procurement.pk])
    annas_client, bos_client = _client(anna), _client(bo)
    annas_form, bos_form = form_data(annas_client.get(url)), form_data(bos_client.get(url))
    annas_client.post(url, {**annas_form, "title": "Annas titel"})
    refused = bos_client.post(url, {**bos_form, "title": "Bos titel"})

    again = form_data(refused)
    assert again["version"] == "2" and again["title"] == "Bos titel"
    assert bos_client.post(url, again).status_code == 302
    procurement.refresh_from_db()
    assert procurement.title == "Bos titel" and procurement.version == 3


def test_the_second_of_two_contract_edits_is_refused(anna, bo):
    contract = ContractFactory(number="AVT-2026-080", contract_class="B")
    url = reverse("procurement:contract_update", args=[contract.pk])
    annas_client, bos_client = _client(anna), _client(bo)
    annas_form, bos_form = form_data(annas_client.get(url)), form_data(bos_client.get(url))
    assert annas_client.post(url, {**annas_form, "contract_class": "A"}).status_code == 302
    response = bos_client.post(url, {**bos_form, "title": "Bos avtalstitel"})
    assert response.status_code == 200
    assert CONFLICT_MESSAGE in response.content.decode()
    assert 'value="Bos avtalstitel"' in response.content.decode()
    contract.refresh_from_db()
    assert (contract.contract_class, contract.title, contract.version) == ("A", "Avtal AVT-2026-080", 2)


def test_the_second_of_two_follow_up_edits_is_refused(anna, bo):
    follow_up = ContractFollowUpFactory(date=D(2026, 2, 1), form="phone")
    url = reverse("procurement:followup_update", args=[follow_up.pk])
    annas_client, bos_client = _client(anna), _client(bo)
    annas_form, bos_form = form_data(annas_client.get(url)), form_data(bos_client.get(url))
    assert annas_client.post(url, {**annas_form, "notes": "Annas anteckning"}).status_code == 302
    response = bos_client.post(url, {**bos_form, "notes": "Bos anteckning"})
    assert response.context["form"].non_field_errors() == [CONFLICT_MESSAGE]
    assert "Bos anteckning" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.notes == "Annas anteckning" and follow_up.version == 2


def test_a_form_without_its_version_is_refused_as_a_conflict(staff_client, plan):
    procurement = ProcurementFactory(case_number="UHC-2026-082", title="Städ")
    url = reverse("procurement:procurement_update", args=[procurement.pk])
    data = form_data(staff_client.get(url))
    data.pop("version")
    response = staff_client.post(url, {**data, "title": "Utan version"})
    assert CONFLICT_MESSAGE in response.context["form"].non_field_errors()
    procurement.refresh_from_db()
    assert procurement.title == "Städ"


def test_the_service_refuses_a_stale_version_and_saves_nothing(plan):
    contract = ContractFactory(number="AVT-2026-083")
    stale = Contract.objects.get(pk=contract.pk)
    stale.title = "Ändrad"
    with pytest.raises(EditConflict) as error:
        save_versioned(instance=stale, expected_version=0)
    assert error.value.current_version == 1
    contract.refresh_from_db()
    assert contract.title == "Avtal AVT-2026-083" and contract.version == 1


def test_the_service_saves_with_the_next_version_and_one_history_record(plan):
    procurement = ProcurementFactory(case_number="UHC-2026-084")
    before = procurement.history.count()
    fresh = Procurement.objects.get(pk=procurement.pk)
    fresh.title = "Ny titel"
    save_versioned(instance=fresh, expected_version=1, m2m={"municipalities": []})
    fresh.refresh_from_db()
    assert fresh.version == 2 and fresh.title == "Ny titel" and not fresh.municipalities.exists()
    assert procurement.history.count() == before + 1


def test_the_procurement_and_its_bids_are_saved_together_or_not_at_all(plan):
    from django.db import IntegrityError

    from procurement.services import save_procurement

    class BidsThatFailToSave:
        instance = None

        def save(self):
            raise IntegrityError("the bids could not be saved")

    procurement = ProcurementFactory(case_number="UHC-2026-085", municipalities=["Falun", "Borlänge"], title="Städ")
    history_before = procurement.history.count()
    fresh = Procurement.objects.get(pk=procurement.pk)
    fresh.title = "Ny titel"
    with pytest.raises(IntegrityError):
        save_procurement(procurement=fresh, expected_version=1, municipalities=[], bids=BidsThatFailToSave())
    procurement.refresh_from_db()
    assert (procurement.title, procurement.version) == ("Städ", 1)
    assert procurement.municipalities.count() == 2 and procurement.history.count() == history_before
