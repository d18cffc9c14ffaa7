"""Meetings and their follow-up reports: list, write, preview, freeze, reopen, download.

Who may do what (permissions of nämndplan/roles.py):
- reading a report, drafts included (read-only preview), its PDF, Word file and HTML document, and the
  PDFs and Word files of its earlier frozen versions: reports.view_report;
- writing (reports.change_report), freezing (reports.freeze_report), reopening (reports.reopen_report)
  and the Excel export (reports.export_report): Chef UhC;
- adding a meeting, and planning a year's meetings on one page: plan.add_meeting.
A frozen report is always served from what was stored when it was frozen, and an earlier version
(archived when the report was reopened) from what was stored then. Pages shown with GET never write.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from common.locking import EditConflict
from common.params import as_year
from common.xlsx import workbook_response
from nämndplan.forms import MeetingCalendarForm
from nämndplan.models import Meeting
from reports.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from reports.docx import render_docx
from reports.excel import report_sheets
from reports.forms import FreezeForm, MeetingForm, ReopenForm, ReportForm
from reports.meetings import add_meetings, next_meeting, year_rows
from reports.models import Report, ReportVersion
from reports.pdf import render_document, render_pdf
from reports.services import (
    ReportStateError,
    create_report,
    draft_snapshot,
    freeze_report,
    reopen_report,
    report_parts,
    report_snapshot,
    save_report_texts,
)


def _year(request):
    """The year of ?ar=YYYY; this year when it is absent or not a plausible year (common/bounds.py)."""
    return as_year(request.GET.get("ar")) or timezone.localdate().year


def _state_refusal_said(view):
    """A change the report's state no longer allows (it was frozen or reopened in another tab
    meanwhile) is said on the report's page, never a server error."""

    @functools.wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        try:
            return view(request, pk, *args, **kwargs)
        except ReportStateError as error:
            messages.error(request, str(error))
            return redirect("reports:report_detail", pk=pk)

    return wrapper


def _posted(request):
    """The POST data for a bound form (an empty POST too, so it shows its errors), else None."""
    return request.POST if request.method == "POST" else None


@require_safe
@permission_required("reports.view_report", raise_exception=True)
def meeting_list(request):
    year, today = _year(request), timezone.localdate()
    years = sorted({d.year for d in Meeting.objects.dates("date", "year")} | {year, today.year})
    return render(request, "reports/meeting_list.html", {
        "rows": year_rows(year), "next": next_meeting(today), "year": year, "years": years,
    })


@permission_required("plan.add_meeting", raise_exception=True)
def meeting_create(request):
    form = MeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, _("Sammanträdet %(date)s är tillagt.") % {"date": meeting.date.isoformat()})
        return redirect(f"{reverse('reports:meeting_list')}?ar={meeting.date.year}")
    return render(request, "reports/meeting_form.html", {"form": form})


@permission_required("plan.add_meeting", raise_exception=True)
def meeting_plan(request):
    """Next year's meetings (or ?ar=YYYY's) on one page: five date rows, blank rows ignored."""
    year = as_year(request.GET.get("ar")) or timezone.localdate().year + 1
    form = MeetingCalendarForm(_posted(request), year=year)
    if request.method == "POST" and form.is_valid():
        added = add_meetings(form.meetings())
        messages.success(request, ngettext("%(n)s sammanträde för %(year)s är inlagt.",
                                           "%(n)s sammanträden för %(year)s är inlagda.", len(added))
                         % {"n": len(added), "year": year})
        return redirect(f"{reverse('reports:meeting_list')}?ar={year}")
    planned = Meeting.objects.filter(date__year=year).order_by("date")
    return render(request, "reports/meeting_plan.html", {"form": form, "year": year, "planned": planned})


@require_POST
@permission_required("reports.add_report", raise_exception=True)
def report_create(request, meeting_pk):
    meeting = get_object_or_404(Meeting, pk=meeting_pk)
    report, created = create_report(meeting=meeting, user=request.user)
    if created:
        messages.success(request, _("Ett utkast till rapport för sammanträdet %(date)s är skapat.")
                         % {"date": meeting.date.isoformat()})
    return redirect("reports:report_edit", pk=report.pk)


def _report(pk, *, content=False):
    queryset = Report.objects.select_related("meeting", "frozen_by")
    return get_object_or_404(queryset if content else queryset.defer("html", "pdf", "docx"), pk=pk)


@require_safe
@permission_required("reports.view_report", raise_exception=True)
def report_detail(request, pk):
    report = _report(pk)
    log = report.log.select_related("user")
    versions = report.versions.select_related("frozen_by", "reopened_by").defer("snapshot", "html", "pdf", "docx")
    period = report.period()
    snapshot = report.snapshot if report.is_frozen else draft_snapshot(report, period=period)
    return render(request, "reports/report_detail.html", {
        "report": report, "s": snapshot, "period": period, "log": log, "versions": versions,
    })


@permission_required("reports.change_report", raise_exception=True)
@_state_refusal_said
def report_edit(request, pk):
    report = _report(pk)
    if report.is_frozen:
        messages.error(request, _("Rapporten är fastställd och kan inte ändras. Öppna den för ändring först."))
        return redirect(report)
    # Rows the report lacks (an assignment added since it was created) are shown unsaved; saving stores them.
    period = report.period()
    analyses, statuses = report_parts(report, year=period.year)
    form = ReportForm(_posted(request), instance=report, analyses=analyses, statuses=statuses)
    if request.method == "POST" and form.is_valid():
        try:
            save_report_texts(report=report, form=form, user=request.user)
        except EditConflict as conflict:
            form.show_conflict(conflict, saved=_saved_report_form(pk))
        else:
            messages.success(request, _("Rapportens texter är sparade."))
            return redirect("reports:report_edit" if "save_and_stay" in request.POST else "reports:report_detail",
                            pk=report.pk)
    return _edit_page(request, report, form, period)


def _edit_page(request, report, form, period):
    """The form with, beside each goal's text box, the figures the report will show: one draft snapshot."""
    snapshot = draft_snapshot(report, period=period)
    figures = {goal["number"]: goal["indicators"] for goal in snapshot["goals"]}
    return render(request, "reports/report_form.html", {
        "report": report, "form": form, "s": snapshot, "figures": figures, "period": period,
    })


def _saved_report_form(pk):
    """The report form as the texts are saved now: what a refused save is compared with."""
    saved = _report(pk)
    analyses, statuses = report_parts(saved)
    return ReportForm(instance=saved, analyses=analyses, statuses=statuses)


@permission_required("reports.freeze_report", raise_exception=True)
@_state_refusal_said
def report_freeze(request, pk):
    report = _report(pk)
    if report.is_frozen:
        messages.error(request, _("Rapporten är redan fastställd."))
        return redirect(report)
    form = FreezeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        report = freeze_report(report=report, user=request.user)
        messages.success(request, _("Rapporten är fastställd. Den ändras inte längre när registret ändras."))
        return redirect(report)
    return render(request, "reports/report_freeze.html", {"report": report, "form": form, "period": report.period()})


@permission_required("reports.reopen_report", raise_exception=True)
def report_reopen(request, pk):
    report = _report(pk)
    if not report.is_frozen:
        messages.error(request, _("Rapporten är inte fastställd."))
        return redirect(report)
    form = ReopenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        report = reopen_report(report=report, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Rapporten är öppnad för ändring. Dess siffror räknas nu om från registret. "
                                    "Den fastställda versionen %(number)s finns kvar oförändrad.")
                         % {"number": report.version})
        return redirect(report)
    return render(request, "reports/report_reopen.html", {"report": report, "form": form})


def _download(content, content_type, filename, *, inline=False):
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
@permission_required("reports.view_report", raise_exception=True)
def report_pdf(request, pk):
    report = _report(pk, content=True)
    pdf = bytes(report.pdf) if report.is_frozen else render_pdf(render_document(report_snapshot(report)))
    suffix = "" if report.is_frozen else "-utkast"
    return _download(pdf, "application/pdf", f"{report.file_stem}{suffix}.pdf")


@require_safe
@permission_required("reports.view_report", raise_exception=True)
def report_version_pdf(request, pk, number):
    """The PDF of an earlier frozen version, byte for byte as it was frozen (and sent)."""
    version = get_object_or_404(
        ReportVersion.objects.select_related("report__meeting").defer(
            "snapshot", "html", "docx", "report__snapshot", "report__html", "report__pdf", "report__docx"
        ),
        # report__pk, not report_id: Django's integer lookup answers "no such row" for a key above what the
        # column holds (/rapporter/99999999999999999999/...), where the foreign key's lookup is a server error.
        report__pk=pk, number=number,
    )
    return _download(bytes(version.pdf), "application/pdf", version.file_name)


@require_safe
@permission_required("reports.view_report", raise_exception=True)
def report_docx(request, pk):
    """The Word file: as stored when frozen (made from the stored snapshot if the report was frozen
    before Word files were stored), else the live draft's."""
    report = get_object_or_404(Report.objects.select_related("meeting").defer("html", "pdf"), pk=pk)
    docx = bytes(report.docx) if report.is_frozen and report.docx else render_docx(report_snapshot(report))
    suffix = "" if report.is_frozen else "-utkast"
    return _download(docx, DOCX_CONTENT_TYPE, f"{report.file_stem}{suffix}.docx")


@require_safe
@permission_required("reports.view_report", raise_exception=True)
def report_version_docx(request, pk, number):
    """The Word file of an earlier frozen version: as archived, or made from its archived snapshot."""
    version = get_object_or_404(
        ReportVersion.objects.select_related("report__meeting").defer(
            "html", "pdf", "report__snapshot", "report__html", "report__pdf", "report__docx"
        ),
        report__pk=pk, number=number,  # report__pk: see report_version_pdf
    )
    docx = bytes(version.docx) if version.docx else render_docx(version.snapshot)
    return _download(docx, DOCX_CONTENT_TYPE, version.docx_file_name)


@require_safe
@permission_required("reports.view_report", raise_exception=True)
def report_html(request, pk):
    report = _report(pk, content=True)
    html = report.html if report.is_frozen else render_document(report_snapshot(report))
    suffix = "" if report.is_frozen else "-utkast"
    return _download(html, "text/html; charset=utf-8", f"{report.file_stem}{suffix}.html", inline=True)


@require_safe
@permission_required("reports.export_report", raise_exception=True)
def report_xlsx(request, pk):
    report = _report(pk)
    suffix = "" if report.is_frozen else "-utkast"
    return workbook_response(report_sheets(report_snapshot(report)), f"{report.file_stem}{suffix}.xlsx")

