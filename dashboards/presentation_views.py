"""Meeting mode: the committee's goals one per screen, for the projector and tablets (dashboards/presentation.py)."""

import functools

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dashboards import presentation
from dashboards.selectors import goal_dashboard
from nämndplan.models import Plan


def with_deck(view):
    """Calls view(request, plan, goals, filters, …) with the plan in force, its goals and the meeting mode's
    filters; without a loaded plan the page says so instead."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        plan = Plan.objects.current()
        if plan is None:
            return render(request, "dashboards/no_plan.html")
        filters = presentation.presentation_filters(request.GET, plan)
        return view(request, plan, list(plan.goals.all()), filters, *args, **kwargs)

    return wrapper


@require_safe
@permission_required("plan.view_goal", raise_exception=True)
@with_deck
def presentation_start(request, plan, goals, filters):
    """The start screen: the meeting, the date the figures cover and the goals to come."""
    here = presentation.place(goals, filters, presentation.START)
    return render(request, "dashboards/presentation_start.html", {"plan": plan, "filters": filters, "here": here})


@require_safe
@permission_required("plan.view_goal", raise_exception=True)
@with_deck
def presentation_goal(request, plan, goals, filters, number):
    """One goal on one screen: its indicators' values, targets, statuses, changes and the analysis."""
    goal = next((g for g in goals if g.number == number), None)
    if goal is None:
        raise Http404
    panels, _figures, since = goal_dashboard(plan, goal, filters)
    return render(request, "dashboards/presentation_goal.html", {
        "plan": plan, "filters": filters, "goal": goal, "panels": panels, "since": since,
        "analysis": presentation.analysis_texts(filters.meeting).get(goal.number, ""),
        "here": presentation.place(goals, filters, presentation.GOAL, goal),
    })


@require_safe
@permission_required("plan.view_goal", raise_exception=True)
@with_deck
def presentation_end(request, plan, goals, filters):
    """The end screen: back to the start, or on to the dashboards."""
    here = presentation.place(goals, filters, presentation.END)
    return render(request, "dashboards/presentation_end.html", {"plan": plan, "filters": filters, "here": here})
