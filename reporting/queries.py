"""What the reporting round's staff pages read: an official's "Att rapportera" and the
coordinator's overview per body. Read-only; every write is reporting/services.py's.

    rounds = round_rows(user, periods)   # per open period, per goal: (assignment, body) rows
    overview = body_overview(period)     # per body: how many are missing, submitted, ...

Each runs a fixed number of queries, however many rows it reads.

Who reports what: a body reports every assignment it answers for (named, or given to all
committees or all companies: Assignment.objects.for_bodies), one assessment per assignment
and period of its own; the municipality's own assessments (body None) are nobody's row.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Assessment,
    Assignment,
    AssignmentResponsibility,
    BodyKind,
    ResponsibleBody,
    ReviewState,
)
from goals.models import Goal, ReportingPeriod


class RowState(models.TextChoices):
    """Where one body's assessment of one assignment stands in a period's round."""

    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft")
    RETURNED = "returned", _("Returned")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")

    @classmethod
    def parse(cls, value: str | None) -> RowState | None:
        """The state a query parameter names; None for a missing or unknown value."""
        return cls(value) if value in cls.values else None

    @classmethod
    def of(cls, state: str | None, returned: bool = False) -> RowState:
        """The row state of an assessment in `state` (None: there is none); a draft with
        the coordinator's comment has been returned."""
        if state is None:
            return cls.MISSING
        if state == ReviewState.DRAFT and returned:
            return cls.RETURNED
        return cls(state)

    @property
    def is_unfinished(self) -> bool:
        """Still the official's to do: nothing handed to the coordinator yet."""
        return self in (RowState.MISSING, RowState.DRAFT, RowState.RETURNED)

    @property
    def review_state(self) -> str | None:
        """The assessment state the admin's list filters by for this row state (a returned
        one is a draft); None for a missing one, which has no assessment to list."""
        return {RowState.MISSING: None, RowState.RETURNED: ReviewState.DRAFT}.get(self, self.value)


# The assessments a round counts: the version in review, else the published one.
_COUNTED = [*ReviewState.in_review(), ReviewState.PUBLISHED]


def _preferred(current, candidate_state: str) -> bool:
    """Whether an assessment in `candidate_state` is the one to show instead of `current`
    (of the same assignment, period and body): the version in review wins over the
    published one, which a correction of it may stand beside."""
    return current is None or (
        candidate_state in ReviewState.in_review() and current not in ReviewState.in_review()
    )


# --------------------------------------------------------------------------- deadlines


def deadline_text(period: ReportingPeriod, today: datetime.date) -> str:
    """The period's reporting deadline in words: the date and how many days are left, or
    how long ago it passed."""
    if period.deadline is None:
        return gettext("No reporting deadline has been set.")
    when = date_filter(period.deadline, "j F Y")
    days = (period.deadline - today).days
    if days > 0:
        return ngettext(
            "Report by %(date)s: %(days)s day left.",
            "Report by %(date)s: %(days)s days left.",
            days,
        ) % {"date": when, "days": days}
    if days == 0:
        return gettext("Report by %(date)s: that is today.") % {"date": when}
    return ngettext(
        "The deadline was %(date)s: %(days)s day overdue.",
        "The deadline was %(date)s: %(days)s days overdue.",
        -days,
    ) % {"date": when, "days": -days}


def is_overdue(period: ReportingPeriod, today: datetime.date) -> bool:
    return period.deadline is not None and today > period.deadline


# --------------------------------------------------------------------------- Att rapportera


@dataclass
class Row:
    """One body's assessment of one assignment in a period: what it is, where it stands,
    and the address of its form."""

    assignment: Assignment
    body: ResponsibleBody
    period: ReportingPeriod
    assessment: Assessment | None
    overdue: bool = False

    @property
    def state(self) -> RowState:
        if self.assessment is None:
            return RowState.MISSING
        return RowState.of(self.assessment.state, self.assessment.is_returned)

    @property
    def is_late(self) -> bool:
        """Past the deadline and not yet handed to the coordinator."""
        return self.overdue and self.state.is_unfinished

    @property
    def url(self) -> str:
        """The assessment's form: its change page, or the add page for this assignment,
        period and body (the admin starts it from the previous period's text)."""
        if self.assessment is not None:
            return reverse("admin:assignments_assessment_change", args=[self.assessment.pk])
        query = urlencode(
            {"assignment": self.assignment.pk, "period": self.period.pk, "body": self.body.pk}
        )
        return f"{reverse('admin:assignments_assessment_add')}?{query}"


@dataclass
class GoalRows:
    goal: Goal
    rows: list[Row]


@dataclass
class PeriodRound:
    """A period open for reporting: its deadline in words and the user's rows by goal."""

    period: ReportingPeriod
    deadline: str
    overdue: bool
    goals: list[GoalRows] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.goals for row in group.rows]


def round_rows(user, periods: list[ReportingPeriod], *, today: datetime.date) -> list[PeriodRound]:
    """For each period, every assignment the user's bodies answer for: one row per
    assignment and body of the user's that answers for it (an assignment given to all
    committees is one row per committee of the user's, none for another's), by goal.

    Four queries whatever the number of rows (the user's bodies, their assignments, which
    of them name the bodies, the bodies' assessments in the periods); none without a
    period."""
    if not periods:
        return []
    bodies = list(user.responsible_bodies.order_by("kind", "name"))
    assignments = list(
        Assignment.objects.for_bodies(bodies)
        .select_related("goal__plan")
        .order_by("-goal__plan__start_year", "goal__plan__code", "goal__number", "number")
    )
    if not assignments:
        return [_period_round(period, today) for period in periods]
    named: dict[int, set[int]] = {}  # of the user's bodies, those named for each assignment
    for assignment_id, body_id in AssignmentResponsibility.objects.filter(
        body__in=bodies
    ).values_list("assignment_id", "body_id"):
        named.setdefault(assignment_id, set()).add(body_id)
    found: dict[tuple[int, int, int], Assessment] = {}
    assessments = (
        Assessment.objects.filter(period__in=periods, body__in=bodies, state__in=_COUNTED)
        .only("assignment_id", "period_id", "body_id", "state", "status", "review_comment")
        .order_by("pk")
    )
    for assessment in assessments:
        key = (assessment.assignment_id, assessment.period_id, assessment.body_id)
        current = found.get(key)
        if _preferred(current and current.state, assessment.state):
            found[key] = assessment
    rounds = []
    for period in periods:
        this = _period_round(period, today)
        groups: dict[int, GoalRows] = {}
        for assignment in assignments:
            if not assignment.is_reportable_in(period):
                continue
            for body in bodies:
                if not assignment.is_answered_by(body, named.get(assignment.pk, set())):
                    continue
                group = groups.get(assignment.goal_id)
                if group is None:
                    group = groups[assignment.goal_id] = GoalRows(assignment.goal, [])
                assessment = found.get((assignment.pk, period.pk, body.pk))
                group.rows.append(Row(assignment, body, period, assessment, this.overdue))
        this.goals = list(groups.values())
        rounds.append(this)
    return rounds


def _period_round(period: ReportingPeriod, today: datetime.date) -> PeriodRound:
    return PeriodRound(period, deadline_text(period, today), is_overdue(period, today))


def only_state(rounds: list[PeriodRound], state: RowState | None) -> list[PeriodRound]:
    """The rounds with only the rows in `state` (every row when it is None); a goal left
    without rows is left out."""
    if state is None:
        return rounds
    for this in rounds:
        for group in this.goals:
            group.rows = [row for row in group.rows if row.state == state]
        this.goals = [group for group in this.goals if group.rows]
    return rounds


def state_counts(rounds: list[PeriodRound]) -> dict[RowState, int]:
    """How many rows of the rounds stand in each state, every state listed."""
    counted = Counter(row.state for this in rounds for row in this.rows)
    return {state: counted[state] for state in RowState}


# --------------------------------------------------------------------------- the overview


@dataclass
class Cell:
    state: RowState
    count: int
    url: str | None  # the admin's list of these assessments; None when there is none


@dataclass
class BodyCounts:
    """How far one body (or, body None, all of them) has come in a period's round."""

    body: ResponsibleBody | None
    required: int
    counts: dict[RowState, int]
    url: str | None = None  # the admin's list of the body's assessments in the period
    cells: list[Cell] = field(default_factory=list)


def body_overview(period: ReportingPeriod) -> tuple[list[BodyCounts], BodyCounts]:
    """Per body that has anything to report in `period`: how many assignments it must
    report and how many of them are missing, draft, returned, submitted, approved,
    published, each linked to the admin's list; bodies with the most missing first. And
    the totals.

    Four queries whatever the number of bodies and assignments."""
    bodies = list(ResponsibleBody.objects.order_by("kind", "name"))
    required: dict[int, set[int]] = defaultdict(set)
    for assignment_id, body_id in AssignmentResponsibility.objects.values_list(
        "assignment_id", "body_id"
    ):
        required[body_id].add(assignment_id)
    to_all = {BodyKind.COMMITTEE: set(), BodyKind.COMPANY: set()}
    for assignment_id, committees, companies in Assignment.objects.filter(
        Q(all_committees=True) | Q(all_companies=True)
    ).values_list("pk", "all_committees", "all_companies"):
        if committees:
            to_all[BodyKind.COMMITTEE].add(assignment_id)
        if companies:
            to_all[BodyKind.COMPANY].add(assignment_id)
    found: dict[tuple[int, int], tuple[str, bool]] = {}
    rows = (
        Assessment.objects.filter(period=period, body__isnull=False, state__in=_COUNTED)
        .annotate(returned=ExpressionWrapper(~Q(review_comment=""), BooleanField()))
        .order_by("pk")
        .values_list("assignment_id", "body_id", "state", "returned")
    )
    for assignment_id, body_id, state, returned in rows:
        current = found.get((assignment_id, body_id))
        if _preferred(current and current[0], state):
            found[(assignment_id, body_id)] = (state, bool(returned))

    overview = []
    for body in bodies:
        due = required[body.pk] | to_all.get(body.kind, set())
        if not due:
            continue
        counts = Counter(
            RowState.of(*found[(a, body.pk)]) if (a, body.pk) in found else RowState.MISSING
            for a in due
        )
        overview.append(_with_links(BodyCounts(body, len(due), _every(counts)), period))
    overview.sort(key=lambda line: -line.counts[RowState.MISSING])  # stable: then by name
    totals = BodyCounts(
        None,
        sum(line.required for line in overview),
        _every(sum((Counter(line.counts) for line in overview), Counter())),
    )
    return overview, _with_links(totals, period)


def _every(counts: Counter) -> dict[RowState, int]:
    return {state: counts[state] for state in RowState}


def _with_links(line: BodyCounts, period: ReportingPeriod) -> BodyCounts:
    """The line with the addresses of the admin's list of its assessments (by state)."""
    line.url = assessment_list_url(period, line.body)
    line.cells = [
        Cell(
            state,
            count,
            assessment_list_url(period, line.body, state) if count and state.review_state else None,
        )
        for state, count in line.counts.items()
    ]
    return line


def assessment_list_url(
    period: ReportingPeriod, body: ResponsibleBody | None = None, state: RowState | None = None
) -> str:
    """The admin's list of assessments filtered by period, and body and state when given
    (the filters of AssessmentAdmin.list_filter: period, body, state)."""
    query = {"period__id__exact": period.pk}
    if body is not None:
        query["body__id__exact"] = body.pk
    if state is not None and state.review_state:
        query["state__exact"] = state.review_state
    return f"{reverse('admin:assignments_assessment_changelist')}?{urlencode(query)}"
