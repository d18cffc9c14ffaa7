"""The follow-up report as a Word document (python-docx), from the same snapshot as the HTML and the PDF.

Nothing is computed here: every number is the snapshot's, formatted by common.formatting as the PDF's
templates format it, and the charts are the snapshot's own SVGs rasterised to PNG (CairoSVG, which
fetches nothing). Chapters use Word's own "Heading 1/2/3" styles (the PDF's h2/h3/h4), so the
navigation pane and the table of contents (a TOC field) work; the footer's "Sida X(Y)" is PAGE and
NUMPAGES fields. User text goes in as text runs only, never as XML, with the characters XML forbids
removed. The file is deterministic: its core properties and zip entries carry the report's freezing
time (a draft's generation time), so two renders of one snapshot are the same bytes.
"""

import datetime
import re
import zipfile
from functools import lru_cache
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor

from common.formatting import format_number
from indicators.targets import Status
from reports.templatetags.report_tags import iso_date, iso_datetime, tkr

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BRAND, MUTED, DRAFT_RED = RGBColor(0x0B, 0x4F, 0x7C), RGBColor(0x4A, 0x53, 0x60), RGBColor(0xA1, 0x26, 0x1B)
FONT = "Arial"  # as the PDF's Liberation Sans, which is metric-compatible with it
TEXT_WIDTH = Mm(210 - 22 - 18)  # A4 less the PDF's left and right margins
CHART_SCALE = 3  # pixels per SVG pixel: about 290 dpi at the text width
SETTINGS_AFTER_UPDATE_FIELDS = {qn(f"w:{tag}") for tag in (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "attachedSchema", "themeFontLang",
    "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)} | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}
# Characters XML 1.0 does not allow (lxml refuses them); tab, line feed and carriage return are allowed.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text):
    """User text as XML may hold it: forbidden control characters removed, line ends as "\\n"."""
    text = "" if text is None else str(text)
    return XML_FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _status(status):
    """As the PDF's status badge: the status's Swedish label, "Värde saknas" for none."""
    try:
        return str(Status(status or Status.NO_VALUE).label)
    except ValueError:  # a status this version does not know: shown as stored
        return status


def _fmt(value, unit=None):
    return format_number(value, unit or None)


def _moment(s):
    """When the document was made: the freezing time of a frozen report, else the draft's generation time."""
    text = s["frozen"]["at"] if s.get("frozen") else s["generated_at"]
    return datetime.datetime.fromisoformat(text)


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"Refused to fetch {url[:200]}")


@lru_cache(maxsize=64)
def chart_png(svg):
    """The stored SVG chart as PNG bytes. Nothing is fetched: the SVG is our own and self-contained.

    Rasterising takes about 0.1 s a chart; a draft downloaded again with unchanged numbers reuses it.
    """
    from cairosvg.surface import PNGSurface

    # svg2png takes no URL fetcher; the surface passes one to the parser, which fetches through it only.
    return PNGSurface.convert(svg.encode("utf-8"), scale=CHART_SCALE, url_fetcher=_refuse_fetch)


def _field_start(paragraph, instruction):
    for kind in ("begin", "instr", "separate"):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)


def _field_end(paragraph):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(element)


def _field(paragraph, instruction, cached):
    """A Word field (PAGE, NUMPAGES) in `paragraph`; `cached` is shown until Word updates it."""
    _field_start(paragraph, instruction)
    paragraph.add_run(cached)
    _field_end(paragraph)


class Writer:
    """The document being written, with the few building blocks the report is made of."""

    def __init__(self, s):
        self.s = s
        self.doc = Document()
        self.headings = []  # (level, text) for the table of contents' cached entries
        self._setup()

    def _setup(self):
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.right_margin = Mm(22), Mm(18)
        section.bottom_margin, section.left_margin = Mm(20), Mm(22)
        self.doc.styles["Normal"].font.name = FONT
        self.doc.styles["Normal"].font.size = Pt(10)
        for level in (1, 2, 3):
            style = self.doc.styles[f"Heading {level}"]
            style.font.name, style.font.color.rgb = FONT, BRAND
        # The template's thumbnail shows python-docx's sample page, not this report.
        package = self.doc.part.package
        for key, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[key]
        defaults = self.doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = defaults.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            defaults.append(lang)
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attribute), "sv-SE")

    def heading(self, level, text):
        text = clean(text)
        self.headings.append((level, text))
        return self.doc.add_heading(text, level)

    def paragraph(self, text="", *, style=None, bold=False, color=None, size=None):
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            self.run(paragraph, text, bold=bold, color=color, size=size)
        return paragraph

    @staticmethod
    def run(paragraph, text, *, bold=False, color=None, size=None):
        run = paragraph.add_run(clean(text))
        run.bold = bold or None
        if color is not None:
            run.font.color.rgb = color
        if size is not None:
            run.font.size = size
        return run

    def note(self, text):
        return self.paragraph(text, color=MUTED, size=Pt(8.5))

    def prose(self, text, missing):
        """Chef UhC's text as the PDF's |linebreaks: a blank line between paragraphs, a line break within."""
        paragraphs = [p for p in re.split(r"\n{2,}", clean(text).strip()) if p.strip()]
        if not paragraphs:
            return self.paragraph(missing, color=MUTED)
        for text in paragraphs:
            self.paragraph(text)  # a "\n" in a run is a line break

    def table(self, headers, rows, *, numeric=(), caption=None, weights=None):
        """A table whose header row repeats on every page; `numeric` columns are right-aligned.

        A cell is a string, or a list of parts whose later parts are small and muted. Columns share the
        text width by `weights`; by default the second column (a name or title) gets three shares.
        """
        if caption:
            self.paragraph(caption, style="Caption")
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        header = table.rows[0]
        header_props = header._tr.get_or_add_trPr()
        for tag in ("w:tblHeader", "w:cantSplit"):
            element = OxmlElement(tag)
            element.set(qn("w:val"), "true")
            header_props.append(element)
        for index, text in enumerate(headers):
            self._cell(header.cells[index], text, index in numeric, bold=True)
        for values in rows:
            cells = table.add_row().cells
            for index, value in enumerate(values):
                self._cell(cells[index], value, index in numeric)
        _set_widths(table, weights or [3 if index == 1 else 1 for index in range(len(headers))])
        return table

    def _cell(self, cell, value, numeric, *, bold=False):
        parts = value if isinstance(value, list) else [value]
        paragraph = cell.paragraphs[0]
        for number, part in enumerate(p for p in parts if p):
            if number:
                paragraph = cell.add_paragraph()
            self.run(paragraph, part, bold=bold and not number, color=MUTED if number else None,
                     size=Pt(7.5) if number else Pt(8.5))
            if numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def picture(self, svg, alt, caption):
        self.doc.add_picture(BytesIO(chart_png(svg)), width=TEXT_WIDTH)
        inline = self.doc.inline_shapes[-1]._inline
        inline.docPr.set("descr", clean(alt))
        self.note(caption)

    def page_break(self):
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _set_widths(table, weights):
    table.autofit = False  # a fixed layout: Word and LibreOffice keep the widths
    total = sum(weights)
    widths = [Emu(int(TEXT_WIDTH * weight / total)) for weight in weights]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads; Word reads the cells'
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _cover(w, s):
    w.paragraph(s["committee"], bold=True, color=BRAND, size=Pt(14))
    w.paragraph(s["office"], color=MUTED)
    w.paragraph(s["title"], style="Title")
    if s.get("heading"):
        w.paragraph(s["heading"], bold=True, color=BRAND, size=Pt(16))
    if s.get("meeting"):
        subtitle = _("Uppföljningsrapport till nämndens sammanträde %(date)s") % {
            "date": iso_date(s["meeting"]["date"])}
    else:
        subtitle = _("Uppföljningsrapport per %(date)s") % {"date": iso_date(s["as_of"])}
    w.paragraph(subtitle, size=Pt(13))
    for label, value in _cover_facts(s):
        paragraph = w.paragraph(f"{label}: ")
        w.run(paragraph, value, bold=True, color=DRAFT_RED if not s.get("frozen") and label == _("Status") else None)


def _cover_facts(s):
    facts = []
    if s.get("meeting"):
        title = s["meeting"].get("title")
        facts.append((_("Sammanträde"), iso_date(s["meeting"]["date"]) + (f" ({title})" if title else "")))
    facts.append((_("Uppgifterna avser perioden"), s["period_label"]))
    if s.get("full_year"):
        facts.append((_("Värden kända till och med"), iso_date(s["known_by"])))
    if s.get("case_number"):
        facts.append((_("Diarienummer"), s["case_number"]))
    facts.append((_("Rapportör"), _("Chef Upphandlingscenter")))
    facts.append((_("Status"), _frozen_text(s["frozen"]) if s.get("frozen") else _("Utkast – inte fastställt")))
    return facts


def _frozen_text(frozen):
    text = _("Fastställd %(at)s av %(by)s") % {"at": iso_datetime(frozen["at"]), "by": frozen["by"]}
    if frozen["version"] > 1:
        text += " " + _("(version %(version)s; ersätter tidigare fastställda versioner)") % {
            "version": frozen["version"]}
    return text


def _toc_placeholder(w):
    w.paragraph(_("Innehåll"), style="TOC Heading")
    return w.paragraph()


def _fill_toc(w, placeholder):
    """A TOC field over the chapters and their sections (Heading 1–2, as the PDF's table of contents);
    until Word updates it (with page numbers) its result lists them."""
    for number, (level, text) in enumerate((level, text) for level, text in w.headings if level <= 2):
        entry = placeholder.insert_paragraph_before()  # each directly above the placeholder: in order
        if number == 0:
            _field_start(entry, 'TOC \\o "1-2" \\h \\z \\u')
        entry.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        w.run(entry, text)
    _field_end(placeholder)


def _footer_and_header(w, s):
    section = w.doc.sections[0]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    w.run(footer, _("Sida") + " ")
    _field(footer, "PAGE", "1")
    w.run(footer, "(")
    _field(footer, "NUMPAGES", "1")
    w.run(footer, ")")
    if not s.get("frozen"):
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        w.run(header, _("UTKAST – inte fastställt"), bold=True, color=DRAFT_RED)


def _indicator_table(w, s, rows, caption):
    current = _("helår") if s["full_year"] else _("t.o.m. %(date)s") % {"date": iso_date(s["as_of"], "j/n")}
    headers = [_("Kod"), _("Indikator"), _("Mål %(year)s") % {"year": s["year"]}]
    headers += [str(y) for y in s["years"][:-1]] + [f"{s['year']} {current}", _("Status")]
    first_number = 3
    numeric = range(first_number, first_number + len(s["years"]))
    body = []
    for row in rows:
        history = [_fmt(p["value"], p.get("unit") or row["unit"]) for p in row["history"][:-1]]
        body.append([row["code"], [row["name"], _row_meta(row), row.get("comment")],
                     (row.get("target") or {}).get("text") or "–", *history, _fmt(row["value"], row["unit"]),
                     _status(row["status"])])
    weights = [1.1, 4, 2.1, *[1.5] * (len(s["years"]) - 1), 1.8, 1.9]
    w.table(headers, body, numeric=set(numeric), caption=caption, weights=weights)


def _row_meta(row):
    """The small line under an indicator's name, as in the PDF's table."""
    parts = []
    if row.get("origin_label"):
        parts.append(row["origin_label"])
    if row.get("basis"):
        parts.append(row["basis"])
    if row.get("expected"):
        parts.append(f"{_('väntat hittills')} {_fmt(row['expected'], row['unit'])}")
    if row.get("reason"):
        parts.append(row["reason"])
    return " · ".join(parts)


def _analysis(w, s):
    w.heading(1, f"1 {_('Analys av verksamheten')}")
    w.prose(s.get("overall_analysis"), _("Chef UhC:s analys är inte skriven ännu."))


def _change_table(w, rows):
    headers = [_("Kod"), _("Indikator"), _("Förra rapporten"), _("Nu"), _("Status förra rapporten"), _("Status nu")]
    body = [[r["code"], r["name"], _fmt(r["before_value"], r["unit"]), _fmt(r["now_value"], r["unit"]),
             _status(r["before_status"]), _status(r["now_status"])] for r in rows]
    w.table(headers, body, numeric={2, 3})


def _changes(w, s):
    w.heading(1, f"2 {_('Förändringar sedan förra rapporten')}")
    c = s.get("changes")
    if not c:
        w.paragraph(_("Det finns ingen tidigare fastställd rapport att jämföra med."))
    elif "corrections" in c:
        _changes_chapter(w, c)
    else:  # a report frozen before the change chapter was split keeps its one table
        w.paragraph(_("Jämfört med den fastställda rapporten per %(date)s: indikatorer vars värde eller status för "
                      "%(year)s har ändrats.") % {"date": iso_date(c["meeting_date"]), "year": c["year"]})
        if c["rows"]:
            _change_table(w, c["rows"])
        else:
            w.paragraph(_("Inga indikatorer har ändrat värde eller status."))


def _changes_chapter(w, c):
    w.paragraph(_("Jämfört med den fastställda rapporten per %(date)s: först indikatorer vars status för %(year)s "
                  "har ändrats, sedan rättade siffror, andra ändrade värden och det som rapporterades in sent.")
                % {"date": iso_date(c["meeting_date"]), "year": c["year"]})
    w.heading(2, f"2.1 {_('Ändrad status')}")
    if c["status_rows"]:
        _change_table(w, c["status_rows"])
    else:
        w.paragraph(_("Ingen indikator har ändrat status."))
    w.heading(2, f"2.2 {_('Rättade siffror')}")
    if c["corrections"]:
        headers = [_("Kod"), _("Indikator"), _("Period"), _("Var"), _("Nu"), _("Skäl"), _("Rättat av")]
        w.table(headers, [
            [r["code"], r["name"], f"{r['year']} {r['period_label'].lower()}", _fmt(r["before"], r["unit"]),
             _("borttaget") if r.get("removed") else _fmt(r["after"], r["unit"]), r.get("reason") or "–",
             f"{r.get('changed_by') or '–'}, {iso_datetime(r['changed_at'])}"]
            for r in c["corrections"]], numeric={3, 4})
    else:
        w.paragraph(_("Inga siffror som förra rapporten visade har rättats."))
    w.heading(2, f"2.3 {_('Andra ändrade värden')}")
    if c["value_rows"]:
        _change_table(w, c["value_rows"])
    else:
        w.paragraph(_("Inga andra indikatorer har ändrat värde."))
    _late(w, c)


def _late(w, c):
    w.heading(2, f"2.4 {_('Sent inrapporterat')}")
    w.paragraph(_("Uppgifter som lades in efter att förra rapporten fastställdes men avser tiden till och med "
                  "%(date)s.") % {"date": iso_date(c["meeting_date"])})
    if c["late_values"]:
        headers = [_("Kod"), _("Indikator"), _("Period"), _("Värde"), _("Känt från"), _("Inrapporterat av")]
        w.table(headers, [
            [r["code"], r["name"], f"{r['year']} {r['period_label'].lower()}", _fmt(r["after"], r["unit"]),
             iso_date(r["known_from"]), f"{r.get('changed_by') or '–'}, {iso_datetime(r['changed_at'])}"]
            for r in c["late_values"]], numeric={3}, caption=_("Sent inrapporterade värden"))
    if c["late_records"]:
        headers = [_("Slag"), _("Post"), _("Datum"), _("Registrerad")]
        w.table(headers, [[r["kind"], r["record"], r["date"], iso_datetime(r["entered_at"])]
                          for r in c["late_records"]], caption=_("Sent registrerat i upphandlingsregistret"))
    if not c["late_values"] and not c["late_records"]:
        w.paragraph(_("Inget har rapporterats in sent."))


def _goals(w, s):
    w.heading(1, f"3 {_('Måluppfyllelse')}")
    if s["full_year"]:
        w.paragraph(_("Indikatorernas värden %(first)s–%(year)s, alla för hela år. Statusen för %(year)s säger om "
                      "årets mål uppfylldes. Värden som rapporteras in för hand är de som var kända den %(known)s.")
                    % {"first": s["years"][0], "year": s["year"], "known": iso_date(s["known_by"])})
    else:
        w.paragraph(_("Indikatorernas värden %(first)s–%(year)s. Värdet för %(year)s avser %(period)s och statusen "
                      "säger om indikatorn är på väg mot årets mål. Tidigare år är hela år.")
                    % {"first": s["years"][0], "year": s["year"], "period": s["period_label"]})
    caption = _("Utveckling %(first)s–%(last)s per indikator. Streckad linje: målet. Ofylld punkt: värdet "
                "hittills i år.") % {"first": s["years"][0], "last": s["year"]}
    for number, goal in enumerate(s["goals"], start=1):
        prefix = f"{goal['heading']}: " if goal["kind"] == "goal" else ""
        w.heading(2, f"3.{number} {prefix}{goal['title']}")
        if goal["indicators"]:
            _indicator_table(w, s, goal["indicators"], _("Indikatorer"))
            if goal["chart"]["svg"]:
                w.picture(goal["chart"]["svg"], goal["chart"]["alt"], caption)
        w.heading(3, _("Analys"))
        w.prose(goal.get("analysis"), _("Ingen analys är skriven för målet."))


def _assignments(w, s):
    w.heading(1, f"4 {_('Särskilda uppdrag %(year)s') % {'year': s['year']}}")
    for item in s["assignments"]:
        w.heading(2, f"4.{item['number']} {item['title']}")
        paragraph = w.paragraph(_("Status:") + " ")
        w.run(paragraph, item["status_label"], bold=True)
        w.prose(item.get("status_text"), _("Ingen lägesbeskrivning."))
    if not s["assignments"]:
        w.paragraph(_("Nämnden har inte gett några särskilda uppdrag för %(year)s.") % {"year": s["year"]})


def _count(value):
    return _fmt(value, "count")


def _contracts(w, s):
    c = s["contracts"]
    w.heading(1, f"5 {_('Avtalsförvaltning')}")
    w.paragraph(_("Uppföljningsplanen per avtalsklass och slutdatumsradarn per %(date)s, ur avtalsregistret.")
                % {"date": iso_date(c["as_of"])})
    w.heading(2, f"5.1 {_('Planerade och genomförda avtalsuppföljningar')}")
    w.paragraph(_("Varje avtal som gäller under %(year)s har planerade uppföljningar efter sin avtalsklass. En "
                  "uppföljning i någon av klassens former uppfyller nästa planerade; en planerad uppföljning som "
                  "inte är genomförd när dagen har passerat är försenad. Läget per %(date)s.")
                % {"year": s["year"], "date": iso_date(c["as_of"])})
    headers = [_("Avtalsklass"), _("Uppföljning"), _("Avtal"), _("Planerade"), _("Genomförda"), _("Försenade")]
    keys = ("contracts", "planned", "held", "overdue")
    body = [[row["contract_class"], _follow_up_text(row), *(_count(row[k]) for k in keys)]
            for row in c["plan"]["classes"]]
    body.append([_("Totalt"), "", *(_count(c["plan"]["total"][k]) for k in keys)])
    w.table(headers, body, numeric={2, 3, 4, 5})
    note = _("Genomförda: de uppföljningar som uppfyller en planerad, högst så många som planerats.")
    follow_ups = c.get("follow_ups")
    if follow_ups and follow_ups["value"] is not None:
        note += " " + _("Indikator %(code)s räknar alla genomförda avtalsuppföljningar, också de utöver planen och "
                        "i andra former: %(value)s.") % {"code": follow_ups["code"],
                                                        "value": _fmt(follow_ups["value"], follow_ups["unit"])}
    w.note(note)
    _radar(w, c)


def _follow_up_text(row):
    if not row["per_year"]:
        return _("Följs inte upp enligt plan")
    forms = ", ".join(row["forms"]).lower()
    return ngettext("%(n)s gång per år (%(forms)s)", "%(n)s gånger per år (%(forms)s)", row["per_year"]) % {
        "n": row["per_year"], "forms": forms}


def _radar(w, c):
    r = c["radar"]
    w.heading(2, f"5.2 {_('Slutdatumsradar')}")
    w.paragraph(_("Optioner att besluta och avtal som upphör inom %(months)s månader från %(date)s, efter det "
                  "sammanträde före vilket beslutet behövs. Ett avtal som upphör utan att en upphandling i "
                  "registret ska ersätta det riskerar att bli utan avtal.")
                % {"months": r["horizon_months"], "date": iso_date(c["as_of"])})
    keys = ("options", "ends", "risks")
    if r["groups"]:
        headers = [_("Beslut behövs"), _("Optioner att besluta"), _("Avtal som upphör"), _("Risk för avtalslöshet")]
        body = [[_("Före sammanträdet %(date)s") % {"date": iso_date(g["meeting"])} if g["meeting"]
                 else _("Före nästa sammanträde"), *(_count(g[k]) for k in keys)] for g in r["groups"]]
        body.append([_("Totalt"), *(_count(r["total"][k]) for k in keys)])
        w.table(headers, body, numeric={1, 2, 3}, weights=[3, 1, 1, 1])
    else:
        w.paragraph(_("Inga optioner att besluta och inga avtal som upphör inom perioden."))
    if r["at_risk"]:
        w.table([_("Avtal"), _("Benämning"), _("Upphör"), _("Klass")],
                [[i["number"], i["title"], i["date"], i["contract_class"]] for i in r["at_risk"]],
                caption=_("Avtal som riskerar att bli utan avtal"))
        if r["at_risk_more"]:
            w.note(_("och %(n)s till.") % {"n": _count(r["at_risk_more"])})
    elif r["groups"]:
        w.paragraph(_("Inget avtal som upphör inom perioden saknar en upphandling som ska ersätta det."))


def _staff(w, s, number):
    w.heading(1, f"{number} {_('Personal')}")
    w.prose(s["staff"].get("text"), _("Ingen text om personal är skriven."))
    if s["staff"]["indicators"]:
        _indicator_table(w, s, s["staff"]["indicators"], _("Personalindikatorer"))


def _economy(w, s, number):
    e = s["economy"]
    w.heading(1, f"{number} {_('Ekonomiskt utfall och helårsprognos')}")
    if e["available"]:
        w.paragraph(_("Utfall till och med %(date)s och prognos för helåret %(year)s mot budgeten i nämndplanens "
                      "bilaga 2, i tusentals kronor (tkr).") % {"date": iso_date(e["as_of"]), "year": s["year"]})
    else:
        w.paragraph(_("Ingen ekonomisk uppföljning för %(year)s är registrerad till och med %(date)s. Tabellen "
                      "visar budgeten enligt bilaga 2.") % {"date": iso_date(s["as_of"]), "year": s["year"]})
    outcome = (_("Utfall t.o.m. %(date)s") % {"date": iso_date(e["as_of"], "j/n")}) if e["as_of"] else _("Utfall")
    headers = [_("Post"), _("Budget %(year)s") % {"year": s["year"]}, outcome, _("Helårsprognos"),
               _("Avvikelse mot budget")]
    keys = ("budget", "outcome", "prognosis", "deviation")
    body = []
    for group in e["groups"]:
        body.append([group["label"], "", "", "", ""])
        body += [[line["name"], *(tkr(line[k]) for k in keys)] for line in group["lines"]]
        body.append([_("Summa %(label)s") % {"label": group["label"].lower()}, *(tkr(group["total"][k]) for k in keys)])
    body.append([_("Resultat"), *(tkr(e["result"][k]) for k in keys)])
    w.table(headers, body, numeric={1, 2, 3, 4}, weights=[3, 1, 1, 1, 1])
    w.note(_("Avvikelse: helårsprognos mot budget; plus betyder högre intäkter eller lägre kostnader än budgeterat."))
    if e.get("balance"):
        _balance(w, e["balance"])
    if e.get("comment"):
        w.heading(2, _("Kommentar till ekonomin"))
        w.prose(e["comment"], "")


def _balance(w, b):
    w.heading(2, _("Ekonomi i balans (%(code)s)") % {"code": b["code"]})
    paragraph = w.paragraph(_("Avvikelse från budgeterat resultat, i procent av budgeterade intäkter:") + " ")
    w.run(paragraph, _fmt(b["value"], b["unit"]), bold=True)
    w.run(paragraph, " (" + _("mål:") + f" {(b.get('target') or {}).get('text') or '–'}). {_status(b['status'])}")
    if b.get("reason"):
        w.note(b["reason"])


def _deviations(w, s, number):
    d = s["deviations"]
    w.heading(1, f"{number} {_('Avvikelser')}")
    _indicator_table(w, s, d["indicators"], _("Avvikelser, överprövningar, avbrutna upphandlingar och avtal "
                                              "avslutade i förtid"))
    w.heading(2, f"{number}.1 {_('Avvikelser mot samarbetsavtal, nämndplan och styrande dokument')}")
    for row in (r for r in d["indicators"] if r["code"] == "8.7"):
        if row["value"] is None:
            text = _("Inget antal avvikelser är rapporterat för perioden.")
        else:
            text = _("Antal rapporterade avvikelser: %(value)s.") % {"value": _fmt(row["value"], row["unit"])}
        w.paragraph(text + (f" {row['comment']}" if row.get("comment") else ""))
    w.heading(2, f"{number}.2 {_('Överprövningar')}")
    _listing(w, [_("Diarienummer"), _("Upphandling"), _("Inkom"), _("Utgång")],
             [[p["case_number"], p["title"], p["date"], p["outcome"]] for p in d["appeals"]],
             _("Inga överprövningar har kommit in under perioden."))
    w.heading(2, f"{number}.3 {_('Avbrutna upphandlingar')}")
    _listing(w, [_("Diarienummer"), _("Upphandling"), _("Avbruten"), _("Skäl")],
             [[p["case_number"], p["title"], p["date"], p["reason"] or "–"] for p in d["cancelled"]],
             _("Inga upphandlingar har avbrutits under perioden."), weights=[1.5, 3, 1.2, 3])
    w.heading(2, f"{number}.4 {_('Avtal avslutade i förtid')}")
    _listing(w, [_("Avtal"), _("Benämning"), _("Leverantör"), _("Avslutat"), _("Skäl")],
             [[c["number"], c["title"], c["supplier"], c["date"], c["reason"] or "–"] for c in d["terminated"]],
             _("Inga avtal har avslutats i förtid under perioden."), weights=[1.5, 2.5, 2, 1.2, 2.5])


def _listing(w, headers, rows, empty, weights=None):
    if rows:
        w.table(headers, rows, weights=weights)
    else:
        w.paragraph(empty)


def _properties(w, s):
    """Core properties from the snapshot only, dated when the report was frozen (or the draft generated)."""
    moment = _moment(s).astimezone(datetime.UTC).replace(tzinfo=None)
    props = w.doc.core_properties
    props.title = clean(f"{s['title']} – {s.get('heading') or s['period_label']}")
    props.subject = clean(s["committee"])
    props.author = props.last_modified_by = clean(s["office"])
    props.language = "sv-SE"
    props.created = props.modified = props.last_printed = moment
    props.revision = (s.get("frozen") or {}).get("version") or 1
    props.comments = props.keywords = props.category = ""


def _update_fields_on_open(w):
    """Word fills in the table of contents' page numbers when the document is opened."""
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    settings = w.doc.settings.element
    # Word reads settings.xml in the schema's order: updateFields comes before the first of these.
    follower = next((child for child in settings if child.tag in SETTINGS_AFTER_UPDATE_FIELDS), None)
    if follower is None:
        settings.append(element)
    else:
        follower.addprevious(element)


def _stable_zip(data, moment):
    """The package with every entry dated `moment` (python-docx dates them now), in the same order."""
    stamp = timezone.localtime(moment).timetuple()[:6] if timezone.is_aware(moment) else moment.timetuple()[:6]
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render_docx(s):
    """The report as .docx bytes: the PDF's cover, chapters, tables, charts and texts, from snapshot `s`."""
    w = Writer(s)
    _footer_and_header(w, s)
    _cover(w, s)
    w.page_break()
    toc = _toc_placeholder(w)
    w.page_break()
    _analysis(w, s)
    _changes(w, s)
    _goals(w, s)
    _assignments(w, s)
    shift = 1 if s.get("contracts") else 0  # chapter 5 is contract management; a snapshot frozen before has none
    if shift:
        _contracts(w, s)
    _staff(w, s, 5 + shift)
    _economy(w, s, 6 + shift)
    _deviations(w, s, 7 + shift)
    _fill_toc(w, toc)
    _properties(w, s)
    _update_fields_on_open(w)
    buffer = BytesIO()
    w.doc.save(buffer)
    return _stable_zip(buffer.getvalue(), _moment(s))
