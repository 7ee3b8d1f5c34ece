"""The overview picture of the start page (a plan) and a goal page: how many assignments
stand at each status now, and how that developed period by period.

    chart = status_chart(Assignment.objects.public().filter(goal__plan=plan))  # 2 queries
    chart = status_chart(listed)  # listed: for_page()'s list (pk, added_year); 1 query
    chart = status_chart(listed, as_of=period)  # a page as of a period: up to it
    html = render(chart)  # templates/jinja2/goals/status_chart.html
    "status_chart": functools.partial(picture, listed, as_of=period)  # in a view's context
    picture(listed, changes_url=url, changes_label=label)  # with a link to "Vad har ändrats"

status_counts() counts, for each period in which the assignments have published
assessments (oldest first), how many of the assignments stood at each status as of that
period (goals.changes.status_as_of(): the one rule of "as of a period") and how many were
not yet assessed. An additional assignment counts from its year on (added_year) unless it
was assessed before. status_chart() adds the geometry of a stacked bar per period: numbers
only; the SVG itself is the template's (templates/jinja2/goals/status_chart.html), so
that every text in it is escaped by the template engine.

A period is labelled by its date ("Augusti 2022", as the page's language writes it, as the
period switch does), not by its name, which is the municipality's (Swedish) data.

The bars lie one under the other, each with its period above it, so that the picture keeps
its text at the page's size on a narrow screen: lengths and positions along a bar are
percentages of the picture's width, heights are pixels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.template import engines
from django.template.defaultfilters import capfirst
from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext, gettext_lazy, ngettext
from markupsafe import Markup

from assignments.models import AssessmentStatus, Assignment, status_tally_by_period
from assignments.presentation import month_year, number
from goals.changes import UNTIL, PartPeriod
from goals.models import ReportingPeriod

# The statuses in the order the bars stack them and the table lists them, best first, and
# None: not yet assessed.
STATUS_ORDER: tuple[AssessmentStatus | None, ...] = (*AssessmentStatus, None)
NOT_ASSESSED = "none"
# The Jinja2 template of the picture and its table.
TEMPLATE = "goals/status_chart.html"

# The geometry, in pixels: a period's label above its bar, then the bar, then a gap.
LABEL_HEIGHT = 22
LABEL_BASELINE = 16
BAR_HEIGHT = 28
ROW_GAP = 14
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
COUNT_BASELINE = 19  # of a count's text within its bar
# A count is written in its segment when it fits there at the narrowest width the picture
# is drawn at (a 320 px screen): each digit takes about DIGIT_WIDTH pixels, plus a margin.
NARROWEST_WIDTH = 288
DIGIT_WIDTH = 8
COUNT_MARGIN = 6


@dataclass(frozen=True, slots=True)
class PeriodCounts:
    """How many assignments stood at each status (STATUS_ORDER) as of `period`."""

    period: ReportingPeriod
    counts: tuple[tuple[AssessmentStatus | None, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _status, count in self.counts)

    def count(self, status: AssessmentStatus | None) -> int:
        return dict(self.counts)[status]

    @property
    def label(self) -> str:
        """ "Augusti 2022": the period by its month, as the date filter writes it in the
        page's language, capitalised (the start of a label)."""
        return month_label(self.period.date)

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(status_key(), count) of each status, in STATUS_ORDER: the table's row."""
        return [(status_key(status), count) for status, count in self.counts]


def month_label(date) -> str:
    """ "Augusti 2022" ("August 2022" in English): a period's label by its date."""
    return capfirst(month_year(date))


def status_key(status: AssessmentStatus | None) -> str:
    """The status's value, or NOT_ASSESSED: for classes, ids and data attributes."""
    return status.value if status else NOT_ASSESSED


def _members(assignments) -> tuple[QuerySet | list[int], list[tuple[int, int | None]]]:
    """What status_counts() reads of `assignments`: how to find their assessments (the
    queryset itself, or their ids) and (id, added_year) of each. A queryset costs a query;
    a list of assignments (with pk and added_year, as for_page() reads them) none."""
    if isinstance(assignments, QuerySet):
        rows = list(assignments.order_by("pk").values_list("pk", "added_year"))
        return assignments, rows
    rows = [(assignment.pk, assignment.added_year) for assignment in assignments]
    return [pk for pk, _year in rows], rows


def status_counts(
    assignments: QuerySet | Iterable[Assignment],
    *,
    as_of: ReportingPeriod | None = None,
) -> list[PeriodCounts]:
    """For each period in which any of `assignments` (a plan's or a goal's public ones: a
    queryset, or a list with pk and added_year) has a published assessment (oldest first;
    with `as_of`, a page seen as of that period, up to it), how many of them stood at each
    status as of the period, and how many were not yet assessed: the periods come with the
    assessments, so two queries for a queryset and one for a list, at any size.

    An assignment not yet assessed as of a period counts there only when it had been given
    by then: unless it is an additional assignment of a later year (added_year)."""
    until = as_of.date if as_of is not None else None
    which, members = _members(assignments)
    tally = status_tally_by_period(which, until) if members else None
    if tally is None:
        return []
    first_assessed = tally.first_assessed
    found = []
    for date, code, name in tally.periods:
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for status, count in tally.counts[date].items():
            counts[AssessmentStatus(status)] = count
        # Not yet assessed then: given by then (not an additional assignment of a later
        # year) and first assessed later, or never.
        counts[None] = sum(
            1
            for pk, added_year in members
            if (added_year is None or added_year <= date.year)
            and (pk not in first_assessed or first_assessed[pk] > date)
        )
        found.append(PeriodCounts(PartPeriod(date, code, name), tuple(counts.items())))
    return found


# --------------------------------------------------------------------------- the picture


@dataclass(frozen=True, slots=True)
class Segment:
    """A status's part of a bar: where it starts and how long it is (percent of the
    picture's width), and where its count is written (`show_count`: whether it fits)."""

    key: str
    label: str
    count: int
    x: float
    width: float
    text_x: float
    show_count: bool


@dataclass(frozen=True, slots=True)
class Bar:
    """A period's bar: its label's baseline (`label_y`), the bar's top (`y`) and its
    segments, in pixels from the picture's top."""

    counts: PeriodCounts
    label_y: int
    y: int
    count_y: int
    segments: tuple[Segment, ...]

    @property
    def label(self) -> str:
        """ "April 2022: 27 uppdrag", written above the bar."""
        total = self.counts.total
        return ngettext(
            "%(period)s: %(counter)s assignment", "%(period)s: %(counter)s assignments", total
        ) % {"period": self.counts.label, "counter": number(total)}


@dataclass(frozen=True)
class StatusChart:
    """What the template status_chart.html draws: a bar per period, the legend, and the
    same numbers as a table (`periods`); `id`, unique on the page, prefixes its ids."""

    id: str
    periods: list[PeriodCounts]
    bars: list[Bar]
    height: int
    bar_height: int
    legend: list[tuple[str, str]]  # (key, label) of each status, in STATUS_ORDER

    @property
    def latest(self) -> PeriodCounts | None:
        """The newest period's counts: how the assignments stand now."""
        return self.periods[-1] if self.periods else None

    @property
    def now(self) -> list[tuple[str, int]]:
        """(label, count) of each status as of the newest period, in STATUS_ORDER."""
        latest = self.latest
        if latest is None:
            return []
        return [(_label(status), count) for status, count in latest.counts]

    @property
    def description(self) -> str:
        """The picture's description: what it shows, and the newest period's numbers."""
        latest = self.latest
        if latest is None:
            return ""
        count = len(self.periods)
        shown = ngettext(
            "A stacked bar for %(counter)s period.",
            "A stacked bar for each of %(counter)s periods, the oldest first.",
            count,
        ) % {"counter": number(count)}
        as_of = gettext("As of %(date)s:") % {"date": date_filter(latest.period.date, "j F Y")}
        numbers = ", ".join(f"{label} {number(count)}" for label, count in self.now)
        table = gettext("The table after the picture gives every number.")
        return f"{shown} {as_of} {numbers}. {table}"


def _label(status: AssessmentStatus | None) -> str:
    return status.label if status else gettext_lazy("Not yet assessed")


def _fits(count: int, width: float) -> bool:
    """Whether `count` can be written within a segment `width` percent wide."""
    needed = len(str(count)) * DIGIT_WIDTH + COUNT_MARGIN
    return width * NARROWEST_WIDTH / 100 >= needed


def chart_geometry(periods: list[PeriodCounts], *, chart_id: str = "status-chart") -> StatusChart:
    """The StatusChart of `periods` (status_counts()): a bar per period, each as long as
    its total against the largest total, its segments in STATUS_ORDER."""
    longest = max((counts.total for counts in periods), default=0)
    bars = []
    for index, counts in enumerate(periods):
        top = index * ROW_HEIGHT
        x = 0.0
        segments = []
        for status, count in counts.counts:
            if not count:
                continue
            width = round(100 * count / longest, 3)
            segments.append(
                Segment(
                    key=status_key(status),
                    label=_label(status),
                    count=count,
                    x=round(x, 3),
                    width=width,
                    text_x=round(x + width / 2, 3),
                    show_count=_fits(count, width),
                )
            )
            x += width
        bars.append(
            Bar(
                counts=counts,
                label_y=top + LABEL_BASELINE,
                y=top + LABEL_HEIGHT,
                count_y=top + LABEL_HEIGHT + COUNT_BASELINE,
                segments=tuple(segments),
            )
        )
    return StatusChart(
        id=chart_id,
        periods=periods,
        bars=bars,
        height=len(periods) * ROW_HEIGHT - ROW_GAP if periods else 0,
        bar_height=BAR_HEIGHT,
        legend=[(status_key(status), _label(status)) for status in STATUS_ORDER],
    )


@dataclass(frozen=True, slots=True)
class ChangesLink:
    """The link after the picture to the page "Vad har ändrats" (goals/changes.py)."""

    url: str
    label: str


def changes_link(
    chart: StatusChart, url: str, label: str, *, as_of: ReportingPeriod | None = None
) -> ChangesLink | None:
    """The link to "Vad har ändrats" at `url` (the plan's page, perhaps with a goal's
    `?mal=`), only when there is something to compare: the picture has two periods or more.
    As of a period, it compares up to the newest period of the picture (`?till=`: the
    period asked for, or the newest before it in which the assignments were assessed,
    which the page offers; the picture's periods end there)."""
    if not url or len(chart.periods) < 2:
        return None
    if as_of is not None:
        separator = "&" if "?" in url else "?"
        url = f"{url}{separator}{urlencode({UNTIL: chart.periods[-1].period.code})}"
    return ChangesLink(url, label)


def render(chart: StatusChart, changes: ChangesLink | None = None) -> Markup:
    """The picture and its table as HTML (templates/jinja2/goals/status_chart.html), and
    after them the link `changes` when given."""
    template = engines["jinja2"].env.get_template(TEMPLATE)
    return Markup(template.render(chart=chart, changes=changes))


def picture(
    assignments: QuerySet | Iterable[Assignment],
    *,
    as_of: ReportingPeriod | None = None,
    chart_id: str = "status-chart",
    changes_url: str = "",
    changes_label: str = "",
) -> Markup:
    """The rendered picture of `assignments` (status_chart()): what a page shows, which
    the views pass as a callable, so that only the whole page, not its htmx fragment,
    makes it. With `changes_url`, the link (`changes_label`) to "Vad har ändrats" after it
    when there are two periods to compare (changes_link()): known from the picture's
    periods, at no query."""
    chart = status_chart(assignments, as_of=as_of, chart_id=chart_id)
    return render(chart, changes_link(chart, changes_url, changes_label, as_of=as_of))


def status_chart(
    assignments: QuerySet | Iterable[Assignment],
    *,
    as_of: ReportingPeriod | None = None,
    chart_id: str = "status-chart",
) -> StatusChart:
    """The picture of `assignments` (a plan's or a goal's public ones) over the periods of
    their published assessments (up to `as_of` for a page seen as of a period):
    status_counts() and its geometry. Two queries for a queryset, one for a list
    (for_page()'s), at any size; none for an empty list."""
    return chart_geometry(status_counts(assignments, as_of=as_of), chart_id=chart_id)
