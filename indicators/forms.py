from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, IndicatorValue
from nämndplan.models import Plan


class IndicatorValueForm(forms.ModelForm):
    """A hand-reported value (NKI, NAI, staff figures...) for one period."""

    value = forms.DecimalField(label=_("Värde"), max_digits=16, decimal_places=2, localize=True)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "year", "period", "municipality", "value", "comment"]
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
        return year

    def clean(self):
        cleaned = super().clean()
        indicator, year, value = cleaned.get("indicator"), cleaned.get("year"), cleaned.get("value")
        if indicator and year and year < indicator.measured_from:
            self.add_error(
                "year",
                forms.ValidationError(
                    _("Indikatorn mäts först från %(year)s."),
                    code="before_measured",
                    params={"year": indicator.measured_from},
                ),
            )
        if indicator and value is not None:
            problem = indicator.validate_value(value)
            if problem:
                self.add_error("value", forms.ValidationError(problem, code="value_out_of_range"))
        return cleaned
