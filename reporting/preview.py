"""Preview: the public goal page as it will look when a period is published, for staff.

    listed = round_assignments(goal, period, include=PREVIEW_APPROVED)
    goal_with_round(goal, period, include=PREVIEW_APPROVED)

The goal page's assignments as for_page() reads them, with each assignment's current
assessment replaced by what publishing `period` would make current: its approved versions
(or, with PREVIEW_IN_REVIEW, every version in review: drafts and submitted ones too),
the bodies' parts combined as the public pages and the exports combine them
(assignments.models.combined_assessment). The goal's assessment likewise. Nothing is
written; the page is served under /admin/ (never cached, never public).
"""

from __future__ import annotations

import json

from assignments.models import Assessment, ReviewState, combined_assessment
from goals.models import Goal, GoalAssessment, ReportingPeriod

PREVIEW_APPROVED = "godkanda"
PREVIEW_IN_REVIEW = "alla"
PREVIEW_STATES = {
    PREVIEW_APPROVED: [ReviewState.APPROVED],
    PREVIEW_IN_REVIEW: ReviewState.in_review(),
}


def round_assignments(listed: list, period: ReportingPeriod, *, include: str) -> list:
    """`listed` (for_page()'s assignments of one goal) with the round's versions of
    `period` as their current assessments, where the round has one. Two queries."""
    states = PREVIEW_STATES[include]
    versions: dict[int, list[Assessment]] = {}
    for version in (
        Assessment.objects.filter(
            assignment__in=[a.pk for a in listed], period=period, state__in=states
        )
        .select_related("body")
        .order_by("body__name")
    ):
        versions.setdefault(version.assignment_id, []).append(version)
    named = _named_body_ids(list(versions))
    for assignment in listed:
        parts = versions.get(assignment.pk)
        if not parts:
            continue
        status, text = combined_assessment(parts, named.get(assignment.pk, []))
        row = {"status": status, "text": text, "as_of": period.date.isoformat()}
        for cached in ("_current_row", "current_status_value"):
            assignment.__dict__.pop(cached, None)
        assignment.current_assessment_row = json.dumps(row)
        assignment.published_assessment_count = (assignment.published_assessment_count or 0) + 1
    return listed


def _named_body_ids(assignment_ids: list[int]) -> dict[int, list[int]]:
    from assignments.models import AssignmentResponsibility

    named: dict[int, list[int]] = {}
    for assignment_id, body_id in (
        AssignmentResponsibility.objects.filter(assignment_id__in=assignment_ids)
        .order_by("position", "id")
        .values_list("assignment_id", "body_id")
    ):
        named.setdefault(assignment_id, []).append(body_id)
    return named


def goal_with_round(goal: Goal, period: ReportingPeriod, *, include: str) -> Goal:
    """`goal` with the round's goal assessment of `period` among its published ones (as
    the newest, replacing a published one of the same period)."""
    version = (
        GoalAssessment.objects.filter(goal=goal, period=period, state__in=PREVIEW_STATES[include])
        .select_related("period")
        .first()
    )
    if version is not None:
        published = [a for a in goal.published_assessments if a.period_id != period.pk]
        goal.__dict__["published_assessments"] = [version, *published]
    return goal
