"""Two people (or two tabs) with the same record open: the second save is refused in Swedish, keeps what was
typed, saves nothing of it and shows what the other person saved, field by field, with who and when.

The same for a procurement's bid rows that someone else removed or added meanwhile (never a server error),
admin saves that move the version on, and the history that activities now keep.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse

from common.locking import EditConflict, save_versioned
from indicators.models import IndicatorValue
from nämndplan.models import BudgetLine, EconomicReport
from ops.roles import CHIEF, STAFF
from procurement.models import (
    Bid,
    CompetenceEffort,
    InformationActivity,
    MunicipalityDialogue,
    Supplier,
)
from reports.models import GoalAnalysis, Report
from reports.services import create_report
from tests.access_register import form_data
from tests.factories import (
    CompetenceEffortFactory,
    EconomicReportFactory,
    IndicatorValueFactory,
    InformationActivityFactory,
    MeetingFactory,
    MunicipalityDialogueFactory,
    ProcurementFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
CONFLICT_MESSAGE = (
    "Någon annan har ändrat posten medan du redigerade den. Dina ändringar är inte sparade: "
    "jämför med den aktuella versionen och spara igen."
)
SECTION = re.compile(r'<section class="note" aria-labelledby="andra-andringar">(.*?)</section>', re.S)
ROW = re.compile(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>', re.S)


@pytest.fixture
def anna(plan):
    return UserFactory(username="anna", role=STAFF, first_name="Anna", last_name="Andersson")


@pytest.fixture
def bo(plan):
    return UserFactory(username="bo", role=STAFF, first_name="Bo", last_name="Berg")


@pytest.fixture
def cecilia(plan):
    return UserFactory(username="cecilia", role=CHIEF, first_name="Cecilia", last_name="Chef")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _opened_by(url, first, second):
    """Two clients that have both loaded the form at `url`, and the form data each of them got."""
    first_client, second_client = _client(first), _client(second)
    return first_client, second_client, form_data(first_client.get(url)), form_data(second_client.get(url))


def _refusal(response):
    """(the conflict section's text, its rows (field, yours, saved)) of a refused save, after checking the refusal."""
    assert response.status_code == 200
    assert CONFLICT_MESSAGE in response.context["form"].non_field_errors()
    page = response.content.decode()
    assert CONFLICT_MESSAGE in page
    section = SECTION.search(page).group(1)
    return section, [tuple(cell.strip() for cell in row) for row in ROW.findall(section)]


def test_every_form_page_carries_the_version_it_was_loaded_at(anna, cecilia, plan):
    pages = [
        (anna, reverse("procurement:supplier_update", args=[SupplierFactory().pk])),
        (anna, reverse("procurement:information_update", args=[InformationActivityFactory().pk])),
        (anna, reverse("procurement:competence_update", args=[CompetenceEffortFactory().pk])),
        (anna, reverse("procurement:dialogue_update", args=[MunicipalityDialogueFactory().pk])),
        (anna, reverse("indicators:value_update", args=[IndicatorValueFactory(code="1.1").pk])),
        (anna, reverse("economy:economy_update", args=[EconomicReportFactory(as_of=D(2026, 4, 30)).pk])),
        (cecilia, reverse("reports:report_edit", args=[
            create_report(meeting=MeetingFactory(date=D(2026, 5, 20)), user=cecilia)[0].pk])),
    ]
    for user, url in pages:
        page = _client(user).get(url).content.decode()
        assert '<input type="hidden" name="version" value="1"' in page, url


# --- Suppliers ------------------------------------------------------------------------------------------

def test_the_second_of_two_supplier_edits_is_refused_and_shows_both_versions(anna, bo):
    supplier = SupplierFactory(name="Dala Städ AB")
    url = reverse("procurement:supplier_update", args=[supplier.pk])
    annas_client, bos_client, annas_form, bos_form = _opened_by(url, anna, bo)
    assert annas_form["version"] == bos_form["version"] == "1"
    assert annas_client.post(url, {**annas_form, "name": "Dala Städ och Fönster AB"}).status_code == 302

    response = bos_client.post(url, {**bos_form, "name": "Dala Städservice AB", "sme": "on"})

    section, rows = _refusal(response)
    assert ("Namn", "Dala Städservice AB", "Dala Städ och Fönster AB") in rows
    assert ("Litet eller medelstort företag (SMF)", "Ja", "Nej") in rows
    assert "Anna Andersson" in section  # who saved, from the history
    kept = form_data(response)
    assert (kept["name"], kept.get("sme"), kept["version"]) == ("Dala Städservice AB", "on", "2")
    supplier.refresh_from_db()
    assert (supplier.name, supplier.sme, supplier.version) == ("Dala Städ och Fönster AB", False, 2)


def test_after_comparing_the_second_person_saves_the_supplier_knowingly(anna, bo):
    supplier = SupplierFactory(name="Dala Städ AB")
    url = reverse("procurement:supplier_update", args=[supplier.pk])
    annas_client, bos_client, annas_form, bos_form = _opened_by(url, anna, bo)
    annas_client.post(url, {**annas_form, "name": "Annas namn AB"})
    refused = bos_client.post(url, {**bos_form, "name": "Bos namn AB"})

    assert bos_client.post(url, form_data(refused)).status_code == 302
    supplier.refresh_from_db()
    assert (supplier.name, supplier.version) == ("Bos namn AB", 3)


# --- Hand-reported values ---------------------------------------------------------------------------------

def test_the_second_of_two_edits_of_a_reported_value_is_refused(anna, bo):
    value = IndicatorValueFactory(code="1.1", value=Decimal("80.5"), comment="Enkät")
    url = reverse("indicators:value_update", args=[value.pk])
    annas_client, bos_client, annas_form, bos_form = _opened_by(url, anna, bo)
    assert annas_client.post(url, {**annas_form, "value": "82,5", "reason": "Rättat"}).status_code == 302

    response = bos_client.post(url, {**bos_form, "value": "79", "comment": "Bos rättelse", "reason": "Rättat"})

    section, rows = _refusal(response)
    assert ("Värde", "79", "82,5") in rows
    assert ("Kommentar", "Bos rättelse", "Enkät") in rows
    assert "Anna Andersson" in section
    assert 'value="79"' in response.content.decode()  # Bo's typing is kept
    value.refresh_from_db()
    assert (value.value, value.comment, value.recorded_by, value.version) == (Decimal("82.5"), "Enkät", anna, 2)


# --- Economic reports ---------------------------------------------------------------------------------------

def test_the_second_of_two_edits_of_an_economic_report_is_refused(anna, bo, plan):
    report = EconomicReportFactory(as_of=D(2026, 4, 30), comment="Tertial 1", lines=lambda line: (10, 100))
    line = BudgetLine.objects.filter(plan=plan, year=2026).order_by("kind", "order").first()
    url = reverse("economy:economy_update", args=[report.pk])
    annas_client, bos_client, annas_form, bos_form = _opened_by(url, anna, bo)
    assert annas_client.post(url, {**annas_form, f"outcome_{line.pk}": "12"}).status_code == 302

    response = bos_client.post(url, {**bos_form, f"outcome_{line.pk}": "15", "comment": "Bos kommentar"})

    section, rows = _refusal(response)
    assert (f"{line.name}, utfall (tkr)", "15", "12") in rows
    assert ("Kommentar", "Bos kommentar", "Tertial 1") in rows
    assert "Senast sparad" in section and "Anna Andersson" in section  # no history: who saved it last
    assert form_data(response)[f"outcome_{line.pk}"] == "15"
    report.refresh_from_db()
    assert (report.comment, report.recorded_by, report.version) == ("Tertial 1", anna, 2)
    assert report.lines.get(budget_line=line).outcome_tkr == 12


# --- Report texts ---------------------------------------------------------------------------------------------

def test_the_second_of_two_tabs_writing_a_report_is_refused(cecilia):
    report = create_report(meeting=MeetingFactory(date=D(2026, 5, 20)), user=cecilia)[0]
    url = reverse("reports:report_edit", args=[report.pk])
    first_tab, second_tab, first_form, second_form = _opened_by(url, cecilia, cecilia)
    assert first_tab.post(url, {**first_form, "overall_analysis": "Skrivet i flik ett."}).status_code == 302

    response = second_tab.post(url, {**second_form, "overall_analysis": "Skrivet i flik två.",
                                     "goal_1": "Målanalys från flik två."})

    section, rows = _refusal(response)
    assert ("Analys av verksamheten", "Skrivet i flik två.", "Skrivet i flik ett.") in rows
    assert ("Analys av inriktningsmål 1", "Målanalys från flik två.", "–") in rows
    assert "Senast sparad" in section and "Cecilia Chef" in section
    assert form_data(response)["goal_1"] == "Målanalys från flik två."
    report.refresh_from_db()
    assert (report.overall_analysis, report.edit_version) == ("Skrivet i flik ett.", 2)
    assert GoalAnalysis.objects.get(report=report, goal__number=1).text == ""

    assert second_tab.post(url, form_data(response)).status_code == 302  # after comparing, saved knowingly
    report.refresh_from_db()
    assert (report.overall_analysis, report.edit_version) == ("Skrivet i flik två.", 3)


# --- Activities ------------------------------------------------------------------------------------------------

ACTIVITIES = [
    (InformationActivityFactory, "information", "title", "Benämning"),
    (CompetenceEffortFactory, "competence", "title", "Benämning"),
    (MunicipalityDialogueFactory, "dialogue", "notes", "Anteckningar"),
]


@pytest.mark.parametrize("factory, name, field, label", ACTIVITIES)
def test_the_second_of_two_edits_of_an_activity_is_refused(anna, bo, factory, name, field, label):
    activity = factory(**{field: "Som registrerat"})
    url = reverse(f"procurement:{name}_update", args=[activity.pk])
    annas_client, bos_client, annas_form, bos_form = _opened_by(url, anna, bo)
    assert annas_client.post(url, {**annas_form, field: "Annas ändring"}).status_code == 302

    response = bos_client.post(url, {**bos_form, field: "Bos ändring"})

    section, rows = _refusal(response)
    assert (label, "Bos ändring", "Annas ändring") in rows
    assert "Anna Andersson" in section
    assert form_data(response)[field] == "Bos ändring"
    activity.refresh_from_db()
    assert (getattr(activity, field), activity.version) == ("Annas ändring", 2)


@pytest.mark.parametrize("model, factory, name", [
    (InformationActivity, InformationActivityFactory, "information"),
    (CompetenceEffort, CompetenceEffortFactory, "competence"),
    (MunicipalityDialogue, MunicipalityDialogueFactory, "dialogue"),
])
def test_deleting_an_activity_leaves_history_of_who_deleted_it(anna, model, factory, name):
    activity = factory()
    response = _client(anna).post(reverse(f"procurement:{name}_delete", args=[activity.pk]))
    assert response.status_code == 302 and not model.objects.exists()
    deleted = model.history.get(id=activity.pk, history_type="-")
    assert deleted.history_user == anna


# --- Stale bid rows -----------------------------------------------------------------------------------------------

def _bids(procurement):
    return sorted(Bid.objects.filter(procurement=procurement).values_list("supplier__name", "awarded"))


def test_a_bid_row_someone_else_removed_gives_the_conflict_message(anna, bo):
    dala, falu = SupplierFactory(name="Dala Städ AB"), SupplierFactory(name="Falu Bygg AB")
    procurement = ProcurementFactory(bids=[dala, falu], status="advertised", advertised_on=D(2026, 3, 1))
    url = reverse("procurement:procurement_update", args=[procurement.pk])
    annas_client, bos_client, annas_form, bos_form = _opened_by(url, anna, bo)
    dala_row = next(key.split("-")[1] for key, value in bos_form.items() if value == dala.org_number)
    assert annas_client.post(url, {**annas_form, f"bids-{dala_row}-DELETE": "on"}).status_code == 302

    response = bos_client.post(url, {**bos_form, f"bids-{dala_row}-disqualified": "on"})

    section, _rows = _refusal(response)
    assert "Anbud från Dala Städ AB: fanns" in section and "borttaget" in section
    assert _bids(procurement) == [("Falu Bygg AB", False)]
    kept = form_data(response)  # Bo's row of the removed bid is kept, as a new row
    row = next(key.split("-")[1] for key, value in kept.items() if value == dala.org_number)
    assert kept.get(f"bids-{row}-disqualified") == "on" and not kept.get(f"bids-{row}-id")

    assert bos_client.post(url, kept).status_code == 302  # saved knowingly: the bid is back, as Bo typed it
    assert list(Bid.objects.filter(procurement=procurement, supplier=dala).values_list("disqualified")) == [(True,)]


def test_saving_again_a_bid_row_someone_else_added_meanwhile_is_no_server_error(anna, bo):
    dala, falu = SupplierFactory(name="Dala Städ AB"), SupplierFactory(name="Falu Bygg AB")
    procurement = ProcurementFactory(bids=[dala], status="awarded", advertised_on=D(2026, 3, 1),
                                     awarded_on=D(2026, 5, 1))
    url = reverse("procurement:procurement_update", args=[procurement.pk])
    annas_client, bos_client, annas_form, bos_form = _opened_by(url, anna, bo)
    assert annas_client.post(url, {**annas_form, "bids-1-supplier": falu.org_number}).status_code == 302
    refused = bos_client.post(url, {**bos_form, "bids-1-supplier": falu.org_number, "bids-1-awarded": "on"})
    _refusal(refused)

    response = bos_client.post(url, form_data(refused))  # Bo's Falu row now is the row of Anna's Falu bid

    assert response.status_code == 302
    assert _bids(procurement) == [("Dala Städ AB", False), ("Falu Bygg AB", True)]


def test_a_new_bid_row_for_a_bidder_saved_without_the_form_is_a_conflict(anna, bo):
    dala, falu = SupplierFactory(name="Dala Städ AB"), SupplierFactory(name="Falu Bygg AB")
    procurement = ProcurementFactory(bids=[dala], status="advertised", advertised_on=D(2026, 3, 1))
    url = reverse("procurement:procurement_update", args=[procurement.pk])
    bos_client = _client(bo)
    bos_form = form_data(bos_client.get(url))
    Bid.objects.create(procurement=procurement, supplier=falu)  # e.g. in the shell: the version stays

    response = bos_client.post(url, {**bos_form, "title": "Bos titel", "bids-1-supplier": falu.org_number})

    _refusal(response)
    procurement.refresh_from_db()
    assert procurement.title != "Bos titel" and procurement.version == 1
    assert _bids(procurement) == [("Dala Städ AB", False), ("Falu Bygg AB", False)]


# --- Admin saves move the version on -------------------------------------------------------------------------------

@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("admin-test", "admin@example.se", "test-password-123")


def test_a_supplier_saved_in_admin_refuses_a_register_form_opened_before(superuser, bo):
    supplier = SupplierFactory(name="Dala Städ AB")
    url = reverse("procurement:supplier_update", args=[supplier.pk])
    bos_client = _client(bo)
    bos_form = form_data(bos_client.get(url))
    admin_url = reverse("admin:procurement_supplier_change", args=[supplier.pk])
    saved = _client(superuser).post(admin_url, {"name": "Rättad i admin AB", "org_number": supplier.org_number})
    assert saved.status_code == 302

    _refusal(bos_client.post(url, {**bos_form, "name": "Bos namn AB"}))
    supplier.refresh_from_db()
    assert (supplier.name, supplier.version) == ("Rättad i admin AB", 2)


def test_a_bid_removed_in_admin_moves_its_procurement_on(superuser):
    dala = SupplierFactory(name="Dala Städ AB")
    procurement = ProcurementFactory(bids=[dala])
    bid = procurement.bids.get()
    response = _client(superuser).post(reverse("admin:procurement_bid_delete", args=[bid.pk]), {"post": "yes"})
    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.version == 2 and not procurement.bids.exists()


def test_values_and_report_texts_saved_in_admin_move_their_versions_on(superuser, cecilia):
    request = RequestFactory().post("/")
    request.user = superuser
    value = IndicatorValueFactory(code="1.1")
    admin.site._registry[IndicatorValue].save_model(request, value, form=None, change=True)
    report = create_report(meeting=MeetingFactory(date=D(2026, 5, 20)), user=cecilia)[0]
    admin.site._registry[Report].save_model(request, report, form=None, change=True)
    value.refresh_from_db()
    report.refresh_from_db()
    assert (value.version, report.edit_version, report.version) == (2, 2, 0)  # `version` counts freezes


# --- The mechanism ---------------------------------------------------------------------------------------------------

def test_the_lock_refuses_a_stale_version_and_saves_nothing(plan):
    report = EconomicReportFactory(as_of=D(2026, 4, 30), comment="Tertial 1")
    stale = EconomicReport.objects.get(pk=report.pk)
    stale.comment = "Ändrad"
    with pytest.raises(EditConflict) as error:
        save_versioned(instance=stale, expected_version=0)
    assert error.value.current_version == 1
    report.refresh_from_db()
    assert (report.comment, report.version) == ("Tertial 1", 1)


def test_the_lock_says_when_the_record_is_gone(plan):
    supplier = SupplierFactory()
    gone = Supplier.objects.get(pk=supplier.pk)
    supplier.delete()
    with pytest.raises(EditConflict) as error:
        save_versioned(instance=gone, expected_version=1)
    assert error.value.current_version is None

