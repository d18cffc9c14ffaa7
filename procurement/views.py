"""Pages of the procurement register: filtered lists with Excel export, detail pages with history,
and the forms UhC staff fill in every week.

Reading needs procurement.view_<model>; writing needs add_, change_ or delete_ on the model concerned.
Every form is saved with optimistic locking (procurement/services.py, common/locking.py): a save is
refused when someone else saved the record since the form was loaded.
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, DetailView, TemplateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from common.xlsx import workbook_response
from procurement import contract_life, filters, follow_up_plan, forms, history, models, secrecy, tables
from procurement.services import EditConflict, save_procurement, save_versioned

SUPPLIER_ROWS = 50  # the latest bids and contracts shown on a supplier's page
ENDING_MONTHS = 6  # the start page counts the contracts that end within this many months


class RegisterView(PermissionRequiredMixin):
    """A page of the register: needs the model permission of its `permission_action` (403 without)."""

    raise_exception = True
    permission_action = "view"
    http_method_names = ["get", "head"]

    def get_permission_required(self):
        return [self.permission(self.permission_action)]

    def permission(self, action):
        opts = (self.model or self.queryset.model)._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

    def dispatch(self, request, *args, **kwargs):
        # The method is checked before the permission, as it was by the function views' decorators.
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


# --- Lists -------------------------------------------------------------------------------------------

class RegisterList(RegisterView, SingleTableMixin, FilterView):
    """A list: filters and sort order in the URL, 25 rows a page; ?export=xlsx gives every filtered row.

    Longer than a view should be: it is what the seven lists share, each of them a few attributes.

    `name` is the list's part of its URL names and template: <name>_list, <name>_create and
    procurement/<name>_list.html. The title is the table's caption.
    """

    strict = False  # a bad filter value is reported on its field; the other filters still apply
    name = ""
    file_prefix = ""  # the export is <file_prefix>-<today>.xlsx
    tabs = ()

    @property
    def title(self):
        return self.table_class.caption

    def get_template_names(self):
        return [f"procurement/{self.name}_list.html"]

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        """Every filtered row (all pages), in the order the list is sorted, through common/xlsx.py."""
        rows = self.get_filterset(self.get_filterset_class()).qs
        table = self.table_class.for_export(self.exported(rows), exclude=self.hidden_columns())
        RequestConfig(self.request, paginate=False).configure(table)
        filename = f"{self.file_prefix}-{timezone.localdate():%Y-%m-%d}.xlsx"
        return workbook_response([table.as_sheet(self.title)], filename)

    def exported(self, rows):
        """The rows with what only the export shows (overridden where that needs more queries)."""
        return rows

    def hidden_columns(self):
        """Columns the user may not see, on the screen and in the export."""
        return []

    def get_table_kwargs(self):
        """The rows' edit links are for those who may change the records."""
        hidden = self.hidden_columns()
        if not self.request.user.has_perm(self.permission("change")):
            columns = self.table_class.base_columns.items()
            hidden += [name for name, column in columns if isinstance(column, tables.ActionsColumn)]
        return {"exclude": hidden} if hidden else {}

    def get_context_data(self, **kwargs):
        export_query = self.request.GET.copy()
        export_query.pop("page", None)
        export_query["export"] = "xlsx"
        may_add = self.request.user.has_perm(self.permission("add"))
        return super().get_context_data(
            title=self.title,
            export_url=f"?{export_query.urlencode()}",
            is_filtered=any(value for key, value in self.request.GET.items() if key not in ("sort", "page")),
            add_url=reverse(f"procurement:{self.name}_create") if may_add else None,
            tabs=self.tabs,
            **kwargs,
        )


class ProcurementList(RegisterList):
    name = "procurement"
    file_prefix = "upphandlingar"
    queryset = models.Procurement.objects.select_related("category").newest_first()
    filterset_class = filters.ProcurementFilter
    table_class = tables.ProcurementTable

    def get_queryset(self):
        return super().get_queryset().with_counts(before_award=secrecy.sees_bids(self.request.user))

    def exported(self, rows):
        return rows.select_related("product_group").prefetch_related("municipalities").with_awarded_bids()


class ContractList(RegisterList):
    name = "contract"
    file_prefix = "avtal"
    # Status and latest possible end are computed from the options: prefetched, one query for the page.
    queryset = (
        models.Contract.objects.select_related("supplier", "responsible").prefetch_related("options")
        .with_follow_up_stats().order_by("number")
    )
    filterset_class = filters.ContractFilter
    table_class = tables.ContractTable

    def exported(self, rows):
        return rows.select_related("procurement").prefetch_related("municipalities")


class FollowUpList(RegisterList):
    name = "followup"
    file_prefix = "avtalsuppfoljningar"
    queryset = models.ContractFollowUp.objects.select_related("contract__supplier").order_by("-date", "-id")
    filterset_class = filters.FollowUpFilter
    table_class = tables.FollowUpTable


class SupplierList(RegisterList):
    name = "supplier"
    file_prefix = "leverantorer"
    queryset = models.Supplier.objects.with_counts().order_by("name", "id")
    filterset_class = filters.SupplierFilter
    table_class = tables.SupplierTable

    def hidden_columns(self):
        # How many bids a supplier made tells that it bid: secret (procurement/secrecy.py).
        return [] if secrecy.sees_bids(self.request.user) else ["bid_count"]


class ActivityList(RegisterList):
    """The three lists of activities, newest first, with tabs between them."""

    ordering = ("-date", "-id")
    tabs = [
        ("information_list", gettext_lazy("Informationsaktiviteter")),
        ("competence_list", gettext_lazy("Kompetenshöjande insatser")),
        ("dialogue_list", gettext_lazy("Dialoger med kommuner")),
    ]


class InformationList(ActivityList):
    name = "information"
    file_prefix = "informationsaktiviteter"
    queryset = models.InformationActivity.objects.select_related("procurement").prefetch_related("municipalities")
    filterset_class = filters.InformationActivityFilter
    table_class = tables.InformationActivityTable


class CompetenceList(ActivityList):
    name = "competence"
    file_prefix = "kompetensinsatser"
    queryset = models.CompetenceEffort.objects.select_related("municipality")
    filterset_class = filters.CompetenceEffortFilter
    table_class = tables.CompetenceEffortTable


class DialogueList(ActivityList):
    name = "dialogue"
    file_prefix = "dialoger"
    queryset = models.MunicipalityDialogue.objects.select_related("municipality")
    filterset_class = filters.DialogueFilter
    table_class = tables.DialogueTable


# --- The start page and the detail pages ---------------------------------------------------------------

class Index(RegisterView, TemplateView):
    model = models.Procurement
    template_name = "procurement/index.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            year=today.year,
            procurements=models.Procurement.objects.tally(today.year),
            contracts=models.Contract.objects.tally_on(today, ending_within=ENDING_MONTHS),
            follow_ups=models.ContractFollowUp.objects.in_year(today.year).count(),
            suppliers=models.Supplier.objects.count(),
            ending_query=urlencode({"ending_within": ENDING_MONTHS, "terminated": "nej"}),
            **kwargs,
        )


class RecordDetail(RegisterView, DetailView):
    """A record's page: its facts and its history (who changed what and when)."""

    def history(self):
        return history.history_of(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(history=self.history(), **kwargs)


class ProcurementDetail(RecordDetail):
    queryset = (
        models.Procurement.objects.select_related("category", "product_group").prefetch_related("municipalities")
        .with_bids_and_contracts()
    )
    template_name = "procurement/procurement_detail.html"

    def get_context_data(self, **kwargs):
        bids = list(self.object.bids.all())
        sees_bids = secrecy.sees_bids(self.request.user)
        return super().get_context_data(
            groups=_procurement_groups(self.object),
            bids=bids,
            counts_shown=secrecy.counts_shown(self.request.user, self.object),
            bid_table=tables.BidTable.of_procurement(bids) if sees_bids else None,
            valid_bids=sum(not bid.disqualified for bid in bids),
            awarded_bids=sum(bid.awarded for bid in bids),
            contract_table=tables.ContractRowTable.of_procurement(list(self.object.contracts.all())),
            **kwargs,
        )

    def history(self):
        return history.history_of(self.object, with_bids=secrecy.sees_bids(self.request.user))


def _procurement_groups(procurement):
    """The fieldsets as facts; "Samordnad upphandling" follows the municipalities that make it so."""
    groups = [(legend, history.facts(procurement, names)) for legend, names in forms.PROCUREMENT_FIELDSETS]
    coordinated = _("Ja") if len(procurement.municipalities.all()) >= 2 else _("Nej")
    after_municipalities = forms.PROCUREMENT_FIELDSETS[0][1].index("municipalities") + 1
    groups[0][1].insert(after_municipalities, (_("Samordnad upphandling"), coordinated))
    return groups


class ContractDetail(RecordDetail):
    queryset = models.Contract.objects.select_related("procurement", "supplier", "responsible").prefetch_related(
        "municipalities", "options",
        Prefetch("follow_ups", queryset=models.ContractFollowUp.objects.order_by("-date", "-id")),
    )
    template_name = "procurement/contract_detail.html"

    def get_context_data(self, **kwargs):
        today, contract = timezone.localdate(), self.object
        plan, (per_year, plan_forms) = _this_years_plan(contract, today)
        return super().get_context_data(
            today=today,
            status_label=contract.status_label(today),
            groups=_contract_groups(contract, today),
            option_rows=_option_rows(contract, today),
            plan=plan, plan_per_year=per_year, plan_forms=follow_up_plan.form_labels(plan_forms),
            follow_up_table=tables.ContractFollowUpTable(list(contract.follow_ups.all())),
            **kwargs,
        )


def _contract_groups(contract, today):
    """The fieldsets as facts; after the agreed end the latest possible end and the status that follow
    from the options, and the responsible person by name (a user reads as the username)."""
    groups = []
    for legend, names in forms.CONTRACT_FIELDSETS:
        facts = history.facts(contract, names)
        if "responsible" in names and contract.responsible:
            facts[names.index("responsible")] = (facts[names.index("responsible")][0],
                                                 tables.person_name(contract.responsible))
        if "end_date" in names:
            latest = contract.latest_possible_end(today)
            after_end = names.index("end_date") + 1
            facts[after_end:after_end] = [
                (_("Senast möjliga slutdatum med optionerna"), date_format(latest) if latest else "–"),
                (_("Status"), contract.status_label(today)),
            ]
        groups.append((legend, facts))
    return groups


@dataclass(frozen=True)
class OptionRow:
    """An option on its contract's page: where it falls in the schedule, and whether it can still be used."""

    option: models.ContractOption
    step: contract_life.OptionStep | None  # None after a declined option: it is never reached
    still_open: bool  # pending and not past its decide-by date (nor after one that is)
    next_to_decide: bool  # options are decided in order (services.decide_option): only this one now

    @property
    def pending(self):
        return self.option.decision == models.ContractOption.Decision.PENDING


def _option_rows(contract, today):
    """[OptionRow] for every option of the contract, in order (options prefetched)."""
    options = list(contract.options.all())
    steps = {step.option.pk: step for step in contract.option_schedule()}
    still_open = set()
    if contract.end_date:
        still_open = {step.option.pk for step in contract_life.open_steps(contract.end_date, options, today)}
    pending = [o for o in options if o.decision == models.ContractOption.Decision.PENDING and o.pk in steps]
    first = pending[0] if pending else None
    return [OptionRow(o, steps.get(o.pk), o.pk in still_open, o is first) for o in options]


def _this_years_plan(contract, today):
    """(The contract's ContractPlan this year or None, its class's rule (per_year, forms)): two queries."""
    rule_map = follow_up_plan.rules()
    plans = follow_up_plan.year_plan(today.year, today, models.Contract.objects.filter(pk=contract.pk), rule_map)
    return (plans[0] if plans else None), rule_map[contract.contract_class]


class FollowUpDetail(RecordDetail):
    queryset = models.ContractFollowUp.objects.select_related("contract__supplier")
    context_object_name = "follow_up"
    template_name = "procurement/followup_detail.html"

    def get_context_data(self, **kwargs):
        names = ["contract", "date", "form", "notes", "actions"]
        return super().get_context_data(facts=history.facts(self.object, names), **kwargs)


class SupplierDetail(RecordDetail):
    """The supplier with its latest bids and contracts, linking to the lists of all (a supplier may have hundreds)."""

    queryset = models.Supplier.objects.with_counts()
    template_name = "procurement/supplier_detail.html"

    def get_context_data(self, **kwargs):
        supplier = self.object
        bids = supplier.bids.select_related("procurement__category").latest_procurements_first()[:SUPPLIER_ROWS]
        contracts = supplier.contracts.order_by("-start_date", "number")[:SUPPLIER_ROWS]
        return super().get_context_data(
            facts=history.facts(supplier, ["name", "org_number", "regional", "sme", "social_enterprise"]),
            bid_table=tables.BidTable.of_supplier(list(bids)) if secrecy.sees_bids(self.request.user) else None,
            contract_table=tables.ContractRowTable.of_supplier(list(contracts)),
            shown=SUPPLIER_ROWS,
            all_bids_url=_list_of("procurement_list", supplier),
            all_contracts_url=_list_of("contract_list", supplier),
            **kwargs,
        )


def _list_of(list_name, supplier):
    """The list filtered to the supplier's records: the supplier filter takes its organisation number."""
    return f"{reverse(f'procurement:{list_name}')}?{urlencode({'supplier': supplier.org_number})}"


# --- Forms -------------------------------------------------------------------------------------------

class RecordPage(RegisterView):
    """A page that creates, edits or deletes one record, and says so in a message when done.

    `title` and `success_message` may name the record, as %(name)s: see `record_name`. Longer than a
    view should be: it is what every form and delete page shares.
    """

    http_method_names = ["get", "post"]
    title = ""
    list_url = ""  # where "Avbryt" leads when there is no record yet
    success_message = ""

    def record_name(self, record):
        """What the record is called in the page's title and message."""
        return record

    def get_title(self):
        return self.title % {"name": self.record_name(self.object)} if self.object else self.title

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object else reverse(self.list_url)

    def get_success_message(self):
        return self.success_message % {"name": self.record_name(self.object)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.get_title(), cancel_url=self.get_cancel_url(), instance=self.object, **kwargs
        )

    @transaction.atomic  # the record and its many-to-many values (municipalities) together
    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, self.get_success_message())
        return response


class CreatePage(RecordPage, CreateView):
    permission_action = "add"


class UpdatePage(RecordPage, UpdateView):
    permission_action = "change"


class DeletePage(RecordPage, DeleteView):
    """Deletes only after the user confirms (records nothing else depends on)."""

    permission_action = "delete"
    template_name = "procurement/confirm_delete.html"
    context_object_name = "record"


class VersionedSave:
    """Saves through procurement/services.py (its own transaction), refused when someone else saved
    since the form was loaded: the form keeps what was typed and partials/conflict.html shows what
    they saved.
    """

    m2m = ()  # many-to-many fields saved with the record

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except EditConflict as conflict:
            return self.refuse(form, conflict)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())

    def save(self, form):
        m2m = {name: form.cleaned_data[name] for name in self.m2m}
        return save_versioned(instance=form.instance, expected_version=form.loaded_version, m2m=m2m)

    def refuse(self, form, conflict):
        """The form again, as typed, beside the record as saved now and who saved what since."""
        saved = self.get_queryset().filter(pk=form.instance.pk).first()
        form.show_conflict(
            conflict,
            saved=self.get_form_class()(instance=saved) if saved else None,
            entries=history.changes_since(form.instance, form.loaded_version),
        )
        return self.render_to_response(self.get_context_data(form=form))


def _record_from_query(request, key, model):
    """A record to preselect from ?key=<pk>, ignoring anything that is not one."""
    value = request.GET.get(key, "")
    return model.objects.filter(pk=value).first() if value.isdigit() else None


class ProcurementFormMixin(VersionedSave):
    """A procurement with its bids, which are saved with it or not at all (hence a longer view)."""

    model = models.Procurement
    form_class = forms.ProcurementForm
    template_name = "procurement/procurement_form.html"
    list_url = "procurement:procurement_list"
    success_message = gettext_lazy("Upphandlingen %(name)s har sparats.")

    def record_name(self, record):
        return record.case_number

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        data = self.request.POST if self.request.method == "POST" else None
        self.bids = forms.bid_formset(data, instance=form.instance, extra=3 if self.object else 5)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # makes the form, and with it the bid rows
        return {**context, "bids": self.bids}

    def form_valid(self, form):
        if self.bids_gone():
            return self.refuse(form, self.bids_conflict())
        return super().form_valid(form) if self.bids.is_valid() else self.form_invalid(form)

    def form_invalid(self, form):
        if self.bids_gone():
            return self.refuse(form, self.bids_conflict())
        return super().form_invalid(form)

    def bids_gone(self):
        """Bid rows of a saved procurement whose bids someone else removed (a new one has no such rows)."""
        return self.object is not None and bool(self.bids.gone_rows())

    def bids_conflict(self):
        """A conflict at the procurement's version now."""
        return EditConflict(models.Procurement.objects.filter(pk=self.object.pk).values_list("version", flat=True)
                            .first())

    def refuse(self, form, conflict):
        self.bids = self.bids.rebased()  # saving again then saves what was typed, without stale rows
        return super().refuse(form, conflict)

    def save(self, form):
        return save_procurement(
            procurement=form.instance,
            expected_version=form.loaded_version,
            municipalities=form.cleaned_data["municipalities"],
            bids=self.bids,
        )

    def get_success_url(self):
        if "save_and_continue" in self.request.POST:
            return reverse("procurement:procurement_update", args=[self.object.pk])
        return self.object.get_absolute_url()


class ProcurementCreate(ProcurementFormMixin, CreatePage):
    title = gettext_lazy("Ny upphandling")


class ProcurementUpdate(ProcurementFormMixin, UpdatePage):
    title = gettext_lazy("Ändra upphandling %(name)s")


class ContractFormMixin(VersionedSave):
    model = models.Contract
    form_class = forms.ContractForm
    template_name = "procurement/contract_form.html"
    list_url = "procurement:contract_list"
    success_message = gettext_lazy("Avtalet %(name)s har sparats.")
    m2m = ("municipalities",)

    def record_name(self, record):
        return record.number


class ContractCreate(ContractFormMixin, CreatePage):
    """A new contract, its procurement or supplier preselected from the page it was started on."""

    title = gettext_lazy("Nytt avtal")

    def get_initial(self):
        initial = {
            "procurement": _record_from_query(self.request, "procurement", models.Procurement),
            "supplier": _record_from_query(self.request, "supplier", models.Supplier),
        }
        return {key: value for key, value in initial.items() if value}


class ContractUpdate(ContractFormMixin, UpdatePage):
    title = gettext_lazy("Ändra avtal %(name)s")


class FollowUpFormMixin(VersionedSave):
    """A follow-up is known by its contract, whose page it returns to."""

    model = models.ContractFollowUp
    form_class = forms.FollowUpForm
    template_name = "procurement/followup_form.html"
    list_url = "procurement:followup_list"
    success_message = gettext_lazy("Uppföljningen av avtal %(name)s har sparats.")

    def record_name(self, record):
        return record.contract.number

    def get_success_url(self):
        return self.object.contract.get_absolute_url()


class FollowUpCreate(FollowUpFormMixin, CreatePage):
    """A new follow-up, of the contract whose page it was started on (?contract=<pk>)."""

    title = gettext_lazy("Ny avtalsuppföljning")

    @cached_property
    def contract(self):
        return _record_from_query(self.request, "contract", models.Contract)

    def get_initial(self):
        return {"contract": self.contract} if self.contract else {}

    def get_cancel_url(self):
        return self._next() or (self.contract.get_absolute_url() if self.contract else super().get_cancel_url())

    def get_success_url(self):
        return self._next() or super().get_success_url()

    def _next(self):
        """?next= (the work list the follow-up was recorded from), when it is a page of this site."""
        target = self.request.GET.get("next", "")
        allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()},
                                                  require_https=self.request.is_secure())
        return target if target and allowed else None


class FollowUpUpdate(FollowUpFormMixin, UpdatePage):
    queryset = models.ContractFollowUp.objects.select_related("contract")
    title = gettext_lazy("Ändra avtalsuppföljning")


class FollowUpDelete(DeletePage):
    queryset = models.ContractFollowUp.objects.select_related("contract")
    title = gettext_lazy("Ta bort avtalsuppföljning")
    success_message = gettext_lazy("Uppföljningen %(name)s har tagits bort.")

    def get_success_url(self):
        return self.object.contract.get_absolute_url()


class SupplierFormMixin(VersionedSave):
    model = models.Supplier
    form_class = forms.SupplierForm
    template_name = "procurement/supplier_form.html"
    list_url = "procurement:supplier_list"
    success_message = gettext_lazy("Leverantören %(name)s har sparats.")


class SupplierCreate(SupplierFormMixin, CreatePage):
    title = gettext_lazy("Ny leverantör")


class SupplierUpdate(SupplierFormMixin, UpdatePage):
    def get_title(self):
        return _("Ändra leverantör %(name)s") % {"name": self.object.name}  # the message names the org number too


# --- Activities: three kinds, the same pages ------------------------------------------------------------

@dataclass(frozen=True)
class Activity:
    """One kind of activity: its model, form, list and words."""

    model: type
    form: type
    list_url: str
    new_title: str
    edit_title: str
    saved: str
    deleted: str
    m2m: tuple = ()  # many-to-many fields saved with the record


INFORMATION = Activity(
    models.InformationActivity, forms.InformationActivityForm, "procurement:information_list",
    gettext_lazy("Ny informationsaktivitet"), gettext_lazy("Ändra informationsaktivitet"),
    gettext_lazy("Informationsaktiviteten %(name)s har sparats."),
    gettext_lazy("Informationsaktiviteten %(name)s har tagits bort."),
    m2m=("municipalities",),
)
COMPETENCE = Activity(
    models.CompetenceEffort, forms.CompetenceEffortForm, "procurement:competence_list",
    gettext_lazy("Ny kompetenshöjande insats"), gettext_lazy("Ändra kompetenshöjande insats"),
    gettext_lazy("Insatsen %(name)s har sparats."),
    gettext_lazy("Insatsen %(name)s har tagits bort."),
)
DIALOGUE = Activity(
    models.MunicipalityDialogue, forms.DialogueForm, "procurement:dialogue_list",
    gettext_lazy("Ny dialog med kommun"), gettext_lazy("Ändra dialog med kommun"),
    gettext_lazy("Dialogen %(name)s har sparats."),
    gettext_lazy("Dialogen %(name)s har tagits bort."),
)


class ActivityPage:
    """A page of one kind of activity, the `activity` given in urls.py. Every page leads back to its list."""

    activity = None

    @property
    def model(self):
        return self.activity.model

    def get_success_url(self):
        return reverse(self.activity.list_url)

    def get_cancel_url(self):
        return reverse(self.activity.list_url)


class ActivityFormMixin(VersionedSave, ActivityPage):
    template_name = "procurement/activity_form.html"

    @property
    def success_message(self):
        return self.activity.saved

    @property
    def m2m(self):
        return self.activity.m2m

    def get_form_class(self):
        return self.activity.form


class ActivityCreate(ActivityFormMixin, CreatePage):
    def get_title(self):
        return self.activity.new_title


class ActivityUpdate(ActivityFormMixin, UpdatePage):
    def get_title(self):
        return self.activity.edit_title


class ActivityDelete(ActivityPage, DeletePage):
    title = gettext_lazy("Ta bort: %(name)s")

    @property
    def success_message(self):
        return self.activity.deleted
