import functools
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from dashboards import selectors as dashboards
from indicators.context import reference_figures_for
from nämndplan.models import Municipality, Plan


def with_plan(view):
    """Calls view(request, plan, filters, …) with the plan in force and the URL's filters; without a
    loaded plan the page says so instead."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        plan = Plan.objects.current()
        if plan is None:
            return render(request, "dashboards/no_plan.html")
        return view(request, plan, dashboards.read_filters(request.GET, plan), *args, **kwargs)

    return wrapper


@require_safe
@permission_required("plan.view_goal", raise_exception=True)
@with_plan
def home(request, plan, filters):
    """The overview: every goal as a card with its indicators' statuses, what changed since the last
    meeting, then every indicator."""
    cards, since = dashboards.overview(plan, filters)
    goals = [{"goal": card.goal, "rows": card.rows, "card": card} for card in cards]
    work = dashboards.work_summary(request.user, filters.today)
    return render(request, "dashboards/home.html",
                  {"plan": plan, "filters": filters, "goals": goals, "since": since, "work": work})


@require_safe
@permission_required("plan.view_goal", raise_exception=True)
def goal_detail(request, number):
    """Every indicator of one goal: its trend against the target, this year's result, how it is computed."""
    plan = Plan.objects.current()
    goals = list(plan.goals.all()) if plan else []
    goal = next((g for g in goals if g.number == number), None)
    if goal is None:
        raise Http404
    filters = dashboards.read_filters(request.GET, plan)
    panels, figures, since = dashboards.goal_dashboard(plan, goal, filters)
    references = reference_figures_for(panel.indicator.code for panel in panels)
    return render(
        request,
        "dashboards/goal_detail.html",
        {"plan": plan, "goal": goal, "goals": goals, "filters": filters, "panels": panels, "figures": figures,
         "since": since, "references": references, "flags": dashboards.flag_summary(goal, filters)},
    )


@require_safe
@permission_required("plan.view_municipality", raise_exception=True)
@with_plan
def municipality_matrix(request, plan, filters):
    """The seven municipalities side by side for the "k of 7" indicators and a few per-municipality values."""
    municipalities = list(Municipality.objects.all())
    reached, values = dashboards.municipality_matrix(plan, filters, municipalities)
    return render(
        request,
        "dashboards/municipality_matrix.html",
        {"plan": plan, "filters": filters, "municipalities": municipalities, "reached_rows": reached,
         "value_rows": values},
    )


@require_safe
@permission_required("plan.view_municipality", raise_exception=True)
def municipality_detail(request, name):
    """The goal dashboards for one municipality, for the indicators that exist per municipality."""
    plan = Plan.objects.current()
    municipalities = list(Municipality.objects.all())
    municipality = next((m for m in municipalities if m.name == name), None)
    if plan is None or municipality is None:
        raise Http404
    chosen = request.GET.get("kommun")
    if chosen and chosen != name:
        return _to_chosen_municipality(request, municipalities, chosen)
    filters = dashboards.read_filters(request.GET, plan)
    groups, figures = dashboards.municipality_dashboard(plan, municipality, filters)
    return render(
        request,
        "dashboards/municipality_detail.html",
        {"plan": plan, "filters": filters, "municipality": municipality, "municipalities": municipalities,
         "groups": groups, "figures": figures},
    )


def _to_chosen_municipality(request, municipalities, chosen):
    """The chooser of the filter form: the municipality lives in the path, the rest stays in the query."""
    other = next((m for m in municipalities if m.name == chosen), None)
    if other is None:
        raise Http404
    return redirect(_detail_url(other, urlencode([(k, v) for k, v in request.GET.items() if k != "kommun"])))


def _detail_url(municipality, query):
    url = reverse("dashboards:municipality_detail", args=[municipality.name])
    return f"{url}?{query}" if query else url


@require_safe
@login_not_required
def accessibility(request):
    return render(request, "dashboards/accessibility.html")
