"""The follow-up as a table: one row per assignment and period, for the CSV file and the
Excel export (exports/), with its columns documented on the open-data page.

    rows = assessment_rows(goals, as_of=period.date)   # list[dict], keys = COLUMNS' keys
    for column in COLUMNS: column.key, column.label, column.description

A row is what an assignment's assessment of one period says, as the public pages show it:
published versions only, the bodies' parts combined (assignments.models.combined_assessment),
periods up to `as_of` (the "as of" date of the export; all when None). An assignment not yet
assessed by then has one row with empty period and status columns, so that no assignment
goes missing from the table.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from assignments.models import (
    AssessmentStatus,
    Assignment,
    combined_assessment,
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the column's heading (Swedish through the translation machinery)
    description: str  # what it holds, for the open-data page


COLUMNS = (
    Column("plan", _("Plan"), _("The plan's name, such as “Mål och budget 2022–2024”.")),
    Column("goal_number", _("Goal no."), _("The goal's number within its plan.")),
    Column("goal", _("Goal"), _("The goal's title.")),
    Column("assignment_number", _("Assignment no."), _("The assignment's number within its goal.")),
    Column("assignment", _("Assignment"), _("The assignment's text.")),
    Column(
        "bodies",
        _("Responsible"),
        _("The responsible committees and companies, separated by “; ”."),
    ),
    Column("period", _("Period"), _("The reporting period's name, such as “Augusti 2022”.")),
    Column("as_of", _("As of"), _("The date the assessment speaks for (YYYY-MM-DD).")),
    Column(
        "status",
        _("Status code"),
        _("completed, on_track, delayed or not_carried_out; empty before the first assessment."),
    ),
    Column("status_label", _("Status"), _("The status as the page shows it.")),
    Column("colour", _("Colour"), _("The traffic light: green, yellow or red.")),
    Column("text", _("Assessment"), _("The assessment's text; a blank line between paragraphs.")),
    Column("url", _("Address"), _("The assignment's permanent address in the portal.")),
)


# The columns of a row that come from an assessment: empty before the first one.
PERIOD_COLUMNS = ("period", "as_of", "status", "status_label", "colour", "text")


def assessment_rows(
    goals: Iterable, *, as_of: datetime.date | None = None, base_url: str = ""
) -> list[dict]:
    """The table's rows of the assignments of `goals` (with their plans), in display order:
    one per assignment and period up to `as_of`, oldest period first. `base_url` (such as
    "https://uppfoljning.kommun.se") is put before each address. Three queries."""
    goals = list(goals)
    assignments = (
        Assignment.objects.filter(goal__in=goals)
        .select_related("goal__plan")
        .order_by("goal__plan__start_year", "goal__plan__code", "goal__number", "number")
        .with_ordered_bodies()
        .with_history()
    )
    rows = []
    for assignment in assignments:
        base = _assignment_columns(assignment, base_url)
        periods = _by_period(assignment.published_assessments, as_of)
        if not periods:
            rows.append(base | dict.fromkeys(PERIOD_COLUMNS, ""))
        named = [r.body_id for r in assignment.ordered_responsibilities]
        for period, parts in periods:
            status, text = combined_assessment(parts, named)
            choice = AssessmentStatus(status)
            rows.append(
                base
                | {
                    "period": period.name,
                    "as_of": period.date.isoformat(),
                    "status": choice.value,
                    "status_label": str(choice.label),
                    "colour": choice.colour,
                    "text": text,
                }
            )
    return rows


def _by_period(assessments: list, as_of: datetime.date | None) -> list[tuple]:
    """(period, its parts) of each period up to `as_of`, oldest first."""
    found: dict[int, tuple] = {}
    for assessment in assessments:
        if as_of is not None and assessment.period.date > as_of:
            continue
        found.setdefault(assessment.period_id, (assessment.period, []))[1].append(assessment)
    return sorted(found.values(), key=lambda pair: pair[0].date)


def _assignment_columns(assignment: Assignment, base_url: str) -> dict:
    goal = assignment.goal
    given_to = [
        str(label)
        for label, given in (
            (_("all committees"), assignment.all_committees),
            (_("all companies"), assignment.all_companies),
        )
        if given
    ]
    names = given_to + [str(r.body.name) for r in assignment.ordered_responsibilities]
    return {
        "plan": goal.plan.name,
        "goal_number": goal.number,
        "goal": goal.title,
        "assignment_number": assignment.number,
        "assignment": assignment.title,
        "bodies": "; ".join(names),
        "url": base_url.rstrip("/") + assignment.get_absolute_url(),
    }
