"""Pages of the ledger: the list (filters, Excel export), per supplier, contract and procurement, the entry
form, the high-risk contracts not checked lately, and the Excel import.

Every page needs supplier_checks.view_suppliercheck (UhC staff and chef UhC; committee members get 403 and
see the counts on the indicator pages); writing needs add_, change_ or delete_. Forms save with optimistic
locking, like the register's.
"""

from functools import cached_property

from django.db.models import Max, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from procurement import models as register
from procurement.checks import filters, forms, tables
from procurement.checks.models import SupplierCheck, high_risk_unchecked
from procurement.views import CreatePage, DeletePage, RegisterList, RegisterView, UpdatePage, VersionedSave

ENTRIES = SupplierCheck.objects.select_related("supplier", "procurement", "contract")


class CheckList(RegisterList):
    name = "check"
    file_prefix = "leverantorskontroller"
    queryset = ENTRIES.order_by("-date", "-id")
    filterset_class = filters.CheckFilter
    table_class = tables.CheckTable
    template_name = "procurement/checks/list.html"

    def get_template_names(self):
        return [self.template_name]


class SectionList(CheckList):
    """The ledger of one supplier, contract or procurement: /leverantor/<pk>/ and so on."""

    of = None  # the register's model
    field = ""  # the ledger's field pointing at it
    template_name = "procurement/checks/section.html"

    @cached_property
    def record(self):
        return get_object_or_404(self.of, pk=self.kwargs["pk"])

    @property
    def title(self):
        return gettext_lazy("Leverantörskontroller: %(name)s") % {"name": self.record}

    def get_queryset(self):
        return super().get_queryset().filter(**{self.field: self.record})

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)


class HighRiskList(RegisterView, SingleTableMixin, TemplateView):
    model = SupplierCheck
    table_class = tables.HighRiskTable
    template_name = "procurement/checks/high_risk.html"

    def get_table_data(self):
        last = SupplierCheck.objects.filter(contract=OuterRef("pk")).order_by().values("contract").annotate(
            last=Max("date")).values("last")[:1]
        return high_risk_unchecked(timezone.localdate()).annotate(last_check=Subquery(last))

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=tables.HighRiskTable.caption, **kwargs)


class CheckFormMixin(VersionedSave):
    model = SupplierCheck
    form_class = forms.SupplierCheckForm
    template_name = "procurement/checks/form.html"
    list_url = "procurement:check_list"
    success_message = gettext_lazy("Leverantörskontrollen av %(name)s har sparats.")

    def record_name(self, record):
        return record.supplier.name if record.supplier_id else record

    def get_success_url(self):
        return reverse("procurement:check_list")


class CheckCreate(CheckFormMixin, CreatePage):
    """A new entry; ?supplier=, ?contract= or ?procurement= (a pk) fill in what it concerns."""

    title = gettext_lazy("Ny leverantörskontroll")

    def get_initial(self):
        initial = {"date": timezone.localdate()}
        for name, model in (("supplier", register.Supplier), ("contract", register.Contract),
                            ("procurement", register.Procurement)):
            value = self.request.GET.get(name, "")
            record = model.objects.filter(pk=value).first() if value.isdigit() else None
            if record is not None:
                initial[name] = record.org_number if name == "supplier" else record
        contract = initial.get("contract")
        if contract is not None:
            initial.setdefault("supplier", contract.supplier.org_number)
        return initial


# Entries from the register are changed through their procurement's numbers (services.py): not here.
LEDGER_ENTRIES = ENTRIES.filter(origin=SupplierCheck.Origin.LEDGER)


class CheckUpdate(CheckFormMixin, UpdatePage):
    queryset = LEDGER_ENTRIES
    title = gettext_lazy("Ändra leverantörskontroll")


class CheckDelete(DeletePage):
    queryset = LEDGER_ENTRIES
    title = gettext_lazy("Ta bort leverantörskontroll")
    success_message = gettext_lazy("%(name)s har tagits bort.")

    def get_success_url(self):
        return reverse("procurement:check_list")

    def get_cancel_url(self):
        return reverse("procurement:check_list")


SUPPLIER = dict(of=register.Supplier, field="supplier")
CONTRACT = dict(of=register.Contract, field="contract")
PROCUREMENT = dict(of=register.Procurement, field="procurement")
