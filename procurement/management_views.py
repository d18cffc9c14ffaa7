"""Pages of contract management (avtalsförvaltning): the work list, the follow-up plan, the end-date
radar and the decision on an option.

The first three need procurement.manage_contracts (UhC staff and Chef UhC); everyone's work list
also needs procurement.view_all_work_lists (Chef UhC); deciding an option needs
procurement.change_contractoption. The numbers come from procurement/work_list.py,
follow_up_plan.py and radar.py, in a fixed number of queries; the lists are paged, and only the
rows shown are read as records.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
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


PAGE_SIZE = 50


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("sida"))


class WorkListPage(ManagementPage):
    """My work list, a page at a time (?typ= one kind of task). Chef UhC sees everyone's, counted by
    person, and each person's list (?person=<pk>, ?person=ingen for contracts without a manager);
    ?vem=jag gives their own."""

    template_name = "procurement/work_list.html"
    KINDS = {"uppfoljning": work_list.Task.FOLLOW_UP, "option": work_list.Task.OPTION, "slut": work_list.Task.END}

    def get_context_data(self, **kwargs):
        today, user, query = timezone.localdate(), self.request.user, self.request.GET
        can_see_all = user.has_perm("procurement.view_all_work_lists")
        context = {"today": today, "weeks": work_list.AHEAD_WEEKS, "can_see_all": can_see_all, **kwargs}
        who = query.get("person") if can_see_all else None
        if can_see_all and who is None and query.get("vem") != "jag":
            people = sorted(work_list.work_lists(today, attach=False).values(), key=_person_order)
            return super().get_context_data(everyone=True, people=people, **context)
        person = user
        if who is not None:
            person = None if who == "ingen" else get_object_or_404(get_user_model(), pk=as_int(who))
        work = work_list.work_list_for(person, today, attach=False)
        kind = self.KINDS.get(query.get("typ"))
        page = _page(self.request, [t for t in work.tasks if kind is None or t.kind == kind])
        radar.attach(page.object_list)
        return super().get_context_data(
            everyone=False, work=work, page_obj=page, kind=query.get("typ") if kind else "",
            own=person == user, **context,
        )


def _person_order(work):
    person = work.person
    return (person is None, work.name.lower())


class FollowUpPlanPage(ManagementPage):
    """Planned against held follow-ups per contract class for a year (?ar=2026), and the overdue ones, a
    page at a time."""

    template_name = "procurement/follow_up_plan.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year = as_int(self.request.GET.get("ar"))
        year = year if year in range(bounds.FIRST_YEAR, today.year + 1) else today.year
        summaries = follow_up_plan.summary_by_class(year, today)
        total = {key: sum(getattr(s, key) for s in summaries) for key in ("contracts", "planned", "held", "overdue")}
        return super().get_context_data(
            year=year, years=range(today.year - 4, today.year + 1), summaries=summaries,
            page_obj=_page(self.request, follow_up_plan.overdue_contracts(year, today)),
            total=total, today=today, **kwargs,
        )


class RadarPage(ManagementPage):
    """The end-date radar: counted by meeting, and its items a page at a time (?mote=<pk> or ?mote=fore
    for one group, ?risk=1 for the risks only); ?export=xlsx gives all of it as Excel."""

    template_name = "procurement/radar.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            today = timezone.localdate()
            return workbook_response([radar_sheet(radar.radar(today))], f"slutdatumsradar-{today:%Y-%m-%d}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today, query = timezone.localdate(), self.request.GET
        groups = radar.group_by_meeting(radar.radar_items(today), today)
        chosen = query.get("mote", "")
        risks_only = query.get("risk") == "1"
        rows = [
            (group, item) for group in groups
            if not chosen or chosen == _group_key(group)
            for item in group.items if item.at_risk or not risks_only
        ]
        page = _page(self.request, rows)
        radar.attach([item for _group, item in page.object_list])
        return super().get_context_data(
            today=today, groups=[(group, _group_key(group)) for group in groups], horizon=radar.HORIZON_MONTHS,
            risks=sum(group.risks for group in groups), page_obj=page, chosen=chosen, risks_only=risks_only,
            **kwargs,
        )


def _group_key(group):
    return str(group.meeting.pk) if group.meeting else "fore"


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
