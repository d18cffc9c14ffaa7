from django import forms
from django.utils.translation import gettext_lazy as _

from common.locking import VersionedFormMixin
from nämndplan.models import Meeting, SpecialAssignment
from reports.models import Report

TEXTAREA = {"rows": 8, "cols": 80}


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "title"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"title": _("Till exempel ”Sammanträde 20 maj”. Kan lämnas tomt.")}
        error_messages = {
            "date": {"unique": _("Det finns redan ett sammanträde den dagen.")},
        }


class ReportForm(VersionedFormMixin, forms.ModelForm):
    """The report's own texts plus one analysis per goal and a status and text per special assignment.

    Plain text only: paragraphs are separated by an empty line and shown with |linebreaks. Saved with
    optimistic locking (common/locking.py), the texts of all parts counting as one record.
    """

    version_field = "edit_version"
    saved_by_field, saved_at_field = "updated_by", "updated_at"

    class Meta:
        model = Report
        fields = ["case_number", "overall_analysis", "staff_text"]
        widgets = {
            "overall_analysis": forms.Textarea(attrs={**TEXTAREA, "rows": 14}),
            "staff_text": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, analyses, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.analyses, self.statuses = analyses, statuses
        for analysis in analyses:
            goal = analysis.goal
            label = (
                _("Analys av inriktningsmål %(n)s") % {"n": goal.number}
                if goal.kind == goal.Kind.GOAL else _("Analys av den löpande verksamheten (avsnitt 8)")
            )
            self.fields[self.goal_field(analysis)] = forms.CharField(
                label=label, required=False, initial=analysis.text, help_text=goal.title,
                widget=forms.Textarea(attrs=TEXTAREA),
            )
        for item in statuses:
            number = item.assignment.number
            self.fields[self.status_field(item)] = forms.ChoiceField(
                label=_("Status för uppdrag %(n)s") % {"n": number},
                choices=SpecialAssignment.Status.choices, initial=item.status,
            )
            self.fields[self.text_field(item)] = forms.CharField(
                label=_("Lägesbeskrivning för uppdrag %(n)s") % {"n": number}, required=False,
                initial=item.status_text, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 5}),
            )

    @staticmethod
    def goal_field(analysis):
        return f"goal_{analysis.goal.number}"

    @staticmethod
    def status_field(item):
        return f"assignment_{item.assignment.number}_status"

    @staticmethod
    def text_field(item):
        return f"assignment_{item.assignment.number}_text"

    def goal_sections(self):
        return [(a.goal, self[self.goal_field(a)]) for a in self.analyses]

    def assignment_sections(self):
        return [(i.assignment, self[self.status_field(i)], self[self.text_field(i)]) for i in self.statuses]


class FreezeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Jag har granskat rapporten och vill fastställa den."),
        error_messages={"required": _("Bekräfta att rapporten ska fastställas.")},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Varför ska den fastställda rapporten ändras? Skälet sparas i rapportens logg."),
        error_messages={"required": _("Ange varför rapporten öppnas för ändring.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Ange varför rapporten öppnas för ändring."), code="required")
        return reason
