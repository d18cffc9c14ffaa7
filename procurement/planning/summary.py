"""The procurement plan's status for the follow-up report: counts only, at a cut-off (four queries)."""

from django.db.models import Count, F, Q

from procurement.models import Procurement
from procurement.planning import proposals
from procurement.planning.models import PlanConsultation, ProcurementPlan

COMPLETED = Procurement.Status.COMPLETED


def plan_summary(year, as_of):
    """The year's plan as at `as_of`: its status, how many planned procurements were due (their on-time day
    passed) and of those completed on time, completed late or not completed, how many are started, the
    consultation (sent, answered), and the contracts ending in the plan's years with nothing planned
    (gaps). None when the year has no plan."""
    plan = ProcurementPlan.objects.filter(year=year).first()
    if plan is None:
        return None
    due = Q(on_time_by__lte=as_of)  # its on-time day has passed at the cut-off
    completed = Q(procurement__status=COMPLETED, procurement__completed_on__lte=as_of)
    on_time = completed & Q(procurement__completed_on__lte=F("on_time_by"))
    counts = plan.planned.aggregate(
        planned=Count("pk"),
        started=Count("pk", filter=Q(procurement__isnull=False)),
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=due & on_time),
        late=Count("pk", filter=due & completed & Q(procurement__completed_on__gt=F("on_time_by"))),
    )
    counts["not_completed"] = counts["due"] - counts["on_time"] - counts["late"]
    consultation = PlanConsultation.objects.filter(plan=plan).aggregate(
        sent=Count("pk", filter=Q(sent_on__lte=as_of)), answered=Count("pk", filter=Q(answered_on__lte=as_of)))
    gaps = len(proposals.gaps(proposals.contracts_ending(plan, as_of)))
    return {
        "year": year,
        "status": plan.status,
        "status_label": str(plan.get_status_display()),
        "adopted_on": plan.adopted_on.isoformat() if plan.adopted_on else None,
        **counts,
        "consultation": consultation,
        "gaps": gaps,
    }
