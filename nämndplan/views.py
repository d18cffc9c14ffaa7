from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from indicators.results import series_for_plan
from nämndplan.models import Plan


def _current_year_and_plan():
    from django.utils import timezone

    return timezone.localdate().year, Plan.objects.current()


@require_safe
@permission_required("plan.view_goal", raise_exception=True)
def home(request):
    year, plan = _current_year_and_plan()
    if plan is None:
        return render(request, "nämndplan/no_plan.html")
    series = series_for_plan(plan)
    goals = []
    for goal in plan.goals.all():
        rows = [s for s in series.values() if s.indicator.goal_id == goal.id]
        goals.append({"goal": goal, "rows": [(s.indicator, s.latest(up_to=year)) for s in rows]})
    return render(request, "nämndplan/home.html", {"plan": plan, "goals": goals, "year": year})


@require_safe
@permission_required("plan.view_goal", raise_exception=True)
def goal_detail(request, number):
    year, plan = _current_year_and_plan()
    goal = plan.goals.filter(number=number).first() if plan else None
    if goal is None:
        raise Http404
    series = [s for s in series_for_plan(plan).values() if s.indicator.goal_id == goal.id]
    return render(
        request,
        "nämndplan/goal_detail.html",
        {"plan": plan, "goal": goal, "series": series, "years": list(plan.all_years), "year": year},
    )


@require_safe
@login_not_required
def accessibility(request):
    return render(request, "nämndplan/accessibility.html")
