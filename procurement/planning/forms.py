"""Forms of the procurement plan. Messages users see are here and in models.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common import bounds
from common.locking import VersionedFormMixin
from nämndplan.models import Meeting
from procurement.forms import WIDE_TITLE, DateInput, MunicipalitiesField, RegisterForm
from procurement.models import Category, Contract
from procurement.planning.models import PlanConsultation, PlannedProcurement, ProcurementPlan

CATEGORY_NEEDED = _("Välj en kategori för de avtal som saknar upphandling i registret: %(contracts)s.")
NONE_CHOSEN = _("Välj minst ett avtal att lägga till i planen.")


class PlanForm(RegisterForm):
    class Meta:
        model = ProcurementPlan
        fields = ["year", "note"]


class PlannedForm(VersionedFormMixin, RegisterForm):
    class Meta:
        model = PlannedProcurement
        fields = ["title", "category", "product_group", "municipalities", "replaces", "planned_advertising",
                  "planned_completion", "note"]
        widgets = WIDE_TITLE
        field_classes = {"municipalities": MunicipalitiesField}  # a key too large for SQLite is an unknown choice

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_group"].queryset = self.fields["product_group"].queryset.select_related("category")
        self.fields["replaces"].queryset = Contract.objects.order_by("number")


class ProposalsForm(forms.Form):
    """Several proposals at once: the contracts to plan for, and a category for those without one."""

    contracts = forms.MultipleChoiceField(
        label=_("Avtal som upphör utan planerad upphandling"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": NONE_CHOSEN},
    )
    category = forms.ModelChoiceField(
        label=_("Kategori för avtal utan upphandling i registret"), queryset=Category.objects.all(), required=False,
        help_text=_("Avtal som inte hör till någon upphandling i registret saknar kategori."),
    )

    def __init__(self, *args, endings, **kwargs):
        super().__init__(*args, **kwargs)
        self.endings = {str(e.contract.pk): e for e in endings}
        self.fields["contracts"].choices = [(key, e.contract) for key, e in self.endings.items()]

    def clean(self):
        data = super().clean()
        chosen = [self.endings[key] for key in data.get("contracts", [])]
        missing = [e.contract.number for e in chosen if e.category is None]
        if missing and not data.get("category"):
            self.add_error("category", forms.ValidationError(
                CATEGORY_NEEDED, code="category_needed", params={"contracts": ", ".join(missing)}
            ))
        data["endings"] = chosen
        return data


class SendForm(forms.Form):
    sent_on = forms.DateField(label=_("Skickad på remiss"), validators=bounds.PAST, widget=DateInput())


class ConsultationForm(VersionedFormMixin, RegisterForm):
    class Meta:
        model = PlanConsultation
        fields = ["sent_on", "answered_on", "comment"]


class AdoptForm(VersionedFormMixin, forms.Form):
    adopted_on = forms.DateField(label=_("Antagen av nämnden"), validators=bounds.PAST, widget=DateInput())
    meeting = forms.ModelChoiceField(
        label=_("Sammanträde"), queryset=Meeting.objects.all(), required=False,
        help_text=_("Det sammanträde där nämnden antog planen, om det finns i systemet."),
    )

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)


class StartForm(VersionedFormMixin, forms.Form):
    case_number = forms.CharField(
        label=_("Diarienummer"), max_length=40,
        help_text=_("Resten (benämning, kategori, varugrupp, kommuner, avtal som ersätts och planerat klart) "
                    "hämtas från planen."),
    )

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
