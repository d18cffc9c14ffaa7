"""The report's tables as an Excel workbook, read from the same snapshot as the HTML and the PDF."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from common.dates import parse_iso_date
from common.xlsx import DECIMAL_FORMAT, INTEGER_FORMAT, Sheet

NUMBER = DECIMAL_FORMAT
TKR = INTEGER_FORMAT


def _number(text):
    return None if text is None else Decimal(text)


def _date(text):
    return parse_iso_date(text)


def _indicator_sheet(s):
    years = s["years"]
    headers = [_("Mål"), _("Kod"), _("Indikator"), _("Enhet"), _("Mål %(year)s") % {"year": s["year"]}]
    headers += [str(y) for y in years[:-1]]
    headers += [_("%(year)s t.o.m. %(date)s") % {"year": s["year"], "date": s["as_of"]}, _("Status"),
                _("Ursprung"), _("Underlag"), _("Kommentar")]
    rows = []
    for goal in s["goals"]:
        for row in goal["indicators"]:
            rows.append(
                [goal["number"], row["code"], row["name"], row["unit_label"], (row["target"] or {}).get("text", "")]
                + [_number(point["value"]) for point in row["history"][:-1]]
                + [_number(row["value"]), row["status_label"], row["origin_label"], row["basis"],
                   row["comment"] or row["reason"]]
            )
    first_number = 5
    formats = {i: NUMBER for i in range(first_number, first_number + len(years))}
    return Sheet(_("Indikatorer"), headers, rows, formats)


def _economy_sheet(s):
    e = s["economy"]
    headers = [_("Slag"), _("Post"), _("Budget (tkr)"), _("Utfall (tkr)"), _("Helårsprognos (tkr)"),
               _("Avvikelse mot budget (tkr)")]
    rows = []
    for group in e["groups"]:
        for line in group["lines"]:
            rows.append([group["label"], line["name"], line["budget"], line["outcome"], line["prognosis"],
                         line["deviation"]])
        total = group["total"]
        rows.append([group["label"], _("Summa"), total["budget"], total["outcome"], total["prognosis"],
                     total["deviation"]])
    result = e["result"]
    rows.append(["", _("Resultat"), result["budget"], result["outcome"], result["prognosis"], result["deviation"]])
    return Sheet(_("Ekonomi"), headers, rows, {i: TKR for i in range(2, 6)})


def _assignment_sheet(s):
    rows = [[a["number"], a["title"], a["status_label"], a["status_text"]] for a in s["assignments"]]
    return Sheet(_("Särskilda uppdrag"), [_("Nr"), _("Uppdrag"), _("Status"), _("Lägesbeskrivning")], rows)


def _deviation_sheets(s):
    d = s["deviations"]
    return [
        Sheet(_("Överprövningar"), [_("Diarienummer"), _("Upphandling"), _("Inkom"), _("Utgång")],
              [[p["case_number"], p["title"], _date(p["date"]), p["outcome"]] for p in d["appeals"]]),
        Sheet(_("Avbrutna upphandlingar"), [_("Diarienummer"), _("Upphandling"), _("Avbruten"), _("Skäl")],
              [[p["case_number"], p["title"], _date(p["date"]), p["reason"]] for p in d["cancelled"]]),
        Sheet(_("Avtal avslutade i förtid"), [_("Avtal"), _("Benämning"), _("Leverantör"), _("Avslutat"), _("Skäl")],
              [[c["number"], c["title"], c["supplier"], _date(c["date"]), c["reason"]] for c in d["terminated"]]),
    ]


def _changes_sheet(s):
    """Status changes first, then the other changed values (the snapshot's order)."""
    changes = s["changes"] or {"rows": []}
    headers = [_("Kod"), _("Indikator"), _("Förra rapporten"), _("Nu"), _("Status förra rapporten"), _("Status nu")]
    rows = [[r["code"], r["name"], _number(r["before_value"]), _number(r["now_value"]), r["before_status_label"],
             r["now_status_label"]] for r in changes["rows"]]
    return Sheet(_("Förändringar"), headers, rows, {2: NUMBER, 3: NUMBER})


def _moment(text):
    return datetime.datetime.fromisoformat(text) if text else None


def _corrections_sheet(s):
    corrections = (s["changes"] or {}).get("corrections", [])
    headers = [_("Kod"), _("Indikator"), _("År"), _("Period"), _("Var"), _("Nu"), _("Skäl"), _("Rättat av"),
               _("Rättat")]
    rows = [[c["code"], c["name"], c["year"], c["period_label"], _number(c["before"]), _number(c["after"]),
             c["reason"], c["changed_by"], _moment(c["changed_at"])] for c in corrections]
    return Sheet(_("Rättade siffror"), headers, rows, {4: NUMBER, 5: NUMBER})


def _late_sheet(s):
    changes = s["changes"] or {}
    headers = [_("Slag"), _("Post"), _("Period eller datum"), _("Värde"), _("Känt från"), _("Inrapporterat av"),
               _("Inrapporterat")]
    rows = [[_("Värde %(code)s") % {"code": v["code"]}, v["name"], f"{v['year']} {v['period_label']}",
             _number(v["after"]), _date(v["known_from"]), v["changed_by"], _moment(v["changed_at"])]
            for v in changes.get("late_values", [])]
    rows += [[r["kind"], r["record"], _date(r["date"]), None, None, "", _moment(r["entered_at"])]
             for r in changes.get("late_records", [])]
    return Sheet(_("Sent inrapporterat"), headers, rows, {3: NUMBER})


def _follow_up_plan_sheet(contracts):
    headers = [_("Avtalsklass"), _("Uppföljningar per år"), _("Former"), _("Avtal"), _("Planerade"),
               _("Genomförda"), _("Försenade")]
    rows = [[c["contract_class"], c["per_year"], ", ".join(c["forms"]), c["contracts"], c["planned"], c["held"],
             c["overdue"]] for c in contracts["plan"]["classes"]]
    total = contracts["plan"]["total"]
    rows.append([_("Totalt"), None, "", total["contracts"], total["planned"], total["held"], total["overdue"]])
    return Sheet(_("Uppföljningsplan"), headers, rows, {i: INTEGER_FORMAT for i in range(3, 7)})


def _meeting_label(meeting):
    return _date(meeting) if meeting else _("Före nästa sammanträde")


def _radar_sheet(contracts):
    """One row per meeting group with its counts, each followed by its contracts at risk (those listed)."""
    r = contracts["radar"]
    headers = [_("Beslut före sammanträde"), _("Optioner att besluta"), _("Avtal som upphör"),
               _("Risk för avtalslöshet"), _("Avtal med risk"), _("Benämning"), _("Upphör"), _("Avtalsklass")]
    rows = []
    for group in r["groups"]:
        rows.append([_meeting_label(group["meeting"]), group["options"], group["ends"], group["risks"]])
        rows += [[_meeting_label(item["meeting"]), None, None, None, item["number"], item["title"],
                  _date(item["date"]), item["contract_class"]]
                 for item in r["at_risk"] if item["meeting"] == group["meeting"]]
    if r["at_risk_more"]:
        rows.append(["", None, None, None, _("och %(n)s till") % {"n": r["at_risk_more"]}])
    total = r["total"]
    rows.append([_("Totalt"), total["options"], total["ends"], total["risks"]])
    return Sheet(_("Slutdatumsradar"), headers, rows, {i: INTEGER_FORMAT for i in range(1, 4)})


def _contract_sheets(s):
    """The follow-up plan and the radar; none for a snapshot frozen before the report had them."""
    contracts = s.get("contracts")
    return [_follow_up_plan_sheet(contracts), _radar_sheet(contracts)] if contracts else []


def report_sheets(s):
    """The workbook's sheets: indicators per goal with years, economy, assignments, deviations, changes,
    corrected figures, late entries, the follow-up plan and the end-date radar (each added after the ones
    before it: scripts read sheets by name)."""
    return [_indicator_sheet(s), _economy_sheet(s), _assignment_sheet(s), *_deviation_sheets(s), _changes_sheet(s),
            _corrections_sheet(s), _late_sheet(s), *_contract_sheets(s)]
