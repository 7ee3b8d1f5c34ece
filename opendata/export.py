"""Export: the published portal as an uppfoljning/1 document.

What is public, and only that: published plans that have at least one published goal
(``Plan.objects.with_published_content()``), their published goals, every assignment of
those goals, and the published versions of the goal and assignment assessments. Draft
plans, draft goals and assessments in review never leave the portal, nor does a version
that a correction superseded. Bodies and reporting periods are the format's code lists
and are exported whole.

The format holds one assessment per assignment and period. Where the bodies that answer
for an assignment each published their own part, the parts become that one entry by
``assignments.models.combined_assessment()`` (the municipality's own assessment, when there
is one, alone).

The export runs ten queries at any size (EXPORT_QUERIES; a test holds it to that), the
same budget as the public pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Prefetch

from assignments.models import (
    Assessment,
    Assignment,
    AssignmentResponsibility,
    ResponsibleBody,
    combined_assessment,
)
from goals.models import (
    Goal,
    GoalAssessment,
    Organisation,
    Plan,
    ReportingPeriod,
    goal_sections,
)
from opendata.document import FORMAT, OpenDataError

# organisation, bodies, periods, plans, goals, goal assessments, assignments, their
# bodies, their assessments, and the goals' focus areas, links and actions (one UNION).
EXPORT_QUERIES = 10

def combined_by_period(
    assessments: Iterable[Assessment], named_body_ids: Sequence[int]
) -> list[tuple[int, str, str]]:
    """(period id, status, text) of each period that `assessments` (published, with their
    bodies) assess, by combined_assessment(), in the order each period first appears."""
    parts: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        parts.setdefault(assessment.period_id, []).append(assessment)
    return [
        (period_id, *combined_assessment(found, named_body_ids))
        for period_id, found in parts.items()
    ]


def export_document() -> dict:
    """The whole published portal as an uppfoljning/1 document (see the module's docstring)."""
    organisation = Organisation.current()
    if organisation is None:
        raise OpenDataError(["no organisation: import a file first"])
    bodies = ResponsibleBody.objects.order_by("position", "code")
    periods = ReportingPeriod.objects.order_by("date")
    return {
        "format": FORMAT,
        "organisation": {"name": organisation.name} | _compact({"website": organisation.website}),
        "bodies": [{"code": b.code, "name": b.name, "kind": b.kind} for b in bodies],
        "periods": [{"code": p.code, "name": p.name, "date": p.date.isoformat()} for p in periods],
        "plans": [_export_plan(plan) for plan in _plans_for_export()],
    }


def _plans_for_export() -> list[Plan]:
    """Public plans with their published goals and everything the format shows, prefetched."""
    published_assessments = (
        Assessment.objects.published()
        .select_related("period", "body")
        .order_by("period__date", "pk")
    )
    assignments = Assignment.objects.order_by("number").prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=AssignmentResponsibility.objects.select_related("body").order_by(
                "position", "id"
            ),
            to_attr="export_responsibilities",
        ),
        Prefetch("assessments", queryset=published_assessments, to_attr="export_assessments"),
    )
    goals = (
        Goal.objects.published()
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=GoalAssessment.objects.published()
                .select_related("period")
                .order_by("period__date"),
                to_attr="export_assessments",
            ),
            Prefetch("assignments", queryset=assignments, to_attr="export_assignments"),
        )
    )
    plans = list(
        Plan.objects.with_published_content()
        .order_by("start_year", "code")
        .prefetch_related(Prefetch("goals", queryset=goals, to_attr="export_goals"))
    )
    _attach_goal_sections([goal for plan in plans for goal in plan.export_goals])
    return plans


def _attach_goal_sections(goals: list[Goal]) -> None:
    """Give each goal its focus areas, links and actions, in order, read in one query
    (goals.models.goal_sections), which keeps the whole export within ten queries (the
    limit for every public page) at any size."""
    sections = goal_sections([goal.pk for goal in goals])
    for goal in goals:
        goal.sections = sections[goal.pk]


def _export_plan(plan: Plan) -> dict:
    return {
        "code": plan.code,
        "name": plan.name,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "goals": [_export_goal(goal) for goal in plan.export_goals],
    }


def _export_goal(goal: Goal) -> dict:
    optional = {
        "tagline": goal.tagline,
        "description": goal.description,
        "focus": [
            {
                "title": f["title"],
                "start_year": f["start_year"],
                "end_year": f["end_year"],
                "text": f["text"],
            }
            for f in goal.sections.focus_areas
        ],
        "links": [
            {"title": link["title"], "url": link["url"]} for link in goal.sections.links
        ],
        "actions": [
            {"title": a["title"]} | _compact({"text": a["text"], "url": a["url"]})
            for a in goal.sections.actions
        ],
        "assessments": [
            {"period": a.period.code, "fulfilment": a.fulfilment, "text": a.text}
            | _compact({"assignments_summary": a.assignments_summary})
            for a in goal.export_assessments
        ],
    }
    return (
        {"number": goal.number, "title": goal.title}
        | _compact(optional)
        | {"assignments": [_export_assignment(a) for a in goal.export_assignments]}
    )


def _export_assignment(assignment: Assignment) -> dict:
    responsibilities = assignment.export_responsibilities
    required = {
        "number": assignment.number,
        "title": assignment.title,
        "bodies": [r.body.code for r in responsibilities],
    }
    periods = {a.period_id: a.period.code for a in assignment.export_assessments}
    combined = combined_by_period(
        assignment.export_assessments, [r.body_id for r in responsibilities]
    )
    optional = {
        "all_committees": assignment.all_committees,
        "all_companies": assignment.all_companies,
        "added_year": assignment.added_year,
        "expected_completion_year": assignment.expected_completion_year,
        "assessments": [
            {"period": periods[period_id], "status": status, "text": text}
            for period_id, status, text in combined
        ],
    }
    return required | _compact(optional)


def _compact(mapping: dict) -> dict:
    """The mapping without its empty values ("", [], False, None).

    Only for optional keys: the format omits them when empty, required keys never are.
    """
    return {
        key: value
        for key, value in mapping.items()
        if value is not False and value not in ("", [], None)
    }
