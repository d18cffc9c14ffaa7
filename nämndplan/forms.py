from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common import bounds
from common.formatting import format_number
from common.locking import VersionedFormMixin
from nämndplan.models import BudgetLine, EconomicReport, Meeting

MAX_TKR = bounds.TKR[0].bounds()[1]


class EconomicReportForm(VersionedFormMixin, forms.Form):
    """Outcome to a date and full-year prognosis for every line of the year's budget (bilaga 2).

    Saved with optimistic locking (common/locking.py): the report and its lines are one record.
    """

    saved_by_field, saved_at_field = "recorded_by", "recorded_at"

    as_of = forms.DateField(
        label=_("Utfall till och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Sista dagen som utfallet avser, t.ex. 2026-04-30."),
        validators=bounds.PAST,
    )
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, plan, instance=None, **kwargs):
        self.plan, self.instance = plan, instance
        if instance is not None and "initial" not in kwargs:
            initial = {"as_of": instance.as_of, "comment": instance.comment}
            for line in instance.lines.all():
                initial[f"outcome_{line.budget_line_id}"] = line.outcome_tkr
                initial[f"prognosis_{line.budget_line_id}"] = line.prognosis_tkr
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        year = instance.year if instance else self._year_from_data()
        self.budget_lines = list(BudgetLine.objects.filter(plan=plan, year=year)) if year else []
        too_large = _("Beloppet kan vara högst %(max)s tkr.") % {"max": format_number(MAX_TKR)}
        for line in self.budget_lines:
            for prefix, label in (("outcome", _("utfall")), ("prognosis", _("helårsprognos"))):
                self.fields[f"{prefix}_{line.pk}"] = forms.IntegerField(
                    label=f"{line.name}, {label} (tkr)", min_value=0, max_value=MAX_TKR,
                    error_messages={"min_value": _("Beloppet kan inte vara negativt."), "max_value": too_large},
                )

    def _year_from_data(self):
        raw = self.data.get("as_of") or self.initial.get("as_of")
        try:
            return forms.DateField().clean(raw).year if raw else self.plan.start_year
        except forms.ValidationError:
            return self.plan.start_year

    def line_rows(self):
        """(budget line, outcome field, prognosis field) for the template's table."""
        return [(line, self[f"outcome_{line.pk}"], self[f"prognosis_{line.pk}"]) for line in self.budget_lines]

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if self.instance is not None and as_of.year != self.instance.year:
            raise forms.ValidationError(
                _("Uppföljningen gäller %(year)s och kan inte flyttas till ett annat år. Skapa en ny i stället."),
                code="other_year", params={"year": self.instance.year},
            )
        if as_of.year not in self.plan.years:
            raise forms.ValidationError(
                _("Datumet måste ligga inom nämndplanens period %(start)s–%(end)s."),
                code="outside_plan", params={"start": self.plan.start_year, "end": self.plan.end_year},
            )
        if not BudgetLine.objects.filter(plan=self.plan, year=as_of.year).exists():
            raise forms.ValidationError(
                _("Det finns ingen budget för %(year)s att följa upp."), code="no_budget", params={"year": as_of.year}
            )
        taken = EconomicReport.objects.filter(as_of=as_of)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Det finns redan en ekonomisk uppföljning för det datumet."), code="taken")
        return as_of


class MeetingCalendarForm(forms.Form):
    """A year's meeting dates on one page: up to ROWS dates, blank rows ignored.

    Each date is checked as a meeting is (its field's bounds, Meeting.clean: within the plan's years)
    and must lie in the year planned and be a day without a meeting, here or on another row. The
    messages name the date typed, and the form keeps what was typed.
    """

    ROWS = 5

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for n in range(1, self.ROWS + 1):
            self.fields[f"date_{n}"] = forms.DateField(
                label=_("Sammanträde %(n)s") % {"n": n}, required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD, t.ex. %(year)s-02-17.") % {"year": year}},
            )

    def date_fields(self):
        return [self[f"date_{n}"] for n in range(1, self.ROWS + 1)]

    def clean(self):
        cleaned = super().clean()
        dates = {name: date for name, date in cleaned.items() if name.startswith("date_") and date}
        taken = set(Meeting.objects.filter(date__in=dates.values()).values_list("date", flat=True))
        seen = set()
        for name, date in dates.items():
            problem = self._problem(date, taken, seen)
            if problem:
                self.add_error(name, problem)
            seen.add(date)
        if not dates and not self.errors:
            raise forms.ValidationError(_("Ange minst ett datum."), code="empty")
        return cleaned

    def _problem(self, date, taken, seen):
        shown = date.isoformat()
        if date.year != self.year:
            return forms.ValidationError(_("Datumet %(date)s ligger inte i %(year)s."), code="other_year",
                                         params={"date": shown, "year": self.year})
        if date in taken:
            return forms.ValidationError(_("Det finns redan ett sammanträde den %(date)s."), code="taken",
                                         params={"date": shown})
        if date in seen:
            return forms.ValidationError(_("Datumet %(date)s står på två rader."), code="twice", params={"date": shown})
        try:
            Meeting(date=date).full_clean(validate_unique=False)
        except ValidationError as error:
            return forms.ValidationError(error.message_dict.get("date", error.messages))
        return None

    def meetings(self):
        """The meetings to add, in date order (after is_valid)."""
        dates = sorted(date for name, date in self.cleaned_data.items() if name.startswith("date_") and date)
        return [Meeting(date=date) for date in dates]
