"""The assignments page (/uppdrag/): every public assignment, searched and filtered, a page
at a time.

    /uppdrag/?q=förskola&status=delayed&ansvarig=<body>&plan=<plan>&mal=<plan>:<n>
             &per=<period>&tillkommande=ja|<year>&sida=2

- `q`: words searched in the titles and the published assessments' texts, by the one rule
  of search (assignments/search.py), best match first; without it the display order
  (newest plan first, then goal and assignment number).
- `status`: the status an assignment stands at; with `per` the status as of that period.
- `ansvarig`: a body's address (slug): the assignments it answers for, named or as one of
  all committees or companies (Assignment.objects.for_body()).
- `plan`: a plan's address; `mal`: a goal, as "<plan's address>:<goal number>".
- `per`: a published reporting period's code, as the exports' `?per=`: each assignment's
  status, assessment and date as of that period (assignments.models.current_as_of()), and
  only texts published by then are searched.
- `tillkommande`: "ja" for the additional assignments only, or a year for those added
  that year.
- `sida`: the page of the results, PAGE_SIZE a page.

A value that names nothing (an unknown body, a junk status) leaves its filter out, and the
form shows it as not chosen; the page never answers an error for its query. Only what the
public sees: assignments of published goals of published plans, published assessments.

The form is a plain GET form, so it works without JavaScript; htmx sends it on every change
and swaps the results only (the partial `results` of the template), and pushes the address,
so that it can be shared and the back button works. The number found is in a live region
outside the swapped part, so that screen readers announce it.

SQL queries, the same at any size: the filters' choices (bodies, public goals with their
plans, published periods) 3, the assignments found 1, a page of them 2 (for_page()); a
search 1 more (the matching texts); `per` 2 more (the published history and named bodies,
for current_as_of(): of the page's assignments, or with a status of all found). The whole
page also reads the organisation (base.html); an empty page reads no page of them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments import search
from assignments.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    AssignmentResponsibility,
    BodyKind,
    ResponsibleBody,
    current_as_of,
)
from assignments.presentation import Presentation, Row, number
from goals.models import Goal, PeriodState, Plan, ReportingPeriod
from uppfoljning.htmx import render_page_or_fragment
from uppfoljning.public import public_page

PAGE_SIZE = 20
ONLY_ADDITIONAL = "ja"  # ?tillkommande=ja: every additional assignment, of any year
# The display order without a search: newest plan first, then goal and assignment number.
DISPLAY_ORDER = ("-goal__plan__start_year", "goal__plan__code", "goal__number", "number")
# What the filters read of a plan.
PLAN_COLUMNS = ("code", "slug", "name", "start_year", "end_year")
QUERY = {
    "q": None,
    "status": AssessmentStatus.values,
    "ansvarig": None,
    "plan": None,
    "mal": None,
    "per": None,
    "tillkommande": None,
    "sida": None,
}


@dataclass
class Options:
    """What the filters can choose, read once per request (three queries)."""

    bodies: list[ResponsibleBody]
    goals: list[Goal]  # public goals with their plans, newest plan first, by number
    periods: list[ReportingPeriod]  # published, newest first
    plans: list[Plan] = field(init=False)
    years: list[int] = field(init=False)  # the plans' years, newest first

    def __post_init__(self):
        self.plans = list({goal.plan_id: goal.plan for goal in self.goals}.values())
        self.years = sorted(
            {year for plan in self.plans for year in range(plan.start_year, plan.end_year + 1)},
            reverse=True,
        )

    @classmethod
    def read(cls) -> Options:
        return cls(
            bodies=list(ResponsibleBody.objects.order_by("kind", "name", "code")),
            goals=list(
                Goal.objects.published()
                .select_related("plan")
                .only("plan", "number", "title", *(f"plan__{name}" for name in PLAN_COLUMNS))
                .order_by("-plan__start_year", "-plan__end_year", "plan__code", "number")
            ),
            periods=list(
                ReportingPeriod.objects.filter(state=PeriodState.PUBLISHED).order_by("-date")
            ),
        )


def goal_value(goal: Goal) -> str:
    """A goal as `?mal=` names it: "<plan's address>:<number>"."""
    return f"{goal.plan.slug}:{goal.number}"


class FilterForm(forms.Form):
    """The page's query, checked: each value that names nothing is left out (applied())."""

    q = forms.CharField(required=False, strip=True)
    status = forms.ChoiceField(required=False)
    ansvarig = forms.ChoiceField(required=False)
    plan = forms.ChoiceField(required=False)
    mal = forms.ChoiceField(required=False)
    per = forms.ChoiceField(required=False)
    tillkommande = forms.ChoiceField(required=False)

    def __init__(self, data, options: Options):
        super().__init__(data)
        values = {
            "status": AssessmentStatus.values,
            "ansvarig": [body.slug for body in options.bodies],
            "plan": [plan.slug for plan in options.plans],
            "mal": [goal_value(goal) for goal in options.goals],
            "per": [period.code for period in options.periods],
            "tillkommande": [ONLY_ADDITIONAL, *map(str, options.years)],
        }
        for name, known in values.items():
            self.fields[name].choices = [("", ""), *((value, value) for value in known)]

    def clean_q(self) -> str:
        return search.cleaned(self.cleaned_data["q"])

    def applied(self) -> dict[str, str]:
        """The filters applied: each valid, non-empty value by its name."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


@public_page(query=QUERY)
def assignment_list(request):
    options = Options.read()
    applied = FilterForm(request.GET, options).applied()
    period = _find(options.periods, "code", applied.get("per"))
    status = AssessmentStatus.parse(applied.get("status"))
    text = applied.get("q", "")

    assignments = _filtered(Assignment.objects.public(), applied, options)
    if text:
        assignments = search.search(assignments, text, as_of=period.date if period else None)
    found, as_of = _found(assignments, period, status)
    page = Paginator(found, PAGE_SIZE).get_page(_page_number(request.GET.get("sida")))
    present = Presentation()
    results = _results(present, list(page.object_list), period, as_of)
    count = len(found)
    context = {
        "page_url": reverse("goals:assignments"),
        "text": text,
        "applied": applied,
        "period": period,
        "status": status,
        "period_label": date_filter(period.date, "F Y") if period else "",
        "controls": _controls(options, applied),
        "results": results,
        "page": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number)),
        "ellipsis": Paginator.ELLIPSIS,
        "count": count,
        "count_text": ngettext(
            "%(counter)s assignment found.", "%(counter)s assignments found.", count
        )
        % {"counter": number(count)},
        "share_title": _("Assignments"),
        "meta_description": _(
            "Search and filter every assignment of the municipality's plans: by status, "
            "responsible committee or company, plan, goal and period."
        ),
    }
    return render_page_or_fragment(
        request, "goals/assignment_list.html", context, fragment="results"
    )


def _find(items, attribute: str, value):
    """The item whose `attribute` is `value`; None for none or no value."""
    if value is None:
        return None
    return next((item for item in items if getattr(item, attribute) == value), None)


def _page_number(value: str | None) -> int:
    """The page `?sida=` asks for: a positive whole number, else the first. A number past
    the last page gets the last page (Paginator.get_page())."""
    if value and value.isascii() and value.isdigit() and len(value) <= 6:
        return max(int(value), 1)
    return 1


def _filtered(assignments, applied: dict[str, str], options: Options):
    """The assignments with the filters of `applied` but the status, in display order."""
    body = _find(options.bodies, "slug", applied.get("ansvarig"))
    if body is not None:
        assignments = assignments.for_body(body)
    plan = _find(options.plans, "slug", applied.get("plan"))
    if plan is not None:
        assignments = assignments.filter(goal__plan=plan)
    goal = next((g for g in options.goals if goal_value(g) == applied.get("mal")), None)
    if goal is not None:
        assignments = assignments.filter(goal=goal)
    additional = applied.get("tillkommande")
    if additional == ONLY_ADDITIONAL:
        assignments = assignments.filter(added_year__isnull=False)
    elif additional:
        assignments = assignments.filter(added_year=int(additional))
    return assignments.order_by(*DISPLAY_ORDER)


def _found(assignments, period: ReportingPeriod | None, status: AssessmentStatus | None):
    """The ids of the assignments found, in order: of `assignments` those that stand at
    `status` (None: all), now or as of `period`. With a period and a status also what
    current_as_of() found of each, by id (else None: the page reads it for its own).

    One query; three with a period and a status (each assignment's published history and
    named bodies, for current_as_of())."""
    if period is None:
        rows = assignments.with_current_status().values_list("pk", "current_status_value")
        return [pk for pk, value in rows if status is None or value == status], None
    if status is None:
        return list(assignments.values_list("pk", flat=True)), None
    listed = list(assignments.only("pk").prefetch_related(*_history_until(period.date)))
    as_of = current_as_of(listed, period.date)
    standing = {pk: AssessmentStatus(found[1]) if found else None for pk, found in as_of.items()}
    return [a.pk for a in listed if standing[a.pk] == status], as_of


def _history_until(date: datetime.date) -> list[Prefetch]:
    """What current_as_of() reads of each assignment as of `date`, and no more: the
    published assessments of periods on or before it (`published_assessments`, as
    with_history() names them), with the columns the rule reads, and the named bodies'
    ids in order (`ordered_responsibilities`, as with_ordered_bodies() names them)."""
    history = (
        Assessment.objects.published()
        .filter(period__date__lte=date)
        .select_related("period", "body")
        .only("assignment", "status", "text", "period__date", "body__name", "body__code")
    )
    bodies = AssignmentResponsibility.objects.order_by("position", "id").only("assignment", "body")
    return [
        Prefetch("assessments", queryset=history, to_attr="published_assessments"),
        Prefetch("responsibilities", queryset=bodies, to_attr="ordered_responsibilities"),
    ]


@dataclass
class Result:
    """What the list shows of an assignment found: its row (Presentation.row()), and its
    goal with the goal's address."""

    row: Row
    goal: Goal
    goal_url: str


def _results(
    present: Presentation, ids: list[int], period: ReportingPeriod | None, as_of: dict | None
) -> list[Result]:
    """The assignments `ids` in that order, as the list shows them, now or as of `period`
    (what current_as_of() found of each, `as_of`, or else read here): two queries, four
    with a period whose as_of is not given."""
    if not ids:
        return []
    queryset = Assignment.objects.filter(pk__in=ids).select_related("goal__plan")
    if period is not None and as_of is None:
        queryset = queryset.prefetch_related(*_history_until(period.date))
    listed = queryset.for_page()
    if period is not None and as_of is None:
        as_of = current_as_of(listed, period.date)
    by_id = {assignment.pk: assignment for assignment in listed}
    goal_urls: dict[int, str] = {}
    results = []
    for pk in ids:
        assignment = by_id[pk]
        goal = assignment.goal
        row = present.row(assignment, goal)
        if period is not None:
            _as_of_row(present, row, as_of[pk])
        if goal.pk not in goal_urls:
            goal_urls[goal.pk] = goal.get_absolute_url()
        results.append(Result(row=row, goal=goal, goal_url=goal_urls[goal.pk]))
    return results


def _as_of_row(present: Presentation, row: Row, current) -> None:
    """The row's status and assessment as of a period: `current` as current_as_of() found
    it, (part, status, text) or None."""
    status = AssessmentStatus(current[1]) if current else None
    row.badge = present.badge(status)
    row.status_line = present.status_line(status)
    row.as_of = present.as_of(current[0].period.date) if current else ""
    row.text = current[2] if current else ""


@dataclass
class Control:
    """A filter's <select>: its name, label and groups of (value, label, chosen) options;
    a group's label is empty for options outside any <optgroup>."""

    name: str
    label: str
    groups: list[tuple[str, list[tuple[str, str, bool]]]]


def _controls(options: Options, applied: dict[str, str]) -> list[Control]:
    """The filters' <select>s, each with the value applied chosen (none: the first)."""
    bodies = [
        (label, [(b.slug, b.name) for b in options.bodies if b.kind == kind])
        for kind, label in (
            (BodyKind.COMMITTEE, _("Committees")),
            (BodyKind.COMPANY, _("Companies")),
        )
    ]
    goals = [
        (
            plan.name,
            [
                (goal_value(g), f"{number(g.number)}. {g.title}")
                for g in options.goals
                if g.plan_id == plan.pk
            ],
        )
        for plan in options.plans
    ]
    periods = [(p.code, p.name) for p in options.periods]
    years = [(str(year), _("Added in %(year)s") % {"year": year}) for year in options.years]
    selects = (
        ("status", _("Status"), [("", [("", _("All statuses")), *AssessmentStatus.choices])]),
        (
            "ansvarig",
            _("Responsible committee or company"),
            [("", [("", _("All committees and companies"))]), *[g for g in bodies if g[1]]],
        ),
        (
            "plan",
            _("Plan"),
            [("", [("", _("All plans")), *[(p.slug, p.name) for p in options.plans]])],
        ),
        ("mal", _("Goal"), [("", [("", _("All goals"))]), *goals]),
        ("per", _("Status as of"), [("", [("", _("The latest assessment")), *periods])]),
        (
            "tillkommande",
            _("Additional assignments"),
            [
                (
                    "",
                    [
                        ("", _("All assignments")),
                        (ONLY_ADDITIONAL, _("Only additional assignments")),
                        *years,
                    ],
                )
            ],
        ),
    )
    return [
        Control(
            name=name,
            label=label,
            groups=[
                (group, [(value, text, applied.get(name, "") == value) for value, text in choices])
                for group, choices in groups
            ],
        )
        for name, label, groups in selects
    ]
