"""Public pages of the responsible bodies (nämnder och bolag)."""

import functools

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assignments.models import AssessmentStatus, Assignment, ResponsibleBody, standing_at
from assignments.presentation import Presentation
from uppfoljning.htmx import render_page_or_fragment
from uppfoljning.public import public_page


@public_page()
def body_list(request):
    bodies = list(ResponsibleBody.objects.order_by("kind", "name"))
    return render(request, "assignments/body_list.html", {"bodies": bodies})


@public_page(query={"status": AssessmentStatus.values})
def body_detail(request, body):
    body = get_object_or_404(ResponsibleBody, slug=body)
    assignments = (
        Assignment.objects.for_body(body)
        .public()
        .select_related("goal__plan")
        .order_by("-goal__plan__start_year", "goal__plan__code", "goal__number", "number")
        .for_page()
    )
    status = AssessmentStatus.parse(request.GET.get("status"))
    shown = standing_at(assignments, status)
    present = Presentation()
    links = functools.partial(present.status_filter, request.GET, status, len(shown))
    context = {
        "body": body,
        "breadcrumbs": [
            (_("Responsible bodies"), reverse("assignments:bodies")),
            (body.name, body.get_absolute_url()),
        ],
        "groups": present.by_goal(shown),
        "status_filter": status,
        # The filter's links: in place on the page, out of band in the list's fragment.
        "status_links": functools.partial(links, oob=False),
        "status_links_oob": functools.partial(links, oob=True),
    }
    return render_page_or_fragment(
        request, "assignments/body_detail.html", context, fragment="assignment-list"
    )
