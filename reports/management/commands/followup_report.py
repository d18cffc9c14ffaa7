"""python manage.py followup_report --date 2026-05-20 --format pdf --output Uppfoljning-2026-05-20.pdf

For scheduled runs. With a frozen report for the meeting on that date, writes what was stored;
otherwise builds the draft for that date (with the meeting's draft texts, if any) and stores
nothing. A date without a meeting is allowed: the report then covers the year to that date.
A draft never counts days that have not come: for a date after today it covers the year to today.
The report at the first meeting of a year covers the previous year whole (reports/period.py).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.dates import ISO_DATE, parse_iso_date
from nämndplan.models import Meeting, Plan, cut_off
from reports.models import Report
from reports.pdf import render_document, render_pdf
from reports.period import ReportPeriod, meeting_period
from reports.snapshot import build_snapshot

FORMATS = ("pdf", "html")


def parse_date(text):
    date = parse_iso_date(text)
    if date is None and ISO_DATE.match(text or ""):
        raise CommandError(f"Datumet ”{text}” finns inte i kalendern.")
    if date is None:
        raise CommandError(f"Ogiltigt datum ”{text or ''}”: ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-05-20.")
    return date


class Command(BaseCommand):
    help = "Skriver uppföljningsrapporten per ett datum som PDF eller HTML."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Rapportens datum (sammanträdesdagen), ÅÅÅÅ-MM-DD.")
        parser.add_argument("--format", dest="fmt", help="pdf eller html.")
        parser.add_argument("--output", help="Filen som ska skrivas.")

    def handle(self, *args, date=None, fmt=None, output=None, **options):
        date = parse_date(date)
        fmt = (fmt or "").lower()
        if fmt not in FORMATS:
            raise CommandError(f"Okänt format ”{fmt}”: välj pdf eller html (--format pdf).")
        if not output:
            raise CommandError("Ange filen som ska skrivas med --output SÖKVÄG.")
        plan = Plan.objects.current()
        if plan is None:
            raise CommandError("Ingen nämndplan är inläst. Kör först: python manage.py load_plan")
        if date.year not in plan.all_years:
            raise CommandError(
                f"Datumet {date.isoformat()} ligger utanför nämndplanens år "
                f"({plan.all_years[0]}–{plan.all_years[-1]})."
            )
        content, frozen, period = self._content(plan, date, fmt)
        path = Path(output)
        try:
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        except OSError as error:
            raise CommandError(f"Kunde inte skriva {path}: {error.strerror or error}.") from None
        kind = "fastställd rapport" if frozen else "utkast, inte sparat"
        if period.full_year:
            kind = f"{period.title.lower()}, {kind}"
        self.stdout.write(f"Skrev {fmt.upper()} ({kind}) per {period.as_of.isoformat()} till {path} "
                          f"({len(content) // 1024} kB).")

    def _content(self, plan, date, fmt):
        """(content, frozen, period) for the report of `date`."""
        report = Report.objects.select_related("meeting").filter(meeting__date=date).first()
        if report is not None and report.is_frozen:
            return (bytes(report.pdf) if fmt == "pdf" else report.html), True, report.period()
        period = self._period(date)
        previous = Report.objects.frozen_before(date)
        snapshot = build_snapshot(plan, period=period, report=report, previous=previous)
        html = render_document(snapshot)
        return (render_pdf(html) if fmt == "pdf" else html), False, period

    @staticmethod
    def _period(date):
        """The meeting's period on that date; a date without a meeting covers its year to that date."""
        today = timezone.localdate()
        meeting = Meeting.objects.filter(date=date).first()
        if meeting is None:
            return ReportPeriod.to_date(cut_off(date, today))
        return meeting_period(meeting, today)
