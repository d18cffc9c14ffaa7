"""Trend charts for the follow-up report as server-side SVG (matplotlib), one small-multiples chart per goal.

Text stays text in the SVG (`svg.fonttype: none`), so the PDF's chart labels can be searched; axes
use the Swedish decimal comma; the target is drawn as a dashed line. The charts are rendered once
when the snapshot is built and stored in it, so a frozen report never re-renders them.
"""

import json
import math
import xml.etree.ElementTree as ET
from decimal import Decimal
from functools import lru_cache
from io import StringIO

import matplotlib

matplotlib.use("Agg")  # no display; must come before the figure imports

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from common.formatting import format_as_written  # noqa: E402
from indicators.models import Unit  # noqa: E402
from indicators.targets import TargetKind  # noqa: E402

INK, MUTED, LINE, BRAND, TARGET = "#1b1f24", "#4a5360", "#c9d0d8", "#0b4f7c", "#17613a"
COLUMNS = 4
PANEL_WIDTH, PANEL_HEIGHT = 1.68, 1.25  # inches; four panels fill the A4 text width
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "uhc-uppfoljning",  # stable element ids
    "font.family": "sans-serif",
    "font.sans-serif": ["Liberation Sans", "Arial", "DejaVu Sans"],
    "font.size": 6.5,
    "axes.edgecolor": LINE,
    "axes.labelcolor": INK,
    "axes.linewidth": 0.6,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.major.size": 2,
    "ytick.major.size": 0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 7,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titley": 1.0,  # a fixed title position: matplotlib's automatic one costs a third of the time
    "axes.titlepad": 3,
}
SVG_NS, XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
WHOLE_UNITS = {Unit.COUNT, Unit.SEK}  # counted things get whole-number ticks
LINE_TARGETS = {TargetKind.AT_LEAST, TargetKind.MORE_THAN, TargetKind.AT_MOST, TargetKind.LESS_THAN,
                TargetKind.K_OF_N}


def _number(text):
    return None if text is None else float(Decimal(text))


def _tick_formatter(unit):
    return FuncFormatter(lambda value, _pos: format_as_written(Decimal(str(round(value, 2))), unit))


def _target_lines(target):
    if not target or target.get("value") is None:
        return []
    value = float(Decimal(target["value"]))
    if target["kind"] in LINE_TARGETS:
        return [value]
    if target["kind"] == TargetKind.WITHIN:
        return [value, -value]
    return []


def _panel(ax, row, years, no_value_text):
    points = {h["year"]: _number(h["value"]) for h in row["history"]}
    xs = [y for y in years if points.get(y) is not None]
    ys = [points[y] for y in xs]
    # NaN for a missing year breaks the line there instead of drawing across the gap.
    line = [points.get(y) if points.get(y) is not None else math.nan for y in years]
    ax.set_title(row["code"])
    ax.set_xlim(years[0] - 0.4, years[-1] + 0.4)
    ax.set_xticks(years, [f"{y % 100:02d}" for y in years])
    ax.yaxis.set_major_locator(MaxNLocator(nbins=3, min_n_ticks=2, integer=row["unit"] in WHOLE_UNITS))
    ax.yaxis.set_major_formatter(_tick_formatter(row["unit"]))
    ax.grid(axis="y", color=LINE, linewidth=0.4)
    ax.set_axisbelow(True)
    for value in _target_lines(row["target"]):
        ax.axhline(value, color=TARGET, linewidth=0.9, linestyle=(0, (3, 2)))
    if not ys:
        ax.text(0.5, 0.5, no_value_text, transform=ax.transAxes, ha="center", va="center", color=MUTED)
        ax.set_yticks([])
        return
    ax.plot(years, line, color=BRAND, linewidth=1.2, marker="o", markersize=2.6)
    if row["to_date"] and xs[-1] == years[-1]:
        # The current year is year-to-date: an open marker says the value is not final.
        ax.plot([xs[-1]], [ys[-1]], marker="o", markersize=3.6, markerfacecolor="white", color=BRAND)
    low = min(ys + _target_lines(row["target"]) + [0])
    high = max(ys + _target_lines(row["target"]))
    margin = (high - low) * 0.12 or 1
    ax.set_ylim(low if low == 0 else low - margin, high + margin)


def goal_chart(rows, years, *, no_value_text):
    """An SVG string with one small panel per indicator row (see snapshot.indicator_row).

    Rendering takes about 30 ms a panel, so drafts previewed again with unchanged numbers reuse
    the last charts: the cache key is everything a chart is drawn from.
    """
    if not rows:
        return ""
    fields = ("code", "unit", "target", "to_date", "history")
    key = json.dumps([[{f: row[f] for f in fields} for row in rows], list(years), str(no_value_text)])
    return _render(key)


@lru_cache(maxsize=64)
def _render(key):
    rows, years, no_value_text = json.loads(key)
    lines = math.ceil(len(rows) / COLUMNS)
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(PANEL_WIDTH * COLUMNS, PANEL_HEIGHT * lines))
        for index, row in enumerate(rows):
            _panel(figure.add_subplot(lines, COLUMNS, index + 1), row, years, no_value_text)
        figure.subplots_adjust(left=0.06, right=0.99, top=1 - 0.2 / lines, bottom=0.16 / lines,
                               wspace=0.42, hspace=0.75)
        buffer = StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _lighten(buffer.getvalue())


def _flatten(element):
    children = []
    for child in list(element):
        _flatten(child)
        if child.tag == f"{{{SVG_NS}}}g" and set(child.attrib) <= {"id"}:
            children.extend(child)  # a group that only names its children: keep the children
        else:
            children.append(child)
    element[:] = children


def _lighten(svg):
    """matplotlib's SVG without metadata and without the groups that only carry an id.

    WeasyPrint's time per chart grows with the number of SVG nodes; this removes about 90 % of
    the groups and keeps the drawing identical.
    """
    root = ET.fromstring(svg)
    for metadata in root.findall(f"{{{SVG_NS}}}metadata"):
        root.remove(metadata)
    _flatten(root)
    # WeasyPrint re-registers the empty prefix for its own metadata when it is imported, which would turn
    # <svg> into <ns0:svg> in a long-lived process: claim the prefixes again right before writing.
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")
