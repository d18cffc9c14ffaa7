"""`manage.py benchmark` keeps working: it measures every page and writes the report document."""

import json

import pytest
from django.core.management import call_command

from tests.register_world import build_register

pytestmark = pytest.mark.django_db


def test_the_benchmark_measures_every_page_and_reports(plan, tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    build_register()
    output = tmp_path / "bench.json"
    call_command("benchmark", "--runs", "1", "--label", "test", "--output", str(output), "--as-of", "2026-11-23",
                 stdout=open(tmp_path / "out.txt", "w"))
    data = json.loads(output.read_text())
    names = [r["name"] for r in data["results"]]
    assert "Startsidan (översikt)" in names and "Uppföljningsrapport (PDF, utkast)" in names
    assert {"Att göra (allas arbetslistor)", "Slutdatumsradar", "Uppföljningsplan"} <= set(names)
    assert all(r["status"] == 200 for r in data["results"]), data["results"]
    assert data["volumes"]["procurements"] == 6
    doc = tmp_path / "performance.md"
    call_command("benchmark", "--report", str(output), str(output), "--doc", str(doc), stdout=open(
        tmp_path / "out2.txt", "w"))
    text = doc.read_text()
    assert "| Startsidan (översikt) |" in text and "Queries per page identical at every volume: **yes**" in text
