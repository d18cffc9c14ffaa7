"""Registering and editing in the browser: procurements with their bids, contracts, follow-ups,
suppliers and activities. Bad input is refused with a Swedish message on the field, nothing is
saved, and the form keeps what the user typed."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement.models import (
    Bid,
    CompetenceEffort,
    Contract,
    ContractFollowUp,
    InformationActivity,
    MunicipalityDialogue,
    Procurement,
    Supplier,
)
from tests.access_register import form_data
from tests.factories import (
    CategoryFactory,
    ContractFactory,
    ContractFollowUpFactory,
    InformationActivityFactory,
    ProcurementFactory,
    ProductGroupFactory,
    SupplierFactory,
    municipalities,
)

pytestmark = pytest.mark.django_db

D = datetime.date
CREATE = reverse("procurement:procurement_create")


@pytest.fixture
def world(plan):
    return {
        "category": CategoryFactory(name="Städ", order=1),
        "dala": SupplierFactory(name="Dala Städ AB"),
        "falu": SupplierFactory(name="Falu Bygg AB"),
        "riks": SupplierFactory(name="Rikslev AB"),
    }


def _new_procurement_data(client, world, **changes):
    """A complete, valid new procurement as a user would fill it in, bids in the first rows."""
    data = form_data(client.get(CREATE))
    falun, borlange = municipalities("Falun", "Borlänge")
    data.update({
        "case_number": "UHC-2026-050",
        "title": "Städtjänster för förskolor",
        "category": str(world["category"].pk),
        "municipalities": [str(falun.pk), str(borlange.pk)],
        "status": "awarded",
        "advertised_on": "2026-02-01",
        "awarded_on": "2026-04-01",
        "questions_received": "4",
        "employment_requirement": "on",
        "traineeships": "2",
        "env_management_level": "avancerad",
        "bids-0-supplier": world["dala"].org_number,
        "bids-0-awarded": "on",
        "bids-1-supplier": world["falu"].org_number,
        "bids-2-supplier": world["riks"].org_number,
        "bids-2-disqualified": "on",
    })
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_staff_register_a_procurement_with_its_bids(staff_client, world):
    response = staff_client.post(CREATE, _new_procurement_data(staff_client, world))
    procurement = Procurement.objects.get(case_number="UHC-2026-050")
    assert response.status_code == 302 and response["Location"] == procurement.get_absolute_url()
    assert procurement.title == "Städtjänster för förskolor"
    assert procurement.status == "awarded" and procurement.awarded_on == D(2026, 4, 1)
    assert procurement.employment_requirement and procurement.traineeships == 2
    assert procurement.env_management_level == "avancerad" and procurement.version == 1
    assert sorted(m.name for m in procurement.municipalities.all()) == ["Borlänge", "Falun"]
    bids = {b.supplier.name: (b.disqualified, b.awarded) for b in procurement.bids.select_related("supplier")}
    # Five bid rows were offered; the two left empty are not saved.
    assert bids == {"Dala Städ AB": (False, True), "Falu Bygg AB": (False, False), "Rikslev AB": (True, False)}
    page = staff_client.get(response["Location"]).content.decode()
    assert "Upphandlingen UHC-2026-050 har sparats." in page


def test_staff_edit_bids_remove_one_and_add_another(staff_client, world):
    procurement = ProcurementFactory(
        case_number="UHC-2026-051", bids=[world["dala"], world["falu"]], status="advertised",
        advertised_on=D(2026, 3, 1),
    )
    url = reverse("procurement:procurement_update", args=[procurement.pk])
    data = form_data(staff_client.get(url))
    rows = {data[f"bids-{i}-supplier"]: i for i in range(2)}  # the saved bids show their org numbers
    dala_row, falu_row = rows[world["dala"].org_number], rows[world["falu"].org_number]
    data.update({
        "status": "awarded", "awarded_on": "2026-05-02",
        f"bids-{dala_row}-awarded": "on",
        f"bids-{falu_row}-DELETE": "on",
        "bids-2-supplier": world["riks"].org_number,
    })
    response = staff_client.post(url, data)
    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.status == "awarded" and procurement.version == 2
    bids = {b.supplier.name: b.awarded for b in procurement.bids.select_related("supplier")}
    assert bids == {"Dala Städ AB": True, "Rikslev AB": False}


def test_save_and_continue_returns_to_the_form(staff_client, world):
    data = _new_procurement_data(staff_client, world, save_and_continue="1")
    response = staff_client.post(CREATE, data)
    procurement = Procurement.objects.get(case_number="UHC-2026-050")
    assert response["Location"] == reverse("procurement:procurement_update", args=[procurement.pk])


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"advertised_on": "2026-05-01", "awarded_on": "2026-04-01"}, "awarded_on",
         "Tilldelningsbeslutet kan inte komma före annonseringen."),
        ({"status": "planned", "advertised_on": "", "awarded_on": "2026-04-01"}, "awarded_on",
         "En upphandling kan inte tilldelas innan den har annonserats."),
        ({"questions_received": "-1"}, "questions_received", "Antalet kan inte vara negativt."),
        ({"traineeships": "-2"}, "traineeships", "Antalet kan inte vara negativt."),
        ({"supplier_checks": "-1"}, "supplier_checks", "Antalet kan inte vara negativt."),
        ({"tenders_disqualified_welfare": "-3"}, "tenders_disqualified_welfare", "Antalet kan inte vara negativt."),
        ({"welfare_actions": "-1"}, "welfare_actions", "Antalet kan inte vara negativt."),
        ({"negotiation_held": "on", "negotiation_saving_sek": "-5 000"}, "negotiation_saving_sek",
         "Besparingen kan inte vara negativ."),
        ({"municipalities": None}, "municipalities", "Välj minst en beställande kommun."),
        ({"status": "completed"}, "completed_on", "Ange datum då upphandlingen avslutades."),
        ({"status": "cancelled", "cancelled_on": "2026-05-01"}, "cancellation_reason",
         "Ange skälet till att upphandlingen avbröts."),
        ({"traineeships": "3", "employment_requirement": None}, "traineeships",
         "Praktikplatser redovisas för upphandlingar med sysselsättningskrav."),
    ],
)
def test_bad_procurement_input_is_refused_on_the_field_and_keeps_what_was_typed(
    staff_client, world, changes, field, message
):
    response = staff_client.post(CREATE, _new_procurement_data(staff_client, world, **changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Procurement.objects.exists() and not Bid.objects.exists()
    page = response.content.decode()
    assert message in page and 'class="error-summary"' in page
    assert f'href="#id_{field}' in page  # the summary links to the field
    assert 'value="Städtjänster för förskolor"' in page
    assert f'name="bids-2-supplier" value="{world["riks"].org_number}"' in page  # the typed bids are still there


def test_a_duplicate_case_number_is_refused(staff_client, world):
    ProcurementFactory(case_number="UHC-2026-050")
    response = staff_client.post(CREATE, _new_procurement_data(staff_client, world))
    assert response.context["form"].errors["case_number"] == ["Diarienumret finns redan i registret."]
    assert Procurement.objects.count() == 1 and not Bid.objects.exists()


def test_a_product_group_of_another_category_is_refused(staff_client, world):
    other = ProductGroupFactory(category=CategoryFactory(name="Livsmedel", order=2), name="Frukt")
    response = staff_client.post(CREATE, _new_procurement_data(staff_client, world, product_group=str(other.pk)))
    assert response.context["form"].errors["product_group"] == ["Varugruppen hör till en annan kategori."]


def test_product_groups_are_offered_under_their_category(staff_client, world):
    ProductGroupFactory(category=world["category"], name="Lokalvård")
    page = staff_client.get(CREATE).content.decode()
    assert '<optgroup label="Städ">' in page and "Lokalvård" in page


def test_a_disqualified_bid_cannot_be_awarded(staff_client, world):
    data = _new_procurement_data(staff_client, world, **{"bids-0-disqualified": "on", "bids-1-supplier": "",
                                                        "bids-2-supplier": ""})
    response = staff_client.post(CREATE, data)
    bids = response.context["bids"]
    assert bids[0].errors["awarded"] == ["Ett diskvalificerat anbud kan inte tilldelas."]
    assert bids.non_form_errors() == [
        "Fler anbud är markerade som tilldelade (1) än det finns giltiga, inte diskvalificerade, anbud (0)."
    ]
    page = response.content.decode()
    assert "Anbudsrad 1, tilldelat: Ett diskvalificerat anbud kan inte tilldelas." in page
    # Still ticked, and described by its error.
    pattern = r'name="bids-0-awarded" aria-invalid="true" aria-describedby="id_bids-0-awarded_error"[^>]* checked'
    assert re.search(pattern, page)
    assert not Procurement.objects.exists()


def test_more_awarded_bids_than_valid_bids_is_refused(staff_client, world):
    data = _new_procurement_data(staff_client, world, **{"bids-1-awarded": "on", "bids-2-awarded": "on"})
    response = staff_client.post(CREATE, data)
    assert "Fler anbud är markerade som tilldelade (3) än det finns giltiga, inte diskvalificerade, anbud (2)." in (
        response.context["bids"].non_form_errors()
    )
    assert not Procurement.objects.exists()


def test_the_same_supplier_twice_is_refused_on_the_second_row(staff_client, world):
    data = _new_procurement_data(staff_client, world, **{"bids-2-supplier": world["dala"].org_number})
    response = staff_client.post(CREATE, data)
    bids = response.context["bids"]
    assert bids[2].errors["supplier"] == ["Dala Städ AB finns redan på en annan anbudsrad."]
    assert not bids[0].errors
    assert not Procurement.objects.exists() and not Bid.objects.exists()


def test_the_same_supplier_twice_is_refused_when_editing(staff_client, world):
    procurement = ProcurementFactory(case_number="UHC-2026-052", bids=[world["dala"]])
    url = reverse("procurement:procurement_update", args=[procurement.pk])
    data = form_data(staff_client.get(url))
    data["bids-1-supplier"] = world["dala"].org_number.replace("-", "")  # the same supplier, typed differently
    response = staff_client.post(url, data)
    assert response.context["bids"][1].errors["supplier"] == ["Dala Städ AB finns redan på en annan anbudsrad."]
    assert procurement.bids.count() == 1


def test_a_bid_row_without_supplier_is_refused(staff_client, world):
    data = _new_procurement_data(staff_client, world, **{"bids-3-awarded": "on", "bids-0-awarded": None})
    response = staff_client.post(CREATE, data)
    assert response.context["bids"][3].errors["supplier"] == [
        "Ange organisationsnumret på leverantören som lämnade anbudet."
    ]


def test_a_bid_supplier_is_found_by_its_org_number_typed_with_or_without_hyphen_or_with_its_name(staff_client,
                                                                                                   world):
    data = _new_procurement_data(staff_client, world, **{
        "bids-1-supplier": " " + world["falu"].org_number.replace("-", "") + " ",
        "bids-2-supplier": str(world["riks"]),  # "Rikslev AB (NNNNNN-NNNN)", as the suggestions show it
    })
    assert staff_client.post(CREATE, data).status_code == 302
    procurement = Procurement.objects.get(case_number="UHC-2026-050")
    assert sorted(b.supplier.name for b in procurement.bids.select_related("supplier")) == [
        "Dala Städ AB", "Falu Bygg AB", "Rikslev AB"]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("556016-0680", "Ingen leverantör med organisationsnumret 556016-0680 finns i registret. "
                        "Registrera leverantören först."),
        ("5560160680", "Ingen leverantör med organisationsnumret 556016-0680 finns i registret. "
                       "Registrera leverantören först."),
        ("Okänd Leverantör AB", "”Okänd Leverantör AB” är inget organisationsnummer. Skriv det som NNNNNN-NNNN "
                                "eller välj leverantören bland förslagen."),
    ],
)
def test_an_unknown_org_number_is_refused_on_its_row_and_kept(staff_client, world, typed, message):
    response = staff_client.post(CREATE, _new_procurement_data(staff_client, world, **{"bids-1-supplier": typed}))
    assert response.status_code == 200
    assert response.context["bids"][1].errors["supplier"] == [message]
    page = response.content.decode()
    assert f"Anbudsrad 2, anbudsgivare: {message}" in page  # in the error summary
    assert f'name="bids-1-supplier" value="{typed}"' in page  # what was typed is still there
    assert '<span class="muted">Dala Städ AB</span>' in page and '<span class="muted">Falu Bygg AB</span>' not in page
    assert not Procurement.objects.exists() and not Bid.objects.exists()


def test_the_bid_rows_share_one_list_of_supplier_suggestions(staff_client, world):
    page = staff_client.get(CREATE).content.decode()
    assert page.count("<datalist") == 1
    assert page.count('list="leverantorer-forslag"') == 5  # five empty bid rows, one list
    assert page.count(f'<option value="{world["dala"].org_number}">Dala Städ AB</option>') == 1
    assert '<select name="bids-0-supplier"' not in page


def test_the_suppliers_of_all_bid_rows_are_looked_up_in_one_query(staff_client, world):
    data = _new_procurement_data(staff_client, world, **{"questions_received": "-1"})  # refused: nothing saved
    with CaptureQueriesContext(connection) as queries:
        staff_client.post(CREATE, data)
    lookups = [q["sql"] for q in queries.captured_queries
               if 'FROM "procurement_supplier"' in q["sql"] and '"org_number" IN' in q["sql"]]
    assert len(lookups) == 1
    single = [q["sql"] for q in queries.captured_queries
              if 'FROM "procurement_supplier"' in q["sql"] and '"org_number" =' in q["sql"]]
    assert single == []


def test_an_edited_procurement_shows_its_bidders_by_org_number(staff_client, world):
    procurement = ProcurementFactory(case_number="UHC-2026-053", bids=[world["dala"]])
    page = staff_client.get(reverse("procurement:procurement_update", args=[procurement.pk])).content.decode()
    assert f'name="bids-0-supplier" value="{world["dala"].org_number}"' in page
    assert '<span class="muted">Dala Städ AB</span>' in page  # and by name beside it


# --- Contracts ---------------------------------------------------------------------------------------

def _contract_data(client, world, url=None, **changes):
    data = form_data(client.get(url or reverse("procurement:contract_create")))
    falun = municipalities("Falun")[0]
    data.update({
        "number": "AVT-2026-010", "title": "Städtjänster", "supplier": str(world["dala"].pk), "contract_class": "A",
        "municipalities": [str(falun.pk)], "start_date": "2026-05-01", "end_date": "2028-04-30",
        "estimated_yearly_value": "1 250 000",
    })
    data.update(changes)
    return data


def test_staff_register_a_contract_from_a_procurement(staff_client, world):
    procurement = ProcurementFactory(case_number="UHC-2026-060")
    url = reverse("procurement:contract_create") + f"?procurement={procurement.pk}"
    page = staff_client.get(url).content.decode()
    assert 'value="UHC-2026-060"' in page  # preselected by its case number
    response = staff_client.post(url, _contract_data(staff_client, world, url))
    contract = Contract.objects.get(number="AVT-2026-010")
    assert response["Location"] == contract.get_absolute_url()
    assert contract.procurement == procurement and contract.supplier == world["dala"]
    assert contract.estimated_yearly_value == Decimal("1250000")
    assert [m.name for m in contract.municipalities.all()] == ["Falun"]
    assert contract.version == 1


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"estimated_yearly_value": "-100"}, "estimated_yearly_value", "Årsvärdet kan inte vara negativt."),
        ({"end_date": "2026-04-01"}, "end_date", "Slutdatum kan inte ligga före startdatum."),
        ({"terminated_on": "2027-01-01"}, "termination_reason", "Ange varför avtalet avslutades i förtid."),
        ({"procurement": "UHC-X"}, "procurement", "Det finns ingen upphandling med diarienumret UHC-X."),
        ({"municipalities": []}, "municipalities", "Välj minst en kommun."),
    ],
)
def test_bad_contract_input_is_refused(staff_client, world, changes, field, message):
    response = staff_client.post(reverse("procurement:contract_create"), _contract_data(staff_client, world, **changes))
    assert message in response.context["form"].errors[field]
    assert not Contract.objects.exists()
    assert 'value="Städtjänster"' in response.content.decode()


def test_a_duplicate_contract_number_is_refused(staff_client, world):
    ContractFactory(number="AVT-2026-010")
    response = staff_client.post(reverse("procurement:contract_create"), _contract_data(staff_client, world))
    assert response.context["form"].errors["number"] == ["Avtalsnumret finns redan i registret."]
    assert Contract.objects.count() == 1


def test_editing_a_contract_shows_its_procurement_by_case_number(staff_client, world):
    contract = ContractFactory(number="AVT-2026-011", procurement=ProcurementFactory(case_number="UHC-2026-061"))
    page = staff_client.get(reverse("procurement:contract_update", args=[contract.pk])).content.decode()
    assert 'name="procurement" value="UHC-2026-061"' in page


# --- Follow-ups ----------------------------------------------------------------------------------------

def test_a_follow_up_is_registered_from_the_contract_page(staff_client, world):
    contract = ContractFactory(number="AVT-2026-020", start_date=D(2026, 1, 1))
    url = reverse("procurement:followup_create") + f"?contract={contract.pk}"
    response = staff_client.get(url)
    assert 'value="AVT-2026-020"' in response.content.decode()
    data = form_data(response)
    data.update({"date": "2026-09-15", "form": "meeting", "notes": "Kvartalsmöte", "actions": "Ny rutin"})
    response = staff_client.post(url, data)
    assert response["Location"] == contract.get_absolute_url()
    follow_up = ContractFollowUp.objects.get()
    assert (follow_up.contract, follow_up.date, follow_up.form, follow_up.notes) == (
        contract, D(2026, 9, 15), "meeting", "Kvartalsmöte")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"date": "2025-12-31"}, "date", "Uppföljningen kan inte ligga före avtalets startdatum."),
        ({"contract": "AVT-X"}, "contract", "Det finns inget avtal med avtalsnumret AVT-X."),
        ({"form": ""}, "form", "Välj hur uppföljningen gjordes."),
    ],
)
def test_bad_follow_up_input_is_refused(staff_client, world, changes, field, message):
    ContractFactory(number="AVT-2026-021", start_date=D(2026, 1, 1))
    data = {"contract": "AVT-2026-021", "date": "2026-03-01", "form": "email", "notes": "Mejl om fakturor",
            "actions": "", "version": ""}
    data.update(changes)
    response = staff_client.post(reverse("procurement:followup_create"), data)
    assert message in response.context["form"].errors[field]
    assert not ContractFollowUp.objects.exists()
    assert "Mejl om fakturor" in response.content.decode()


def test_a_follow_up_is_deleted_only_after_confirming(staff_client, world):
    contract = ContractFactory(number="AVT-2026-022")
    follow_up = ContractFollowUpFactory(contract=contract, date=D(2026, 2, 1), form="phone")
    url = reverse("procurement:followup_delete", args=[follow_up.pk])
    page = staff_client.get(url).content.decode()
    assert "Vill du ta bort" in page and ContractFollowUp.objects.exists()
    response = staff_client.post(url)
    assert response["Location"] == contract.get_absolute_url()
    assert not ContractFollowUp.objects.exists()


# --- Suppliers ---------------------------------------------------------------------------------------

SUPPLIER_CREATE = reverse("procurement:supplier_create")


def test_a_supplier_is_registered_with_the_hyphen_added(staff_client, plan):
    response = staff_client.post(SUPPLIER_CREATE, {"name": "Dala Städ AB", "org_number": "5560160680",
                                                   "regional": "on"})
    supplier = Supplier.objects.get()
    assert response["Location"] == supplier.get_absolute_url()
    assert supplier.org_number == "556016-0680" and supplier.regional and not supplier.sme


@pytest.mark.parametrize(
    "org_number, message",
    [
        ("556016-0681", "Organisationsnumret 556016-0681 har fel kontrollsiffra."),
        ("12345", "Organisationsnumret ska skrivas NNNNNN-NNNN (tio siffror)."),
        ("556016-0680", "Det finns redan en leverantör med det organisationsnumret."),
        ("5560160680", "Det finns redan en leverantör med det organisationsnumret."),
    ],
)
def test_bad_org_numbers_are_refused(staff_client, plan, org_number, message):
    SupplierFactory(name="Finns redan AB", org_number="556016-0680")
    response = staff_client.post(SUPPLIER_CREATE, {"name": "Ny Leverantör AB", "org_number": org_number})
    assert response.context["form"].errors["org_number"] == [message]
    assert Supplier.objects.count() == 1
    assert 'value="Ny Leverantör AB"' in response.content.decode()


def test_a_supplier_is_edited(staff_client, plan):
    supplier = SupplierFactory(name="Dala Städ AB")
    url = reverse("procurement:supplier_update", args=[supplier.pk])
    data = form_data(staff_client.get(url))
    data.update({"name": "Dala Städ & Fönsterputs AB", "sme": "on"})
    staff_client.post(url, data)
    supplier.refresh_from_db()
    assert supplier.name == "Dala Städ & Fönsterputs AB" and supplier.sme


# --- Activities ----------------------------------------------------------------------------------------

def test_an_information_activity_is_registered_with_its_procurement(staff_client, plan):
    ProcurementFactory(case_number="UHC-2026-070")
    falun, avesta = municipalities("Falun", "Avesta")
    response = staff_client.post(reverse("procurement:information_create"), {
        "date": "2026-03-10", "kind": "rfi", "title": "RFI om städtjänster", "procurement": " UHC-2026-070 ",
        "municipalities": [falun.pk, avesta.pk],
    })
    assert response["Location"] == reverse("procurement:information_list")
    activity = InformationActivity.objects.get()
    assert activity.procurement.case_number == "UHC-2026-070"
    assert sorted(m.name for m in activity.municipalities.all()) == ["Avesta", "Falun"]


def _fail_to_save_municipalities(*args, **kwargs):
    raise RuntimeError("kommunerna kunde inte sparas")


def test_an_activity_whose_municipalities_fail_to_save_is_not_saved_at_all(staff_client, plan, monkeypatch):
    monkeypatch.setattr(InformationActivity.municipalities.related_manager_cls, "set", _fail_to_save_municipalities)
    falun, avesta = municipalities("Falun", "Avesta")
    with pytest.raises(RuntimeError):
        staff_client.post(reverse("procurement:information_create"), {
            "date": "2026-03-10", "kind": "rfi", "title": "RFI om städtjänster",
            "municipalities": [falun.pk, avesta.pk],
        })
    assert not InformationActivity.objects.exists()


def test_an_activity_edit_whose_municipalities_fail_to_save_keeps_the_old_activity(staff_client, plan, monkeypatch):
    activity = InformationActivityFactory(date=datetime.date(2026, 3, 10), title="RFI städ", municipalities=["Falun"])
    avesta = municipalities("Avesta")[0]
    monkeypatch.setattr(InformationActivity.municipalities.related_manager_cls, "set", _fail_to_save_municipalities)
    with pytest.raises(RuntimeError):
        staff_client.post(reverse("procurement:information_update", args=[activity.pk]), {
            "date": "2026-04-01", "kind": "rfi", "title": "Ny titel", "municipalities": [avesta.pk], "version": "1",
        })
    activity.refresh_from_db()
    assert (activity.title, activity.date) == ("RFI städ", datetime.date(2026, 3, 10))
    assert [m.name for m in activity.municipalities.all()] == ["Falun"]


def test_a_competence_effort_with_negative_participants_is_refused(staff_client, plan):
    falun = municipalities("Falun")[0]
    response = staff_client.post(reverse("procurement:competence_create"), {
        "date": "2026-03-10", "municipality": falun.pk, "title": "LOU för chefer", "participants": "-4",
    })
    assert response.context["form"].errors["participants"] == ["Antalet kan inte vara negativt."]
    assert not CompetenceEffort.objects.exists()


def test_a_dialogue_is_registered_edited_and_deleted(staff_client, plan):
    falun = municipalities("Falun")[0]
    staff_client.post(reverse("procurement:dialogue_create"), {
        "date": "2026-03-10", "municipality": falun.pk, "kind": "plan_remiss", "notes": "Remiss skickad",
    })
    dialogue = MunicipalityDialogue.objects.get()
    staff_client.post(reverse("procurement:dialogue_update", args=[dialogue.pk]), {
        "date": "2026-03-11", "municipality": falun.pk, "kind": "plan_remiss", "notes": "Svar inkommet",
        "version": dialogue.version,
    })
    dialogue.refresh_from_db()
    assert dialogue.notes == "Svar inkommet" and dialogue.date == D(2026, 3, 11)
    response = staff_client.post(reverse("procurement:dialogue_delete", args=[dialogue.pk]))
    assert response["Location"] == reverse("procurement:dialogue_list")
    assert not MunicipalityDialogue.objects.exists()


def test_readers_cannot_save_anything(member_client, world):
    response = member_client.post(CREATE, {"case_number": "UHC-X", "title": "X"})
    assert response.status_code == 403
    assert not Procurement.objects.exists()
