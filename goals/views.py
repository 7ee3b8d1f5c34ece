"""Public pages: the plan's goals, a goal and an assignment."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assignments.models import AssessmentStatus, Assignment, standing_at
from goals.models import Goal, Plan
from uppfoljning.htmx import render_page_or_fragment
from uppfoljning.public import public_page


def _render_plan(request, plan: Plan | None):
    goals = list(plan.goals.published().order_by("number").with_assignments()) if plan else []
    context = {
        "plan": plan,
        "goals": goals,
        "plans": list(Plan.objects.with_published_content().latest_first()),
        "statuses": AssessmentStatus,
    }
    return render(request, "goals/plan_detail.html", context)


@public_page()
def home(request):
    return _render_plan(request, Plan.objects.with_published_content().latest_first().first())


@public_page()
def plan_detail(request, plan):
    return _render_plan(request, get_object_or_404(Plan.objects.published(), slug=plan))


def _breadcrumbs(goal: Goal, assignment: Assignment | None = None) -> list[tuple[str, str]]:
    """Plan › Goal n (› Assignment m): the trail base.html shows above the page."""
    trail = [
        (goal.plan.name, goal.plan.get_absolute_url()),
        (_("Goal %(number)s") % {"number": goal.number}, goal.get_absolute_url()),
    ]
    if assignment is not None:
        label = _("Assignment %(number)s") % {"number": assignment.number}
        trail.append((label, assignment.get_absolute_url()))
    return trail


def _get_goal(plan: str, number: int, goals=Goal.objects) -> Goal:
    goal = goals.published().select_related("plan").filter(plan__slug=plan, number=number).first()
    if goal is None:
        raise Http404
    return goal


@public_page(query={"status": AssessmentStatus.values})
def goal_detail(request, plan, number, slug):
    goal = _get_goal(plan, number, Goal.objects.with_page_details())
    if slug != goal.slug:
        return redirect(goal, permanent=True)
    status = AssessmentStatus.parse(request.GET.get("status"))
    context = {
        "goal": goal,
        "plan": goal.plan,
        "breadcrumbs": _breadcrumbs(goal),
        "assignments": standing_at(goal.assignment_list, status),
        "status_filter": status,
        "statuses": AssessmentStatus,
    }
    return render_page_or_fragment(
        request, "goals/goal_detail.html", context, fragment="assignment-list"
    )


@public_page()
def assignment_detail(request, plan, number, slug, assignment):
    goal = _get_goal(plan, number)
    found = Assignment.objects.with_public_details().filter(goal=goal, number=assignment).first()
    if found is None:
        raise Http404
    if slug != goal.slug:
        return redirect(found, permanent=True)
    found.goal = goal
    return render(
        request,
        "goals/assignment_detail.html",
        {
            "assignment": found,
            "goal": goal,
            "plan": goal.plan,
            "breadcrumbs": _breadcrumbs(goal, found),
        },
    )
