"""National context: published reference figures shown beside the comparable indicators.

A figure sits beside an indicator by its code (ReferenceFigure.indicator_code). The initial figures
(migration 0008) and the indicators they sit beside:

    5.5  anbud i avslutade upphandlingar i snitt  ← UHM: anbud per upphandling; andel med endast ett anbud
    5.2  andel anbud från regionala företag       ← UHM: andel anbud från små och medelstora företag
    5.3  andel avtal till regionala företag       ← UHM: andel vunna kontrakt till små och medelstora företag
    8.8  antal överprövningar                     ← UHM: andel annonserade upphandlingar som överprövats

Only 5.5's mean is the same measure; the others are the nearest national measure, and each figure's
definition says how it differs. Pages show the figures live; a frozen report keeps them as they were
when it was frozen (reports/snapshot.py stores `figure_data`).
"""

from indicators.models import ReferenceFigure


def reference_figures_for(codes):
    """The figures beside the indicators `codes`, in the model's order (code, newest year first): one query."""
    return list(ReferenceFigure.objects.for_codes(codes))


def reference_figures_by_code(codes):
    """{code: [figure, …]} for the indicators `codes`: one query."""
    by_code = {}
    for figure in reference_figures_for(codes):
        by_code.setdefault(figure.indicator_code, []).append(figure)
    return by_code


def figure_data(figure):
    """A figure as plain JSON data (the value as a decimal string), the way a report's snapshot keeps it."""
    return {
        "indicator_code": figure.indicator_code,
        "measure": figure.measure,
        "area": figure.area,
        "value": str(figure.value),
        "unit": figure.unit,
        "year": figure.year,
        "publisher": figure.publisher,
        "source": figure.source,
        "definition": figure.definition,
        "url": figure.url,
        "note": figure.note,
    }
