import datetime

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.formatting import format_number
from common.locking import VersionedFormMixin
from indicators.models import Indicator, IndicatorValue
from nämndplan.models import Plan
from procurement.forms import DateInput

# A change of any of these changes the figure the committee reads: it needs a reason, kept in the history.
FIGURE_FIELDS = {"indicator", "year", "period", "municipality", "value"}
REASON_MAX_LENGTH = 100  # django-simple-history's history_change_reason column

MESSAGES = {
    "known_in_future": _("Känt från kan inte ligga efter i dag: ett värde blir känt när det rapporteras."),
    "known_before_year": _("Känt från kan inte ligga före 1 januari %(year)s, det år värdet gäller."),
    "reason_required": _("Skriv varför värdet ändras. Skälet sparas i värdets historik och visas i nästa "
                         "uppföljningsrapport."),
}


class IndicatorValueForm(VersionedFormMixin, forms.ModelForm):
    """A hand-reported value (NKI, NAI, staff figures...) for one period, saved with optimistic locking.

    Editing a value asks why when the figure changes; the reason is the history's change reason.
    """

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "year", "period", "municipality", "value", "known_from", "comment"]
        localized_fields = ["value"]  # a decimal comma; the range comes from the model (common/bounds.py)
        labels = {"known_from": _("Känt från")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 3}), "known_from": DateInput()}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan or Plan.objects.current()
        # Computed indicators come from the register; a hand-entered value would override the official number.
        # One taking its values from another (8.3 from 1.1) is reported there. A recorded value being
        # corrected keeps its own indicator and year (the plan's history of 1.2 in 2024, say).
        indicators = Indicator.objects.of_plan(self.plan).select_related("goal")
        choices = indicators.for_hand_entry()
        if self.instance.pk:
            choices = choices | indicators.filter(pk=self.instance.indicator_id)
        self.fields["indicator"].queryset = choices
        known_from = self.fields["known_from"]
        known_from.required, known_from.show_hidden_initial = False, False
        known_from.help_text = _("Dagen värdet blev känt, i dag om det rapporteras nu. Förs en tidigare mätning in "
                                 "i efterhand anges dagen den var känd: sammanträden från den dagen visar värdet.")
        if self.instance.pk:
            self.fields["reason"] = forms.CharField(
                label=_("Skäl till ändringen"), required=False, max_length=REASON_MAX_LENGTH,
                help_text=_("Krävs när värdet, året, perioden eller kommunen ändras. Visas i värdets historik och "
                            "i nästa uppföljningsrapport."),
            )
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} {i.name}"
        self.fields["year"].help_text = _("Ett år inom nämndplanens period %(start)s–%(end)s.") % {
            "start": self.plan.start_year,
            "end": self.plan.end_year,
        }
        first_year = min(self.plan.start_year, self.instance.year) if self.instance.pk else self.plan.start_year
        self.fields["year"].widget.attrs.update({"min": first_year, "max": self.plan.end_year})

    def clean_year(self):
        year = self.cleaned_data["year"]
        kept = self.instance.pk and year == self.instance.year and year in self.plan.all_years
        if year not in self.plan.years and not kept:
            raise forms.ValidationError(
                _("År %(year)s ligger utanför nämndplanens period %(start)s–%(end)s."),
                code="year_outside_plan",
                params={"year": year, "start": self.plan.start_year, "end": self.plan.end_year},
            )
        if year > timezone.localdate().year:
            raise forms.ValidationError(
                _("Året %(year)s har inte börjat: ett värde för det kan rapporteras från 1 januari %(year)s."),
                code="period_not_begun",
                params={"year": year},
            )
        return year

    def clean_known_from(self):
        known_from = self.cleaned_data.get("known_from")
        if known_from is None:  # left empty: known now, or as before for a value being changed
            return self.instance.known_from if self.instance.pk else timezone.localdate()
        if known_from > timezone.localdate():
            raise forms.ValidationError(MESSAGES["known_in_future"], code="known_in_future")
        return known_from

    def clean(self):
        cleaned = super().clean()
        indicator, year = cleaned.get("indicator"), cleaned.get("year")
        known_from = cleaned.get("known_from")
        if year and known_from and known_from < datetime.date(year, 1, 1):
            self.add_error("known_from", forms.ValidationError(
                MESSAGES["known_before_year"], code="known_before_year", params={"year": year}))
        if self.instance.pk and FIGURE_FIELDS & set(self.changed_data) and not cleaned.get("reason", "").strip():
            self.add_error("reason", forms.ValidationError(MESSAGES["reason_required"], code="reason_required"))
        if indicator and year and year < indicator.measured_from:
            self.add_error(
                "year",
                forms.ValidationError(
                    _("Indikatorn mäts först från %(year)s."),
                    code="before_measured",
                    params={"year": indicator.measured_from},
                ),
            )
        existing = self._existing_value(cleaned)
        if existing is not None:
            # The model's constraint says that the value exists; this says where to change it.
            self.add_error(None, forms.ValidationError(format_html(
                '<a href="{}">{}</a>', reverse("indicators:value_update", args=[existing.pk]),
                _("Ändra det befintliga värdet (%(value)s)") % {"value": format_number(existing.value)},
            ), code="change_existing"))
        return cleaned

    def save(self, commit=True):
        value = super().save(commit=False)
        reason = self.cleaned_data.get("reason", "").strip()
        if reason:
            value._change_reason = reason  # django-simple-history stores it with the history record
        if commit:
            value.save()
        return value

    def _existing_value(self, cleaned):
        """The value already reported for the same indicator, year, period and municipality, if any."""
        keys = ("indicator", "year", "period")
        if any(cleaned.get(key) is None for key in keys):
            return None
        return (IndicatorValue.objects.filter(municipality=cleaned.get("municipality"), **{k: cleaned[k] for k in keys})
                .exclude(pk=self.instance.pk).first())
