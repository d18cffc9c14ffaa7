"""`manage.py export_indicators --year YYYY`: the JSON that scripts and integrations read."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.test_plan_loading import SEED_VALUES

pytestmark = pytest.mark.django_db


def _export(*args):
    out = StringIO()
    call_command("export_indicators", *args, stdout=out)
    return json.loads(out.getvalue())


def test_one_object_per_indicator_with_the_agreed_fields(plan):
    rows = _export("--year", "2024")
    assert len(rows) == 48
    assert {"code", "goal", "name", "unit", "target", "values", "status"} <= set(rows[0])
    assert [r["goal"] for r in rows].count(8) == 10


def test_values_match_the_seed_and_every_year_is_present(plan):
    rows = {r["code"]: r for r in _export("--year", "2024")}
    for code, years in SEED_VALUES.items():
        values = rows[code]["values"]
        assert set(values) == {str(y) for y in range(2021, 2029)}
        for year, value in years.items():
            assert values[str(year)] == pytest.approx(float(value)), (code, year)
    assert rows["8.9"]["values"]["2023"] is None


def test_status_for_the_asked_year(plan):
    rows = {r["code"]: r for r in _export("--year", "2024")}
    assert rows["1.1"]["status"] == "met"  # 93,0 > 90
    assert rows["1.2"]["status"] == "not_met"  # 56 % < 80 % (the target in force in 2024)
    assert rows["4.8"]["status"] == "met"  # 59 % >= 20 %
    assert rows["4.10"]["status"] == "not_met"  # 14 % < 20 %
    assert rows["8.8"]["status"] == "no_target"
    assert rows["4.5"]["status"] == "no_value"
    assert rows["1.2"]["target"].startswith("Minst 80")
    rows_2023 = {r["code"]: r for r in _export("--year", "2023")}
    assert rows_2023["1.1"]["status"] == "not_met"  # 86,6 is not over 90
    assert rows_2023["5.4"]["status"] == "met"  # 2,6 after 2,5: an increase


def test_a_year_outside_the_plan_is_refused(plan):
    with pytest.raises(CommandError, match="utanför"):
        _export("--year", "2019")
