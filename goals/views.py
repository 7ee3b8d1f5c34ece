"""Public pages: the plan's goals, a goal and an assignment.

Each can be seen as of a published reporting period, `?per=<period code>` as the exports
take it (goals/periods.py): the latest is the default, and its path stays as it was; as of
a period each page reads what was current then by the exports' rules
(assignments.presentation.assignments_as_of(), goals.models.current_of()), in a
fixed number of queries too, and every address it makes keeps `?per=`.

On an English page the municipality's own texts (titles, taglines, descriptions, names,
assessment texts) are marked as Swedish: each element of them carries `content_lang`
(Presentation.lang, ` lang="sv"` or nothing), and a text within a sentence of the
interface's is given marked (Presentation.content()).

The plan's and a goal's picture links to "Vad har ändrats" only when it has two periods
to compare (goals.charts.picture(changes_url=...)): it knows its periods, at no query.
"""

import functools
from itertools import groupby
from operator import attrgetter
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assignments.models import AssessmentStatus, Assignment, standing_at
from assignments.presentation import (
    PERIOD_PARAMETER,
    PeriodSwitch,
    Presentation,
    as_of_page,
    assignments_as_of,
)
from goals import charts
from goals.models import Goal, Plan, ReportingPeriod, current_of
from goals.periods import period_asked, periods_of_plan
from uppfoljning.htmx import render_page_or_fragment
from uppfoljning.public import public_page

# The query parameters of the pages: the period (any code; one that names no published
# period is a 404, and a 404 is never cached) and, on the goal page, the status filter.
PERIOD_QUERY = {PERIOD_PARAMETER: None}
GOAL_QUERY = {"status": AssessmentStatus.values, **PERIOD_QUERY}


def _render_plan(request, plan: Plan | None, plans: list[Plan]):
    period = period_asked(request)
    present = Presentation(period)
    if period is None:
        goals = list(plan.goals.published().order_by("number").with_assignments()) if plan else []
    else:
        goals = _goals_as_of(plan, period) if plan else []
    context = {
        "plan": plan,
        "goals": [(goal, present.tally(goal.status_tally())) for goal in goals],
        "plans": plans,
        "per_query": present.query,
        "period": period,
        "export_period": period,
        "content_lang": present.lang,
    }
    if plan is not None:
        context["switch"] = PeriodSwitch(
            functools.partial(periods_of_plan, plan), period, request.path
        )
        # The picture of the plan's assignments over the periods, made when the template
        # includes it (one query: the assessments), and its link to "Vad har ändrats".
        shown = [assignment for goal in goals for assignment in goal.assignment_list]
        context["status_chart"] = functools.partial(
            charts.picture,
            shown,
            as_of=period,
            chart_id="plan-status-chart",
            changes_url=_changes_url(plan),
            changes_label=_("What has changed between two periods"),
        )
    return render(request, "goals/plan_detail.html", context)


def _goals_as_of(plan: Plan, period: ReportingPeriod) -> list[Goal]:
    """The plan's public goals by number, each with `assignment_list`: its assignments
    that existed as of the period with their status then (what Goal.status_tally()
    counts). Four queries."""
    goals = list(plan.goals.published().order_by("number"))
    shown, _later = assignments_as_of(
        Assignment.objects.filter(goal__in=[goal.pk for goal in goals]), period.date
    )
    by_goal = {goal_id: list(run) for goal_id, run in groupby(shown, attrgetter("goal_id"))}
    for goal in goals:
        goal.assignment_list = by_goal.get(goal.pk, [])
    return goals


def _changes_url(plan: Plan, goal: Goal | None = None) -> str:
    """The address of the plan's "Vad har ändrats" (of the goal's assignments)."""
    url = reverse("goals:changes", kwargs={"plan": plan.slug})
    return f"{url}?{urlencode({'mal': goal.number})}" if goal is not None else url


def _plans_shown() -> list[Plan]:
    return list(Plan.objects.with_published_content().latest_first())


@public_page(query=PERIOD_QUERY)
@as_of_page
def home(request):
    plans = _plans_shown()
    return _render_plan(request, plans[0] if plans else None, plans)


@public_page(query=PERIOD_QUERY)
@as_of_page
def plan_detail(request, plan):
    plan = get_object_or_404(Plan.objects.published(), slug=plan)
    return _render_plan(request, plan, _plans_shown())


def _breadcrumbs(
    goal: Goal, goal_url: str, present: Presentation, assignment_url: str = "", number: int = 0
):
    """Plan › Goal n (› Assignment m): the trail base.html shows above the page; the
    page's `?per=` (present.query) after the plan's address, as the others have it
    already; the plan's name marked as Swedish on an English page."""
    trail = [
        (present.content(goal.plan.name), goal.plan.get_absolute_url() + present.query),
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


def _moved(request, url: str, *, status: bool = False):
    """The permanent redirect to a page's right address, keeping `?per=` as asked (a
    published period's code: another gets the 404 of as_of_page()) and, with `status`
    (the goal page's filter), `?status=` when it names a status."""
    keep = []
    period = period_asked(request)
    if period is not None:
        keep.append((PERIOD_PARAMETER, period.code))
    chosen = AssessmentStatus.parse(request.GET.get("status")) if status else None
    if chosen is not None:
        keep.append(("status", chosen.value))
    return redirect(f"{url}?{urlencode(keep)}" if keep else url, permanent=True)


@public_page(query=GOAL_QUERY)
@as_of_page
def goal_detail(request, plan, number, slug):
    goal = _get_goal(plan, number)
    if slug != goal.slug:
        return _moved(request, goal.get_absolute_url(), status=True)
    period = period_asked(request)
    assignments = Assignment.objects.filter(goal=goal).order_by("number")
    if period is None:
        return render_goal_page(request, goal, assignments.for_page())
    listed, later = assignments_as_of(assignments, period.date)
    return render_goal_page(request, goal, listed, period=period, later=len(later))


class _GoalAsOf:
    """What the goal page shows of the goal's own assessments as of `period` (None: the
    latest), read on first use: a fragment of the page reads none of it."""

    def __init__(self, goal: Goal, period: ReportingPeriod | None):
        self.goal = goal
        self.period = period

    @functools.cached_property
    def current(self):
        """The goal assessment current then: the exports' rule (goals.models.current_of(),
        which goal_assessment_as_of() applies), from the published ones the page reads for
        the earlier ones anyway."""
        if self.period is None:
            return self.goal.current_assessment
        return current_of(self.goal.assessments_newest_first, self.period.date)

    def earlier(self) -> list:
        """The published ones before it, newest first."""
        if self.period is None:
            return self.goal.earlier_assessments
        if self.current is None:
            return []
        date = self.current.period.date
        return [a for a in self.goal.assessments_newest_first if a.period.date < date]


def render_goal_page(
    request,
    goal: Goal,
    listed: list[Assignment],
    *,
    period: ReportingPeriod | None = None,
    later: int = 0,
    **extra,
):
    """The goal page (or its htmx fragment) of `goal` with its assignments `listed` as
    for_page() reads them, or as of `period` as assignments_as_of() reads them (`later`:
    how many were left out as added after it): for the public page, and for the staff's
    preview of a round (reporting/preview.py), which passes what the round would publish
    and `extra` context."""
    status = AssessmentStatus.parse(request.GET.get("status"))
    assignments = standing_at(listed, status)
    present = Presentation(period)
    links = functools.partial(present.status_filter, request.GET, status, len(assignments))
    goal_url = goal.get_absolute_url() + present.query
    assessed = _GoalAsOf(goal, period)
    keep = [("status", status.value)] if status else []
    # The staff's preview (`preview_note`) shows one round, not the published periods:
    # no switch, and no picture (it counts published assessments only).
    switch = chart = None
    if "preview_note" not in extra:
        switch = PeriodSwitch(
            functools.partial(periods_of_plan, goal.plan), period, request.path, keep, later
        )
        chart = functools.partial(
            charts.picture,
            listed,
            as_of=period,
            chart_id="goal-status-chart",
            changes_url=_changes_url(goal.plan, goal),
            changes_label=_("What has changed in the goal between two periods"),
        )
    context = {
        "goal": goal,
        "plan": goal.plan,
        "breadcrumbs": _breadcrumbs(goal, goal_url, present),
        "assignments": assignments,
        "items": present.items(present.rows(assignments, goal), anchors=True),
        # Called by the template, so that only the whole page makes them, not its fragment.
        "legend": present.legend,
        "goal_assessment": lambda: assessed.current,
        "goal_history": lambda: present.goal_history(goal, assessed.earlier()),
        "status_filter": status,
        "share_assignments": listed,  # for the status summary of the shared description
        # The filter's links: in place on the page, out of band in the list's fragment.
        "status_links": functools.partial(links, oob=False),
        "status_links_oob": functools.partial(links, oob=True),
        "period": period,
        "export_period": period,
        "switch": switch,
        "status_chart": chart,  # made only by the whole page, as the picture is not in the fragment
        "content_lang": present.lang,
        # The focus areas with their titles marked (within a heading of the interface's),
        # read by the whole page only.
        "focus_areas": lambda: _marked(goal.sections.focus_areas, "title", present),
        **extra,
    }
    return render_page_or_fragment(
        request, "goals/goal_detail.html", context, fragment="assignment-list"
    )


def _marked(rows: list[dict], name: str, present: Presentation) -> list[dict]:
    """`rows` with the text `name` of each marked as the municipality's (Presentation.
    content()); `rows` as they are on a page in its language."""
    if not present.language:
        return rows
    return [{**row, name: present.content(row[name])} for row in rows]


@public_page(query=PERIOD_QUERY)
@as_of_page
def assignment_detail(request, plan, number, slug, assignment):
    queryset = (
        Assignment.objects.public()
        .select_related("goal__plan")
        .filter(goal__plan__slug=plan, goal__number=number, number=assignment)
    )
    period = period_asked(request)
    if period is None:
        found = queryset.for_page(history=True)
        existed = bool(found)
    else:
        shown, later = assignments_as_of(queryset, period.date, history=True)
        found, existed = shown + later, bool(shown)
    if not found:
        raise Http404
    found = found[0]
    goal = found.goal
    if slug != goal.slug:
        return _moved(request, found.get_absolute_url())
    present = Presentation(period)
    goal_url = goal.get_absolute_url() + present.query
    url = present.assignment_url(goal, found.number)
    return render(
        request,
        "goals/assignment_detail.html",
        {
            "assignment": found,
            "goal": goal,
            "goal_url": goal_url,
            "plan": goal.plan,
            "breadcrumbs": _breadcrumbs(goal, goal_url, present, url, found.number),
            "row": present.heading(found, goal),
            "timeline": present.timeline(found.history),
            "status_timeline": present.status_timeline(found.history),
            "period": period,
            "existed": existed,
            "period_day": present.day(period.date) if period else "",
            "content_lang": present.lang,
            "goal_title": present.content(goal.title),
            "title": present.content(found.title),
            "switch": PeriodSwitch(
                functools.partial(periods_of_plan, goal.plan), period, request.path
            ),
        },
    )
