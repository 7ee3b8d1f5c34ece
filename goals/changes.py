"""What has changed ("Vad har ändrats"): between two published reporting periods, the
assignments of a plan whose status got better or worse, that were added, completed or
stopped; per goal, for a responsible body, or for the whole plan.

    periods = plan_periods(plan)                        # one query
    histories = read_histories(assignments, until=...)  # one query, any number
    comparison = compare(assignments, histories, since, until)
    comparison.counts()        # (kind, how many) of every ChangeKind
    comparison.by_goal(goals)  # what the page lists: per goal, per kind, by number

The rule is the plain functions and dataclasses of this module; the view, plan_changes(),
comes last and only reads the request, the database and the template.

"The status as of a period" is the one rule of assignments.models: the parts published for
the newest period on or before the period's date (newest_parts()), combined by
combined_assessment() (the municipality's own assessment alone, else the most severe of the
bodies' parts); None before the first. read_histories() reads each published assessment as
a Part, a light stand-in that those two functions read as they read an Assessment.

Each assignment falls into exactly one ChangeKind, the first of these that fits (the page
says the same to its readers, from ChangeKind.meaning):

- added: no status as of the first period but one as of the second, or an additional
  assignment (added_year) of a year after the first period's year up to the second's;
- completed: its status became Completed;
- stopped: its status became Not carried out;
- better: its status became a better one, by SEVERITY (Not carried out, Not quite on
  track, On track, Completed: from the most severe to the best);
- worse: its status became a worse one;
- unchanged: everything else (the same status, or no status as of either period), which
  the page only counts.

An assignment that existed as of neither period (an additional assignment of a year after
the second period's) is not compared at all, as the goal page as of the period leaves it
out (assignments.presentation.existed_in()).

The page names a period by its date ("augusti 2022"), not by its name (the municipality's
data), and on an English page marks the municipality's texts as Swedish
(Presentation.lang, Presentation.content()).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assignments.models import (
    SEVERITY,
    Assessment,
    AssessmentStatus,
    Assignment,
    BodyKind,
    ResponsibleBody,
    combined_assessment,
    newest_parts,
)
from assignments.presentation import Presentation, Row, existed_in
from goals.models import Goal, PeriodState, Plan, ReportingPeriod
from uppfoljning.public import public_page

# The page's query parameters: the two periods (codes), a goal (its number in the plan) and
# a responsible body (its slug). Each is optional.
SINCE, UNTIL, GOAL, BODY = "fran", "till", "mal", "ansvarig"


class ChangeKind(models.TextChoices):
    """What happened to an assignment between two periods, in the order the page lists
    them: an assignment is of the first kind that fits (classify())."""

    ADDED = "added", pgettext_lazy("change", "Added")
    COMPLETED = "completed", pgettext_lazy("change", "Completed")
    STOPPED = "stopped", pgettext_lazy("change", "No longer carried out")
    BETTER = "better", pgettext_lazy("change", "Better status")
    WORSE = "worse", pgettext_lazy("change", "Worse status")
    UNCHANGED = "unchanged", pgettext_lazy("change", "Unchanged")

    @property
    def meaning(self) -> str:
        return {
            "added": gettext_lazy(
                "Not assessed as of the first period but assessed as of the second, or an "
                "additional assignment of a year after the first period's year, up to and "
                "including the second period's year."
            ),
            "completed": gettext_lazy("The status became Completed."),
            "stopped": gettext_lazy("The status became Not carried out."),
            "better": gettext_lazy(
                "The status became a better one, from worst to best: Not carried out, Not "
                "quite on track, On track, Completed."
            ),
            "worse": gettext_lazy(
                "The status became a worse one (other than Not carried out), for example "
                "from On track to Not quite on track."
            ),
            "unchanged": gettext_lazy(
                "The same status as of both periods, or not assessed as of either. Only "
                "counted, not listed."
            ),
        }[self.value]


# --------------------------------------------------------------------------- the rule


@dataclass(frozen=True, slots=True)
class PartPeriod:
    """The period of a Part: its date, and its code and name as the chart shows them."""

    date: datetime.date
    code: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class PartBody:
    name: str
    code: str


@dataclass(frozen=True, slots=True)
class Part:
    """A published assessment as newest_parts() and combined_assessment() read it: its
    status, its period's date, and the body that reported it (None: the municipality's
    own). The text is left out: only the status is needed here."""

    status: str
    period: PartPeriod
    body_id: int | None = None
    body: PartBody | None = None
    text: str = ""


def status_as_of(history: Iterable[Part], date: datetime.date) -> AssessmentStatus | None:
    """An assignment's status as of `date`, from its published assessments (`history`):
    the combined status of the newest period on or before the date; None before the
    first. The rule of assignments.models.current_as_of(), by its two functions."""
    parts = newest_parts(history, date)
    if not parts:
        return None
    status, _text = combined_assessment(parts, ())
    return AssessmentStatus(status)


def is_better(before: AssessmentStatus, after: AssessmentStatus) -> bool:
    """Whether `after` is a better status than `before`: further from the most severe in
    SEVERITY (Not carried out, Not quite on track, On track, Completed)."""
    return SEVERITY.index(after) > SEVERITY.index(before)


def classify(
    before: AssessmentStatus | None,
    after: AssessmentStatus | None,
    *,
    added_year: int | None = None,
    since_year: int,
    until_year: int,
) -> ChangeKind:
    """The ChangeKind of an assignment whose status was `before` as of the first period
    (of the year `since_year`) and `after` as of the second (`until_year`); `added_year`:
    the year an additional assignment was added, else None. The first kind that fits."""
    newly_added = added_year is not None and since_year < added_year <= until_year
    if newly_added or (before is None and after is not None):
        return ChangeKind.ADDED
    if before is None or after is None or before == after:
        return ChangeKind.UNCHANGED
    if after == AssessmentStatus.COMPLETED:
        return ChangeKind.COMPLETED
    if after == AssessmentStatus.NOT_CARRIED_OUT:
        return ChangeKind.STOPPED
    return ChangeKind.BETTER if is_better(before, after) else ChangeKind.WORSE


@dataclass(frozen=True, slots=True)
class Change:
    """What happened to `assignment` between the two periods."""

    assignment: Assignment
    kind: ChangeKind
    before: AssessmentStatus | None
    after: AssessmentStatus | None

    @property
    def before_value(self) -> str:
        """The status before as a value, "none" when not assessed."""
        return self.before.value if self.before else "none"

    @property
    def after_value(self) -> str:
        """The status after as a value, "none" when not assessed."""
        return self.after.value if self.after else "none"


@dataclass(frozen=True)
class GoalChanges:
    """The listed changes of one goal: (kind, changes by number) of each kind it has."""

    goal: Goal
    kinds: list[tuple[ChangeKind, list[Change]]]

    @property
    def count(self) -> int:
        return sum(len(changes) for _kind, changes in self.kinds)


@dataclass(frozen=True)
class Comparison:
    """Every assignment compared between `since` and `until`, in the order given."""

    since: ReportingPeriod
    until: ReportingPeriod
    changes: list[Change]

    def counts(self) -> list[tuple[ChangeKind, int]]:
        """How many assignments are of each kind, every kind in order (zero too)."""
        found = dict.fromkeys(ChangeKind, 0)
        for change in self.changes:
            found[change.kind] += 1
        return list(found.items())

    @property
    def listed(self) -> list[Change]:
        """The changes the page lists: all but the unchanged."""
        return [change for change in self.changes if change.kind != ChangeKind.UNCHANGED]

    def by_goal(self, goals: Iterable[Goal]) -> list[GoalChanges]:
        """The listed changes per goal, in the order of `goals`, each goal's by kind (in
        ChangeKind's order) and by number; goals without a change are left out."""
        order = list(ChangeKind)
        listed: dict[int, list[Change]] = {}
        for change in self.listed:
            listed.setdefault(change.assignment.goal_id, []).append(change)
        groups = []
        for goal in goals:
            changes = sorted(
                listed.get(goal.pk, []),
                key=lambda c: (order.index(c.kind), c.assignment.number),
            )
            if changes:
                kinds = [(kind, list(run)) for kind, run in groupby(changes, lambda c: c.kind)]
                groups.append(GoalChanges(goal, kinds))
        return groups


def compare(
    assignments: Iterable[Assignment],
    histories: Mapping[int, list[Part]],
    since: ReportingPeriod,
    until: ReportingPeriod,
) -> Comparison:
    """Each of `assignments` (with pk, goal_id, number and added_year) compared between
    the periods `since` and `until` (since before until), from `histories`
    (read_histories(): each assignment's published assessments by id); those that existed
    as of neither period (added in a year after `until`'s: existed_in()) are left out."""
    changes = []
    for assignment in assignments:
        if not existed_in(assignment, until.date):
            continue
        history = histories.get(assignment.pk, ())
        before = status_as_of(history, since.date)
        after = status_as_of(history, until.date)
        kind = classify(
            before,
            after,
            added_year=assignment.added_year,
            since_year=since.date.year,
            until_year=until.date.year,
        )
        changes.append(Change(assignment, kind, before, after))
    return Comparison(since, until, changes)


# --------------------------------------------------------------------------- reading


def plan_periods(plan: Plan) -> list[ReportingPeriod]:
    """The published periods in which the plan has published assessments of its public
    assignments, oldest first: one query. (The plan itself is the caller's to check.)"""
    assessed = Assessment.objects.published().filter(
        period=OuterRef("pk"),
        assignment__in=Assignment.objects.public().filter(goal__plan=plan).values("pk"),
    )
    return list(
        ReportingPeriod.objects.filter(state=PeriodState.PUBLISHED)
        .filter(Exists(assessed))
        .order_by("date")
    )


def read_histories(
    assignments: QuerySet | Iterable[int], *, until: datetime.date | None = None
) -> dict[int, list[Part]]:
    """The published assessments of `assignments` (a queryset of assignments, read as a
    subquery, or their ids) as Parts, by assignment id: one query at any size. With
    `until`, only those of periods on or before that date (all that matter as of it).
    An empty list of ids runs none."""
    if isinstance(assignments, QuerySet):
        which = assignments.order_by().values("pk")
    else:
        which = list(assignments)
        if not which:
            return {}
    rows = Assessment.objects.published().filter(assignment__in=which)
    if until is not None:
        rows = rows.filter(period__date__lte=until)
    rows = rows.order_by("assignment_id", "period__date", "body_id").values_list(
        "assignment_id",
        "status",
        "period__date",
        "period__code",
        "period__name",
        "body_id",
        "body__name",
        "body__code",
    )
    histories: dict[int, list[Part]] = {}
    periods: dict[datetime.date, PartPeriod] = {}
    bodies: dict[int, PartBody] = {}
    for assignment_id, status, date, code, name, body_id, body_name, body_code in rows:
        period = periods.get(date) or periods.setdefault(date, PartPeriod(date, code, name))
        body = None
        if body_id is not None:
            body = bodies.get(body_id) or bodies.setdefault(body_id, PartBody(body_name, body_code))
        histories.setdefault(assignment_id, []).append(Part(status, period, body_id, body))
    return histories


# --------------------------------------------------------------------------- the choice


@dataclass
class Selection:
    """What the page's form chose (read_selection()): the two periods, a goal and a body
    (None: all), and an error message per parameter that could not be read."""

    since: ReportingPeriod | None = None
    until: ReportingPeriod | None = None
    goal: Goal | None = None
    body: ResponsibleBody | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def comparable(self) -> bool:
        """Whether there is something to compare: two periods and no error."""
        return not self.errors and self.since is not None and self.until is not None


def read_selection(
    query: Mapping[str, str],
    periods: list[ReportingPeriod],
    goals: list[Goal],
    bodies: list[ResponsibleBody],
) -> Selection:
    """The Selection of a request's `query` (request.GET) among the plan's `periods`
    (plan_periods(), oldest first), its `goals` and the `bodies`.

    A missing or empty value means the default: for the periods the two newest (the
    second period alone given: the one before it; the first alone: the newest), for the
    goal and the body all of them. A value that names none of the choices gets an error
    message (Swedish), and so do a second period that is not after the first and a period
    given alone that has no other to be compared with (the first alone the newest, the
    second alone the oldest); the page then shows the form with the message, never an
    error page."""
    selection = Selection()
    by_code = {period.code: period for period in periods}

    def chosen(name: str, choices: Mapping[str, object], message: str):
        value = query.get(name) or ""
        if not value:
            return None
        found = choices.get(value)
        if found is None:
            selection.errors[name] = message
        return found

    period_message = _("Choose a period from the list.")
    since = chosen(SINCE, by_code, period_message)
    until = chosen(UNTIL, by_code, period_message)
    selection.goal = chosen(
        GOAL, {str(goal.number): goal for goal in goals}, _("Choose a goal from the list.")
    )
    selection.body = chosen(
        BODY,
        {body.slug: body for body in bodies},
        _("Choose a responsible body from the list."),
    )
    if SINCE in selection.errors or UNTIL in selection.errors:
        return selection
    if until is None and since is None:
        if len(periods) >= 2:
            since, until = periods[-2], periods[-1]
    elif until is None:
        until = periods[-1]
        if until.date <= since.date:
            selection.since = since
            selection.errors[SINCE] = _(
                "No later period has assessments to compare with: choose an earlier one."
            )
            return selection
    elif since is None:
        earlier = [period for period in periods if period.date < until.date]
        if not earlier:
            selection.until = until
            selection.errors[UNTIL] = _(
                "No earlier period has assessments to compare with: choose a later one."
            )
            return selection
        since = earlier[-1]
    selection.since, selection.until = since, until
    if since is not None and until is not None and until.date <= since.date:
        selection.errors[UNTIL] = _("The second period must come after the first.")
    return selection


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True, slots=True)
class ShownChange:
    """What the page shows of a Change: the assignment's heading (Presentation.heading():
    number, address, title, bodies), its title as the page shows it (marked as Swedish on
    an English page: Presentation.content()) and the badges before and after."""

    change: Change
    row: Row
    title: object
    before: object
    after: object


def _shown_change(change: Change, goal: Goal, present: Presentation) -> ShownChange:
    row = present.heading(change.assignment, goal)
    return ShownChange(
        change,
        row,
        present.content(row.title),
        present.badge(change.before),
        present.badge(change.after),
    )


def _shown(groups: list[GoalChanges], present: Presentation) -> list:
    """(goal, its title as shown, count, [(kind, [ShownChange])]) of each goal's group."""
    shown = []
    for group in groups:
        kinds = []
        for kind, changes in group.kinds:
            kinds.append(
                (
                    kind,
                    [_shown_change(change, group.goal, present) for change in changes],
                )
            )
        shown.append((group.goal, present.content(group.goal.title), group.count, kinds))
    return shown


@public_page(query=[SINCE, UNTIL, GOAL, BODY])
def plan_changes(request, plan):
    """The page "Vad har ändrats" of a published plan: eight queries (with base.html's
    one) whatever the data's size, five when the choice cannot be read."""
    plan = get_object_or_404(Plan.objects.published(), slug=plan)
    periods = plan_periods(plan)
    goals = list(Goal.objects.filter(plan=plan).published().order_by("number"))
    for goal in goals:
        goal.plan = plan  # the addresses read it
    bodies = list(ResponsibleBody.objects.order_by("kind", "name", "pk"))
    selection = read_selection(request.GET, periods, goals, bodies)
    present = Presentation()

    comparison = groups = None
    if selection.comparable:
        chosen = Assignment.objects.public().filter(goal__plan=plan)
        if selection.goal is not None:
            chosen = chosen.filter(goal=selection.goal)
        if selection.body is not None:
            chosen = chosen.for_body(selection.body)
        assignments = chosen.order_by("goal__number", "number").for_page()
        histories = read_histories(chosen, until=selection.until.date)
        comparison = compare(assignments, histories, selection.since, selection.until)
        groups = _shown(comparison.by_goal(goals), present)

    page_url = reverse("goals:changes", kwargs={"plan": plan.slug})
    context = {
        "changes_plan": plan,
        "page_url": page_url,
        "share_title": _("What has changed – %(plan)s") % {"plan": plan.name},
        "meta_description": _(
            "The assignments whose status changed between two reporting periods, that "
            "were added, completed or are no longer carried out."
        ),
        "breadcrumbs": [
            (present.content(plan.name), plan.get_absolute_url()),
            (_("What has changed"), page_url),
        ],
        "periods": periods,
        "goals": goals,
        "body_kinds": [
            (kind, [body for body in bodies if body.kind == kind])
            for kind in (BodyKind.COMMITTEE, BodyKind.COMPANY)
        ],
        "selection": selection,
        "comparison": comparison,
        "groups": groups,
        "kinds": list(ChangeKind),
        "content_lang": present.lang,
        "plan_name": present.content(plan.name),
        "goal_title": present.content(selection.goal.title) if selection.goal else "",
        "body_name": present.content(selection.body.name) if selection.body else "",
        "query": {
            "since": selection.since.code if selection.since else "",
            "until": selection.until.code if selection.until else "",
            "goal": str(selection.goal.number) if selection.goal else "",
            "body": selection.body.slug if selection.body else "",
        },
    }
    return render(request, "goals/changes.html", context)
