"""What a page shows, as plain data for the documents made from it (pdf.py, docx.py, xlsx.py).

    content = goal_content(goal, as_of=period)   # a published goal; period None: now
    content = body_content(body, as_of=period)
    content = plan_content(plan, as_of=period)

Each reads a fixed number of queries at any size and gives an ExportContent: the document's
title, the date its data speaks for, the page's permanent address, and one GoalItem per goal
with what the goal page shows of it (its sections, the goal assessment and the assignments,
each with its status and text), as of the period. Only published content: the caller hands
in a public goal or plan; the assignments of unpublished goals, and every unpublished
assessment, never get here.

"As of a period" follows the one rule of it: assignments.models.current_as_of() for the
assignments (the bodies' parts combined) and goals.models.goal_assessment_as_of() for the
goal: the newest published version of the newest period on or before the period's date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils.text import slugify
from django.utils.translation import gettext

from assignments.models import (
    AssessmentStatus,
    Assignment,
    ResponsibleBody,
    current_as_of,
)
from goals.models import (
    Fulfilment,
    Goal,
    Organisation,
    Plan,
    ReportingPeriod,
    goal_assessment_as_of,
    goal_sections,
)

GOAL, BODY, PLAN = "goal", "body", "plan"


@dataclass(frozen=True)
class AssignmentItem:
    """One assignment as the page lists it, as of the export's date."""

    number: int
    title: str
    added_year: int | None
    given_to: str  # "alla nämnder", "alla bolag", both, or ""
    bodies: tuple[str, ...]  # the named bodies, in order
    status: AssessmentStatus | None  # None: not assessed by then
    text: str
    as_of: datetime.date | None  # the date of the assessment shown
    url: str  # permanent address

    @property
    def responsible(self) -> str:
        """"alla nämnder, Kommunstyrelsen": everyone who answers for it, as one line."""
        return ", ".join(part for part in (self.given_to, *self.bodies) if part)

    @property
    def status_label(self) -> str:
        return str(self.status.label) if self.status else gettext("Not yet assessed")


@dataclass(frozen=True)
class GoalAssessmentItem:
    """The goal assessment current as of the export's date."""

    fulfilment: Fulfilment
    text: str
    assignments_summary: str
    as_of: datetime.date

    @property
    def fulfilment_label(self) -> str:
        return str(self.fulfilment.label)


@dataclass
class GoalItem:
    """A goal as its page shows it; a body's document shows only its heading and the
    body's assignments (`sections` False)."""

    plan: str
    number: int
    title: str
    tagline: str
    description: str
    url: str
    assignments: list[AssignmentItem]
    sections: bool = True
    focus_areas: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    assessment: GoalAssessmentItem | None = None

    @property
    def heading(self) -> str:
        """"Inriktningsmål 5. Titel", on a body's document with the plan's name after it."""
        values = {"number": self.number, "title": self.title, "plan": self.plan}
        if self.sections:
            return gettext("Goal %(number)s. %(title)s") % values
        return gettext("Goal %(number)s. %(title)s (%(plan)s)") % values

    def status_counts(self) -> list[tuple[AssessmentStatus | None, int]]:
        """How many assignments stand at each status (None: not yet assessed), in the
        statuses' order, leaving out those at none."""
        counts = dict.fromkeys([*AssessmentStatus, None], 0)
        for item in self.assignments:
            counts[item.status] += 1
        return [(status, count) for status, count in counts.items() if count]


@dataclass
class ExportContent:
    """A whole document: what it is of, as of when, where the page lives, and its goals."""

    kind: str  # GOAL, BODY or PLAN
    title: str  # the document's title, as the page's heading
    subtitle: str  # the plan's name, or what a body is
    organisation: str
    period: ReportingPeriod | None  # the period asked for; None: now
    as_of: datetime.date | None  # the date the data speaks for; None: nothing assessed
    path: str  # the page's address in the portal
    goals: list[GoalItem]
    file_stem: str  # the file's name without its extension (Swedish)
    # What the spreadsheet reads (opendata.tabular.assessment_rows): the goals' models, and
    # for a body the addresses of its assignments (the rows to keep).
    goal_models: list = field(default_factory=list, repr=False)
    assignment_urls: frozenset[str] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The page's permanent address (settings.PORTAL_URL and its path)."""
        return portal_url(self.path)

    @property
    def as_of_text(self) -> str:
        """"Bedömning per 31 augusti 2022", or that nothing has been assessed yet."""
        if self.as_of is None:
            return gettext("No assessment has been published yet.")
        return gettext("Assessment as of %(date)s") % {"date": long_date(self.as_of)}

    @property
    def assignments(self) -> list[AssignmentItem]:
        return [item for goal in self.goals for item in goal.assignments]

    def file_name(self, extension: str) -> str:
        return f"{self.file_stem}.{extension}"

    def ascii_file_name(self, extension: str) -> str:
        """The file's name in ASCII letters, digits and hyphens (å, ä, ö as a, a, o)."""
        return f"{slugify(self.file_stem)[:120].strip('-') or 'export'}.{extension}"


def long_date(date: datetime.date) -> str:
    """"31 augusti 2022"."""
    return date_filter(date, "j F Y")


def portal_url(path: str) -> str:
    """The permanent address of a page of the portal."""
    return settings.PORTAL_URL.rstrip("/") + path


# --------------------------------------------------------------------------- the three


def goal_content(goal: Goal, *, as_of: ReportingPeriod | None) -> ExportContent:
    """A published goal's page (`goal` with its plan) as of `as_of`: six queries."""
    item = _goal_items([goal], as_of)[0]
    plan = goal.plan
    return _content(
        GOAL,
        title=item.heading,
        subtitle=plan.name,
        period=as_of,
        path=goal.get_absolute_url(),
        goals=[item],
        stem=gettext("Goal %(number)s %(title)s") % {"number": goal.number, "title": goal.title},
        goal_models=[goal],
    )


def plan_content(plan: Plan, *, as_of: ReportingPeriod | None) -> ExportContent:
    """A published plan with each of its published goals as its page shows it: seven
    queries."""
    goals = list(plan.goals.published().order_by("number"))
    for goal in goals:
        goal.plan = plan
    return _content(
        PLAN,
        title=plan.name,
        subtitle=gettext("Follow-up of the plan"),
        period=as_of,
        path=plan.get_absolute_url(),
        goals=_goal_items(goals, as_of),
        stem=plan.name,
        goal_models=goals,
    )


def body_content(body: ResponsibleBody, *, as_of: ReportingPeriod | None) -> ExportContent:
    """A body's page: each published assignment it answers for, under its goal's heading,
    newest plan first: four queries."""
    assignments = _assignments(
        Assignment.objects.for_body(body)
        .public()
        .select_related("goal__plan")
        .order_by("-goal__plan__start_year", "goal__plan__code", "goal__number", "number")
    )
    current = current_as_of(assignments, as_of.date if as_of else None)
    goals: list[GoalItem] = []
    models: list[Goal] = []
    for assignment in assignments:
        goal = assignment.goal
        if not models or models[-1].pk != goal.pk:
            models.append(goal)
            goals.append(_goal_item(goal, sections=False))
        goals[-1].assignments.append(_assignment_item(assignment, current[assignment.pk]))
    return _content(
        BODY,
        title=body.name,
        subtitle=gettext("Assignments and follow-up"),
        period=as_of,
        path=body.get_absolute_url(),
        goals=goals,
        stem=body.name,
        goal_models=models,
        assignment_urls=frozenset(a.url for goal in goals for a in goal.assignments),
    )


# --------------------------------------------------------------------------- helpers


def _content(kind, *, title, subtitle, period, path, goals, stem, **rest) -> ExportContent:
    organisation = Organisation.current()
    if period is not None:
        as_of = period.date
        stem = f"{stem} {period.date.isoformat()}"
    else:
        dates = [a.as_of for goal in goals for a in goal.assignments if a.as_of]
        dates += [goal.assessment.as_of for goal in goals if goal.assessment]
        as_of = max(dates, default=None)
    return ExportContent(
        kind=kind,
        title=title,
        subtitle=subtitle,
        organisation=organisation.name if organisation else "",
        period=period,
        as_of=as_of,
        path=path,
        goals=goals,
        file_stem=_file_stem(stem),
        **rest,
    )


def _file_stem(text: str) -> str:
    """A file name of `text`: no path separators, quotes or control characters, short."""
    cleaned = "".join(
        " " if char in '/\\:*?"<>|' or ord(char) < 32 or ord(char) == 127 else char
        for char in text
    )
    return " ".join(cleaned.split())[:120].strip(" .") or "export"


def _goal_items(goals: list[Goal], as_of: ReportingPeriod | None) -> list[GoalItem]:
    """What each goal's page shows, with its plan (goal.plan read, not queried): five
    queries for any number of goals."""
    date = as_of.date if as_of else None
    sections = goal_sections([goal.pk for goal in goals])
    assessments = goal_assessment_as_of(goals, date)
    by_goal: dict[int, list[Assignment]] = {goal.pk: [] for goal in goals}
    if goals:
        for assignment in _assignments(
            Assignment.objects.filter(goal__in=goals).order_by("goal__number", "number")
        ):
            by_goal[assignment.goal_id].append(assignment)
    goal_by_id = {goal.pk: goal for goal in goals}
    items = []
    for goal in goals:
        assignments = by_goal[goal.pk]
        for assignment in assignments:
            assignment.goal = goal_by_id[assignment.goal_id]
        current = current_as_of(assignments, date)
        found = sections[goal.pk]
        assessment = assessments[goal.pk]
        item = _goal_item(goal)
        item.focus_areas = found.focus_areas
        item.links = found.links
        item.actions = found.actions
        item.assessment = _goal_assessment_item(assessment) if assessment else None
        item.assignments = [_assignment_item(a, current[a.pk]) for a in assignments]
        items.append(item)
    return items


def _assignments(queryset) -> list[Assignment]:
    """The assignments with their named bodies and published assessments: three queries."""
    return list(queryset.with_ordered_bodies().with_history())


def _goal_item(goal: Goal, *, sections: bool = True) -> GoalItem:
    return GoalItem(
        plan=goal.plan.name,
        number=goal.number,
        title=goal.title,
        tagline=goal.tagline,
        description=goal.description,
        url=portal_url(goal.get_absolute_url()),
        assignments=[],
        sections=sections,
    )


def _goal_assessment_item(assessment) -> GoalAssessmentItem:
    return GoalAssessmentItem(
        fulfilment=Fulfilment(assessment.fulfilment),
        text=assessment.text,
        assignments_summary=assessment.assignments_summary,
        as_of=assessment.period.date,
    )


def _given_to(assignment: Assignment) -> str:
    labels = {
        (True, True): gettext("all committees and all companies"),
        (True, False): gettext("all committees"),
        (False, True): gettext("all companies"),
        (False, False): "",
    }
    return labels[assignment.all_committees, assignment.all_companies]


def _assignment_item(assignment: Assignment, current) -> AssignmentItem:
    """`current`: what current_as_of() found of the assignment, or None."""
    if current is None:
        status, text, date = None, "", None
    else:
        part, status_value, text = current
        status, date = AssessmentStatus(status_value), part.period.date
    return AssignmentItem(
        number=assignment.number,
        title=assignment.title,
        added_year=assignment.added_year,
        given_to=_given_to(assignment),
        bodies=tuple(r.body.name for r in assignment.ordered_responsibilities),
        status=status,
        text=text,
        as_of=date,
        url=portal_url(assignment.get_absolute_url()),
    )
