
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.formatting import format_number
from common.locking import EditConflict, save_versioned
from common.params import as_date, as_int, as_text
from common.xlsx import workbook_response
from indicators.export import indicator_rows, indicator_sheet
from indicators.forms import IndicatorValueForm
from indicators.models import Indicator, IndicatorValue
from indicators.results import indicator_results
from nämndplan.models import Municipality, Plan
from procurement.history import HISTORY_ACTIONS, Change, changes_since
from procurement.models import Bid
from procurement.secrecy import sees_bids


def parse_as_of(request):
    """The cut-off date from ?till=YYYY-MM-DD (a meeting's date); today when absent or malformed."""
    return as_date(request.GET.get("till"), default=timezone.localdate())


def _municipality_param(request):
    """The municipality of ?kommun=NAME, None without one; an unknown name is a 404."""
    name = request.GET.get("kommun")
    if not name:
        return None
    return get_object_or_404(Municipality, name=as_text(name) or "")


def _year_param(request, plan, as_of):
    """The year of ?ar=YYYY within the plan's years, else the cut-off's year."""
    year = as_int(request.GET.get("ar", as_of.year))
    return year if year in plan.all_years else as_of.year


def _indicator_or_404(plan, code):
    indicators = Indicator.objects.of_plan(plan).with_targets_and_values().select_related("value_from")
    return get_object_or_404(indicators, code=as_text(code) or "")


@require_safe
@permission_required("indicators.view_indicator", raise_exception=True)
def indicator_detail(request, code):
    plan = Plan.objects.current()
    indicator = _indicator_or_404(plan, code)
    as_of = parse_as_of(request)
    series = indicator_results(plan, as_of=as_of, indicators=[indicator])[code]
    # An indicator sharing another's measurement shows that one's values; its own (if any) are not used.
    other_values = [] if indicator.value_from_id else indicator.period_and_municipality_values()
    return render(request, "indicators/indicator_detail.html", {
        "plan": plan, "indicator": indicator, "series": series, "rows": list(series.years.values()),
        "targets": list(indicator.targets.all()), "other_values": other_values, "as_of": as_of,
        "reported_as": indicator.value_from or indicator,
    })


@require_safe
@permission_required("procurement.view_procurement", raise_exception=True)
def indicator_records(request, code, year):
    """The records behind a computed number: the drill-down of a count or a share."""
    plan = Plan.objects.current()
    indicator = _indicator_or_404(plan, code)
    as_of, municipality = parse_as_of(request), _municipality_param(request)
    series = indicator_results(plan, as_of=as_of, municipality=municipality, indicators=[indicator]).get(code)
    if series is None or series.definition is None or year not in series.years:
        raise Http404
    return render(request, "indicators/indicator_records.html", {
        "indicator": indicator, "definition": series.definition, "result": series.years[year], "year": year,
        "as_of": as_of, "municipality": municipality, "limit": DRILL_LIMIT,
        **_records(series.definition, year, as_of, municipality, request.user),
    })


def _records(definition, year, as_of, municipality, user):
    numerator = definition.records(year, as_of, municipality)
    denominator = definition.records(year, as_of, municipality, numerator=False) if definition.denominator else None
    secret_bids = numerator.model is Bid
    return {
        "hidden_note": _("Vilka som lämnat anbud visas bara för UhC:s medarbetare (offentlighets- och "
                         "sekretesslagen 19 kap. 3 §).") if secret_bids else
        _("Posterna visas bara för de roller som får läsa dem (UhC:s medarbetare och chef UhC)."),
        "numerator_records": _rows(numerator, user),
        "numerator_total": numerator.count(),
        "denominator_records": _rows(denominator, user) if denominator is not None else None,
        "denominator_total": denominator.count() if denominator is not None else None,
    }


# Related rows each kind of record needs for its label, fetched with it (no query per row).
_RELATED = {
    "Bid": ("procurement", "supplier"),
    "ContractFollowUp": ("contract",),
    "CompetenceEffort": ("municipality",),
    "MunicipalityDialogue": ("municipality",),
}
DRILL_LIMIT = 2000


def _rows(queryset, user):
    """Records behind a number as (label, url) pairs; a bid links to its procurement.

    Bids name their bidders: for those who may not see bids only the count is shown (an empty list
    beside the total), as procurement/secrecy.py says; so for any record the role may not view.
    """
    if queryset.model is Bid and not sees_bids(user):
        return []
    meta = queryset.model._meta
    if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
        return []  # records the role may not read (the supplier-check ledger for members): the count only
    queryset = queryset.select_related(*_RELATED.get(queryset.model.__name__, ()))
    rows = []
    for record in queryset[:DRILL_LIMIT]:
        target = getattr(record, "procurement", None) if queryset.model.__name__ == "Bid" else record
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
        rows.append((str(record), url))
    return rows


@permission_required("indicators.add_indicatorvalue", raise_exception=True)
def value_create(request, code=None):
    plan = Plan.objects.current()
    indicator = get_object_or_404(Indicator.objects.of_plan(plan), code=as_text(code) or "") if code else None
    if indicator is not None and indicator.value_from_id:
        indicator = indicator.value_from  # 8.3's value is reported as 1.1's
    initial = {"indicator": indicator} if indicator else {}
    form = IndicatorValueForm(request.POST if request.method == "POST" else None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _saved(request, form, _("Värdet för %(code)s %(year)s har sparats."))
    return render(request, "indicators/value_form.html", {"form": form, "plan": plan})


@permission_required("indicators.change_indicatorvalue", raise_exception=True)
def value_update(request, pk):
    plan = Plan.objects.current()
    instance = get_object_or_404(IndicatorValue.objects.select_related("indicator"), pk=pk)
    form = IndicatorValueForm(request.POST if request.method == "POST" else None, instance=instance, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            return _saved(request, form, _("Värdet för %(code)s %(year)s har ändrats."))
        except EditConflict as conflict:
            saved = IndicatorValue.objects.filter(pk=pk).first()
            form.show_conflict(conflict, saved=saved and IndicatorValueForm(instance=saved, plan=plan),
                               entries=changes_since(instance, form.loaded_version))
    return render(request, "indicators/value_form.html", {
        "form": form, "plan": plan, "instance": instance, "history": value_history(instance),
    })


@dataclass
class ValueHistoryEntry:
    """One save of a recorded value: who, when, what changed (old → new) and the reason given."""

    when: object
    user: str
    action: str
    reason: str
    changes: list = field(default_factory=list)  # procurement.history.Change


# The fields of a value whose changes its history shows, with how each is read.
_HISTORY_FIELDS = {
    "indicator": lambda r: r.indicator.code if r.indicator_id else "–",
    "year": lambda r: str(r.year),
    "period": lambda r: r.get_period_display(),
    "municipality": lambda r: r.municipality.name if r.municipality_id else _("Hela samverkan"),
    "value": lambda r: format_number(r.value, r.unit or (r.indicator.unit if r.indicator_id else None)),
    "known_from": lambda r: r.known_from.isoformat() if r.known_from else "–",
    "comment": lambda r: r.comment or "–",
}


def value_history(value):
    """Every save of `value`, newest first, from its history records (one query)."""
    records = value.history.select_related("history_user", "indicator", "municipality")
    records = list(records.order_by("-history_date", "-history_id"))
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        kind = "+" if older is None else newer.history_type
        changes = [] if older is None else [
            Change(str(IndicatorValue._meta.get_field(name).verbose_name).capitalize(), shown(older), shown(newer))
            for name, shown in _HISTORY_FIELDS.items() if shown(older) != shown(newer)
        ]
        user = newer.history_user
        entries.append(ValueHistoryEntry(
            when=newer.history_date, user=(user.get_full_name() or user.get_username()) if user else _("okänd"),
            action=str(HISTORY_ACTIONS[kind]), reason=newer.history_change_reason or "", changes=changes,
        ))
    return entries


def _saved(request, form, message):
    """Save the value if no one else has saved it since the form was loaded (else EditConflict)."""
    value = form.save(commit=False)
    value.recorded_by = request.user
    save_versioned(instance=value, expected_version=form.loaded_version)
    messages.success(request, message % {"code": value.indicator.code, "year": value.year})
    return redirect(value.indicator)


@require_safe
@permission_required("indicators.view_indicator", raise_exception=True)
def indicators_xlsx(request):
    """Every indicator with its yearly values and status, as Excel (?ar=2026&till=…&kommun=…)."""
    plan = Plan.objects.current()
    as_of, municipality = parse_as_of(request), _municipality_param(request)
    year = _year_param(request, plan, as_of)
    until = as_of if "till" in request.GET else None
    rows = indicator_rows(plan, year, until=until, municipality=municipality)
    suffix = f"-{municipality.name}" if municipality else ""
    filename = f"indikatorer-{year}{suffix}-{(until or timezone.localdate()).isoformat()}.xlsx"
    return workbook_response([indicator_sheet(rows, list(plan.all_years), year)], filename)
