"""python manage.py followup_report --date … --format pdf|html --output …"""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.models import Report
from reports.services import create_report, freeze_report
from tests.factories import MeetingFactory
from tests.register_world import build_register

pytestmark = pytest.mark.django_db


def run(*args):
    call_command("followup_report", *args)


def test_it_writes_the_draft_as_html_for_a_date_without_a_meeting(plan, tmp_path):
    build_register()
    out = tmp_path / "rapport.html"
    run("--date", "2026-05-20", "--format", "html", "--output", str(out))
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and '<html lang="sv">' in html
    assert "Uppföljningsrapport per 20 maj 2026" in html and "1 januari – 20 maj 2026" in html
    assert "Utkast – inte fastställt" in html
    assert "Inga anbud" in html  # P4 cancelled on 10 February
    assert not Report.objects.exists()  # nothing stored


def test_it_uses_the_draft_texts_of_the_meeting_on_that_date(plan, chief_user, tmp_path):
    report = create_report(meeting=MeetingFactory(date=datetime.date(2026, 5, 20)), user=chief_user)[0]
    report.overall_analysis = "Utkastets analys."
    report.save()
    out = tmp_path / "rapport.html"
    run("--date", "2026-05-20", "--format", "html", "--output", str(out))
    assert "Utkastets analys." in out.read_text(encoding="utf-8")


def test_it_writes_the_stored_pdf_of_a_frozen_report(plan, chief_user, tmp_path, monkeypatch):
    monkeypatch.setattr("reports.services.render_pdf", lambda html: b"%PDF-1.7 lagrad")
    report = create_report(meeting=MeetingFactory(date=datetime.date(2026, 5, 20)), user=chief_user)[0]
    freeze_report(report=report, user=chief_user)
    out = tmp_path / "Uppfoljning-2026-05-20.pdf"
    run("--date", "2026-05-20", "--format", "PDF", "--output", str(out))
    assert out.read_bytes() == b"%PDF-1.7 lagrad"


@pytest.mark.parametrize(("date", "message"), [
    ("20-05-2026", "Ogiltigt datum ”20-05-2026”: ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-05-20."),
    ("2026-02-30", "Datumet ”2026-02-30” finns inte i kalendern."),
    ("2035-01-01", "Datumet 2035-01-01 ligger utanför nämndplanens år (2021–2028)."),
])
def test_it_refuses_a_bad_date_in_swedish(plan, tmp_path, date, message):
    with pytest.raises(CommandError) as error:
        run("--date", date, "--format", "pdf", "--output", str(tmp_path / "x.pdf"))
    assert str(error.value) == message
    assert not (tmp_path / "x.pdf").exists()


def test_it_refuses_an_unknown_format(plan, tmp_path):
    with pytest.raises(CommandError, match="Okänt format ”docx”: välj pdf eller html"):
        run("--date", "2026-05-20", "--format", "docx", "--output", str(tmp_path / "x.docx"))


def test_a_bad_date_exits_with_a_non_zero_status(plan, tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "followup_report", "--date", "igår", "--format", "pdf", "--output",
         str(tmp_path / "x.pdf"), "--skip-checks"],
        capture_output=True, text=True,
        # Outside pytest the settings want a SECRET_KEY; any key will do for a command that stops at its argument.
        env={"TESTING": "1", "PATH": "/usr/bin:/bin", "SECRET_KEY": "test-only-key-for-a-subprocess-0123456789abcdef"},
    )
    assert result.returncode == 1
    assert "Ogiltigt datum ”igår”" in result.stderr
