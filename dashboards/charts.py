"""Plotly figures of an indicator's trend, built in Python from its results.

Pure functions: an IndicatorSeries (indicators/results.py) in, a plain figure dict (`data` and
`layout`) out, ready for `json_script` and `Plotly.newPlot` in static/js/dashboard.js. Every
number the reader sees (bar labels, hover texts) is formatted here in Swedish, so the browser only
draws and the table alternative can show exactly the same texts.
"""

from django.utils.translation import gettext as _

from common.formatting import format_number
from dashboards.wording import unit_of
from indicators.models import Unit
from indicators.targets import TargetKind

# Colours of app.css, chosen for contrast against white (text 4.5:1, graphics 3:1).
INK = "#1b1f24"
MUTED = "#4a5360"
GRID = "#c9d0d8"
BAR = "#0b4f7c"
BAR_TO_DATE = "#dbe7f0"
BAND = "rgba(23, 97, 58, 0.16)"
BAND_LINE = "#17613a"
EXPECTED = "#7a4d00"
FONT = 'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

# Targets drawn as a line at their value; "within" is drawn as a band, the others are words.
LINE_KINDS = {TargetKind.AT_LEAST, TargetKind.MORE_THAN, TargetKind.AT_MOST, TargetKind.LESS_THAN, TargetKind.K_OF_N}


def chart_id(indicator):
    """The id of an indicator's chart on a page ("chart-1-2"); its panel is "indikator-chart-1-2"."""
    return "chart-" + indicator.code.replace(".", "-")


def trend_years(series, up_to, *, skip_empty_start=False):
    """The years a trend shows: from the first year the indicator is measured up to `up_to`.

    With `skip_empty_start`, leading years without a value are left out (a municipality's values
    start when the register does), but `up_to` itself is always shown.
    """
    first = series.indicator.measured_from
    rows = [result for year, result in series.years.items() if first <= year <= up_to]
    if skip_empty_start:
        while len(rows) > 1 and rows[0].value is None:
            rows = rows[1:]
    return rows


def year_label(result):
    if result.to_date:
        return _("%(year)s (hittills)") % {"year": result.year}
    return str(result.year)


def target_words(result):
    """The target of a year in words, e.g. "minst 60 %", "7 av 7", "Ska öka jämfört med föregående år"."""
    return str(result.target.describe()) if result.target is not None else _("Inget mål")


def _number(value):
    return float(value) if value is not None else None


def _hover(series, result, show_target):
    unit = unit_of(result, series.indicator)
    lines = [f"<b>{year_label(result)}</b>"]
    if result.value is None:
        lines.append(_("Värde saknas"))
    else:
        lines.append(_("Värde: %(value)s") % {"value": format_number(result.value, unit)})
    if show_target:
        lines.append(_("Mål: %(target)s") % {"target": target_words(result)})
        lines.append(str(result.status_label))
    return "<br>".join(lines)


def _bar_traces(series, rows, show_target):
    traces = []
    for to_date in (False, True):
        # A year under way without a value yet gets no bar and no legend entry of its own.
        picked = [r for r in rows if r.to_date == to_date and (r.value is not None or not to_date)]
        if not picked:
            continue
        trace = {
            "type": "bar",
            "name": _("Hittills i år") if to_date else _("Värde"),
            "x": [str(r.year) for r in picked],
            "y": [_number(r.value) for r in picked],
            # Each value in its own unit: a history measured otherwise (8.6 in per cent) says so.
            "text": [format_number(r.value, unit_of(r, series.indicator)) if r.value is not None else ""
                     for r in picked],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [_hover(series, r, show_target) for r in picked],
            "hovertemplate": "%{customdata}<extra></extra>",
            "marker": {"color": BAR, "line": {"color": BAR, "width": 1.5}},
        }
        if to_date:
            trace["marker"] = {
                "color": BAR_TO_DATE,
                "line": {"color": BAR, "width": 1.5},
                "pattern": {"shape": "/", "fgcolor": BAR, "size": 8},
            }
        traces.append(trace)
    return traces


def _target_traces(rows):
    """([band traces], [line traces]): a band for "within" targets, a step line at the value for the others."""
    line = {r.year for r in rows if r.target is not None and r.target.kind in LINE_KINDS}
    band = [r for r in rows if r.target is not None and r.target.kind == TargetKind.WITHIN]
    lines, bands = [], []
    if line:
        lines.append({
            "type": "scatter",
            "mode": "lines+markers",
            "name": _("Mål"),
            "x": [str(r.year) for r in rows],
            "y": [_number(r.target.value) if r.year in line else None for r in rows],
            "customdata": [_("Mål %(year)s: %(target)s") % {"year": r.year, "target": target_words(r)} for r in rows],
            "hovertemplate": "%{customdata}<extra></extra>",
            "line": {"color": INK, "width": 2, "dash": "dash", "shape": "hvh"},
            "marker": {"color": INK, "size": 6, "symbol": "line-ew-open"},
        })
    if band:
        x = [str(r.year) for r in band]
        common = {"type": "scatter", "mode": "lines", "x": x, "hoverinfo": "skip",
                  "line": {"color": BAND_LINE, "width": 1, "shape": "hvh"}}
        bands.append({**common, "name": _("Målintervall"), "showlegend": False,
                      "y": [-_number(r.target.value) for r in band]})
        bands.append({**common, "name": _("Målintervall: %(target)s") % {"target": target_words(band[-1])},
                      "y": [_number(r.target.value) for r in band], "fill": "tonexty", "fillcolor": BAND})
    return bands, lines


def _expected_trace(series, rows):
    """Where an accumulating count should be by now, during the year."""
    picked = [r for r in rows if r.expected is not None]
    if not picked:
        return []
    unit = series.indicator.unit
    return [{
        "type": "scatter",
        "mode": "markers",
        "name": _("Väntat hittills"),
        "x": [str(r.year) for r in picked],
        "y": [_number(r.expected) for r in picked],
        "customdata": [_("Väntat hittills: %(value)s") % {"value": format_number(r.expected, unit)} for r in picked],
        "hovertemplate": "%{customdata}<extra></extra>",
        "marker": {"color": EXPECTED, "size": 12, "symbol": "diamond", "line": {"color": "#ffffff", "width": 1}},
    }]


def _words_target(rows):
    """The words for increase/decrease targets, which have no line to draw."""
    kinds = {r.target.kind for r in rows if r.target is not None}
    if kinds & {TargetKind.INCREASE, TargetKind.DECREASE}:
        last = next(r for r in reversed(rows) if r.target is not None)
        return _("Mål: %(target)s") % {"target": target_words(last)}
    return ""


def _yaxis(series, rows):
    unit = series.indicator.unit
    axis = {
        "tickformat": ",~f",
        "rangemode": "normal" if unit == Unit.DEVIATION else "tozero",
        "fixedrange": True,
        "gridcolor": GRID,
        "zeroline": True,
        "zerolinecolor": MUTED,
        "automargin": True,
    }
    if unit in (Unit.PERCENT, Unit.DEVIATION):
        axis["ticksuffix"] = " %"
    else:
        axis["title"] = {"text": str(Unit(unit).label).capitalize()}
    k_of_n = [r.target for r in rows if r.target is not None and r.target.kind == TargetKind.K_OF_N]
    if k_of_n:
        n = max(t.of_n for t in k_of_n)
        axis["range"] = [0, n + 0.5]
        if n <= 12:
            axis["dtick"] = 1
    return axis


def trend_figure(series, *, up_to, show_target=True, skip_empty_start=False):
    """The indicator's values per year up to `up_to` as bars, with its target as a line or band.

    `show_target=False` leaves the target out (a municipality's share of a committee-wide count).
    """
    rows = trend_years(series, up_to, skip_empty_start=skip_empty_start)
    data = _bar_traces(series, rows, show_target)
    title = ""
    if show_target:
        band, line = _target_traces(rows)
        # The band lies behind the bars, the line in front of them.
        data = band + data + line + _expected_trace(series, rows)
        title = _words_target(rows)
    layout = {
        "separators": ", ",
        "height": 300,
        "margin": {"l": 16, "r": 16, "t": 44 if title else 24, "b": 16},
        "font": {"family": FONT, "size": 14, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "barmode": "overlay",
        "bargap": 0.35,
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
        "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": INK, "font": {"color": INK, "family": FONT}},
        "xaxis": {
            "type": "category", "categoryorder": "array", "categoryarray": [str(r.year) for r in rows],
            "range": [-0.5, len(rows) - 0.5], "fixedrange": True, "automargin": True,
        },
        "yaxis": _yaxis(series, rows),
    }
    if title:
        layout["title"] = {"text": title, "x": 0, "xanchor": "left", "font": {"size": 14}}
    return {"data": data, "layout": layout}


def chart_summary(series, *, up_to, show_target=True, skip_empty_start=False):
    """A short text of what the chart shows, for the chart's aria-label."""
    rows = trend_years(series, up_to, skip_empty_start=skip_empty_start)
    indicator = series.indicator
    if not rows:
        return _("%(code)s %(name)s: inga år att visa.") % {"code": indicator.code, "name": indicator.name}
    values = "; ".join(f"{year_label(r)}: {format_number(r.value, unit_of(r, indicator))}" for r in rows)
    text = _("Stapeldiagram över %(code)s %(name)s per år, %(first)s–%(last)s. %(values)s.") % {
        "code": indicator.code, "name": indicator.name, "first": rows[0].year, "last": rows[-1].year,
        "values": values,
    }
    last = rows[-1]
    if show_target:
        text += " " + _("Mål %(year)s: %(target)s. Måluppfyllelse: %(status)s.") % {
            "year": last.year, "target": target_words(last), "status": last.status_label,
        }
    else:
        text += " " + _("Målet gäller hela samverkan.")
    return text
