"""What a public page shows of its assignments, worked out once per request, not per row.

    present = Presentation()
    rows = present.rows(assignments, goal)   # a Row each, from AssignmentQuerySet.for_page()
    present.items(rows, anchors=True)        # the list's <li>s, rendered
    present.badge(status)                    # a rendered status badge

A list of 200 assignments shows 200 titles, but only five kinds of status badge, a dozen
as-of dates, a handful of counts and years, one goal's address and a few dozen lists of
bodies. A Presentation makes each of those once, the first time a row needs it, and the
rows share it:

- a status badge and a list item's status line are pieces, rendered once per request and
  value by the template engine, which escapes them; the rows reuse the rendered HTML;
- a label ("Bedömning (per augusti 2022):", "Tillkommande uppdrag 2023:") is translated and
  formatted once per value, with the message ids the templates used, as plain text that the
  template escapes where it shows it;
- an address is reversed once per goal (an assignment's address is the goal's with its
  number) and once per body; a list of bodies is made once per list.

The lists themselves (the items of a list of assignments, an assignment's history, a goal's
earlier assessments, the legend and the status filter) are macros of one Jinja2 template,
templates/jinja2/assignments/presentation.html, each rendered in one loop: Jinja2 renders
such a loop several times faster than Django's engine. The Django templates of the goal,
body and assignment pages, and the goal page's htmx fragment, show what they return as it
is. The rules stay in the models: a row's status is Assignment.current_status, its
assessment the newest published one (AssignmentQuerySet.with_current_assessment()).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

import jinja2
from django.conf import settings
from django.http import QueryDict
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext
from markupsafe import Markup

from assignments.models import AssessmentStatus, Assignment

# The Jinja2 template of the pieces and the lists (in templates/jinja2/).
MACROS = "assignments/presentation.html"
# Stands in for the value that varies when an address is reversed once for many values.
PROBE_NUMBER = 987654321
PROBE_SLUG = "0-probe-0"
# How Django's filter linebreaks finds line breaks and paragraphs.
LINE_BREAK = re.compile(r"\r\n|\r")
PARAGRAPH_BREAK = re.compile(r"\n{2,}")
# What a slug may hold to be put into an address as it is (the slug path converter's
# characters, none of which reverse() would quote).
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def jinja2_environment(**options) -> jinja2.Environment:
    """The environment of the Jinja2 templates (settings.TEMPLATES): Django's translations
    behind _(), Django's filter date (for dates: unlike Django's engine it does not turn an
    aware time to local time first), and the filter `paragraphs`."""
    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)
    environment.filters["paragraphs"] = paragraphs
    environment.filters["date"] = date_filter
    return environment


def paragraphs(text: str) -> list[list[str]]:
    """The paragraphs of a text, each a list of its lines, as Django's filter linebreaks
    reads them (a blank line between paragraphs, any line break within one): a template
    shows each as <p> with <br> between its lines, as linebreaks would, at a third of its
    cost."""
    text = LINE_BREAK.sub("\n", str(text))
    return [paragraph.split("\n") for paragraph in PARAGRAPH_BREAK.split(text)]


def number(value: int) -> str:
    """An integer as the template engine shows it (localize()), without its cost per call
    when thousands are not grouped (the portal's setting)."""
    return localize(value) if settings.USE_THOUSAND_SEPARATOR else str(value)


def _month_year(date) -> str:
    """"augusti 2022", as the template filter date:"F Y" shows it."""
    return date_filter(date, "F Y")


def _day(date) -> str:
    """"31 augusti 2022", as the template filter date:"j F Y" shows it."""
    return date_filter(date, "j F Y")


def _with_status(query: QueryDict, status: str | None) -> str:
    """The query string of `query` with the parameter status set to `status` (None: without
    it), as the template tag querystring writes it."""
    parameters = query.copy()
    if status is None:
        parameters.pop("status", None)
    else:
        parameters["status"] = status
    return f"?{parameters.urlencode()}"


def address_maker(viewname: str, kwargs: dict, vary: str, probe) -> Callable[[object], str]:
    """reverse() once for a family of addresses that differ only in the last parameter,
    `vary`: a function from its value to the address."""
    reversed_ = reverse(viewname, kwargs={**kwargs, vary: probe})
    head, found, tail = reversed_.rpartition(f"/{probe}/")
    if not found:
        raise ValueError(f"{viewname}: {vary} is not the last part of {reversed_}")
    return lambda value: f"{head}/{value}/{tail}"


@dataclass(slots=True)
class Row:
    """What a page shows of an assignment: heading() fills the first fields, row() the
    rest for a list. Labels are plain text, badge and status_line pieces; bodies the
    (name, address, whether another follows) of each named body."""

    number: str
    url: str
    added: str
    title: str
    badge: Markup
    given_to: str
    bodies: tuple[tuple[str, str, bool], ...]
    status_line: Markup | str = ""
    as_of: str = ""
    text: str = ""
    history: str = ""


@dataclass(slots=True)
class Entry:
    """What the assignment page shows of one assessment of an assignment's `history`
    (AssignmentQuerySet.for_page()): the dict read (`assessment`) and the labels made of
    it."""

    assessment: dict
    date: str
    as_of: str
    badge: Markup
    reported_by: str = ""
    corrected_on: str = ""
    corrected_status: str = ""


class Presentation:
    """One request's pieces, labels, addresses and lists (see the module)."""

    def __init__(self):
        self._macros = engines["jinja2"].env.get_template(MACROS).module
        self._pieces: dict[tuple[str, object], Markup] = {}
        self._labels: dict[tuple[str, object], str] = {}
        self._bodies: dict[tuple, tuple[tuple[str, str, bool], ...]] = {}
        self._assignment_urls: dict[int, Callable[[object], str]] = {}
        self._body_url = address_maker("assignments:body", {}, "body", PROBE_SLUG)
        self._given_to = {
            (True, True): gettext("all committees and all companies"),
            (True, False): gettext("all committees"),
            (False, True): gettext("all companies"),
            (False, False): "",
        }

    # -- pieces, rendered once per request and value, and lists (the macros of MACROS)

    def _piece(self, name: str, key, *arguments) -> Markup:
        piece = self._pieces.get((name, key))
        if piece is None:
            piece = self._pieces[name, key] = getattr(self._macros, name)(*arguments)
        return piece

    def badge(self, status: AssessmentStatus | None) -> Markup:
        """The badge of `status` (None: not yet assessed)."""
        return self._piece("badge", status, status)

    def status_line(self, status: AssessmentStatus | None) -> Markup:
        """A list item's status line: "Status för uppdraget är" and the badge."""
        return self._piece("status_line", status, self.badge(status))

    def bodies(self, named: list[tuple[str, str]]) -> tuple[tuple[str, str, bool], ...]:
        """(name, address, whether another follows) of each named body, from its (name,
        slug): once per list of bodies."""
        key = tuple(named)
        bodies = self._bodies.get(key)
        if bodies is None:
            last = len(named) - 1
            bodies = self._bodies[key] = tuple(
                (name, self.body_url(slug), index < last)
                for index, (name, slug) in enumerate(named)
            )
        return bodies

    def legend(self) -> Markup:
        """The <li> of every status's badge and meaning: what the traffic lights mean."""
        return self._macros.legend([(self.badge(s), s.meaning) for s in AssessmentStatus])

    def status_filter(
        self, query: QueryDict, chosen: AssessmentStatus | None, count: int, *, oob=False
    ) -> Markup:
        """The links that filter a list by status, `chosen` marked, and how many
        assignments (`count`) the list shows; `oob` for a list's htmx fragment. `query`:
        the request's query parameters, which each link keeps but for the status."""
        links = [("all", _with_status(query, None), gettext("All"), chosen is None)]
        links += [
            (status.value, _with_status(query, status.value), status.label, status == chosen)
            for status in AssessmentStatus
        ]
        return self._macros.status_filter(links, self.shown(chosen, count), oob)

    def tally(self, counts: Iterable[tuple[AssessmentStatus | None, int]]) -> list:
        """(badge, count) of each status a goal's assignments stand at (Goal.status_tally)."""
        return [(self.badge(status), count) for status, count in counts]

    # -- labels: plain text, escaped by the template that shows it

    def _label(self, kind: str, value, make: Callable[[], str]) -> str:
        """make(): a label of `kind` for `value`, made once per request."""
        label = self._labels.get((kind, value))
        if label is None:
            label = self._labels[kind, value] = make()
        return label

    # The message ids are written out in each gettext() call, for makemessages to find.

    def as_of(self, date) -> str:
        """"Bedömning (per augusti 2022):" of an assessment as of `date`."""
        return self._label(
            "as of",
            date,
            lambda: gettext("Assessment (as of %(period)s):") % {"period": _month_year(date)},
        )

    def added(self, year: int) -> str:
        """"Tillkommande uppdrag 2023:" of an assignment added in `year`."""
        return self._label(
            "added",
            year,
            lambda: gettext("Additional assignment %(year)s:") % {"year": number(year)},
        )

    def history(self, count: int) -> str:
        """"Alla 3 bedömningar över tid": the link to an assignment's assessments."""
        return self._label(
            "history",
            count,
            lambda: gettext("All %(total)s assessments over time") % {"total": number(count)},
        )

    def shown(self, status: AssessmentStatus | None, count: int) -> str:
        """"3 uppdrag med status ”Enligt plan”.": how many assignments a list shows."""
        if status:
            return ngettext(
                "%(counter)s assignment with the status “%(label)s”.",
                "%(counter)s assignments with the status “%(label)s”.",
                count,
            ) % {"counter": number(count), "label": status.label}
        return ngettext("%(counter)s assignment.", "%(counter)s assignments.", count) % {
            "counter": number(count)
        }

    def given_to(self, assignment: Assignment) -> str:
        """"alla nämnder" and the like: to whom besides its named bodies it is given, with
        the comma before the named ones."""
        label = self._given_to[assignment.all_committees, assignment.all_companies]
        return f"{label}, " if label and assignment.named_bodies else label

    # -- addresses

    def assignment_url(self, goal, assignment_number: int) -> str:
        """The address of assignment `assignment_number` of `goal`: one reverse() per goal."""
        make = self._assignment_urls.get(goal.pk)
        if make is None:
            kwargs = {"plan": goal.plan.slug, "number": goal.number, "slug": goal.slug}
            make = address_maker("goals:assignment", kwargs, "assignment", PROBE_NUMBER)
            self._assignment_urls[goal.pk] = make
        return make(assignment_number)

    def body_url(self, slug: str) -> str:
        """The address of the body with `slug`: without reverse() for a plain slug."""
        if PLAIN_SLUG.fullmatch(slug):
            return self._body_url(slug)
        return reverse("assignments:body", kwargs={"body": slug})

    # -- rows

    def rows(self, assignments: Iterable[Assignment], goal=None) -> list[Row]:
        """What a list shows of each assignment, as read by AssignmentQuerySet.for_page();
        `goal` is theirs, or None when each has its own (`assignment.goal`)."""
        return [self.row(assignment, goal or assignment.goal) for assignment in assignments]

    def items(self, rows: list[Row], *, anchors: bool = False) -> Markup:
        """The <li> of each of `rows`, rendered in one loop; with `anchors` each has the id
        the assignment page links back to."""
        return self._macros.items(rows, anchors)

    def by_goal(self, assignments: Iterable[Assignment]) -> list[tuple[object, Markup]]:
        """(goal, rendered items) of each run of assignments of one goal, in order."""
        groups = []
        for _, run in groupby(assignments, attrgetter("goal_id")):
            items = list(run)
            goal = items[0].goal
            groups.append((goal, self.items(self.rows(items, goal))))
        return groups

    def timeline(self, history: list[dict]) -> Markup:
        """The <li> of each assessment of an assignment's history (for_page(history=True)),
        in the order given."""
        return self._macros.timeline([self._entry(assessment) for assessment in history])

    def _entry(self, assessment: dict) -> Entry:
        date = assessment["period_date"]
        entry = Entry(
            assessment=assessment,
            date=date.isoformat(),
            as_of=gettext("as of %(date)s") % {"date": _day(date)},
            badge=self.badge(AssessmentStatus(assessment["status"])),
        )
        if assessment["body_name"] is not None:
            entry.reported_by = gettext("Reported by %(body)s") % {"body": assessment["body_name"]}
        if assessment["corrects_id"]:
            published = _day(template_localtime(assessment["published_at"]))
            entry.corrected_on = gettext("Corrected on %(date)s:") % {"date": published}
            entry.corrected_status = AssessmentStatus(assessment["corrected_status"]).label
        return entry

    def goal_history(self, goal) -> Markup:
        """The <li> of each of the goal's earlier assessments (with their periods), newest
        first."""
        return self._macros.goal_history(goal.earlier_assessments)

    def heading(self, assignment: Assignment, goal) -> Row:
        """What a page shows of any assignment: its number, address, title (with "added"
        for an additional assignment), status badge, and to whom it is given."""
        return self._heading(assignment, goal, assignment.current_status)

    def row(self, assignment: Assignment, goal) -> Row:
        """heading(), and what a list shows of the newest assessment and of the others."""
        status = assignment.current_status
        count = assignment.published_assessment_count
        row = self._heading(assignment, goal, status)
        row.status_line = self.status_line(status)
        if status:
            row.as_of = self.as_of(assignment.current_as_of)
            row.text = assignment.current_text
        if count > 1:
            row.history = self.history(count)
        return row

    def _heading(self, assignment: Assignment, goal, status: AssessmentStatus | None) -> Row:
        added_year = assignment.added_year
        return Row(
            number=number(assignment.number),
            url=self.assignment_url(goal, assignment.number),
            added=self.added(added_year) if added_year else "",
            title=assignment.title,
            badge=self.badge(status),
            given_to=self.given_to(assignment),
            bodies=self.bodies(assignment.named_bodies),
        )
