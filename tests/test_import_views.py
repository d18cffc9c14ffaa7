"""Import in the browser: template download, upload, progress and preview (nothing saved), confirm (saved), refusals.

The file is read, checked and imported by background tasks: `run_worker` runs what is queued with the
database backend's own worker (`manage.py db_worker --batch`), as production's worker would.
"""

from io import BytesIO
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from procurement.importing import SESSION_KEY, ImportResult, RowError, build_template
from procurement.importing.models import ImportRun, StagedRow
from procurement.models import Bid, Contract, ContractFollowUp, Procurement, Supplier
from tests.test_import_engine import bad_rows, good_rows

UPLOAD = reverse("procurement:import_upload")
PREVIEW = reverse("procurement:import_preview")
CONFIRM = reverse("procurement:import_confirm")
STATUS = reverse("procurement:import_status")
TEMPLATE = reverse("procurement:import_template")


@pytest.fixture(autouse=True)
def temp_dir(tmp_path, settings):
    settings.IMPORT_TEMP_DIR = tmp_path / "uppladdat"
    return settings.IMPORT_TEMP_DIR


def xlsx_upload(rows, name="register.xlsx"):
    return SimpleUploadedFile(name, build_template(rows), content_type="application/octet-stream")


def stored_files(temp_dir):
    return sorted(temp_dir.glob("*")) if temp_dir.exists() else []


def run_worker():
    """Run the queued tasks, then stop: the database backend's worker in batch mode.

    Between tasks the worker closes the database connection if it is in a transaction, as it would be after a
    crash; the test's own transaction is one, so that housekeeping is left out here.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)


def upload_and_check(client, rows, name="register.xlsx"):
    response = client.post(UPLOAD, {"file": xlsx_upload(rows, name=name)})
    run_worker()
    return response


def after_import_url():
    try:
        return reverse("procurement:procurement_list")
    except Exception:
        return reverse("dashboards:home")


def test_the_upload_page_explains_the_template_and_links_to_it(staff_client, plan):
    page = staff_client.get(UPLOAD).content.decode()
    assert f'href="{TEMPLATE}"' in page
    assert "Hämta mallen (.xlsx)" in page
    assert 'enctype="multipart/form-data"' in page
    assert "Förhandsgranska" in page


def test_the_template_downloads_as_an_xlsx_file(staff_client, plan):
    response = staff_client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="upphandlingsregister-mall.xlsx"'
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames[:5] == ["Instruktioner", "Upphandlingar", "Anbud", "Avtal", "Uppföljningar"]


def test_upload_preview_and_confirm_save_the_register(staff_client, categories, temp_dir):
    response = staff_client.post(UPLOAD, {"file": xlsx_upload(good_rows())})
    assert response.status_code == 302
    assert response["Location"] == PREVIEW
    assert len(stored_files(temp_dir)) == 1
    run = ImportRun.objects.get()
    assert stored_files(temp_dir)[0].name == f"{run.file_token}.xlsx"  # a random name, never the user's
    assert staff_client.session[SESSION_KEY] == {"run": str(run.pk)}

    waiting = staff_client.get(PREVIEW).content.decode()  # queued: the worker has not read it yet
    assert "Filen kontrolleras" in waiting and "<progress" in waiting and "Spara importen" not in waiting

    run_worker()
    assert stored_files(temp_dir) == []  # read into staged rows, then removed
    assert StagedRow.objects.filter(run=run).count() == 2 + 3 + 1 + 2
    preview = staff_client.get(PREVIEW)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Filen register.xlsx har kontrollerats. Ingenting är sparat ännu." in page
    counts = {sheet: (c.created, c.updated) for sheet, c in preview.context["result"].counts.items()}
    assert counts["Upphandlingar"] == (2, 0)
    assert counts["Anbud"] == (3, 0)
    assert "Spara importen" in page and "<progress" not in page
    assert f'action="{CONFIRM}"' in page
    assert Procurement.objects.count() == 0  # the preview is a dry run

    response = staff_client.post(CONFIRM)
    assert response.status_code == 302
    assert response["Location"] == PREVIEW
    assert "Importen sparas" in staff_client.get(PREVIEW).content.decode()
    assert Procurement.objects.count() == 0  # queued, not yet saved

    run_worker()
    response = staff_client.get(PREVIEW)
    assert response.status_code == 302
    assert response["Location"] == after_import_url()
    assert Procurement.objects.count() == 2
    assert Bid.objects.count() == 3
    assert Supplier.objects.count() == 2
    assert Contract.objects.count() == 1
    assert ContractFollowUp.objects.count() == 2
    assert SESSION_KEY not in staff_client.session
    assert not ImportRun.objects.exists() and not StagedRow.objects.exists()

    page = staff_client.get(response["Location"]).content.decode()
    assert "Importen är sparad. Upphandlingar: 2 nya, 0 ändrade." in page


def test_history_records_who_imported(staff_client, staff_user, categories):
    upload_and_check(staff_client, good_rows())
    staff_client.post(CONFIRM)
    run_worker()
    procurement = Procurement.objects.get(case_number="UhC 2026/001")
    assert procurement.history.earliest().history_user == staff_user
    assert sorted(m.municipality.name for m in procurement.history.earliest().municipalities.all()) == [
        "Borlänge", "Falun"]


def test_a_file_with_errors_shows_every_error_and_cannot_be_saved(staff_client, categories):
    upload_and_check(staff_client, bad_rows())
    preview = staff_client.get(PREVIEW)
    page = preview.content.decode()
    errors = preview.context["result"].errors
    assert len(errors) == 15
    assert "Filen har 15 fel" in page
    assert "<td>Datum tilldelningsbeslut</td>" in page
    assert "Tilldelningsbeslutet kan inte komma före annonseringen." in page
    assert "Organisationsnumret 556016-0681 har fel kontrollsiffra." in page
    assert "Kategorin ”Rymdfart” finns inte i registret." in page
    assert "Spara importen" not in page

    response = staff_client.post(CONFIRM)  # even when forced, nothing is saved or queued
    assert response.status_code == 200
    assert "Filen har 15 fel" in response.content.decode()
    assert ImportRun.objects.get().step == ImportRun.Step.PREVIEW
    run_worker()
    assert Procurement.objects.count() == 0
    assert Supplier.objects.count() == 0


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("register.txt", b"hej", "Filen ”register.txt” är inte en Excel-arbetsbok."),
        ("register.xlsx", b"hej", "Filen ”register.xlsx” heter .xlsx men är ingen Excel-arbetsbok."),
        ("register.xlsm", None, "Filen innehåller makron och tas inte emot."),
    ],
)
def test_refused_files_are_explained_on_the_upload_page_and_not_kept(staff_client, plan, temp_dir, name, content,
                                                                     message):
    file = SimpleUploadedFile(name, content if content is not None else build_template())
    response = staff_client.post(UPLOAD, {"file": file})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert any(message in error for error in response.context["form"].errors["file"])
    assert stored_files(temp_dir) == []
    assert SESSION_KEY not in staff_client.session


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_refused_on_the_upload_page(staff_client, plan, temp_dir):
    response = staff_client.post(UPLOAD, {"file": SimpleUploadedFile("register.xlsx", b"x" * 2000)})
    assert "Filen är 2\xa0kB; den får vara högst 1\xa0000\xa0byte." in response.content.decode()
    assert stored_files(temp_dir) == []


def test_an_upload_without_a_file_asks_for_one(staff_client, plan):
    response = staff_client.post(UPLOAD, {})
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["file"]
    assert error.code == "required"
    assert error.messages[0] in response.content.decode()  # Django's Swedish "required" message


def test_the_preview_without_an_upload_says_so(staff_client, plan):
    page = staff_client.get(PREVIEW).content.decode()
    assert "Det finns ingen uppladdad fil att förhandsgranska." in page
    assert "Spara importen" not in page


def test_confirm_without_an_upload_sends_back_to_the_upload_page(staff_client, plan):
    response = staff_client.post(CONFIRM, follow=True)
    assert response.redirect_chain == [(UPLOAD, 302)]
    assert "Det finns ingen uppladdad fil att spara. Ladda upp filen igen." in response.content.decode()


def test_a_session_token_that_is_not_ours_never_reaches_the_file_system(staff_client, plan, temp_dir, tmp_path):
    secret = tmp_path / "hemlig.xlsx"
    secret.write_bytes(build_template())
    session = staff_client.session
    session[SESSION_KEY] = {"token": "../hemlig", "name": "x.xlsx"}
    session.save()
    assert "Det finns ingen uppladdad fil att förhandsgranska." in staff_client.get(PREVIEW).content.decode()
    staff_client.post(CONFIRM)
    assert secret.exists()
    assert Procurement.objects.count() == 0


def test_a_new_upload_replaces_the_previous_one(staff_client, categories, temp_dir):
    upload_and_check(staff_client, bad_rows())
    staff_client.post(UPLOAD, {"file": xlsx_upload(good_rows(), name="rättad.xlsx")})
    assert len(stored_files(temp_dir)) == 1
    assert list(ImportRun.objects.values_list("file_name", flat=True)) == ["rättad.xlsx"]
    assert StagedRow.objects.count() == 0  # the first file's rows went with its run
    run_worker()
    assert "Filen rättad.xlsx har kontrollerats." in staff_client.get(PREVIEW).content.decode()


def test_a_run_is_only_found_by_the_user_who_uploaded_it(staff_client, categories, client):
    from ops.roles import STAFF
    from tests.factories import UserFactory

    upload_and_check(staff_client, good_rows())
    other = client.__class__()
    other.force_login(UserFactory(role=STAFF))
    session = other.session
    session[SESSION_KEY] = {"run": str(ImportRun.objects.get().pk)}
    session.save()
    assert "Det finns ingen uppladdad fil att förhandsgranska." in other.get(PREVIEW).content.decode()
    assert other.get(STATUS).json() == {"finished": True}
    other.post(CONFIRM)
    assert ImportRun.objects.get().step == ImportRun.Step.PREVIEW  # nothing queued for the stranger


def test_confirm_needs_post(staff_client, plan):
    assert staff_client.get(CONFIRM).status_code == 405


def _refuse_to_import(*args, **kwargs):
    raise AssertionError("the preview page must not run the import")


def test_the_preview_page_only_shows_the_dry_run_made_at_upload(staff_client, categories, monkeypatch):
    upload_and_check(staff_client, bad_rows())
    monkeypatch.setattr("procurement.importing.engine._Importer.check", _refuse_to_import)
    with CaptureQueriesContext(connection) as queries:
        first = staff_client.get(PREVIEW)
    assert not [q["sql"] for q in queries.captured_queries if "procurement_" in q["sql"]]  # no lookups, no locks
    reload = staff_client.get(PREVIEW)
    assert first.status_code == reload.status_code == 200
    assert "Filen har 15 fel" in reload.content.decode()
    assert "Kategorin ”Rymdfart” finns inte i registret." in reload.content.decode()
    assert reload.context["result"].errors == first.context["result"].errors
    assert len(reload.context["result"].errors) == 15


def test_a_reloaded_preview_shows_the_same_counts(staff_client, categories, monkeypatch):
    upload_and_check(staff_client, good_rows())
    monkeypatch.setattr("procurement.importing.engine._Importer.check", _refuse_to_import)
    for _attempt in range(2):
        preview = staff_client.get(PREVIEW)
        counts = {sheet: (c.created, c.updated) for sheet, c in preview.context["result"].counts.items()}
        assert counts == {"Upphandlingar": (2, 0), "Anbud": (3, 0), "Avtal": (1, 0), "Uppföljningar": (2, 0),
                          "Leverantörer": (2, 0)}
        assert "Spara importen" in preview.content.decode()


def test_confirm_refuses_when_the_register_changed_since_the_preview(staff_client, categories):
    upload_and_check(staff_client, good_rows())
    assert "Spara importen" in staff_client.get(PREVIEW).content.decode()
    categories["it"].name = "IT"
    categories["it"].save()  # the file's "IT och telefoni" no longer exists

    assert staff_client.post(CONFIRM)["Location"] == PREVIEW
    run_worker()
    response = staff_client.get(PREVIEW)
    assert response.status_code == 200
    page = response.content.decode()
    assert "registret har ändrats sedan förhandsgranskningen" in page
    assert "Filen har 1 fel" in page and "Kategorin ”IT och telefoni” finns inte i registret." in page
    assert "Spara importen" not in page
    assert Procurement.objects.count() == 0 and Supplier.objects.count() == 0
    # A reload of the preview shows the errors found at the confirm, not the old clean dry run.
    assert "Kategorin ”IT och telefoni” finns inte i registret." in staff_client.get(PREVIEW).content.decode()


def test_the_run_keeps_at_most_a_thousand_errors_and_says_how_many_there_are(staff_client, categories,
                                                                             monkeypatch):
    errors = [RowError("Upphandlingar", row, "Benämning", "Fältet måste fyllas i.") for row in range(2, 1202)]
    monkeypatch.setattr("procurement.importing.tasks.import_sheets", lambda sheets, **options: ImportResult(
        dry_run=True, errors=errors))
    upload_and_check(staff_client, good_rows())
    kept = ImportRun.objects.get().result
    assert len(kept["errors"]) == 1000 and kept["more_errors"] == 200
    page = staff_client.get(PREVIEW).content.decode()
    assert "Filen har 1\xa0200 fel" in page
    assert "Här visas de första 1\xa0000 felen." in page
    assert page.count("<td>Fältet måste fyllas i.</td>") == 1000
