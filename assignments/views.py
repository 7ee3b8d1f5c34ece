"""Public pages of the responsible bodies (nämnder och bolag).

Each can be seen as of a published reporting period, `?per=<period code>` as the goal
pages and the exports take it (AsOf in assignments/presentation.py follows the goals
room's rule): the latest is the default; every address a page makes keeps `?per=`.

On an English page the municipality's own texts (the bodies' names, the goals' titles, the
plans' names) are marked as Swedish: each element of them carries `content_lang`
(` lang="sv"` or nothing), and a name within a sentence of the interface's comes marked
(Presentation.content()).
"""

import functools

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assignments.models import AssessmentStatus, Assignment, ResponsibleBody, standing_at
from assignments.presentation import (
    PERIOD_PARAMETER,
    AsOf,
    PeriodSwitch,
    Presentation,
    as_of_page,
    assignments_as_of,
    content_language,
    lang_attribute,
    period_query,
)
from uppfoljning.htmx import render_page_or_fragment
from uppfoljning.public import public_page

# The query parameters of the pages: the period (any code; one that names no published
# period is a 404, and a 404 is never cached) and, on a body's page, the status filter.
PERIOD_QUERY = {PERIOD_PARAMETER: None}
BODY_QUERY = {"status": AssessmentStatus.values, **PERIOD_QUERY}


@public_page(query=PERIOD_QUERY)
@as_of_page
def body_list(request):
    period = AsOf.asked(request)
    bodies = list(ResponsibleBody.objects.order_by("kind", "name"))
    context = {
        "bodies": bodies,
        "per_query": period_query(period),
        "switch": PeriodSwitch(AsOf.periods, period, request.path),
        "content_lang": lang_attribute(content_language()),
    }
    return render(request, "assignments/body_list.html", context)


@public_page(query=BODY_QUERY)
@as_of_page
def body_detail(request, body):
    body = get_object_or_404(ResponsibleBody, slug=body)
    period = AsOf.asked(request)
    queryset = (
        Assignment.objects.for_body(body)
        .public()
        .select_related("goal__plan")
        .order_by("-goal__plan__start_year", "goal__plan__code", "goal__number", "number")
    )
    if period is None:
        assignments, later = queryset.for_page(), []
    else:
        assignments, later = assignments_as_of(queryset, period.date)
    status = AssessmentStatus.parse(request.GET.get("status"))
    shown = standing_at(assignments, status)
    present = Presentation(period)
    links = functools.partial(present.status_filter, request.GET, status, len(shown))
    keep = [("status", status.value)] if status else []
    context = {
        "body": body,
        "breadcrumbs": [
            (_("Responsible bodies"), reverse("assignments:bodies") + present.query),
            (present.content(body.name), body.get_absolute_url() + present.query),
        ],
        # (goal, its title and its plan's name as shown, the rendered items) of each goal.
        "groups": [
            (goal, present.content(goal.title), present.content(goal.plan.name), items)
            for goal, items in present.by_goal(shown)
        ],
        "status_filter": status,
        # The filter's links: in place on the page, out of band in the list's fragment.
        "status_links": functools.partial(links, oob=False),
        "status_links_oob": functools.partial(links, oob=True),
        "per_query": present.query,
        "period": period,
        "export_period": period,
        "switch": PeriodSwitch(AsOf.periods, period, request.path, keep, len(later)),
        # The plans of its assignments, newest first, with their names as shown: "Vad har
        # ändrats" of each, for it.
        "plans": [
            (plan, present.content(plan.name))
            for plan in dict.fromkeys(assignment.goal.plan for assignment in assignments)
        ],
        "content_lang": present.lang,
        "body_name": present.content(body.name),
    }
    return render_page_or_fragment(
        request, "assignments/body_detail.html", context, fragment="assignment-list"
    )
