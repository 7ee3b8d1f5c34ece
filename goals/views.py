"""Public pages: the plan's goals, a goal and an assignment."""

import functools

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assignments.models import AssessmentStatus, Assignment, standing_at
from assignments.presentation import Presentation
from goals.models import Goal, Plan
from uppfoljning.htmx import render_page_or_fragment
from uppfoljning.public import public_page


def _render_plan(request, plan: Plan | None, plans: list[Plan]):
    goals = list(plan.goals.published().order_by("number").with_assignments()) if plan else []
    present = Presentation()
    context = {
        "plan": plan,
        "goals": [(goal, present.tally(goal.status_tally())) for goal in goals],
        "plans": plans,
    }
    return render(request, "goals/plan_detail.html", context)


def _plans_shown() -> list[Plan]:
    return list(Plan.objects.with_published_content().latest_first())


@public_page()
def home(request):
    plans = _plans_shown()
    return _render_plan(request, plans[0] if plans else None, plans)


@public_page()
def plan_detail(request, plan):
    plan = get_object_or_404(Plan.objects.published(), slug=plan)
    return _render_plan(request, plan, _plans_shown())


def _breadcrumbs(goal: Goal, goal_url: str, assignment_url: str = "", number: int = 0):
    """Plan › Goal n (› Assignment m): the trail base.html shows above the page."""
    trail = [
        (goal.plan.name, goal.plan.get_absolute_url()),
        (_("Goal %(number)s") % {"number": goal.number}, goal_url),
    ]
    if assignment_url:
        trail.append((_("Assignment %(number)s") % {"number": number}, assignment_url))
    return trail


def _get_goal(plan: str, number: int) -> Goal:
    """The public goal `number` of the plan with the slug `plan`, with its plan; or 404.
    Unordered: one goal at most, and the default order would cost a sort on the plan."""
    found = list(
        Goal.objects.published()
        .select_related("plan")
        .filter(plan__slug=plan, number=number)
        .order_by()
    )
    if not found:
        raise Http404
    return found[0]


@public_page(query={"status": AssessmentStatus.values})
def goal_detail(request, plan, number, slug):
    goal = _get_goal(plan, number)
    if slug != goal.slug:
        return redirect(goal, permanent=True)
    listed = Assignment.objects.filter(goal=goal).order_by("number").for_page()
    return render_goal_page(request, goal, listed)


def render_goal_page(request, goal: Goal, listed: list[Assignment], **extra):
    """The goal page (or its htmx fragment) of `goal` with its assignments `listed` as
    for_page() reads them: for the public page, and for the staff's preview of a round
    (reporting/preview.py), which passes what the round would publish and `extra` context."""
    status = AssessmentStatus.parse(request.GET.get("status"))
    assignments = standing_at(listed, status)
    present = Presentation()
    links = functools.partial(present.status_filter, request.GET, status, len(assignments))
    context = {
        "goal": goal,
        "plan": goal.plan,
        "breadcrumbs": _breadcrumbs(goal, goal.get_absolute_url()),
        "assignments": assignments,
        "items": present.items(present.rows(assignments, goal), anchors=True),
        # Called by the template, so that only the whole page makes them, not its fragment.
        "legend": present.legend,
        "goal_history": functools.partial(present.goal_history, goal),
        "status_filter": status,
        "share_assignments": listed,  # for the status summary of the shared description
        # The filter's links: in place on the page, out of band in the list's fragment.
        "status_links": functools.partial(links, oob=False),
        "status_links_oob": functools.partial(links, oob=True),
        **extra,
    }
    return render_page_or_fragment(
        request, "goals/goal_detail.html", context, fragment="assignment-list"
    )


@public_page()
def assignment_detail(request, plan, number, slug, assignment):
    found = (
        Assignment.objects.public()
        .select_related("goal__plan")
        .filter(goal__plan__slug=plan, goal__number=number, number=assignment)
        .for_page(history=True)
    )
    if not found:
        raise Http404
    found = found[0]
    goal = found.goal
    if slug != goal.slug:
        return redirect(found, permanent=True)
    present = Presentation()
    goal_url = goal.get_absolute_url()
    url = present.assignment_url(goal, found.number)
    return render(
        request,
        "goals/assignment_detail.html",
        {
            "assignment": found,
            "goal": goal,
            "goal_url": goal_url,
            "plan": goal.plan,
            "breadcrumbs": _breadcrumbs(goal, goal_url, url, found.number),
            "row": present.heading(found, goal),
            "timeline": present.timeline(found.history),
        },
    )
