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

The lists themselves (the items of a list of assignments, an assignment's history and its
status timeline, a goal's earlier assessments, the legend and the status filter) are
macros of one Jinja2 template, templates/jinja2/assignments/presentation.html, each
rendered in one loop: Jinja2 renders
such a loop several times faster than Django's engine. The Django templates of the goal,
body and assignment pages, and the goal page's htmx fragment, show what they return as it
is. The rules stay in the models: a row's status is Assignment.current_status, its
assessment the newest published one (AssignmentQuerySet.with_current_assessment()).

On a page in another language than the portal's (`/en/...`, uppfoljning/language.py) the
municipality's own texts (titles, assessment texts, body and plan names) stay Swedish:
a Presentation knows once per request whether to mark them (`lang`, the attribute
` lang="sv"` or nothing; content() for a text within a sentence of the interface's), so
that a screen reader reads them as Swedish (WCAG 3.1.2); a Swedish page is left as it was.

As of a period (`?per=<period code>`, the exports' parameter): assignments_as_of() reads a
list as it stood then, by the exports' rule (assignments.models.current_as_of()), into the
same fields a row reads; a Presentation made with the period keeps `?per=` on every
address it makes, so that a reader stays in that period; PeriodSwitch is what the page's
period switch shows (templates/goals/includes/_period_switch.html).
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter, itemgetter
from types import SimpleNamespace
from urllib.parse import urlencode

import jinja2
from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext
from markupsafe import Markup, escape

from assignments.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    AssignmentResponsibility,
    combined_assessment,
    current_as_of,
)

# The Jinja2 template of the pieces and the lists (in templates/jinja2/).
MACROS = "assignments/presentation.html"
# Stands in for the value that varies when an address is reversed once for many values.
PROBE_NUMBER = 987654321
PROBE_SLUG = "0-probe-0"
# How Django's filter linebreaks finds line breaks and paragraphs.
LINE_BREAK = re.compile(r"\r\n|\r")
PARAGRAPH_BREAK = re.compile(r"\n{2,}")
# The query parameter of a page "as of a period" (the exports' too): a period's code.
PERIOD_PARAMETER = "per"
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


def content_language() -> str:
    """The language of the municipality's own texts (settings.LANGUAGE_CODE) when the page
    is in another one (translation.get_language(): the language of its address), else "":
    what a page marks its titles, texts and names with (lang), or nothing on a page in the
    texts' own language."""
    language = get_language() or settings.LANGUAGE_CODE
    return "" if language == settings.LANGUAGE_CODE else settings.LANGUAGE_CODE


def lang_attribute(language: str) -> Markup:
    """` lang="sv"` for an element's start tag, or nothing for "": content_language()'s."""
    return Markup(' lang="{}"').format(language) if language else Markup("")


def in_language(text, language: str):
    """`text` within a sentence of the interface's: as it is (to be escaped where it is
    shown) for "", else escaped within <span lang="...">."""
    if not language:
        return text
    return format_html('<span lang="{}">{}</span>', language, text)


def later_text(later: int) -> str:
    """ "2 uppdrag som tillkom senare visas inte." (`later` assignments left out of a list as
    of a period, added after it), or "" for none."""
    if not later:
        return ""
    return ngettext(
        "%(counter)s assignment added later is not shown.",
        "%(counter)s assignments added later are not shown.",
        later,
    ) % {"counter": number(later)}


def month_year(date) -> str:
    """ "augusti 2022", as the template filter date:"F Y" shows it."""
    return date_filter(date, "F Y")


def _day(date) -> str:
    """ "31 augusti 2022", as the template filter date:"j F Y" shows it."""
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

    def __init__(self, period=None):
        """`period`: the reporting period a page shows (a published ReportingPeriod, as of
        `?per=`), or None for the latest; every address made keeps it."""
        self._macros = engines["jinja2"].env.get_template(MACROS).module
        self.period = period
        # The municipality's texts on a page in another language: their language ("sv")
        # and the attribute that marks an element of them (` lang="sv"`); "" on a
        # Swedish page, which is left as it was.
        self.language = content_language()
        self.lang = lang_attribute(self.language)
        # "?per=<code>" after every address of the page, or nothing for the latest.
        self.query = period_query(period)
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

    def content(self, text):
        """A text of the municipality's (a title, a name) within a sentence of the
        interface's: marked with its language on a page in another (in_language())."""
        return in_language(text, self.language)

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

    @staticmethod
    def day(date) -> str:
        """ "31 augusti 2022"."""
        return _day(date)

    def _label(self, kind: str, value, make: Callable[[], str]) -> str:
        """make(): a label of `kind` for `value`, made once per request."""
        label = self._labels.get((kind, value))
        if label is None:
            label = self._labels[kind, value] = make()
        return label

    # The message ids are written out in each gettext() call, for makemessages to find.

    def as_of(self, date) -> str:
        """ "Bedömning (per augusti 2022):" of an assessment as of `date`."""
        return self._label(
            "as of",
            date,
            lambda: gettext("Assessment (as of %(period)s):") % {"period": month_year(date)},
        )

    def added(self, year: int) -> str:
        """ "Tillkommande uppdrag 2023:" of an assignment added in `year`."""
        return self._label(
            "added",
            year,
            lambda: gettext("Additional assignment %(year)s:") % {"year": number(year)},
        )

    def history(self, count: int) -> str:
        """ "Alla 3 bedömningar över tid": the link to an assignment's assessments."""
        return self._label(
            "history",
            count,
            lambda: gettext("All %(total)s assessments over time") % {"total": number(count)},
        )

    def shown(self, status: AssessmentStatus | None, count: int) -> str:
        """ "3 uppdrag med status ”Enligt plan”.": how many assignments a list shows."""
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
        """ "alla nämnder" and the like: to whom besides its named bodies it is given, with
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
        return make(assignment_number) + self.query

    def body_url(self, slug: str) -> str:
        """The address of the body with `slug`: without reverse() for a plain slug."""
        if PLAIN_SLUG.fullmatch(slug):
            return self._body_url(slug) + self.query
        return reverse("assignments:body", kwargs={"body": slug}) + self.query

    # -- rows

    def rows(self, assignments: Iterable[Assignment], goal=None) -> list[Row]:
        """What a list shows of each assignment, as read by AssignmentQuerySet.for_page();
        `goal` is theirs, or None when each has its own (`assignment.goal`)."""
        return [self.row(assignment, goal or assignment.goal) for assignment in assignments]

    def items(self, rows: list[Row], *, anchors: bool = False) -> Markup:
        """The <li> of each of `rows`, rendered in one loop; with `anchors` each has the id
        the assignment page links back to."""
        return self._macros.items(rows, anchors, self.lang)

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
        entries = [self._entry(assessment) for assessment in history]
        return self._macros.timeline(entries, self.lang)

    def status_timeline(self, history: list[dict]) -> Markup:
        """The <ol> of an assignment's status in each period of its history
        (for_page(history=True), newest first), from the first period to the latest: the
        period's date and the status badge, a link to the period's full assessment below
        (the timeline's id bedomning-<date>). Several bodies' parts of one period show the
        status of the parts together (combined_assessment()), and how many parts."""
        points = []
        for date, run in groupby(reversed(history), itemgetter("period_date")):
            parts = list(run)
            status = AssessmentStatus(period_status(parts))
            count = len(parts)
            points.append(
                SimpleNamespace(
                    date=date.isoformat(),
                    day=_day(date),
                    badge=self.badge(status),
                    parts=ngettext("%(counter)s part", "%(counter)s parts", count)
                    % {"counter": number(count)}
                    if count > 1
                    else "",
                )
            )
        if not points:
            return Markup("")
        return self._macros.status_timeline(points)

    def _entry(self, assessment: dict) -> Entry:
        date = assessment["period_date"]
        entry = Entry(
            assessment=assessment,
            date=date.isoformat(),
            as_of=gettext("as of %(date)s") % {"date": _day(date)},
            badge=self.badge(AssessmentStatus(assessment["status"])),
        )
        if assessment["body_name"] is not None:
            reported_by = gettext("Reported by %(body)s")
            body = assessment["body_name"]
            if self.language:  # the body's name marked within the sentence
                entry.reported_by = escape(reported_by) % {"body": self.content(body)}
            else:
                entry.reported_by = reported_by % {"body": body}
        if assessment["corrects_id"]:
            published = _day(template_localtime(assessment["published_at"]))
            entry.corrected_on = gettext("Corrected on %(date)s:") % {"date": published}
            entry.corrected_status = AssessmentStatus(assessment["corrected_status"]).label
        return entry

    def goal_history(self, goal, assessments: list | None = None) -> Markup:
        """The <li> of each of the goal's earlier assessments (with their periods), newest
        first; `assessments` instead when given (those before the one shown as of a
        period)."""
        if assessments is None:
            assessments = goal.earlier_assessments
        if not assessments:
            return Markup("")
        return self._macros.goal_history(assessments, self.lang)

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


def period_status(parts: list[dict]) -> str:
    """The status of an assignment in one period, from the rows of its history of that
    period (for_page(history=True)): the status of the parts together, by the one rule of
    it, combined_assessment() (the municipality's own assessment alone, else the most
    severe of the bodies' parts)."""
    read = [
        SimpleNamespace(
            body_id=None if part["body_name"] is None else index,
            body=SimpleNamespace(name=part["body_name"] or "", code=""),
            status=part["status"],
            text=part["text"],
        )
        for index, part in enumerate(parts, start=1)
    ]
    return combined_assessment(read, ())[0]


# --------------------------------------------------------------------------- as of a period


def period_query(period) -> str:
    """ "?per=<code>": the query of an address as of `period`; "" for None (the latest)."""
    if period is None:
        return ""
    return "?" + urlencode({PERIOD_PARAMETER: period.code})


def existed_in(assignment: Assignment, date: datetime.date) -> bool:
    """Whether the assignment existed as of `date`: not an additional assignment of a later
    year (the rule of AssignmentQuerySet.reportable_in(), which leaves it out of earlier
    rounds)."""
    return assignment.added_year is None or assignment.added_year <= date.year


def assignments_as_of(
    queryset, date: datetime.date, *, history: bool = False
) -> tuple[list[Assignment], list[Assignment]]:
    """The assignments of `queryset` as a page shows them as of `date`, in display order:
    (those that existed then, those added in a later year). Three queries, five with
    history, at any size.

    Each has what for_page() gives a row, as it stood then: `named_bodies`, and in
    `current_assessment_row` the status, text and date of what was current then by the
    exports' rule (assignments.models.current_as_of(): the newest published version of the
    newest period on or before the date, the bodies' parts combined);
    `published_assessment_count` counts what was published of periods up to the date. With
    history also `history` (for_page(history=True)), only its periods up to the date.

    The published assessments up to the date are read as plain rows, and only the parts of
    each assignment's newest period are handed to current_as_of() (as
    `published_assessments`, light objects with what it reads: the period's date, the
    body, the status and the text): a list of 200 assignments in 12 periods builds a few
    hundred small objects, not thousands of model instances.
    """
    if history:
        assignments = queryset.for_page(history=True)
        for assignment in assignments:
            assignment.history = [h for h in assignment.history if h["period_date"] <= date]
    else:
        assignments = list(queryset.in_display_order())
    prefetch_related_objects(
        assignments,
        Prefetch(
            "responsibilities",
            queryset=AssignmentResponsibility.objects.select_related("body")
            .only("assignment", "position", "body__name", "body__slug", "body__code")
            .order_by("position", "id"),
            to_attr="ordered_responsibilities",
        ),
    )
    parts = _newest_parts(assignments, queryset, date)
    shown = [a for a in assignments if existed_in(a, date)]
    later = [a for a in assignments if not existed_in(a, date)]
    for assignment in assignments:
        assignment.published_assessment_count, assignment.published_assessments = parts.get(
            assignment.pk, (0, [])
        )
    current = current_as_of(shown, date)
    for assignment in assignments:
        if not history:
            assignment.named_bodies = [
                (r.body.name, r.body.slug) for r in assignment.ordered_responsibilities
            ]
        found = current.get(assignment.pk)
        row = None
        if found is not None:
            part, status, text = found
            row = {"status": status, "text": text, "as_of": part.period.date.isoformat()}
        # What with_current_assessment() annotates, as of the date: current_status,
        # current_text and current_as_of read it.
        assignment.__dict__.pop("current_status_value", None)
        assignment.__dict__.pop("_current_row", None)
        assignment.current_assessment_row = json.dumps(row) if row else None
        if found is None:
            assignment.published_assessment_count = 0
            if history:
                assignment.history = []
    return shown, later


def _newest_parts(assignments: list[Assignment], queryset, date: datetime.date) -> dict:
    """(how many were published up to `date`, the parts of the newest period up to it) of
    each of `assignments` (those of `queryset`) that has any, by id: one query, of plain
    rows. Each part has what current_as_of() reads of an Assessment: period.date, body_id,
    body.name, body.code, status and text."""
    if not assignments:
        return {}
    rows = (
        Assessment.objects.published()
        .filter(period__date__lte=date, assignment__in=queryset.order_by().values("pk"))
        .order_by("assignment_id", "-period__date", "body__name")
        .values_list(
            "assignment_id", "period__date", "body_id", "body__name", "body__code", "status", "text"
        )
    )
    found = {}
    for assignment_id, run in groupby(rows, itemgetter(0)):
        run = list(run)
        newest = run[0][1]
        period = SimpleNamespace(date=newest)
        parts = [
            SimpleNamespace(
                period=period,
                body_id=body_id,
                body=SimpleNamespace(name=name, code=code),
                status=status,
                text=text,
            )
            for _, date_, body_id, name, code, status, text in run
            if date_ == newest
        ]
        found[assignment_id] = (len(run), parts)
    return found


# The SQL of periods_newest_first(), by kind of database.
_COMPILED_PERIODS: dict[str, tuple] = {}


def periods_newest_first(published) -> list:
    """The periods of `published`, the queryset of the published reporting periods
    (goals.periods.published_periods(), AsOf.published()), newest first: model instances of
    their id, code, name and date. Compiled to SQL once per kind of database and run as
    plain SQL: a period switch asks it on every page, and the ORM took longer to build and
    compile the query than the database took to answer it."""
    compiled = _COMPILED_PERIODS.get(connection.vendor)
    if compiled is None:
        queryset = published.order_by("-date").values_list("pk", "code", "name", "date")
        sql, parameters = queryset.query.sql_with_params()
        compiled = _COMPILED_PERIODS[connection.vendor] = (queryset.model, sql, parameters)
    model, sql, parameters = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    return [model(id=pk, code=code, name=name, date=date) for pk, code, name, date in rows]


def period_named_in(periods, code: str | None):
    """The period of `periods` (a queryset of the periods `?per=` may name) with the code
    `code`; None for no code or an empty one (the latest). UnknownPeriod (an Http404) for
    any other code: one not among them, or junk (too long, a NUL). One query, none without
    a code. goals.periods.period_named() gives it the published periods."""
    if code is None or code == "":
        return None
    if len(code) > periods.model._meta.get_field("code").max_length or "\x00" in code:
        raise UnknownPeriod
    found = list(periods.filter(code=code)[:1])
    if not found:
        raise UnknownPeriod
    return found[0]


class AsOf:
    """`?per=` on a page of this room (the body pages), by the goals room's rule
    (goals/periods.py: a published period by its code, period_named()), which this room
    cannot import: the period model is reached through Assessment.period, as this room
    reaches the goals room, and its published state named as PeriodState names it."""

    PUBLISHED = "published"  # goals.models.PeriodState.PUBLISHED

    @classmethod
    def published(cls):
        """The published reporting periods (goals.periods.published_periods())."""
        model = Assessment._meta.get_field("period").related_model
        return model.objects.filter(state=cls.PUBLISHED)

    @classmethod
    def asked(cls, request):
        """The published period `?per=` names (goals.periods.period_asked())."""
        return period_named_in(cls.published(), request.GET.get(PERIOD_PARAMETER))

    @classmethod
    def periods(cls) -> list:
        """Every published period, newest first: the choices of the body pages' switch (a
        body answers for assignments of any plan). One query."""
        return periods_newest_first(cls.published())


class UnknownPeriod(Http404):
    """`?per=` names no published period: the page answers its own 404 (as_of_page())."""


# The 404 page of a `?per=` that names no published period.
UNKNOWN_PERIOD_TEMPLATE = "goals/includes/_asof_unknown_period.html"


def as_of_page(view):
    """A public page that reads `?per=`: a code that names no published period
    (UnknownPeriod) gets the portal's 404 page in Swedish, which says so and links to the
    page as of the latest. Decorate inside public_page()."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except UnknownPeriod:
            context = {"latest_url": request.path}
            return render(request, UNKNOWN_PERIOD_TEMPLATE, context, status=404)

    return wrapper


@dataclass
class PeriodSwitch:
    """What a page's period switch shows (templates/goals/includes/_period_switch.html):
    the published `periods` to choose from (newest first; a function that reads them,
    called only when the switch is shown), the one `chosen` (None: the latest), the page's
    `path`, the other query parameters the page keeps (`keep`: name and value) and how
    many assignments were left out as added after the chosen period (`later`)."""

    periods: Callable[[], Iterable]
    chosen: object | None
    path: str
    keep: list[tuple[str, str]] = field(default_factory=list)
    later: int = 0

    def options(self) -> list[tuple[str, str, bool]]:
        """(code, label, chosen) of each option of the switch: first the latest ("" and
        "Senaste (per 31 augusti 2022)", the newest period's date), then each period
        ("per 30 april 2022"), newest first, the chosen one among them even when nothing of
        the page is of it. Empty when there is no period to choose."""
        periods = list(self.periods())
        if self.chosen is not None and all(p.pk != self.chosen.pk for p in periods):
            periods = sorted([*periods, self.chosen], key=attrgetter("date"), reverse=True)
        if not periods:
            return []
        latest = gettext("Latest (as of %(date)s)") % {"date": _day(periods[0].date)}
        options = [("", latest, self.chosen is None)]
        for period in periods:
            label = gettext("as of %(date)s") % {"date": _day(period.date)}
            chosen = self.chosen is not None and period.pk == self.chosen.pk
            options.append((period.code, label, chosen))
        return options

    @property
    def day(self) -> str:
        """ "30 april 2022": the chosen period's date."""
        return _day(self.chosen.date) if self.chosen is not None else ""

    @property
    def date(self) -> str:
        return self.chosen.date.isoformat() if self.chosen is not None else ""

    @property
    def latest_url(self) -> str:
        """The page's address without `?per=`, with what else it keeps."""
        return f"{self.path}?{urlencode(self.keep)}" if self.keep else self.path

    @property
    def later_text(self) -> str:
        """ "2 uppdrag som tillkom senare visas inte." or ""."""
        return later_text(self.later)
