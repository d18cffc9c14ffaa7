"""The snapshot: everything the follow-up report shows, as plain JSON data, built in one place.

HTML, PDF and Excel all read the snapshot and nothing else. A draft builds it live; freezing a
report stores it, so a frozen report never asks the register again. Numbers are kept as decimal
strings ("56.0") and formatted by the templates and the Excel writer; dates as ISO strings.
All indicator numbers come from indicators.results.indicator_results, and the records listed
under a number (the deviations) from the same indicator definition's `records`.
"""

import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from common import bounds
from common.formatting import format_number
from indicators.context import figure_data, reference_figures_by_code
from indicators.definitions import DEFINITIONS, DEVIATIONS, ECONOMY, STAFF, codes_shown_in, first_shown_in
from indicators.models import Unit
from indicators.results import COMPUTED, RECORDED, indicator_results
from indicators.targets import Status
from nämndplan.models import BudgetLine, EconomicReport, Goal, SpecialAssignment
from procurement import follow_up_plan, integrity, quality, radar
from procurement.checks.models import SupplierCheck
from procurement.checks.services import ledger_counts
from procurement.planning.summary import plan_summary
from reports.charts import goal_chart
from reports.period import ReportPeriod
from reports.revisions import revisions_since

SNAPSHOT_VERSION = 1
HISTORY_YEARS = 4  # the report shows the year to date and the four years before it
AT_RISK_LISTED = 25  # the contracts at risk of being without a contract listed by name; the rest are counted


def _decimal(value):
    return None if value is None else str(Decimal(value))


def _iso(value):
    return value.isoformat() if value else None


def period_label(as_of):
    """ "1 januari – 20 maj 2026": the part of the year the report covers."""
    return ReportPeriod.to_date(as_of).label


def _unit(result, indicator):
    """The value's own unit (8.6's history is in percent), else the indicator's."""
    return getattr(result, "unit", "") or indicator.unit


def _unit_label(unit):
    try:
        return str(Unit(unit).label)
    except ValueError:
        return unit


def _target(result):
    target = result.target if result else None
    if target is None:
        return None
    return {"kind": target.kind, "value": _decimal(target.value), "text": str(target.describe()),
            "plan_text": target.text}


def _origin_label(result, year):
    if result.origin == COMPUTED:
        return _("Beräknat från registret")
    if result.origin == RECORDED:
        if result.period != "year":
            return _("Rapporterat (%(period)s)") % {"period": result.period_label}
        return _("Rapporterat")
    return ""


def indicator_row(series, year, years):
    """One indicator's line in the report: the year-to-date value, its target and status, and history."""
    indicator = series.indicator
    result = series.for_year(year)
    basis = ""
    if result.numerator is not None and result.denominator is not None and series.definition:
        basis = _("%(num)s av %(den)s %(label)s") % {
            "num": format_number(result.numerator), "den": format_number(result.denominator),
            "label": series.definition.denominator_label,
        }
    unit = _unit(result, indicator)
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": unit,
        "unit_label": _unit_label(unit),
        "goal": indicator.goal.number,
        "target": _target(result),
        "value": _decimal(result.value),
        "status": result.status,
        "status_label": _status_label(result.status),
        "to_date": result.to_date,
        "expected": _decimal(result.expected),
        "comment": result.comment,
        "reason": str(result.reason) if result.value is None else "",
        "origin": result.origin,
        "origin_label": _origin_label(result, year),
        "basis": basis,
        "history": [
            {"year": y, "value": _decimal(series.for_year(y).value), "status": series.for_year(y).status,
             "unit": _unit(series.for_year(y), indicator)}
            for y in years
        ],
    }


def _attach_references(rows):
    """Each row's national reference figures as they are today (indicators/context.py), in one query.

    Stored with the snapshot, so a frozen report keeps the figures it was frozen with; a snapshot
    frozen before there were reference figures has no "references" and shows none.
    """
    by_code = reference_figures_by_code(row["code"] for row in rows)
    for row in rows:
        row["references"] = [figure_data(figure) for figure in by_code.get(row["code"], [])]


def _goal_heading(goal):
    if goal.kind == Goal.Kind.GOAL:
        return _("Inriktningsmål %(n)s") % {"n": goal.number}
    return _("Avsnitt %(n)s") % {"n": goal.number}


def _goal_sections(goals, rows, analyses, years):
    sections = []
    for goal in goals:
        goal_rows = [row for row in rows if row["goal"] == goal.number]
        codes = ", ".join(row["code"] for row in goal_rows)
        sections.append({
            "number": goal.number,
            "kind": goal.kind,
            "anchor": f"mal-{goal.number}",
            "heading": _goal_heading(goal),
            "title": goal.title,
            "analysis": analyses.get(goal.pk, ""),
            "indicators": goal_rows,
            "references": [ref for row in goal_rows for ref in row["references"]],
            "chart": {
                "svg": goal_chart(goal_rows, years, no_value_text=_("Värde saknas")),
                "alt": _("Diagram över utvecklingen %(first)s–%(last)s för indikatorerna %(codes)s. "
                         "Streckad linje: målet. Ofylld punkt: värde hittills i år. Värdena finns i tabellen.")
                % {"first": years[0], "last": years[-1], "codes": codes},
            },
        })
    return sections


def _sums(lines):
    def total(key):
        values = [line[key] for line in lines if line[key] is not None]
        return sum(values) if values else None

    return {key: total(key) for key in ("budget", "outcome", "prognosis", "deviation")}


def _economy(plan, as_of, balance_row):
    """Bilaga 2's budget line by line against the latest economic report by `as_of` (if any)."""
    report = (
        EconomicReport.objects.filter(plan=plan).prefetch_related("lines__budget_line").latest_by(as_of)
    )
    budget_lines = list(BudgetLine.objects.filter(plan=plan, year=as_of.year).order_by("-kind", "order"))
    by_line = {line.budget_line_id: line for line in report.lines.all()} if report else {}
    groups = []
    for kind, label in ((BudgetLine.Kind.INCOME, _("Intäkter")), (BudgetLine.Kind.COST, _("Kostnader"))):
        lines = []
        for budget in (b for b in budget_lines if b.kind == kind):
            reported = by_line.get(budget.pk)
            prognosis = reported.prognosis_tkr if reported else None
            # Deviations are signed so that plus is favourable (more income, lower cost).
            sign = 1 if kind == BudgetLine.Kind.INCOME else -1
            lines.append({
                "name": budget.name,
                "budget": budget.amount_tkr,
                "outcome": reported.outcome_tkr if reported else None,
                "prognosis": prognosis,
                "deviation": sign * (prognosis - budget.amount_tkr) if prognosis is not None else None,
            })
        groups.append({"kind": kind, "label": label, "lines": lines, "total": _sums(lines)})
    income, cost = groups[0]["total"], groups[1]["total"]
    result = {
        key: (income[key] or 0) - (cost[key] or 0) if income[key] is not None or cost[key] is not None else None
        for key in ("budget", "outcome", "prognosis")
    }
    result["deviation"] = (
        (income["deviation"] or 0) + (cost["deviation"] or 0) if report is not None else None
    )
    return {
        "available": report is not None,
        "as_of": _iso(report.as_of) if report else None,
        "comment": report.comment if report else "",
        "groups": groups,
        "result": result,
        "balance": balance_row,
    }


def _deviations(year, as_of, rows_by_code):
    """The deviation indicators and, under 8.8–8.10, the records each one counts.

    The lists are the indicator definitions' own records (the numerator of 8.8, 8.9 and 8.10), so
    a list and the number above it are always the same selection.
    """
    codes = codes_shown_in(DEVIATIONS)
    # The records under each computed deviation indicator, by the register set it counts in.
    records = {DEFINITIONS[c].source.key: DEFINITIONS[c].records(year, as_of) for c in codes if c in DEFINITIONS}
    appeals = records["appeals"].order_by("appealed_on", "case_number")
    cancelled = records["cancelled"].order_by("cancelled_on", "case_number")
    terminated = records["terminated"].select_related("supplier").order_by("terminated_on", "number")
    return {
        "indicators": [rows_by_code[code] for code in codes if code in rows_by_code],
        "appeals": [
            {"case_number": p.case_number, "title": p.title, "date": _iso(p.appealed_on),
             "outcome": str(p.get_appeal_outcome_display()) if p.appeal_outcome else _("Ej angiven")}
            for p in appeals
        ],
        "cancelled": [
            {"case_number": p.case_number, "title": p.title, "date": _iso(p.cancelled_on),
             "reason": p.cancellation_reason}
            for p in cancelled
        ],
        "terminated": [
            {"number": c.number, "title": c.title, "supplier": c.supplier.name, "date": _iso(c.terminated_on),
             "reason": c.termination_reason}
            for c in terminated
        ],
    }


def _follow_up_plan(year, as_of):
    """Planned against held follow-ups per contract class A–D for the year at the cut-off (two queries)."""
    classes = [
        {"contract_class": c.contract_class, "per_year": c.per_year, "forms": c.form_labels,
         "contracts": c.contracts, "planned": c.planned, "held": c.held, "overdue": c.overdue}
        for c in follow_up_plan.summary_by_class(year, as_of)
    ]
    total = {key: sum(c[key] for c in classes) for key in ("contracts", "planned", "held", "overdue")}
    return {"classes": classes, "total": total}


def _end_date_radar(as_of):
    """The radar at the cut-off per meeting group, and the contracts at risk of being without a contract.

    Only what the register says of the contracts themselves (number, title, class, dates): never a
    bid. A fixed number of queries (the radar's rows, the meetings, the contracts listed).
    """
    groups, at_risk = [], []
    for group in radar.group_by_meeting(radar.radar_items(as_of), as_of):
        meeting = _iso(group.meeting.date) if group.meeting else None
        groups.append({"meeting": meeting, "options": group.options, "ends": group.ends, "risks": group.risks})
        at_risk += [(item, meeting) for item in group.items if item.at_risk]
    listed = at_risk[:AT_RISK_LISTED]
    radar.attach([item for item, _meeting in listed])  # only the contracts listed are read
    at_risk_rows = [
        {"number": item.contract.number, "title": item.contract.title, "date": _iso(item.date),
         "contract_class": item.contract.contract_class, "meeting": meeting}
        for item, meeting in listed
    ]
    return {
        "horizon_months": radar.HORIZON_MONTHS,
        "groups": groups,
        "total": {key: sum(g[key] for g in groups) for key in ("options", "ends", "risks")},
        "at_risk": at_risk_rows,
        "at_risk_more": max(0, len(at_risk) - AT_RISK_LISTED),
    }


def _contracts(year, as_of, rows_by_code):
    """Contract management (avtalsförvaltning): the follow-up plan and the end-date radar at the cut-off.

    Indicator 2.1 counts every held follow-up; the plan counts only those in the class's forms that
    fulfil a planned one, so the section shows 2.1 beside it.
    """
    indicator = rows_by_code.get("2.1")
    return {
        "as_of": _iso(as_of),
        "plan": _follow_up_plan(year, as_of),
        "radar": _end_date_radar(as_of),
        "follow_ups": {key: indicator[key] for key in ("code", "name", "value", "unit")} if indicator else None,
    }


def _oversight(year, as_of):
    """The procurement plan's status, the supplier-check ledger's counts, the register's flags and its
    data-quality checks, as at the cut-off: counts only (no supplier, no bid, no flagged record named).
    None for a year outside the register's range (a meeting stored with an impossible date)."""
    if not bounds.FIRST_YEAR <= year <= as_of.year or as_of.year < bounds.FIRST_YEAR:
        return None
    ledger = ledger_counts(year, as_of)
    kinds, actions = dict(SupplierCheck.Kind.choices), dict(SupplierCheck.Action.choices)
    quality_counts = quality.counts()
    return {
        "as_of": _iso(as_of),
        "plan": plan_summary(year, as_of),
        "ledger": {
            "checks": ledger.checks, "deviations": ledger.deviations, "actions": ledger.actions,
            "high_risk_unchecked": ledger.high_risk_unchecked,
            "by_kind": [{"label": str(kinds[k]), "count": n} for k, n in ledger.checks_by_kind.items() if n],
            "by_step": [{"label": str(actions.get(k) or _("Från registret")), "count": n}
                        for k, n in ledger.actions_by_step.items() if n],
        },
        "flags": [{"label": str(c.flag.label), "count": c.by_year.get(year, 0)}
                  for c in integrity.counts(years=[year], as_of=as_of)],
        "quality": [{"label": str(check.label), "count": quality_counts[check.code]}
                    for check in quality.CHECKS if quality_counts[check.code]],
    }


def _assignments(plan, year, report):
    if report is not None and report.pk:
        statuses = report.assignment_statuses.select_related("assignment").order_by("assignment__number")
        items = [(s.assignment, s.status, s.status_text) for s in statuses]
    else:
        items = [(a, a.status, a.status_text) for a in SpecialAssignment.objects.filter(plan=plan, year=year)]
    labels = dict(SpecialAssignment.Status.choices)
    return [
        {"number": a.number, "title": a.title, "status": status, "status_label": str(labels[status]),
         "status_text": text}
        for a, status, text in items
    ]


def changes_since(previous, current_rows, corrected=()):
    """Indicators whose value or status differ from the previous frozen report's snapshot.

    The comparison is for the previous report's year: within a year, to-date against to-date;
    across a year end, what the previous report showed against how that year ended. Status changes
    come first (`status_changed`); a value change that a correction explains ((code, year) in
    `corrected`) is listed under the corrections instead, unless its status changed too.
    """
    if previous is None:
        return None
    old = previous.snapshot
    year = old["year"]
    current = {row["code"]: row for row in current_rows}
    rows = []
    for goal in old["goals"]:
        for before in goal["indicators"]:
            now = current.get(before["code"])
            if now is None:
                continue
            now_value, now_status = now["value"], now["status"]
            if year != now["history"][-1]["year"]:
                point = next((h for h in now["history"] if h["year"] == year), None)
                now_value, now_status = (point["value"], point["status"]) if point else (None, Status.NO_VALUE)
            status_changed = before["status"] != now_status
            if _same(before["value"], now_value) and not status_changed:
                continue
            if not status_changed and (before["code"], year) in corrected:
                continue
            rows.append({
                "code": before["code"], "name": before["name"], "unit": before["unit"],
                "before_value": before["value"], "before_status": before["status"],
                "before_status_label": _status_label(before["status"]),
                "now_value": now_value, "now_status": now_status,
                "now_status_label": _status_label(now_status),
                "status_changed": status_changed,
            })
    rows.sort(key=lambda row: not row["status_changed"])  # stable: status changes first, in the plan's order
    return {
        "meeting_date": old["as_of"],
        "meeting": (old.get("meeting") or {}).get("date"),
        "heading": old.get("heading", ""),
        "frozen_at": old["frozen"]["at"] if old.get("frozen") else None,
        "year": year,
        "rows": rows,
        "status_rows": [row for row in rows if row["status_changed"]],
        "value_rows": [row for row in rows if not row["status_changed"]],
    }


def _status_label(status):
    try:
        return str(Status(status).label)
    except ValueError:  # a status this version does not know: shown as stored
        return status


def _changes(previous, rows, end):
    """The change chapter: status changes, corrected figures, other changed values and late entries."""
    if previous is None:
        return None
    revisions = revisions_since(previous, end) if previous.frozen_at else {}
    corrected = {(c["code"], c["year"]) for c in revisions.get("corrections", [])}
    return {**changes_since(previous, rows, corrected), "corrections": [], "late_values": [], "late_records": [],
            **revisions}


def _same(a, b):
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


def _analyses(report):
    if report is None or not report.pk:
        return {}
    return {a.goal_id: a.text for a in report.goal_analyses.all()}


def _front_matter(plan, period, report):
    """The cover's and the introduction's data: who reports, for which meeting, up to which day."""
    meeting = report.meeting if report is not None else None
    return {
        "version": SNAPSHOT_VERSION,
        "committee": _("Gemensamma nämnden för upphandlingssamverkan"),
        "office": _("Upphandlingscenter"),
        "title": _("Uppföljning av nämndplan %(start)s–%(end)s") % {"start": plan.start_year, "end": plan.end_year},
        "plan_name": plan.name,
        "meeting": {"date": _iso(meeting.date), "title": meeting.title} if meeting else None,
        "as_of": _iso(period.as_of),
        "known_by": _iso(period.known_by),
        "year": period.year,
        "full_year": period.full_year,
        "heading": period.title,
        "period_label": period.label,
        "case_number": report.case_number if report is not None else "",
        "overall_analysis": report.overall_analysis if report is not None else "",
    }


def _frozen(frozen_by, frozen_at, version):
    if not frozen_by:
        return None
    return {"at": timezone.localtime(frozen_at or timezone.now()).isoformat(timespec="seconds"),
            "by": frozen_by.get_full_name() or frozen_by.username, "version": version or 1}


def build_snapshot(plan, *, as_of=None, period=None, report=None, previous=None, frozen_by=None, frozen_at=None,
                   version=None):
    """The report's whole content for its period (reports/period.py) as JSON-ready data.

    `period` gives the year, the last day the numbers cover and the day whose knowledge counts;
    `as_of` alone is the year up to that day (nämndplan.models.cut_off: never a day that has not
    come yet). `report` gives the texts, diarienummer and assignment statuses (a draft without a
    report has none); `previous` is the frozen report to compare with; `frozen_by`, `frozen_at` and
    `version` mark a snapshot taken when freezing (who, when and which version go into the document).
    """
    period = period or ReportPeriod.to_date(as_of)
    year, as_of = period.year, period.as_of
    # The report's own year is always there: a meeting dated outside the plan's years (made before meetings
    # were checked against the plan) is reported for its year like any other, mostly without values.
    years = [y for y in range(year - HISTORY_YEARS, year) if y in plan.all_years] + [year]
    results = indicator_results(plan, as_of=as_of, known_by=period.known_by, years=years)
    rows = [indicator_row(series, year, years) for series in results.values()]
    _attach_references(rows)
    rows_by_code = {row["code"]: row for row in rows}
    data = {
        **_front_matter(plan, period, report),
        "years": years,
        "goals": _goal_sections(list(plan.goals.all()), rows, _analyses(report), years),
        "assignments": _assignments(plan, year, report),
        "contracts": _contracts(year, as_of, rows_by_code),
        "oversight": _oversight(year, as_of),
        "staff": {
            "text": report.staff_text if report is not None else "",
            "indicators": [rows_by_code[c] for c in codes_shown_in(STAFF) if c in rows_by_code],
        },
        "economy": _economy(plan, as_of, first_shown_in(ECONOMY, rows_by_code)),
        "deviations": _deviations(year, as_of, rows_by_code),
        "changes": _changes(previous, rows, frozen_at or timezone.now()),
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "frozen": _frozen(frozen_by, frozen_at, version),
    }
    # A round trip through JSON makes a draft's data exactly what a frozen report reads back.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
