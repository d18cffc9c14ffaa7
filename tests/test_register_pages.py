"""The register's start page, menu and detail pages as readers and staff see them."""

import datetime

import pytest
from django.urls import reverse

from procurement.models import Procurement
from tests.factories import BidFactory, ContractFactory, ContractFollowUpFactory, ProcurementFactory, SupplierFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world(plan):
    dala, falu = SupplierFactory(name="Dala Städ AB", regional=True), SupplierFactory(name="Falu Bygg AB")
    procurement = ProcurementFactory(
        case_number="UHC-2026-100", municipalities=["Falun", "Borlänge"], bids__awarded=[dala],
        bids__disqualified=[falu], title="Städtjänster", status="completed", advertised_on=D(2026, 2, 1),
        awarded_on=D(2026, 3, 1), completed_on=D(2026, 3, 20), employment_requirement=True, traineeships=3,
        reuse_level="spjutspets",
        welfare_crime_risk=True, supplier_checks=2, appealed_on=D(2026, 3, 10), appeal_outcome="rejected",
        negotiation_held=True, negotiation_saving_sek=125000, notes="Första raden\nAndra raden",
    )
    contract = ContractFactory(number="AVT-2026-100", supplier=dala, municipalities=["Falun"], procurement=procurement,
                               title="Städavtal", contract_class="A", start_date=D(2026, 4, 1))
    follow_up = ContractFollowUpFactory(contract=contract, date=D(2026, 6, 1), form="meeting", notes="Uppstartsmöte",
                                        actions="Inga")
    return {"dala": dala, "falu": falu, "procurement": procurement, "contract": contract, "follow_up": follow_up}


def test_the_procurement_page_groups_every_field(member_client, world):
    response = member_client.get(world["procurement"].get_absolute_url())
    page = response.content.decode().replace("\xa0", " ")
    for heading in ["Grunduppgifter", "Status och datum", "Krav", "UHM-nivåer", "Välfärdsbrottslighet",
                    "Överprövning", "Anbud", "Avtal", "Historik"]:
        assert f">{heading}</h2>" in page, heading
    groups = dict(response.context["groups"])
    basics = dict(groups["Grunduppgifter"])
    assert basics["Beställande kommuner"] == "Falun, Borlänge"
    assert basics["Samordnad upphandling"] == "Ja"
    assert dict(groups["Status och datum"])["Besparing genom förhandling (kr)"] == "125\xa0000"
    assert dict(groups["Krav"])["Praktikplatser eller motsvarande"] == "3"
    assert dict(groups["UHM-nivåer"])["Återbruk/avfall (UHM-nivå)"] == "Spjutspets"
    assert dict(groups["Överprövning"])["Överprövningens utgång"] == "Avslag – upphandlingen står sig"
    assert "Första raden<br>Andra raden" in page
    assert "2 anbud, 1 giltigt, 1 tilldelat." in page
    assert 'href="/register/avtal/' in page and "AVT-2026-100" in page


def test_the_procurement_page_costs_a_bounded_number_of_queries(member_client, world, django_assert_max_num_queries):
    BidFactory.create_batch(10, procurement=world["procurement"])
    with django_assert_max_num_queries(16):
        member_client.get(world["procurement"].get_absolute_url())


def test_readers_see_no_edit_buttons_and_staff_do(member_client, staff_user, world):
    url = world["procurement"].get_absolute_url()
    assert "Ändra upphandlingen" not in member_client.get(url).content.decode()
    member_client.force_login(staff_user)
    page = member_client.get(url).content.decode()
    assert "Ändra upphandlingen" in page
    assert f"/register/avtal/nytt/?procurement={world['procurement'].pk}" in page


def test_the_contract_page_lists_its_follow_ups_and_links_to_add_one(staff_client, world):
    contract = world["contract"]
    page = staff_client.get(contract.get_absolute_url()).content.decode()
    assert "Uppstartsmöte" in page and world["follow_up"].get_absolute_url() in page
    assert f"/register/uppfoljningar/ny/?contract={contract.pk}" in page
    assert "A – mest kritiska" in page and "UHC-2026-100" in page


def test_the_follow_up_page_shows_its_contract(member_client, world):
    page = member_client.get(world["follow_up"].get_absolute_url()).content.decode()
    assert "Uppföljning av avtal AVT-2026-100, 1 juni 2026" in page and "Möte" in page


def test_the_supplier_page_lists_bids_and_contracts(staff_client, world):
    response = staff_client.get(world["dala"].get_absolute_url())
    page = response.content.decode()
    assert "UHC-2026-100" in page and "AVT-2026-100" in page and "Städavtal" in page
    assert dict(response.context["facts"])["Regional verksamhet"] == "Ja"


def test_the_supplier_page_shows_the_50_latest_contracts_and_links_to_all_60(member_client, world,
                                                                              django_assert_max_num_queries):
    dala = world["dala"]  # AVT-2026-100 from 1 April 2026, the latest
    for n in range(59):
        ContractFactory(number=f"AVT-2020-{n:03d}", supplier=dala,
                        start_date=D(2020, 1, 1) + datetime.timedelta(days=n))
    with django_assert_max_num_queries(12):
        response = member_client.get(dala.get_absolute_url())
    page = response.content.decode()
    assert page.count('<th scope="row" class="row-head"><a href="/register/avtal/') == 50
    assert "AVT-2026-100" in page and "AVT-2020-058" in page and "AVT-2020-010" in page
    assert "AVT-2020-009" not in page  # the ten oldest are left out
    assert "Leverantören har 60 avtal. Här visas de 50 senaste." in " ".join(page.split())
    all_url = f"/register/avtal/?supplier={dala.org_number}"
    assert f'<a href="{all_url}">Visa alla 60 i avtalslistan</a>' in page
    assert member_client.get(all_url).context["filter"].qs.count() == 60


def test_the_supplier_page_shows_the_50_latest_bids_and_links_to_the_procurements(staff_client, world):
    dala, falu = world["dala"], world["falu"]
    for n in range(54):
        ProcurementFactory(case_number=f"UHC-2020-{n:03d}", bids=[dala], advertised_on=D(2020, 1, 1 + n % 28))
    ProcurementFactory(case_number="UHC-2020-FALU", bids=[falu], advertised_on=D(2020, 2, 1))
    response = staff_client.get(dala.get_absolute_url())
    page = " ".join(response.content.decode().split())
    assert page.count('<th scope="row" class="row-head"><a href="/register/upphandlingar/') == 50
    assert "Leverantören har lämnat 55 anbud. Här visas de 50 senaste." in page
    all_url = f"/register/upphandlingar/?supplier={dala.org_number}"
    assert f'<a href="{all_url}">Visa alla 55 i upphandlingslistan</a>' in page
    listed = staff_client.get(all_url).context["filter"].qs
    assert listed.count() == 55 and not listed.filter(case_number="UHC-2020-FALU").exists()


def test_a_supplier_with_few_records_shows_them_all_without_a_link(staff_client, world):
    page = " ".join(staff_client.get(world["dala"].get_absolute_url()).content.decode().split())
    assert "Leverantören har lämnat 1 anbud." in page and "Leverantören har 1 avtal." in page
    assert "Visa alla" not in page


def test_unknown_records_are_404(member_client, plan):
    for name in ["procurement_detail", "contract_detail", "followup_detail", "supplier_detail"]:
        assert member_client.get(reverse(f"procurement:{name}", args=[999999])).status_code == 404


def test_the_menu_links_the_register_and_marks_where_you_are(member_client, world):
    page = member_client.get(reverse("procurement:contract_list")).content.decode()
    assert 'href="/register/upphandlingar/">Upphandlingar</a>' in page
    assert 'href="/register/avtal/" aria-current="page">Avtal</a>' in page
    page = member_client.get(world["contract"].get_absolute_url()).content.decode()
    assert 'href="/register/avtal/" aria-current="true">Avtal</a>' in page
    page = member_client.get(reverse("procurement:competence_list")).content.decode()
    assert 'href="/register/aktiviteter/information/" aria-current="true">Aktiviteter</a>' in page


def test_the_start_page_counts_this_years_procurements(member_client, world):
    from django.utils import timezone

    year = timezone.localdate().year
    ProcurementFactory(case_number=f"UHC-{year}-1", advertised_on=D(year, 1, 10), status="advertised")
    ProcurementFactory(case_number="UHC-PLAN-1")
    response = member_client.get(reverse("procurement:index"))
    assert response.status_code == 200
    expected = Procurement.objects.filter(advertised_on__year=year).count()
    assert response.context["procurements"]["advertised"] == expected
    assert response.context["procurements"]["planned"] == 1
    assert "Registrera en ny upphandling" not in response.content.decode()


@pytest.mark.parametrize(
    "model", ["supplier", "category", "productgroup", "procurement", "bid", "contract", "contractfollowup",
              "informationactivity", "competenceeffort", "municipalitydialogue", "followuprule"],
)
def test_admin_lists_and_forms_open_for_every_register_model(admin_client, world, model):
    assert admin_client.get(reverse(f"admin:procurement_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:procurement_{model}_add")).status_code == 200


def test_saving_in_admin_moves_the_version_on(admin_client, world):
    contract = world["contract"]
    url = reverse("admin:procurement_contract_change", args=[contract.pk])
    data = {
        "number": contract.number, "title": "Ändrat i admin", "procurement": contract.procurement_id,
        "supplier": contract.supplier_id, "municipalities": [m.pk for m in contract.municipalities.all()],
        "contract_class": "A", "start_date": "2026-04-01", "end_date": "", "estimated_yearly_value": "",
        "terminated_on": "", "termination_reason": "",
        # The options inline (none here).
        "options-TOTAL_FORMS": "0", "options-INITIAL_FORMS": "0",
    }
    assert admin_client.post(url, data).status_code == 302
    contract.refresh_from_db()
    assert contract.title == "Ändrat i admin" and contract.version == 2
