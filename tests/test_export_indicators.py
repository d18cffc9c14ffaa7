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


def test_until_gives_the_year_to_date_and_municipality_narrows(plan):
    from tests.register_world import build_register

    build_register()
    rows = {r["code"]: r for r in _export("--year", "2026", "--until", "2026-04-30")}
    assert rows["4.1"]["values"]["2026"] == 33.3  # advertised by 30/4: P1, P2, P4; employment in P1
    assert rows["4.1"]["until"] == "2026-04-30"
    assert rows["2.1"]["status"] == "off_track"  # 1 follow-up by 30/4, 250 × 120/365 = 82,2 expected
    falun = {r["code"]: r for r in _export("--year", "2026", "--until", "2026-12-31", "--municipality", "falun")}
    assert falun["1.2"]["values"]["2026"] == 66.7 and falun["1.2"]["municipality"] == "Falun"
    assert "1.3" not in falun  # categories are not per municipality


def test_bad_until_and_unknown_municipality_are_refused(plan):
    with pytest.raises(CommandError, match="Ogiltigt datum"):
        _export("--until", "2026-02-30")
    with pytest.raises(CommandError, match="Okänd kommun"):
        _export("--year", "2026", "--municipality", "Mora")
    with pytest.raises(CommandError, match="ligger inte i år"):
        _export("--year", "2025", "--until", "2026-03-01")


def test_the_excel_export_has_the_same_numbers_as_the_json(member_client, plan):
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    response = member_client.get(reverse("indicators:indicators_xlsx"), {"ar": "2024"})
    assert response["Content-Disposition"].startswith('attachment; filename="indikatorer-2024-')
    ws = load_workbook(BytesIO(response.content))["Indikatorer"]
    headers = [c.value for c in ws[1]]
    rows = {row[0]: dict(zip(headers, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 48
    assert rows["1.2"]["2024"] == 56 and rows["3.1"]["2023"] == 9.4
    assert rows["1.2"]["Status 2024"] == "Ej uppfyllt"
    assert rows["8.9"]["2023"] is None
