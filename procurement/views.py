"""Pages of the procurement register: filtered lists with Excel export, detail pages with history,
and the forms UhC staff fill in every week.

Reading needs procurement.view_*; writing needs add_/change_/delete_ on the model concerned.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, linebreaks
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_tables2 import RequestConfig

from common.formatting import format_number
from common.xlsx import workbook_response
from procurement import filters, tables
from procurement.forms import (
    CONTRACT_FIELDSETS,
    PROCUREMENT_FIELDSETS,
    CompetenceEffortForm,
    ContractForm,
    DialogueForm,
    FollowUpForm,
    InformationActivityForm,
    ProcurementForm,
    SupplierForm,
    bid_formset,
)
from procurement.models import (
    Bid,
    CompetenceEffort,
    Contract,
    ContractFollowUp,
    InformationActivity,
    MunicipalityDialogue,
    Procurement,
    Supplier,
)
from procurement.services import EditConflict, save_procurement, save_versioned

PER_PAGE = 25
SUPPLIER_ROWS = 50  # the latest bids and contracts shown on a supplier's page
GET_POST = require_http_methods(["GET", "POST"])


# --- Showing values ------------------------------------------------------------------------------

def show(model, name, value):
    """A field value as people read it: choice labels, Ja/Nej, Swedish dates and numbers, '–' for nothing."""
    model_field = model._meta.get_field(name)
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, datetime.date):
        return date_format(value)
    if isinstance(value, (int, float, Decimal)):
        return format_number(value)
    if model_field.is_relation and not hasattr(value, "_meta"):
        return _("(borttagen)")  # simple-history's DeletedObject
    return str(value)


def facts(instance, names):
    """[(label, value)] of `instance`'s fields; text keeps its line breaks, linked records are links."""
    items = []
    for name in names:
        model_field = instance._meta.get_field(name)
        label = capfirst(model_field.verbose_name)
        if model_field.many_to_many:
            value = ", ".join(str(item) for item in getattr(instance, name).all()) or "–"
        elif model_field.is_relation and getattr(instance, name) is not None:
            related = getattr(instance, name)
            url = getattr(related, "get_absolute_url", None)
            value = format_html('<a href="{}">{}</a>', url(), related) if url else str(related)
        elif model_field.get_internal_type() == "TextField" and getattr(instance, name):
            value = mark_safe(linebreaks(getattr(instance, name), autoescape=True))  # escaped by linebreaks
        else:
            value = show(type(instance), name, getattr(instance, name))
        items.append((label, value))
    return items


# --- History ---------------------------------------------------------------------------------------

HISTORY_ACTIONS = {"+": gettext_lazy("Skapad"), "~": gettext_lazy("Ändrad"), "-": gettext_lazy("Borttagen")}
SAME_SAVE = datetime.timedelta(seconds=5)


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    user_id: int | None
    user: str
    action: str
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list = field(default_factory=list)
    version: int | None = None


def _user_name(user):
    if user is None:
        return _("okänd användare")
    return user.get_full_name() or user.get_username()


def _shown_change(model, name, value):
    return Truncator(show(model, name, value)).chars(200)


def _m2m_values(records, names):
    """{(history_id, field name): [names]} for every record, one query per many-to-many field."""
    values = {}
    if not records:
        return values
    for name in names:
        m2m_model = getattr(type(records[0]), name).model
        target = records[0].instance_type._meta.get_field(name).m2m_reverse_field_name()
        rows = (
            m2m_model.objects.filter(history_id__in=[r.history_id for r in records])
            .select_related(target)
            .order_by(f"{target}__order", f"{target}__name")
        )
        for row in rows:
            values.setdefault((row.history_id, name), []).append(str(getattr(row, target)))
    return values


def history_entries(records, m2m=()):
    """What changed in each history record of one object, newest first (records newest first)."""
    records = list(records)
    if not records:
        return []
    model = records[0].instance_type
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())}
    m2m_values = _m2m_values(records, m2m)
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, excluded_fields=list(m2m), foreign_keys_are_objs=True)
            for change in sorted(delta.changes, key=lambda c: order.get(c.field, 0)):
                changes.append(Change(
                    capfirst(model._meta.get_field(change.field).verbose_name),
                    _shown_change(model, change.field, change.old),
                    _shown_change(model, change.field, change.new),
                ))
            for name in m2m:
                old = m2m_values.get((older.history_id, name), [])
                new = m2m_values.get((newer.history_id, name), [])
                if old != new:
                    label = capfirst(model._meta.get_field(name).verbose_name)
                    changes.append(Change(label, ", ".join(old) or "–", ", ".join(new) or "–"))
        # The oldest record is the creation, even when written by a path that marked it as a change.
        kind = "+" if older is None else newer.history_type
        entries.append(HistoryEntry(
            when=newer.history_date,
            user_id=newer.history_user_id,
            user=_user_name(newer.history_user),
            action=str(HISTORY_ACTIONS[kind]),
            kind=kind,
            changes=changes,
            version=getattr(newer, "version", None),
        ))
    return entries


def _bid_changes(procurement):
    """Bids added, changed and removed, as entries whose changes name the bidder."""
    records = (
        Bid.history.filter(procurement_id=procurement.pk)
        .select_related("supplier", "history_user")
        .order_by("id", "-history_date", "-history_id")
    )
    entries = []
    for _bid_id, group in groupby(records, key=lambda r: r.id):
        group = list(group)
        for record, entry in zip(group, history_entries(group), strict=True):
            bidder = _("Anbud från %(supplier)s") % {"supplier": record.supplier.name if record.supplier else "–"}
            if record.history_type == "+":
                flags = _("tillagt (diskvalificerat: %(disq)s, tilldelat: %(awarded)s)") % {
                    "disq": show(Bid, "disqualified", record.disqualified),
                    "awarded": show(Bid, "awarded", record.awarded),
                }
                entry.changes = [Change(bidder, "–", flags)]
            elif record.history_type == "-":
                entry.changes = [Change(bidder, _("fanns"), _("borttaget"))]
            else:
                entry.changes = [Change(f"{bidder}: {c.label.lower()}", c.old, c.new) for c in entry.changes]
            entry.action, entry.kind, entry.version = str(HISTORY_ACTIONS["~"]), "~", None
            entries.append(entry)
    return entries


def _merge(entries, extra):
    """Add `extra` entries to the entry of the same save (same user, within seconds), else on their own."""
    for item in extra:
        same_save = [e for e in entries if e.user_id == item.user_id and abs(e.when - item.when) <= SAME_SAVE]
        if same_save:
            target = min(same_save, key=lambda e: abs(e.when - item.when))
            target.changes.extend(item.changes)
        else:
            entries.append(item)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _history_of(instance):
    records = instance.history.select_related("history_user").order_by("-history_date", "-history_id")
    if isinstance(instance, Procurement):
        records = records.select_related("category", "product_group")
        return _merge(history_entries(records, m2m=["municipalities"]), _bid_changes(instance))
    if isinstance(instance, Contract):
        return history_entries(records.select_related("procurement", "supplier"), m2m=["municipalities"])
    if isinstance(instance, ContractFollowUp):
        return history_entries(records.select_related("contract"))
    return history_entries(records)


def _changes_since(instance, version):
    """The entries someone else saved after `version`: shown beside the conflict message."""
    if instance.pk is None:
        return []
    return [e for e in _history_of(instance) if e.version is not None and version is not None and e.version > version]


# --- Lists -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListPage:
    title: str
    template: str
    filterset: type
    table: type
    queryset: Callable
    export_columns: Callable
    file_prefix: str
    add_url: str
    add_permission: str
    edit_permission: str = ""
    export_queryset: Callable = lambda qs: qs  # what the export adds to the list's query


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query


def _list_page(request, page, extra_context=None):
    filterset = page.filterset(request.GET, queryset=page.queryset(), request=request)
    rows = filterset.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, page, rows)
    exclude = ()
    if "actions" in page.table.base_columns and not request.user.has_perm(page.edit_permission):
        exclude = ("actions",)
    table = page.table(rows, exclude=exclude)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    export_query = _query_without(request, "page")
    export_query["export"] = "xlsx"
    context = {
        "title": page.title,
        "filter": filterset,
        "table": table,
        "export_url": f"?{export_query.urlencode()}",
        "is_filtered": any(v for k, v in request.GET.items() if k not in ("sort", "page")),
        "add_url": reverse(page.add_url) if request.user.has_perm(page.add_permission) else None,
        **(extra_context or {}),
    }
    return render(request, page.template, context)


def _export(request, page, rows):
    """Every filtered row (all pages), in the order the list is sorted."""
    table = page.table(page.export_queryset(rows), order_by=request.GET.get("sort") or None)
    records = [row.record for row in table.rows]
    sheet = tables.export_sheet(page.title, page.export_columns(), records)
    return workbook_response([sheet], f"{page.file_prefix}-{timezone.localdate():%Y-%m-%d}.xlsx")


PROCUREMENTS = ListPage(
    title=gettext_lazy("Upphandlingar"),
    template="procurement/procurement_list.html",
    filterset=filters.ProcurementFilter,
    table=tables.ProcurementTable,
    queryset=lambda: Procurement.objects.select_related("category")
    .with_counts()
    .order_by(F("advertised_on").desc(nulls_last=True), "-id"),
    export_columns=tables.procurement_export_columns,
    export_queryset=lambda qs: qs.select_related("product_group").prefetch_related(
        "municipalities",
        Prefetch("bids", queryset=Bid.objects.filter(awarded=True).select_related("supplier"), to_attr="awarded_bids"),
    ),
    file_prefix="upphandlingar",
    add_url="procurement:procurement_create",
    add_permission="procurement.add_procurement",
)
CONTRACTS = ListPage(
    title=gettext_lazy("Avtal"),
    template="procurement/contract_list.html",
    filterset=filters.ContractFilter,
    table=tables.ContractTable,
    queryset=lambda: Contract.objects.select_related("supplier").with_follow_up_stats().order_by("number"),
    export_columns=tables.contract_export_columns,
    export_queryset=lambda qs: qs.select_related("procurement").prefetch_related("municipalities"),
    file_prefix="avtal",
    add_url="procurement:contract_create",
    add_permission="procurement.add_contract",
)
FOLLOW_UPS = ListPage(
    title=gettext_lazy("Avtalsuppföljningar"),
    template="procurement/followup_list.html",
    filterset=filters.FollowUpFilter,
    table=tables.FollowUpTable,
    queryset=lambda: ContractFollowUp.objects.select_related("contract__supplier").order_by("-date", "-id"),
    export_columns=tables.follow_up_export_columns,
    file_prefix="avtalsuppfoljningar",
    add_url="procurement:followup_create",
    add_permission="procurement.add_contractfollowup",
)
SUPPLIERS = ListPage(
    title=gettext_lazy("Leverantörer"),
    template="procurement/supplier_list.html",
    filterset=filters.SupplierFilter,
    table=tables.SupplierTable,
    queryset=lambda: Supplier.objects.with_counts().order_by("name", "id"),
    export_columns=tables.supplier_export_columns,
    file_prefix="leverantorer",
    add_url="procurement:supplier_create",
    add_permission="procurement.add_supplier",
)
INFORMATION = ListPage(
    title=gettext_lazy("Informationsaktiviteter"),
    template="procurement/information_list.html",
    filterset=filters.InformationActivityFilter,
    table=tables.InformationActivityTable,
    queryset=lambda: InformationActivity.objects.select_related("procurement")
    .prefetch_related("municipalities")
    .order_by("-date", "-id"),
    export_columns=tables.information_export_columns,
    file_prefix="informationsaktiviteter",
    add_url="procurement:information_create",
    add_permission="procurement.add_informationactivity",
    edit_permission="procurement.change_informationactivity",
)
COMPETENCE = ListPage(
    title=gettext_lazy("Kompetenshöjande insatser"),
    template="procurement/competence_list.html",
    filterset=filters.CompetenceEffortFilter,
    table=tables.CompetenceEffortTable,
    queryset=lambda: CompetenceEffort.objects.select_related("municipality").order_by("-date", "-id"),
    export_columns=tables.competence_export_columns,
    file_prefix="kompetensinsatser",
    add_url="procurement:competence_create",
    add_permission="procurement.add_competenceeffort",
    edit_permission="procurement.change_competenceeffort",
)
DIALOGUES = ListPage(
    title=gettext_lazy("Dialoger med kommuner"),
    template="procurement/dialogue_list.html",
    filterset=filters.DialogueFilter,
    table=tables.DialogueTable,
    queryset=lambda: MunicipalityDialogue.objects.select_related("municipality").order_by("-date", "-id"),
    export_columns=tables.dialogue_export_columns,
    file_prefix="dialoger",
    add_url="procurement:dialogue_create",
    add_permission="procurement.add_municipalitydialogue",
    edit_permission="procurement.change_municipalitydialogue",
)
ACTIVITY_TABS = [
    ("information_list", gettext_lazy("Informationsaktiviteter")),
    ("competence_list", gettext_lazy("Kompetenshöjande insatser")),
    ("dialogue_list", gettext_lazy("Dialoger med kommuner")),
]


@require_safe
@permission_required("procurement.view_procurement", raise_exception=True)
def index(request):
    today = timezone.localdate()
    ongoing = [Procurement.Status.ADVERTISED, Procurement.Status.AWARDED]
    procurements = Procurement.objects.aggregate(
        advertised=Count("pk", filter=Q(advertised_on__year=today.year)),
        completed=Count("pk", filter=Q(status=Procurement.Status.COMPLETED, completed_on__year=today.year)),
        ongoing=Count("pk", filter=Q(status__in=ongoing)),
        planned=Count("pk", filter=Q(status=Procurement.Status.PLANNED)),
    )
    active = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today)) & Q(
        terminated_on__isnull=True
    )
    contracts = Contract.objects.aggregate(
        active=Count("pk", filter=active),
        ending=Count("pk", filter=active & Q(end_date__lte=filters.add_months(today, 6))),
    )
    context = {
        "year": today.year,
        "procurements": procurements,
        "contracts": contracts,
        "follow_ups": ContractFollowUp.objects.in_year(today.year).count(),
        "suppliers": Supplier.objects.count(),
        "ending_query": "ending_within=6&terminated=nej",
    }
    return render(request, "procurement/index.html", context)


@require_safe
@permission_required("procurement.view_procurement", raise_exception=True)
def procurement_list(request):
    return _list_page(request, PROCUREMENTS)


@require_safe
@permission_required("procurement.view_contract", raise_exception=True)
def contract_list(request):
    return _list_page(request, CONTRACTS)


@require_safe
@permission_required("procurement.view_contractfollowup", raise_exception=True)
def followup_list(request):
    return _list_page(request, FOLLOW_UPS)


@require_safe
@permission_required("procurement.view_supplier", raise_exception=True)
def supplier_list(request):
    return _list_page(request, SUPPLIERS)


@require_safe
@permission_required("procurement.view_informationactivity", raise_exception=True)
def information_list(request):
    return _list_page(request, INFORMATION, {"tabs": ACTIVITY_TABS})


@require_safe
@permission_required("procurement.view_competenceeffort", raise_exception=True)
def competence_list(request):
    return _list_page(request, COMPETENCE, {"tabs": ACTIVITY_TABS})


@require_safe
@permission_required("procurement.view_municipalitydialogue", raise_exception=True)
def dialogue_list(request):
    return _list_page(request, DIALOGUES, {"tabs": ACTIVITY_TABS})


# --- Details -----------------------------------------------------------------------------------------

@require_safe
@permission_required("procurement.view_procurement", raise_exception=True)
def procurement_detail(request, pk):
    procurement = get_object_or_404(
        Procurement.objects.select_related("category", "product_group").prefetch_related(
            "municipalities",
            Prefetch("bids", queryset=Bid.objects.select_related("supplier").order_by("supplier__name")),
            Prefetch("contracts", queryset=Contract.objects.select_related("supplier").order_by("number")),
        ),
        pk=pk,
    )
    groups = [(legend, facts(procurement, names)) for legend, names in PROCUREMENT_FIELDSETS]
    municipalities = procurement.municipalities.all()
    groups[0][1].insert(
        PROCUREMENT_FIELDSETS[0][1].index("municipalities") + 1,
        (_("Samordnad upphandling"), _("Ja") if len(municipalities) >= 2 else _("Nej")),
    )
    bids = list(procurement.bids.all())
    context = {
        "procurement": procurement,
        "groups": groups,
        "bids": bids,
        "valid_bids": sum(not b.disqualified for b in bids),
        "awarded_bids": sum(b.awarded for b in bids),
        "contracts": procurement.contracts.all(),
        "history": _history_of(procurement),
    }
    return render(request, "procurement/procurement_detail.html", context)


@require_safe
@permission_required("procurement.view_contract", raise_exception=True)
def contract_detail(request, pk):
    contract = get_object_or_404(
        Contract.objects.select_related("procurement", "supplier").prefetch_related(
            "municipalities", Prefetch("follow_ups", queryset=ContractFollowUp.objects.order_by("-date", "-id"))
        ),
        pk=pk,
    )
    context = {
        "contract": contract,
        "groups": [(legend, facts(contract, names)) for legend, names in CONTRACT_FIELDSETS],
        "follow_ups": contract.follow_ups.all(),
        "history": _history_of(contract),
    }
    return render(request, "procurement/contract_detail.html", context)


@require_safe
@permission_required("procurement.view_contractfollowup", raise_exception=True)
def followup_detail(request, pk):
    follow_up = get_object_or_404(ContractFollowUp.objects.select_related("contract__supplier"), pk=pk)
    context = {
        "follow_up": follow_up,
        "facts": facts(follow_up, ["contract", "date", "form", "notes", "actions"]),
        "history": _history_of(follow_up),
    }
    return render(request, "procurement/followup_detail.html", context)


@require_safe
@permission_required("procurement.view_supplier", raise_exception=True)
def supplier_detail(request, pk):
    """The supplier with its latest bids and contracts, linking to the lists of all (a supplier may have hundreds)."""
    supplier = get_object_or_404(Supplier.objects.with_counts(), pk=pk)
    bids = (
        supplier.bids.select_related("procurement__category")
        .order_by(F("procurement__advertised_on").desc(nulls_last=True), "procurement__case_number")
    )
    by_org_number = urlencode({"supplier": supplier.org_number})
    context = {
        "supplier": supplier,
        "facts": facts(supplier, ["name", "org_number", "regional", "sme", "social_enterprise"]),
        "bids": bids[:SUPPLIER_ROWS],
        "contracts": supplier.contracts.order_by("-start_date", "number")[:SUPPLIER_ROWS],
        "shown": SUPPLIER_ROWS,
        "all_bids_url": f"{reverse('procurement:procurement_list')}?{by_org_number}",
        "all_contracts_url": f"{reverse('procurement:contract_list')}?{by_org_number}",
        "history": _history_of(supplier),
    }
    return render(request, "procurement/supplier_detail.html", context)


# --- Forms -------------------------------------------------------------------------------------------

def _form_page(request, template, form, **context):
    return render(request, template, {"form": form, **context})


def _save_versioned_form(request, form, m2m=()):
    """Save a valid versioned form: (record, []) or, when someone else saved first, (None, their changes)."""
    try:
        record = save_versioned(
            instance=form.instance,
            expected_version=form.loaded_version,
            m2m={name: form.cleaned_data[name] for name in m2m},
        )
    except EditConflict as conflict:
        changes = _changes_since(form.instance, form.loaded_version)
        form.show_conflict(conflict.current_version)
        return None, changes
    return record, []


def _procurement_form(request, procurement):
    creating = procurement.pk is None
    data = request.POST if request.method == "POST" else None
    form = ProcurementForm(data, instance=procurement)
    bids = bid_formset(data, instance=form.instance, extra=5 if creating else 3)
    conflict = []
    if data is not None and form.is_valid() & bids.is_valid():
        try:
            save_procurement(
                procurement=form.instance,
                expected_version=form.loaded_version,
                municipalities=form.cleaned_data["municipalities"],
                bids=bids,
            )
        except EditConflict as error:
            conflict = _changes_since(procurement, form.loaded_version)
            form.show_conflict(error.current_version)
        else:
            messages.success(request, _("Upphandlingen %(name)s har sparats.") % {"name": procurement.case_number})
            if "save_and_continue" in request.POST:
                return redirect("procurement:procurement_update", procurement.pk)
            return redirect(procurement)
    return _form_page(
        request,
        "procurement/procurement_form.html",
        form,
        bids=bids,
        conflict=conflict,
        instance=None if creating else procurement,
        title=_("Ny upphandling") if creating else _("Ändra upphandling %(name)s") % {"name": procurement.case_number},
        cancel_url=reverse("procurement:procurement_list") if creating else procurement.get_absolute_url(),
    )


@GET_POST
@permission_required("procurement.add_procurement", raise_exception=True)
def procurement_create(request):
    return _procurement_form(request, Procurement())


@GET_POST
@permission_required("procurement.change_procurement", raise_exception=True)
def procurement_update(request, pk):
    return _procurement_form(request, get_object_or_404(Procurement, pk=pk))


def _initial_from_query(request, key, queryset):
    """A record to preselect from ?key=<pk>, ignoring anything that is not one."""
    value = request.GET.get(key, "")
    return queryset.filter(pk=value).first() if value.isdigit() else None


def _contract_form(request, contract, initial=None):
    creating = contract.pk is None
    form = ContractForm(request.POST if request.method == "POST" else None, instance=contract, initial=initial)
    conflict = []
    if request.method == "POST" and form.is_valid():
        saved, conflict = _save_versioned_form(request, form, m2m=["municipalities"])
        if saved:
            messages.success(request, _("Avtalet %(name)s har sparats.") % {"name": saved.number})
            return redirect(saved)
    return _form_page(
        request,
        "procurement/contract_form.html",
        form,
        conflict=conflict,
        instance=None if creating else contract,
        title=_("Nytt avtal") if creating else _("Ändra avtal %(name)s") % {"name": contract.number},
        cancel_url=reverse("procurement:contract_list") if creating else contract.get_absolute_url(),
    )


@GET_POST
@permission_required("procurement.add_contract", raise_exception=True)
def contract_create(request):
    initial = {
        "procurement": _initial_from_query(request, "procurement", Procurement.objects.all()),
        "supplier": _initial_from_query(request, "supplier", Supplier.objects.all()),
    }
    return _contract_form(request, Contract(), initial={k: v for k, v in initial.items() if v})


@GET_POST
@permission_required("procurement.change_contract", raise_exception=True)
def contract_update(request, pk):
    return _contract_form(request, get_object_or_404(Contract, pk=pk))


def _followup_form(request, follow_up, initial=None):
    creating = follow_up.pk is None
    form = FollowUpForm(request.POST if request.method == "POST" else None, instance=follow_up, initial=initial)
    conflict = []
    if request.method == "POST" and form.is_valid():
        saved, conflict = _save_versioned_form(request, form)
        if saved:
            message = _("Uppföljningen av avtal %(name)s har sparats.") % {"name": saved.contract.number}
            messages.success(request, message)
            return redirect(saved.contract)
    contract = initial.get("contract") if initial else None
    back = follow_up.get_absolute_url() if not creating else (
        contract.get_absolute_url() if contract else reverse("procurement:followup_list")
    )
    return _form_page(
        request,
        "procurement/followup_form.html",
        form,
        conflict=conflict,
        instance=None if creating else follow_up,
        title=_("Ny avtalsuppföljning") if creating else _("Ändra avtalsuppföljning"),
        cancel_url=back,
    )


@GET_POST
@permission_required("procurement.add_contractfollowup", raise_exception=True)
def followup_create(request):
    contract = _initial_from_query(request, "contract", Contract.objects.all())
    return _followup_form(request, ContractFollowUp(), initial={"contract": contract} if contract else None)


@GET_POST
@permission_required("procurement.change_contractfollowup", raise_exception=True)
def followup_update(request, pk):
    return _followup_form(request, get_object_or_404(ContractFollowUp.objects.select_related("contract"), pk=pk))


def _simple_form(request, form_class, instance, *, template, title, saved_message, done_url, cancel_url):
    """Create or edit a record without optimistic locking (suppliers, activities)."""
    form = form_class(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # the record and its many-to-many values (municipalities) together
            record = form.save()
        messages.success(request, saved_message % {"name": record})
        return redirect(done_url(record))
    return _form_page(
        request, template, form, title=title, cancel_url=cancel_url, instance=instance if instance.pk else None
    )


@GET_POST
@permission_required("procurement.add_supplier", raise_exception=True)
def supplier_create(request):
    return _simple_form(
        request, SupplierForm, Supplier(),
        template="procurement/supplier_form.html",
        title=_("Ny leverantör"),
        saved_message=_("Leverantören %(name)s har sparats."),
        done_url=lambda s: s.get_absolute_url(),
        cancel_url=reverse("procurement:supplier_list"),
    )


@GET_POST
@permission_required("procurement.change_supplier", raise_exception=True)
def supplier_update(request, pk):
    supplier = get_object_or_404(Supplier, pk=pk)
    return _simple_form(
        request, SupplierForm, supplier,
        template="procurement/supplier_form.html",
        title=_("Ändra leverantör %(name)s") % {"name": supplier.name},
        saved_message=_("Leverantören %(name)s har sparats."),
        done_url=lambda s: s.get_absolute_url(),
        cancel_url=supplier.get_absolute_url(),
    )


@dataclass(frozen=True)
class Activity:
    """One kind of activity: its form, list and words."""

    model: type
    form: type
    list_url: str
    new_title: str
    edit_title: str
    saved: str
    deleted: str


ACTIVITIES = {
    "information": Activity(
        InformationActivity, InformationActivityForm, "procurement:information_list",
        gettext_lazy("Ny informationsaktivitet"), gettext_lazy("Ändra informationsaktivitet"),
        gettext_lazy("Informationsaktiviteten %(name)s har sparats."),
        gettext_lazy("Informationsaktiviteten %(name)s har tagits bort."),
    ),
    "competence": Activity(
        CompetenceEffort, CompetenceEffortForm, "procurement:competence_list",
        gettext_lazy("Ny kompetenshöjande insats"), gettext_lazy("Ändra kompetenshöjande insats"),
        gettext_lazy("Insatsen %(name)s har sparats."),
        gettext_lazy("Insatsen %(name)s har tagits bort."),
    ),
    "dialogue": Activity(
        MunicipalityDialogue, DialogueForm, "procurement:dialogue_list",
        gettext_lazy("Ny dialog med kommun"), gettext_lazy("Ändra dialog med kommun"),
        gettext_lazy("Dialogen %(name)s har sparats."),
        gettext_lazy("Dialogen %(name)s har tagits bort."),
    ),
}


def _activity_form(request, kind, pk=None):
    activity = ACTIVITIES[kind]
    instance = get_object_or_404(activity.model, pk=pk) if pk else activity.model()
    return _simple_form(
        request, activity.form, instance,
        template="procurement/activity_form.html",
        title=activity.edit_title if pk else activity.new_title,
        saved_message=activity.saved,
        done_url=lambda record: reverse(activity.list_url),
        cancel_url=reverse(activity.list_url),
    )


@GET_POST
@permission_required("procurement.add_informationactivity", raise_exception=True)
def information_create(request):
    return _activity_form(request, "information")


@GET_POST
@permission_required("procurement.change_informationactivity", raise_exception=True)
def information_update(request, pk):
    return _activity_form(request, "information", pk)


@GET_POST
@permission_required("procurement.add_competenceeffort", raise_exception=True)
def competence_create(request):
    return _activity_form(request, "competence")


@GET_POST
@permission_required("procurement.change_competenceeffort", raise_exception=True)
def competence_update(request, pk):
    return _activity_form(request, "competence", pk)


@GET_POST
@permission_required("procurement.add_municipalitydialogue", raise_exception=True)
def dialogue_create(request):
    return _activity_form(request, "dialogue")


@GET_POST
@permission_required("procurement.change_municipalitydialogue", raise_exception=True)
def dialogue_update(request, pk):
    return _activity_form(request, "dialogue", pk)


# --- Deleting (only records nothing else depends on) ---------------------------------------------------

def _delete_page(request, record, *, title, deleted_message, done_url, cancel_url):
    if request.method == "POST":
        name = str(record)
        record.delete()
        messages.success(request, deleted_message % {"name": name})
        return redirect(done_url)
    return render(
        request, "procurement/confirm_delete.html", {"record": record, "title": title, "cancel_url": cancel_url}
    )


@GET_POST
@permission_required("procurement.delete_contractfollowup", raise_exception=True)
def followup_delete(request, pk):
    follow_up = get_object_or_404(ContractFollowUp.objects.select_related("contract"), pk=pk)
    return _delete_page(
        request, follow_up,
        title=_("Ta bort avtalsuppföljning"),
        deleted_message=_("Uppföljningen %(name)s har tagits bort."),
        done_url=follow_up.contract.get_absolute_url(),
        cancel_url=follow_up.get_absolute_url(),
    )


def _activity_delete(request, kind, pk):
    activity = ACTIVITIES[kind]
    record = get_object_or_404(activity.model, pk=pk)
    return _delete_page(
        request, record,
        title=_("Ta bort: %(name)s") % {"name": record},
        deleted_message=activity.deleted,
        done_url=reverse(activity.list_url),
        cancel_url=reverse(activity.list_url),
    )


@GET_POST
@permission_required("procurement.delete_informationactivity", raise_exception=True)
def information_delete(request, pk):
    return _activity_delete(request, "information", pk)


@GET_POST
@permission_required("procurement.delete_competenceeffort", raise_exception=True)
def competence_delete(request, pk):
    return _activity_delete(request, "competence", pk)


@GET_POST
@permission_required("procurement.delete_municipalitydialogue", raise_exception=True)
def dialogue_delete(request, pk):
    return _activity_delete(request, "dialogue", pk)
