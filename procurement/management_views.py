"""Pages of contract management (avtalsförvaltning): the work list, the follow-up plan, the end-date
radar and the decision on an option.

The first three need procurement.manage_contracts (UhC staff and Chef UhC); everyone's work list
also needs procurement.view_all_work_lists (Chef UhC); deciding an option needs
procurement.change_contractoption. The numbers come from procurement/work_list.py,
follow_up_plan.py and radar.py, in a fixed number of queries.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from common import bounds
from common.locking import VersionedFormMixin
from common.params import as_int
from common.xlsx import Sheet, workbook_response
from procurement import follow_up_plan, radar, work_list
from procurement.models import ContractOption
from procurement.services import EditConflict, decide_option


class ManagementPage(PermissionRequiredMixin, TemplateView):
    permission_required = "procurement.manage_contracts"
    raise_exception = True
    http_method_names = ["get", "head"]


class WorkListPage(ManagementPage):
    """My work list; Chef UhC sees everyone's, by person (?vem=jag for only their own)."""

    template_name = "procurement/work_list.html"

    def get_context_data(self, **kwargs):
        today, user = timezone.localdate(), self.request.user
        everyone = user.has_perm("procurement.view_all_work_lists") and self.request.GET.get("vem") != "jag"
        if everyone:
            people = sorted(work_list.work_lists(today).values(), key=_person_order)
        else:
            people = [work_list.work_list_for(user, today)]
        return super().get_context_data(
            today=today, everyone=everyone, people=people, weeks=work_list.AHEAD_WEEKS,
            can_see_all=user.has_perm("procurement.view_all_work_lists"), **kwargs,
        )


def _person_order(work):
    person = work.person
    return (person is None, (person.get_full_name() or person.username).lower() if person else "")


class FollowUpPlanPage(ManagementPage):
    """Planned against held follow-ups per contract class for a year (?ar=2026), and the overdue ones."""

    template_name = "procurement/follow_up_plan.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year = as_int(self.request.GET.get("ar"))
        year = year if year in range(bounds.FIRST_YEAR, today.year + 1) else today.year
        summaries = follow_up_plan.summary_by_class(year, today)
        overdue = sorted(
            (plan for summary in summaries for plan in summary.plans if plan.overdue),
            key=lambda plan: (plan.overdue[0], plan.contract.number),
        )
        total = {key: sum(getattr(s, key) for s in summaries) for key in ("contracts", "planned", "held", "overdue")}
        return super().get_context_data(
            year=year, years=range(today.year - 4, today.year + 1), summaries=summaries, overdue=overdue,
            total=total, today=today, **kwargs,
        )


class RadarPage(ManagementPage):
    """The end-date radar by meeting; ?export=xlsx gives it as Excel."""

    template_name = "procurement/radar.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            today = timezone.localdate()
            return workbook_response([radar_sheet(radar.radar(today))], f"slutdatumsradar-{today:%Y-%m-%d}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        groups = radar.radar(today)
        return super().get_context_data(
            today=today, groups=groups, horizon=radar.HORIZON_MONTHS,
            risks=sum(group.risks for group in groups), **kwargs,
        )


RADAR_HEADERS = [
    gettext_lazy("Beslut före sammanträde"), gettext_lazy("Datum"), gettext_lazy("Vad"),
    gettext_lazy("Avtalsnummer"), gettext_lazy("Avtal"), gettext_lazy("Leverantör"), gettext_lazy("Avtalsklass"),
    gettext_lazy("Avtalsförvaltare"), gettext_lazy("Risk för avtalslöshet"), gettext_lazy("Ersätts av"),
]


def radar_sheet(groups):
    rows = []
    for group in groups:
        meeting = group.meeting.date if group.meeting else _("Före nästa sammanträde")
        for item in group.items:
            person = item.contract.responsible
            rows.append([
                meeting, item.date, str(item.label), item.contract.number, item.contract.title,
                item.contract.supplier.name, item.contract.contract_class,
                (person.get_full_name() or person.username) if person else "",
                item.at_risk, ", ".join(p.case_number for p in item.replaced_by),
            ])
    return Sheet(title=_("Slutdatumsradar"), headers=[str(h) for h in RADAR_HEADERS], rows=rows)


class OptionDecisionForm(VersionedFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Beslut"), widget=forms.RadioSelect,
        choices=[(ContractOption.Decision.USED, gettext_lazy("Utnyttja optionen")),
                 (ContractOption.Decision.DECLINED, gettext_lazy("Avstå från optionen"))],
        error_messages={"required": gettext_lazy("Välj om optionen utnyttjas eller inte.")},
    )
    decided_on = forms.DateField(label=gettext_lazy("Beslutsdatum"), validators=bounds.PAST)
    reason = forms.CharField(
        label=gettext_lazy("Kommentar"), required=False, max_length=500,
        help_text=gettext_lazy("Till exempel vem som fattade beslutet och varför."),
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)


class OptionDecisionPage(PermissionRequiredMixin, FormView):
    """Deciding an option: used (the contract's end moves) or declined, by its decide-by date."""

    permission_required = "procurement.change_contractoption"
    raise_exception = True
    template_name = "procurement/option_decision.html"
    form_class = OptionDecisionForm

    def dispatch(self, request, *args, **kwargs):
        self.option = get_object_or_404(
            ContractOption.objects.select_related("contract__supplier"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.option}

    def get_initial(self):
        return {"decided_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        contract = self.option.contract
        step = next((s for s in contract.option_schedule() if s.option.pk == self.option.pk), None)
        return super().get_context_data(option=self.option, contract=contract, step=step, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            decide_option(option=self.option, decision=data["decision"], decided_on=data["decided_on"],
                          expected_version=form.loaded_version, reason=data["reason"])
        except ValidationError as refusal:
            errors = refusal.error_dict if hasattr(refusal, "error_dict") else {None: refusal.error_list}
            for field, field_errors in errors.items():
                form.add_error(field if field in form.fields else None, field_errors)
            return self.form_invalid(form)
        except EditConflict:
            form.add_error(None, _("Någon annan har beslutat om optionen sedan sidan öppnades. Ladda om sidan."))
            return self.form_invalid(form)
        messages.success(self.request, _("Beslutet om option %(n)s för avtal %(number)s har sparats.")
                         % {"n": self.option.order, "number": self.option.contract.number})
        return redirect(self.option.contract.get_absolute_url())
