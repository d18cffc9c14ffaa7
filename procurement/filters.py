"""Filters of the register's lists. Their state lives in the URL, so a filtered list can be bookmarked,
shared and exported as it is."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import add_months
from nämndplan.models import Municipality
from procurement import models, requirements, secrecy
from procurement.forms import DateInput

ALL = _("Alla")
YES_NO = [("ja", _("Ja")), ("nej", _("Nej"))]


class FoldedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes folded into a <details> whose <summary> names them, so their legend is for screen readers.

    _filters.html folds them; the field template (templates/partials/field.html) hides the legend.
    """

    folded = True


def _years(model, *fields):
    """Newest first: every year from the earliest to the latest date in the data, and this year.

    Min and max use the date indexes; listing distinct years would read every row.
    """
    bounds = model.objects.aggregate(
        **{f"min_{f}": Min(f) for f in fields}, **{f"max_{f}": Max(f) for f in fields}
    )
    dates = [d for d in bounds.values() if d is not None]
    this_year = timezone.localdate().year
    first = min([d.year for d in dates] + [this_year])
    last = max([d.year for d in dates] + [this_year])
    return [(year, str(year)) for year in range(last, first - 1, -1)]


def _yes_no(queryset, field, value):
    return queryset.filter(**{field: value == "ja"}) if value else queryset


class RegisterFilterSet(django_filters.FilterSet):
    """Shared: a search box first, Swedish empty choices, year choices from the data."""

    q = django_filters.CharFilter(label=_("Sök"), method="filter_search")
    year_field = None  # the date field whose years the year filter offers
    search_help = ""
    municipality_path = "municipalities"  # what the municipality filter reads; a follow-up: its contract's

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].extra["help_text"] = self.search_help
        if "year" in self.filters:
            self.filters["year"].extra["choices"] = self.year_choices()

    def year_choices(self):
        return _years(self.queryset.model, self.year_field)

    def filter_search(self, queryset, name, value):
        return queryset.search(value.strip()) if value.strip() else queryset

    def filter_year(self, queryset, name, value):
        return queryset.filter(**{f"{self.year_field}__year": int(value)})

    def filter_yes_no(self, queryset, name, value):
        return _yes_no(queryset, name, value)

    def filter_municipality(self, queryset, name, value):
        """Rows whose municipalities include `value`; in a subquery, so that the join repeats no row."""
        with_value = queryset.model.objects.filter(**{self.municipality_path: value})
        return queryset.filter(pk__in=with_value.values("pk"))


def year_filter(**kwargs):
    return django_filters.ChoiceFilter(label=_("År"), method="filter_year", empty_label=ALL, choices=[], **kwargs)


def municipality_filter(label=None, method="filter_municipality"):
    """A choice of municipality, by default among the rows' many municipalities (`filter_municipality`)."""
    return django_filters.ModelChoiceFilter(
        label=label or _("Kommun"), queryset=Municipality.objects.all(), method=method, empty_label=ALL
    )


def yes_no_filter(label):
    return django_filters.ChoiceFilter(label=label, choices=YES_NO, method="filter_yes_no", empty_label=ALL)


class ProcurementFilter(RegisterFilterSet):
    year = year_filter(help_text=_("Annonserad eller avslutad det året."))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=models.Procurement.Status.choices, empty_label=ALL)
    category = django_filters.ModelChoiceFilter(
        label=_("Kategori"), queryset=models.Category.objects.all(), empty_label=ALL
    )
    municipality = municipality_filter(_("Beställande kommun"))
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=models.Procurement.Kind.choices, empty_label=ALL)
    supplier = django_filters.CharFilter(
        label=_("Anbudsgivare"), help_text=_("Namn eller organisationsnummer."), method="filter_supplier"
    )
    requirements = django_filters.MultipleChoiceFilter(
        label=_("Krav och egenskaper"),
        help_text=_("Upphandlingar där alla markerade gäller."),
        choices=requirements.choices,
        widget=FoldedCheckboxes,
        method="filter_requirements",
    )
    search_help = _("Diarienummer eller benämning.")

    class Meta:
        model = models.Procurement
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is None or not secrecy.sees_bids(self.request.user):
            # Who bid is secret (procurement/secrecy.py): only those who see bids search by bidder.
            del self.filters["supplier"]

    def year_choices(self):
        return _years(models.Procurement, "advertised_on", "completed_on")

    def filter_year(self, queryset, name, value):
        return queryset.in_year(int(value))

    def filter_supplier(self, queryset, name, value):
        """Procurements the supplier bid in (a supplier's page links here for all its bids)."""
        value = value.strip()
        if not value:
            return queryset
        bids = models.Bid.objects.filter(supplier__in=models.Supplier.objects.search(value))
        return queryset.filter(pk__in=bids.values("procurement_id"))

    def filter_requirements(self, queryset, name, value):
        return requirements.narrow(queryset, value)


class PersonChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class PersonChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of person, by name."""

    field_class = PersonChoiceField


def contract_managers_in_register():
    """The people who manage at least one contract, by name."""
    return (
        get_user_model().objects.filter(pk__in=models.Contract.objects.filter(responsible__isnull=False)
                                        .values("responsible"))
        .order_by("first_name", "last_name", "username")
    )


class ContractFilter(RegisterFilterSet):
    contract_class = django_filters.ChoiceFilter(
        label=_("Avtalsklass"), choices=models.Contract.ContractClass.choices, empty_label=ALL
    )
    supplier = django_filters.CharFilter(
        label=_("Leverantör"), help_text=_("Namn eller organisationsnummer."), method="filter_supplier"
    )
    municipality = municipality_filter()
    active_on = django_filters.DateFilter(
        label=_("Gäller per datum"), method="filter_active_on", widget=DateInput()
    )
    ending_within = django_filters.NumberFilter(
        label=_("Löper ut inom (månader)"),
        method="filter_ending_within",
        min_value=1,
        max_value=120,
        widget=forms.NumberInput(attrs={"min": 1, "max": 120, "size": 4}),
    )
    terminated = django_filters.ChoiceFilter(
        label=_("Avslutat i förtid"), choices=YES_NO, method="filter_terminated", empty_label=ALL
    )
    responsible = PersonChoiceFilter(
        label=_("Avtalsförvaltare"), queryset=lambda request: contract_managers_in_register(), empty_label=ALL
    )
    mine = django_filters.BooleanFilter(
        label=_("Mina avtal"), help_text=_("Avtal där du är avtalsförvaltare."), method="filter_mine",
        widget=forms.CheckboxInput,
    )
    search_help = _("Avtalsnummer, benämning eller leverantör.")

    class Meta:
        model = models.Contract
        fields = []

    def filter_supplier(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(supplier__in=models.Supplier.objects.search(value))

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)

    def filter_ending_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.ending_between(today, add_months(today, int(value)))

    def filter_terminated(self, queryset, name, value):
        return queryset.filter(terminated_on__isnull=value == "nej")

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(responsible=self.request.user)


class FollowUpFilter(RegisterFilterSet):
    year = year_filter()
    form = django_filters.ChoiceFilter(label=_("Form"), choices=models.ContractFollowUp.Form.choices, empty_label=ALL)
    contract_class = django_filters.ChoiceFilter(
        label=_("Avtalsklass"),
        field_name="contract__contract_class",
        choices=models.Contract.ContractClass.choices,
        empty_label=ALL,
    )
    municipality = municipality_filter()
    year_field = "date"
    search_help = _("Avtalsnummer, avtalets benämning, leverantör, anteckningar eller åtgärder.")
    municipality_path = "contract__municipalities"

    class Meta:
        model = models.ContractFollowUp
        fields = []


class SupplierFilter(RegisterFilterSet):
    regional = yes_no_filter(_("Regional verksamhet"))
    sme = yes_no_filter(_("SMF"))
    social_enterprise = yes_no_filter(_("Socialt företag eller idéburen"))
    search_help = _("Namn eller organisationsnummer.")

    class Meta:
        model = models.Supplier
        fields = []


class ActivityFilter(RegisterFilterSet):
    """Activities are searched by their title (or notes), filtered by year and municipality."""

    year = year_filter()
    year_field = "date"
    search_fields = ["title"]
    search_help = _("Ord i benämningen.")

    def filter_search(self, queryset, name, value):
        words = value.strip()
        if not words:
            return queryset
        return queryset.filter(Q(*[Q(**{f"{f}__icontains": words}) for f in self.search_fields], _connector=Q.OR))


class InformationActivityFilter(ActivityFilter):
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=models.InformationActivity.Kind.choices, empty_label=ALL)
    municipality = municipality_filter(_("Medverkande kommun"))

    class Meta:
        model = models.InformationActivity
        fields = []


class CompetenceEffortFilter(ActivityFilter):
    municipality = municipality_filter(method=None)

    class Meta:
        model = models.CompetenceEffort
        fields = []


class DialogueFilter(ActivityFilter):
    kind = django_filters.ChoiceFilter(
        label=_("Typ"), choices=models.MunicipalityDialogue.Kind.choices, empty_label=ALL
    )
    municipality = municipality_filter(method=None)
    search_fields = ["notes"]
    search_help = _("Ord i anteckningarna.")

    class Meta:
        model = models.MunicipalityDialogue
        fields = []
