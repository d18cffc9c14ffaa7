"""The import preview warns about data-quality problems the rows would add (procurement/quality.py)."""

import datetime

import pytest

from procurement.importing import PROCUREMENTS, ImportResult
from procurement.models import Procurement
from tests.test_import_engine import good_rows, run

pytestmark = pytest.mark.django_db


def test_a_dry_run_names_the_checks_the_rows_would_add_to(categories):
    # UhC 2026/002 is advertised without any UHM level.
    result = run(good_rows(), dry_run=True)
    assert ("Annonserad upphandling utan UHM-nivåer", 1) in result.quality_warnings
    assert not Procurement.objects.exists()
    kept = ImportResult.from_data(result.as_data())
    assert kept.quality_warnings == result.quality_warnings


def test_a_problem_already_in_the_register_is_not_warned_about_again(categories):
    run(good_rows())
    rows = good_rows()
    rows[PROCUREMENTS][1]["title"] = "IT-konsulter, ändrad"
    result = run(rows, dry_run=True)
    assert result.quality_warnings == []


def test_a_last_day_for_tenders_after_the_award_is_warned_about(categories):
    rows = good_rows()
    rows[PROCUREMENTS][0]["tender_deadline"] = datetime.date(2026, 3, 10)  # the award decision is 1 March
    result = run(rows, dry_run=True)
    assert ("Sista anbudsdag efter tilldelningsbeslutet", 1) in result.quality_warnings
