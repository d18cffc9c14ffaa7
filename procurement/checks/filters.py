"""The ledger list's filters (django-filter): their state in the URL, so a filtered list can be exported."""

import django_filters
from django.utils.translation import gettext_lazy as _

from procurement.checks.models import SupplierCheck
from procurement.filters import ALL, RegisterFilterSet, municipality_filter, year_filter


class CheckFilter(RegisterFilterSet):
    year = year_filter(help_text=_("Kontrollen gjordes det året."))
    kind = django_filters.ChoiceFilter(label=_("Typ av kontroll"), choices=SupplierCheck.Kind.choices, empty_label=ALL)
    result = django_filters.ChoiceFilter(label=_("Resultat"), choices=SupplierCheck.Result.choices, empty_label=ALL)
    action = django_filters.ChoiceFilter(label=_("Åtgärd"), choices=SupplierCheck.Action.choices, empty_label=ALL)
    origin = django_filters.ChoiceFilter(label=_("Ursprung"), choices=SupplierCheck.Origin.choices, empty_label=ALL)
    municipality = municipality_filter()
    year_field = "date"
    search_help = _("Leverantör, organisationsnummer, diarienummer, avtalsnummer eller anteckning.")

    class Meta:
        model = SupplierCheck
        fields = []

    def filter_municipality(self, queryset, name, value):
        return queryset.of_municipality(value)
