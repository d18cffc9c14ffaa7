"""`manage.py export_ocds --year YYYY [--output FILE]`: the OCDS release package, or a Swedish refusal."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from procurement.models import Procurement
from tests.factories import ProcurementFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _run(*args):
    out = StringIO()
    call_command("export_ocds", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def advertised(plan):
    return ProcurementFactory(case_number="UhC 2025/0001", status=Procurement.Status.ADVERTISED,
                              advertised_on=D(2025, 9, 1))


def test_it_writes_the_package_of_the_year_to_standard_output(advertised):
    package = json.loads(_run("--year", "2025"))
    assert package["version"] == "1.1"
    assert [r["tender"]["id"] for r in package["releases"]] == ["UhC 2025/0001"]


def test_it_writes_the_package_to_the_file_given_and_says_so(advertised, tmp_path):
    path = tmp_path / "ocds-2025.json"
    message = _run("--year", "2025", "--output", str(path))
    assert message.strip() == f"Skrev 1 upphandlingar annonserade 2025 till {path}."
    assert json.loads(path.read_text(encoding="utf-8"))["releases"][0]["ocid"].endswith("-UHC2025-0001")


@pytest.mark.parametrize(("args", "message"), [
    ((), "Ange året med --year ÅÅÅÅ, t.ex. --year {this}."),
    (("--year", "tjugo"), "Ogiltigt år ”tjugo”: ange året med fyra siffror, t.ex. --year {this}."),
    (("--year", "1999"), "Året 1999 ligger utanför 2000–{this}: ange ett år då upphandlingar kan ha annonserats, "
                         "t.ex. --year {this}."),
    (("--year", "{next}"), "Året {next} ligger utanför 2000–{this}: ange ett år då upphandlingar kan ha "
                           "annonserats, t.ex. --year {this}."),
])
def test_a_missing_or_implausible_year_is_refused_in_swedish(db, args, message):
    this = timezone.localdate().year
    args = [a.format(next=this + 1) for a in args]
    with pytest.raises(CommandError) as refusal:
        _run(*args)
    assert str(refusal.value) == message.format(this=this, next=this + 1)


def test_a_year_without_advertised_procurements_is_refused(advertised):
    with pytest.raises(CommandError, match="^Inga upphandlingar annonserades 2024: det finns inget att exportera.$"):
        _run("--year", "2024")


def test_a_file_that_cannot_be_written_is_refused(advertised, tmp_path):
    with pytest.raises(CommandError, match="^Kunde inte skriva"):
        _run("--year", "2025", "--output", str(tmp_path / "saknas" / "ocds.json"))
