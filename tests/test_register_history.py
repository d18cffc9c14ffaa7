"""History on the detail pages: who changed what and when, in Swedish, one entry per save."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ops.roles import STAFF
from procurement.models import Procurement
from tests.access_register import form_data
from tests.factories import (
    CategoryFactory,
    ContractFactory,
    ContractFollowUpFactory,
    SupplierFactory,
    UserFactory,
    municipalities,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _client(username, first, last):
    client = Client()
    client.force_login(UserFactory(username=username, role=STAFF, first_name=first, last_name=last))
    return client


@pytest.fixture
def anna(plan):
    return _client("anna", "Anna", "Andersson")


@pytest.fixture
def bo(plan):
    return _client("bo", "Bo", "Berg")


def _create_procurement(client):
    """Anna registers an advertised procurement for Falun and Borlänge with one bid, in the browser."""
    category = CategoryFactory(name="Städ", order=1)
    dala = SupplierFactory(name="Dala Städ AB")
    data = form_data(client.get(reverse("procurement:procurement_create")))
    falun, borlange = municipalities("Falun", "Borlänge")
    data.update({
        "case_number": "UHC-2026-090", "title": "Städ", "category": str(category.pk),
        "municipalities": [str(falun.pk), str(borlange.pk)], "status": "advertised", "advertised_on": "2026-03-01",
        "bids-0-supplier": dala.org_number,
    })
    assert client.post(reverse("procurement:procurement_create"), data).status_code == 302
    return Procurement.objects.get(case_number="UHC-2026-090")


def _history(client, procurement):
    response = client.get(reverse("procurement:procurement_detail", args=[procurement.pk]))
    return response, response.context["history"]


def test_the_creation_is_one_entry_with_the_users_name(anna):
    procurement = _create_procurement(anna)
    response, history = _history(anna, procurement)
    assert procurement.history.count() == 1  # the municipalities did not add entries of their own
    assert [(e.action, e.user) for e in history] == [("Skapad", "Anna Andersson")]
    page = response.content.decode()
    assert "Skapad" in page and "av Anna Andersson" in page


def test_an_edit_lists_the_changed_fields_in_swedish(anna, bo):
    procurement = _create_procurement(anna)
    url = reverse("procurement:procurement_update", args=[procurement.pk])
    data = form_data(bo.get(url))
    falun = municipalities("Falun")[0]
    data.update({"title": "Städtjänster", "status": "awarded", "awarded_on": "2026-04-01",
                 "municipalities": [str(falun.pk)], "bids-0-awarded": "on"})
    assert bo.post(url, data).status_code == 302

    response, history = _history(bo, procurement)
    latest = history[0]
    assert (latest.action, latest.user) == ("Ändrad", "Bo Berg")
    changes = {c.label: (c.old, c.new) for c in latest.changes}
    assert changes == {
        "Benämning": ("Städ", "Städtjänster"),
        "Status": ("Annonserad", "Tilldelad"),
        "Tilldelningsbeslut": ("–", "1 april 2026"),
        "Beställande kommuner": ("Falun, Borlänge", "Falun"),
        "Anbud från Dala Städ AB: tilldelat": ("Nej", "Ja"),
    }
    assert procurement.history.count() == 2
    page = response.content.decode()
    assert "av Bo Berg" in page and "Status: Annonserad" in page and "Tilldelad</li>" in page


def test_contract_history_shows_who_changed_the_class(anna, bo):
    contract = ContractFactory(number="AVT-2026-090", contract_class="B")
    url = reverse("procurement:contract_update", args=[contract.pk])
    bo.post(url, {**form_data(bo.get(url)), "contract_class": "A"})
    history = bo.get(contract.get_absolute_url()).context["history"]
    assert history[0].user == "Bo Berg"
    assert [(c.label, c.old, c.new) for c in history[0].changes] == [("Avtalsklass", "B", "A – mest kritiska")]


def test_follow_up_history_shows_the_edit(anna):
    follow_up = ContractFollowUpFactory(date=D(2026, 2, 1), form="phone")
    url = reverse("procurement:followup_update", args=[follow_up.pk])
    anna.post(url, {**form_data(anna.get(url)), "form": "meeting"})
    history = anna.get(follow_up.get_absolute_url()).context["history"]
    assert history[0].user == "Anna Andersson"
    assert [(c.label, c.old, c.new) for c in history[0].changes] == [("Form", "Telefon", "Möte")]


def test_the_history_costs_the_same_queries_for_2_and_12_edits(anna):
    procurement = _create_procurement(anna)
    url = reverse("procurement:procurement_update", args=[procurement.pk])
    detail = reverse("procurement:procurement_detail", args=[procurement.pk])

    def edit(i):
        data = form_data(anna.get(url))
        assert anna.post(url, {**data, "title": f"Städ {i}", "questions_received": str(i)}).status_code == 302

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert anna.get(detail).status_code == 200
        return len(captured)

    edit(1)
    anna.get(detail)
    with_2 = queries()
    for i in range(2, 12):
        edit(i)
    assert len(anna.get(detail).context["history"]) == 12
    assert queries() == with_2
