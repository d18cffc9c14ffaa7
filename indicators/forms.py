from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.formatting import format_number
from common.locking import VersionedFormMixin
from indicators.models import Indicator, IndicatorValue
from nämndplan.models import Plan


class IndicatorValueForm(VersionedFormMixin, forms.ModelForm):
    """A hand-reported value (NKI, NAI, staff figures...) for one period, saved with optimistic locking."""

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "year", "period", "municipality", "value", "comment"]
        localized_fields = ["value"]  # a decimal comma; the range comes from the model (common/bounds.py)
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan or Plan.objects.current()
        # Computed indicators come from the register; a hand-entered value would override the official number.
        self.fields["indicator"].queryset = Indicator.objects.of_plan(self.plan).select_related("goal").manual()
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} {i.name}"
        self.fields["year"].help_text = _("Ett år inom nämndplanens period %(start)s–%(end)s.") % {
            "start": self.plan.start_year,
            "end": self.plan.end_year,
        }
        self.fields["year"].widget.attrs.update({"min": self.plan.start_year, "max": self.plan.end_year})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year not in self.plan.years:
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

    def clean(self):
        cleaned = super().clean()
        indicator, year = cleaned.get("indicator"), cleaned.get("year")
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

    def _existing_value(self, cleaned):
        """The value already reported for the same indicator, year, period and municipality, if any."""
        keys = ("indicator", "year", "period")
        if any(cleaned.get(key) is None for key in keys):
            return None
        return (IndicatorValue.objects.filter(municipality=cleaned.get("municipality"), **{k: cleaned[k] for k in keys})
                .exclude(pk=self.instance.pk).first())
