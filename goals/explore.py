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
  only texts published by then are searched. As on the goal pages, the assignments added
  after the period (assignments.presentation.existed_in()) are left out, with a note of
  how many; "all N assessments over time" counts those published up to the period; every
  address of the results keeps `?per=` (Presentation(period)). A code that names no
  published period is ignored (the page never answers an error for its query), and the
  page says that the latest is shown.
- `tillkommande`: "ja" for the additional assignments only, or a year for those added
  that year.
- `sida`: the page of the results, PAGE_SIZE a page; past the last page the last, and
  anything but a positive whole number the first.

A value that names nothing (an unknown body, a junk status) leaves its filter out, and the
form shows it as not chosen; the page never answers an error for its query. The search
text is cleaned first (search.cleaned(): a control character, even a NUL, is a space), and
the rest is searched. Only what the public sees: assignments of published goals of
published plans, published assessments.

On the English pages (/en/uppdrag/) the municipality's own texts stay Swedish: every
element that holds them (titles, plan and body names, assessment texts, the filters'
options of them) says so with lang="sv" (`data_lang`).

The form is a plain GET form, so it works without JavaScript; htmx sends it on every change
and swaps the results only (the partial `results` of the template), and pushes the address,
so that it can be shared and the back button works; the fragment's <title> gives the
tab and the history entry the new title. The number found is in a live region outside the
swapped part, so that screen readers announce it.

SQL queries, the same at any size: the filters' choices (bodies, public goals with their
plans and the years their assignments were added, published periods) 3, the assignments
found 1, a page of them 2 (for_page()); a search 1 more (the matching texts); `per` 2 more
(the published history and named bodies, for current_as_of(): of the page's assignments,
or with a status of all found). The page and its fragment also read the organisation (for
the <title>); an empty page reads no page of them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db.models import Max, Min, Prefetch
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import capfirst
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
from assignments.presentation import (
    Presentation,
    Row,
    existed_in,
    later_text,
    month_year,
    number,
)
from goals.models import Goal, Plan, ReportingPeriod
from goals.periods import published_periods
from uppfoljning.htmx import render_page_or_fragment
from uppfoljning.public import public_page

PAGE_SIZE = 20
ONLY_ADDITIONAL = "ja"  # ?tillkommande=ja: every additional assignment, of any year
# The display order without a search: newest plan first, then goal and assignment number.
DISPLAY_ORDER = ("-goal__plan__start_year", "goal__plan__code", "goal__number", "number")
# What the filters read of a plan.
PLAN_COLUMNS = ("code", "slug", "name", "start_year", "end_year")
# The digits of a page number (`?sida=`) read as they are; a longer one is past any last page.
MAX_PAGE_DIGITS = 9
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
    # Public goals with their plans, newest plan first, by number; each with the first and
    # the last year its assignments were added in (`first_added`, `last_added`: None when
    # none was).
    goals: list[Goal]
    periods: list[ReportingPeriod]  # published, newest first
    plans: list[Plan] = field(init=False)
    # The years of `?tillkommande=`, newest first: the plans' years, and every year a public
    # assignment was added in (from the first to the last of each goal's), also one outside
    # its plan's years.
    years: list[int] = field(init=False)

    def __post_init__(self):
        self.plans = list({goal.plan_id: goal.plan for goal in self.goals}.values())
        years = {year for plan in self.plans for year in range(plan.start_year, plan.end_year + 1)}
        for goal in self.goals:
            if goal.first_added is not None:
                years.update(range(goal.first_added, goal.last_added + 1))
        self.years = sorted(years, reverse=True)

    @classmethod
    def read(cls) -> Options:
        return cls(
            bodies=list(ResponsibleBody.objects.order_by("kind", "name", "code")),
            goals=list(
                Goal.objects.published()
                .select_related("plan")
                .only("plan", "number", "title", *(f"plan__{name}" for name in PLAN_COLUMNS))
                .annotate(
                    first_added=Min("assignments__added_year"),
                    last_added=Max("assignments__added_year"),
                )
                .order_by("-plan__start_year", "-plan__end_year", "plan__code", "number")
            ),
            periods=list(published_periods().order_by("-date")),
        )


def goal_value(goal: Goal) -> str:
    """A goal as `?mal=` names it: "<plan's address>:<number>"."""
    return f"{goal.plan.slug}:{goal.number}"


class SearchField(forms.CharField):
    """The search text, cleaned (search.cleaned()) before it is checked: a control
    character, even a NUL (which CharField refuses), is a space, and the rest is searched."""

    def to_python(self, value) -> str:
        return search.cleaned(super().to_python(value))


class FilterForm(forms.Form):
    """The page's query, checked: each value that names nothing is left out (applied())."""

    q = SearchField(required=False, strip=True)
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
    found = _found(assignments, period, status)
    page = Paginator(found.ids, PAGE_SIZE).get_page(_page_number(request.GET.get("sida")))
    present = Presentation(period)
    data_lang = present.language
    results = _results(present, list(page.object_list), period, found)
    count = len(found.ids)
    context = {
        "page_url": reverse("goals:assignments"),
        "text": text,
        "applied": applied,
        "period": period,
        "status": status,
        "period_label": month_year(period.date) if period else "",
        # `?per=` asked for a period that is not published (or junk): the latest is shown.
        "unknown_period": period is None and bool(request.GET.get("per")),
        "later": found.later,
        "later_text": later_text(found.later),
        "data_lang": data_lang,
        "controls": _controls(options, applied, data_lang),
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
    the last page, however many its digits, gets the last page (Paginator.get_page())."""
    if not (value and value.isascii() and value.isdigit()):
        return 1
    digits = value.lstrip("0")
    if len(digits) > MAX_PAGE_DIGITS:
        return 10**MAX_PAGE_DIGITS  # past any last page
    return max(int(digits or "0"), 1)


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


@dataclass
class Found:
    """The assignments found: their `ids` in order, and how many were left out as added
    after the period asked for (`later`). With a period and a status also what
    current_as_of() found of each (`as_of`, by id) and how many assessments were published
    of each up to the period (`counts`, by id); else None, and the page reads them for its
    own assignments."""

    ids: list[int]
    later: int = 0
    as_of: dict | None = None
    counts: dict[int, int] | None = None


def _found(assignments, period: ReportingPeriod | None, status: AssessmentStatus | None) -> Found:
    """The assignments of `assignments` that stand at `status` (None: all), now or as of
    `period`; as of a period only those that existed then (existed_in(), the goal pages'
    rule), the others counted.

    One query; three with a period and a status (each assignment's published history and
    named bodies, for current_as_of())."""
    if period is None:
        rows = assignments.with_current_status().values_list("pk", "current_status_value")
        return Found([pk for pk, value in rows if status is None or value == status])
    date = period.date
    if status is None:
        rows = list(assignments.values_list("pk", "added_year"))
        ids = [pk for pk, year in rows if year is None or year <= date.year]
        return Found(ids, later=len(rows) - len(ids))
    listed = list(assignments.only("pk", "added_year").prefetch_related(*_history_until(date)))
    existed = [a for a in listed if existed_in(a, date)]
    as_of = current_as_of(existed, date)
    standing = {pk: AssessmentStatus(found[1]) if found else None for pk, found in as_of.items()}
    return Found(
        [a.pk for a in existed if standing[a.pk] == status],
        later=len(listed) - len(existed),
        as_of=as_of,
        counts={a.pk: len(a.published_assessments) for a in existed},
    )


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
    goal with the goal's address (as of the page's period) and title (marked Swedish on a
    page in another language)."""

    row: Row
    goal: Goal
    goal_url: str
    goal_title: str | SafeString


def _results(
    present: Presentation,
    ids: list[int],
    period: ReportingPeriod | None,
    found: Found,
) -> list[Result]:
    """The assignments `ids` in that order, as the list shows them, now or as of `period`
    (what current_as_of() found of each and their counts, `found`, or else read here):
    two queries, four with a period whose as_of is not given."""
    if not ids:
        return []
    as_of, counts = found.as_of, found.counts
    queryset = Assignment.objects.filter(pk__in=ids).select_related("goal__plan")
    if period is not None and as_of is None:
        queryset = queryset.prefetch_related(*_history_until(period.date))
    listed = queryset.for_page()
    if period is not None and as_of is None:
        as_of = current_as_of(listed, period.date)
        counts = {a.pk: len(a.published_assessments) for a in listed}
    by_id = {assignment.pk: assignment for assignment in listed}
    goals: dict[int, tuple[str, str | SafeString]] = {}
    results = []
    for pk in ids:
        assignment = by_id[pk]
        goal = assignment.goal
        row = present.row(assignment, goal)
        if period is not None:
            _as_of_row(present, row, as_of[pk], counts[pk])
        if goal.pk not in goals:
            goals[goal.pk] = (goal.get_absolute_url() + present.query, present.content(goal.title))
        goal_url, goal_title = goals[goal.pk]
        results.append(Result(row=row, goal=goal, goal_url=goal_url, goal_title=goal_title))
    return results


def _as_of_row(present: Presentation, row: Row, current, count: int) -> None:
    """The row's status and assessment as of a period: `current` as current_as_of() found
    it, (part, status, text) or None; `count` the assessments published up to then."""
    status = AssessmentStatus(current[1]) if current else None
    row.badge = present.badge(status)
    row.status_line = present.status_line(status)
    row.as_of = present.as_of(current[0].period.date) if current else ""
    row.text = current[2] if current else ""
    row.history = present.history(count) if current and count > 1 else ""


@dataclass
class Control:
    """A filter's <select>: its name, label and groups of (value, label, chosen, lang)
    options, each group with its label and lang; a group's label is empty for options
    outside any <optgroup>. `lang` is the language of a label that is the municipality's
    own text (a body's, a plan's or a goal's name) on a page in another language, else
    empty."""

    name: str
    label: str
    groups: list[tuple[str, str, list[tuple[str, str, bool, str]]]]


def period_labels(periods: list[ReportingPeriod]) -> dict[str, str]:
    """Each period's label by its code, by its date in the page's language as the portal
    writes a period's label ("Augusti 2023"; "31 augusti 2023" when two share a month), not
    its stored Swedish name."""
    months = [(p.date.year, p.date.month) for p in periods]
    return {
        p.code: capfirst(
            date_filter(p.date, "j F Y")
            if months.count((p.date.year, p.date.month)) > 1
            else month_year(p.date)
        )
        for p in periods
    }


# The filters whose options (but the first, "all") are the municipality's own texts.
DATA_FILTERS = ("ansvarig", "plan", "mal")


def _controls(options: Options, applied: dict[str, str], data_lang: str = "") -> list[Control]:
    """The filters' <select>s, each with the value applied chosen (none: the first);
    `data_lang` the lang of the options that are the municipality's own texts (empty on a
    page in their language)."""
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
    labels = period_labels(options.periods)
    periods = [(p.code, labels[p.code]) for p in options.periods]
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
                (
                    group,
                    # The goals' groups are the plans' names; the bodies' are kinds.
                    data_lang if group and name == "mal" else "",
                    [
                        (
                            value,
                            text,
                            applied.get(name, "") == value,
                            data_lang if value and name in DATA_FILTERS else "",
                        )
                        for value, text in choices
                    ],
                )
                for group, choices in groups
            ],
        )
        for name, label, groups in selects
    ]
