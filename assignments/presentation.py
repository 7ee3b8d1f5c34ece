"""What a public page shows of its assignments, worked out once per request, not per row.

    present = Presentation()
    rows = present.rows(goal.assignments.for_page(), goal)  # dicts, in order
    present.badge(status)                                      # a rendered status badge

A list of 200 assignments shows 200 titles, but only five kinds of status badge, a dozen
as-of dates, a handful of counts and years, one goal's address and a few dozen bodies. A
Presentation makes each of those once, the first time a row needs it, and the rows share
it:

- a status badge, a list item's status line and a body's link are pieces of
  includes/_shared.html ({% partialdef %}), each rendered once per request and value by the
  template engine, which escapes them; the rows reuse the rendered HTML;
- a label ("Bedömning (per augusti 2022):", "Tillkommande uppdrag 2023:") is translated and
  formatted once per value, with the message ids the templates used, as plain text that the
  template escapes where it shows it;
- an address is reversed once per goal (an assignment's address is the goal's with its
  number) and once per body.

A row is a dict, since the template engine tries a key before an attribute; the template
includes/_assignment_items.html shows a list of them. The rules stay in the models: a
row's status is Assignment.current_status, its assessment the newest published one
(AssignmentQuerySet.with_current_assessment()).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from assignments.models import AssessmentStatus, Assignment

# Stands in for the value that varies when an address is reversed once for many values.
PROBE_NUMBER = 987654321
PROBE_SLUG = "0-probe-0"
# What a slug may hold to be put into an address as it is (the slug path converter's
# characters, none of which reverse() would quote).
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def number(value: int) -> str:
    """An integer as the template engine shows it (localize()), without its cost per call
    when thousands are not grouped (the portal's setting)."""
    return localize(value) if settings.USE_THOUSAND_SEPARATOR else str(value)


def _month_year(date) -> str:
    """"augusti 2022", as the template filter date:"F Y" shows it."""
    return date_filter(date, "F Y")


def address_maker(viewname: str, kwargs: dict, vary: str, probe) -> Callable[[object], str]:
    """reverse() once for a family of addresses that differ only in the last parameter,
    `vary`: a function from its value to the address."""
    reversed_ = reverse(viewname, kwargs={**kwargs, vary: probe})
    head, found, tail = reversed_.rpartition(f"/{probe}/")
    if not found:
        raise ValueError(f"{viewname}: {vary} is not the last part of {reversed_}")
    return lambda value: f"{head}/{value}/{tail}"


class Presentation:
    """One request's badges, labels and addresses, each made once (see the module)."""

    def __init__(self):
        self._pieces: dict[tuple[str, object], SafeString] = {}
        self._labels: dict[tuple[str, object], str] = {}
        self._assignment_urls: dict[int, Callable[[object], str]] = {}
        self._body_url = address_maker("assignments:body", {}, "body", PROBE_SLUG)
        self._given_to = {
            (True, True): gettext("all committees and all companies"),
            (True, False): gettext("all committees"),
            (False, True): gettext("all companies"),
            (False, False): "",
        }

    # -- pieces rendered once per request and value (includes/_shared.html)

    def _piece(self, name: str, key, context: dict) -> SafeString:
        piece = self._pieces.get((name, key))
        if piece is None:
            piece = render_to_string(f"includes/_shared.html#{name}", context)
            self._pieces[name, key] = piece
        return piece

    def badge(self, status: AssessmentStatus | None) -> SafeString:
        """The badge of `status` (None: not yet assessed)."""
        return self._piece("badge", status, {"status": status})

    def status_line(self, status: AssessmentStatus | None) -> SafeString:
        """A list item's status line: "Status för uppdraget är" and the badge."""
        return self._piece("status-line", status, {"badge": self.badge(status)})

    def body_link(self, name: str, slug: str, separator: str = "") -> SafeString:
        """A responsible body's name linked to its page, and the `separator` after it."""
        key = (slug, separator)
        link = self._pieces.get(("body-link", key))
        if link is None:
            url = (
                self._body_url(slug)
                if PLAIN_SLUG.fullmatch(slug)
                else reverse("assignments:body", kwargs={"body": slug})
            )
            context = {"name": name, "url": url, "separator": separator}
            link = self._piece("body-link", key, context)
        return link

    def legend(self) -> list[tuple[SafeString, str]]:
        """(badge, meaning) of every status: what the traffic lights mean."""
        return [(self.badge(status), status.meaning) for status in AssessmentStatus]

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

    def bodies(self, named: list[tuple[str, str]]) -> list[SafeString]:
        """The link of each of the (name, slug) of named bodies, a comma after all but the
        last."""
        last = len(named) - 1
        return [
            self.body_link(name, slug, "" if index == last else ", ")
            for index, (name, slug) in enumerate(named)
        ]

    # -- rows

    def rows(self, assignments: Iterable[Assignment], goal=None) -> list[dict]:
        """What includes/_assignment_items.html shows of each assignment, as read by
        AssignmentQuerySet.for_page(); `goal` is theirs, or None when each has its own
        (`assignment.goal`)."""
        return [self.row(assignment, goal or assignment.goal) for assignment in assignments]

    def by_goal(self, assignments: Iterable[Assignment]) -> list[tuple[object, list[dict]]]:
        """(goal, rows) of each run of assignments of one goal, in order."""
        groups = []
        for _, run in groupby(assignments, attrgetter("goal_id")):
            items = list(run)
            goal = items[0].goal
            groups.append((goal, self.rows(items, goal)))
        return groups

    def heading(self, assignment: Assignment, goal) -> dict:
        """What a page shows of any assignment: its number, address, title (with "added"
        for an additional assignment), status badge, and to whom it is given."""
        return {
            "number": number(assignment.number),
            "url": self.assignment_url(goal, assignment.number),
            "added": self.added(assignment.added_year) if assignment.added_year else "",
            "title": assignment.title,
            "badge": self.badge(assignment.current_status),
            "given_to": self.given_to(assignment),
            "bodies": self.bodies(assignment.named_bodies),
        }

    def row(self, assignment: Assignment, goal) -> dict:
        """heading(), and what a list shows of the newest assessment and of the others."""
        row = self.heading(assignment, goal)
        row["status_line"] = self.status_line(assignment.current_status)
        count = assignment.published_assessment_count
        row["as_of"] = self.as_of(assignment.current_as_of) if assignment.current_status else ""
        row["text"] = assignment.current_text
        row["history"] = self.history(count) if count > 1 else ""
        return row
