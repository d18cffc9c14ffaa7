"""`manage.py import_register FILE.xlsx [--dry-run]` and `manage.py register_template FILE.xlsx`."""

from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from openpyxl import load_workbook

from procurement.importing import build_template
from procurement.models import Bid, Procurement
from tests.test_import_engine import bad_rows, good_rows


@pytest.fixture
def good_file(tmp_path, categories):
    path = tmp_path / "register.xlsx"
    path.write_bytes(build_template(good_rows()))
    return path


@pytest.fixture
def bad_file(tmp_path, categories):
    path = tmp_path / "fel.xlsx"
    path.write_bytes(build_template(bad_rows()))
    return path


def command(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_and_prints_the_counts(good_file):
    out, err = command("import_register", str(good_file))
    assert "Upphandlingar: 2 nya, 0 ändrade." in out
    assert "Anbud: 3 nya, 0 ändrade." in out
    assert "Leverantörer: 2 nya, 0 ändrade." in out
    assert "Importen är sparad." in out
    assert err == ""
    assert Procurement.objects.count() == 2


def test_a_second_run_updates_instead_of_duplicating(good_file):
    command("import_register", str(good_file))
    out, _err = command("import_register", str(good_file))
    assert "Upphandlingar: 0 nya, 0 ändrade, 2 oförändrade." in out
    assert Procurement.objects.count() == 2
    assert Bid.objects.count() == 3


def test_a_dry_run_prints_the_counts_and_saves_nothing(good_file):
    out, _err = command("import_register", str(good_file), "--dry-run")
    assert "Upphandlingar: 2 nya, 0 ändrade." in out
    assert "Provkörning: ingenting sparades." in out
    assert Procurement.objects.count() == 0


def test_errors_are_printed_one_line_each_and_nothing_is_saved(bad_file):
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_register", str(bad_file), stdout=StringIO(), stderr=err)
    assert str(failure.value) == "15 fel i filen. Ingenting sparades."
    lines = err.getvalue().splitlines()
    assert len(lines) == 15
    assert lines[0] == ("Upphandlingar, rad 4, Datum tilldelningsbeslut: "
                        "Tilldelningsbeslutet kan inte komma före annonseringen.")
    assert "Anbud, rad 5, Leverantörens organisationsnummer: Organisationsnumret 556016-0681 har fel kontrollsiffra." \
        in lines
    assert Procurement.objects.count() == 0


@pytest.fixture
def keep_connection(monkeypatch):
    """run_from_argv closes every connection when a command ends, which would end the test's transaction."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def test_the_exit_status_is_non_zero_on_errors(bad_file, capsys, keep_connection):
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "import_register", str(bad_file)])
    assert exit_.value.code == 1
    assert "Upphandlingar, rad 6, Kategori: Kategorin ”Rymdfart” finns inte i registret." in capsys.readouterr().err
    assert Procurement.objects.count() == 0


def test_the_exit_status_is_zero_on_success(good_file, capsys, keep_connection):
    execute_from_command_line(["manage.py", "import_register", str(good_file)])  # no SystemExit
    assert "Importen är sparad." in capsys.readouterr().out


def test_a_refused_file_gives_its_message(tmp_path, db):
    path = tmp_path / "register.txt"
    path.write_text("hej")
    with pytest.raises(CommandError, match="Filen ”register.txt” är inte en Excel-arbetsbok."):
        command("import_register", str(path))


def test_a_missing_file_is_reported(tmp_path, db):
    with pytest.raises(CommandError, match="finns inte"):
        command("import_register", str(tmp_path / "saknas.xlsx"))


def test_register_template_writes_the_template(tmp_path, categories):
    path = tmp_path / "mall.xlsx"
    out, _err = command("register_template", str(path))
    assert out.strip() == f"Mallen har skrivits till {path}."
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Instruktioner", "Upphandlingar", "Anbud", "Avtal", "Uppföljningar", "Listor"]
