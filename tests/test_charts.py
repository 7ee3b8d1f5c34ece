"""The overview picture (goals/charts.py and templates/jinja2/goals/status_chart.html):
how many assignments stood at each status, period by period, as an SVG and as a table
with the same numbers. The picture is rendered on its own here, as the start page and the
goal page show it."""

import datetime
import functools
import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from assignments.models import AssessmentStatus, Assignment, BodyKind, current_as_of
from goals import charts
from goals.changes import plan_periods
from tests import factories as f

pytestmark = pytest.mark.django_db

KEYS = ["completed", "on_track", "delayed", "not_carried_out", "none"]
ROW = re.compile(r'<tr data-period="([^"]+)">(.*?)</tr>', re.S)
CELL = re.compile(r'<td data-status="(\w+)">(\d+)</td>')
BAR = re.compile(r'<g class="chart-bar" data-period="([^"]+)">(.*?)</g>', re.S)
SEGMENT = re.compile(r'<rect class="chart-segment [^"]*" data-status="(\w+)" data-count="(\d+)"')


def render(chart) -> str:
    return str(charts.render(chart))


def table_of(html: str) -> dict[str, dict[str, int]]:
    """{period code: {status key or "total": count}} as the table gives it."""
    return {
        code: {key: int(count) for key, count in CELL.findall(row)}
        for code, row in ROW.findall(html)
    }


def bars_of(html: str) -> dict[str, dict[str, int]]:
    """{period code: {status key: count}} as the picture draws it (drawn segments only)."""
    return {
        code: {key: int(count) for key, count in SEGMENT.findall(bar)}
        for code, bar in BAR.findall(html)
    }


def expected_counts(assignments, periods) -> dict[str, dict[str, int]]:
    """Worked out here from the model's own rule (current_as_of()): per period, how many
    stood at each status; not yet assessed only once given (added_year)."""
    assignments = list(assignments.with_ordered_bodies().with_history())
    found = {}
    for period in periods:
        counts = dict.fromkeys(KEYS, 0)
        current = current_as_of(assignments, period.date)
        for assignment in assignments:
            if current[assignment.pk]:
                counts[current[assignment.pk][1]] += 1
            elif not assignment.added_year or assignment.added_year <= period.date.year:
                counts["none"] += 1
        counts["total"] = sum(counts.values())
        found[period.code] = counts
    return found


def test_its_numbers_match_the_data_of_a_generated_portal():
    portal = f.build_portal(goals=3, assignments=9, periods=5)
    plan = portal.plan
    periods = plan_periods(plan)
    assert len(periods) == 5
    public = Assignment.objects.public().filter(goal__plan=plan)
    expected = expected_counts(public, periods)
    html = render(charts.status_chart(public))

    assert list(table_of(html)) == [period.code for period in periods]  # oldest first
    assert table_of(html) == expected
    drawn = {
        code: {k: v for k, v in row.items() if v and k != "total"} for code, row in expected.items()
    }
    assert bars_of(html) == drawn
    # Every public assignment stands somewhere in the newest period; nothing hidden counts.
    assert expected[periods[-1].code]["total"] == public.count()

    # A goal's picture, from the list its page reads (for_page()), over the plan's periods.
    goal_assignments = public.filter(goal=portal.goal)
    listed = list(goal_assignments.order_by("number").for_page())
    html = render(charts.status_chart(listed))
    assert table_of(html) == expected_counts(goal_assignments, periods)
    assert table_of(html) == table_of(render(charts.status_chart(goal_assignments)))


def test_it_counts_the_status_as_of_each_period_by_the_one_rule():
    plan = f.make_plan(start_year=2022, end_year=2024)
    goal = f.make_goal(plan)
    april, december, april_23 = (
        f.make_period(date=datetime.date(*d))
        for d in ((2022, 4, 30), (2022, 12, 31), (2023, 4, 30))
    )
    first, second = f.make_body(), f.make_body(kind=BodyKind.COMPANY)
    parts = f.make_assignment(goal, bodies=[first, second])
    f.make_assessment(parts, april, body=first, status=AssessmentStatus.ON_TRACK)
    f.make_assessment(parts, april, body=second, status=AssessmentStatus.NOT_CARRIED_OUT)
    # December: only the first body's part, which alone is then the newest period's.
    f.make_assessment(parts, december, body=first, status=AssessmentStatus.ON_TRACK)
    carried = f.make_assignment(goal)  # assessed in April only: the same status later
    f.make_assessment(carried, april, status=AssessmentStatus.DELAYED)
    f.make_assessment(carried, december, status=AssessmentStatus.COMPLETED, is_published=False)
    added = f.make_assignment(goal, added_year=2023)  # not yet given in 2022
    f.make_assessment(added, april_23, status=AssessmentStatus.COMPLETED)
    f.make_assignment(goal)  # never assessed
    f.make_assignment(goal, added_year=2023)  # given in 2023, not assessed
    hidden = f.make_assignment(f.make_goal(plan, is_published=False))
    f.make_assessment(hidden, april, status=AssessmentStatus.COMPLETED)

    chart = charts.status_chart(Assignment.objects.public().filter(goal__plan=plan))
    assert [counts.period.code for counts in chart.periods] == [
        april.code,
        december.code,
        april_23.code,
    ]
    assert [dict(counts.cells) for counts in chart.periods] == [
        {"completed": 0, "on_track": 0, "delayed": 1, "not_carried_out": 1, "none": 1},
        {"completed": 0, "on_track": 1, "delayed": 1, "not_carried_out": 0, "none": 1},
        {"completed": 1, "on_track": 1, "delayed": 1, "not_carried_out": 0, "none": 2},
    ]
    assert [counts.total for counts in chart.periods] == [3, 3, 5]


def test_it_runs_a_fixed_number_of_queries(django_assert_num_queries):
    for size in ((2, 3, 2), (4, 25, 6)):
        goals, assignments, periods = size
        portal = f.build_portal(goals=goals, assignments=assignments, periods=periods)
        public = Assignment.objects.public().filter(goal__plan=portal.plan)
        with django_assert_num_queries(2):  # the assignments, their assessments with periods
            render(charts.status_chart(public))
        listed = list(public.filter(goal=portal.goal).order_by("number").for_page())
        with django_assert_num_queries(1):  # their assessments with periods
            render(charts.status_chart(listed))
        f.wipe_portal()


def test_its_geometry_stacks_the_segments_against_the_longest_bar():
    period = f.make_period()

    def counts(*numbers):
        statuses = (*AssessmentStatus, None)
        return charts.PeriodCounts(period, tuple(zip(statuses, numbers, strict=True)))

    chart = charts.chart_geometry([counts(1, 2, 0, 0, 1), counts(2, 4, 1, 1, 0)], chart_id="c")
    short, long = chart.bars
    assert [s.key for s in short.segments] == ["completed", "on_track", "none"]  # no empty ones
    assert [s.key for s in long.segments] == ["completed", "on_track", "delayed", "not_carried_out"]
    for bar in chart.bars:
        ends = [round(s.x + s.width, 2) for s in bar.segments]
        starts = [round(s.x, 2) for s in bar.segments]
        assert starts == [0, *ends[:-1]]  # each starts where the one before ends
    assert round(long.segments[-1].x + long.segments[-1].width) == 100
    assert round(short.segments[-1].x + short.segments[-1].width) == 50  # 4 of 8
    assert short.y > short.label_y and long.label_y > short.y + chart.bar_height
    assert chart.height == long.y + chart.bar_height
    assert all(s.show_count for s in long.segments)
    tiny = charts.chart_geometry([counts(1, 98, 0, 0, 1)]).bars[0].segments
    assert [s.show_count for s in tiny] == [False, True, False]  # too narrow to write in


def test_it_is_an_accessible_picture_with_a_table_of_the_same_numbers():
    portal = f.build_portal(goals=2, assignments=3, periods=3)
    chart = charts.status_chart(
        Assignment.objects.public().filter(goal__plan=portal.plan),
        chart_id="plan-chart",
    )
    html = render(chart)
    svg = re.search(r"<svg class=\"chart\"[^>]*>", html).group(0)
    assert 'role="img"' in svg
    assert (
        'aria-labelledby="plan-chart-title"' in svg and 'aria-describedby="plan-chart-desc"' in svg
    )
    assert '<title id="plan-chart-title">' in html and '<desc id="plan-chart-desc">' in html
    latest = chart.periods[-1]
    desc = re.search(r'<desc id="plan-chart-desc">(.*?)</desc>', html, re.S).group(1)
    for status in AssessmentStatus:
        assert f"{status.label} {latest.count(status)}" in desc  # how they stand now
    assert f"Inte bedömt ännu {latest.count(None)}" in desc
    # Colour is never the only signal: a pattern per status, named in words in the legend.
    for key in KEYS:
        assert f'<pattern id="plan-chart-{key}"' in html
    legend = re.search(r'<ul class="chart-legend">(.*?)</ul>', html, re.S).group(1)
    for status in AssessmentStatus:
        assert str(status.label) in legend
    assert "Inte bedömt ännu" in legend
    # The table: a caption, a header cell per column and per row.
    table = re.search(r"<table .*?</table>", html, re.S).group(0)
    assert "<caption" in table
    assert table.count('<th scope="col"') == 1 + len(KEYS) + 1
    assert table.count('<th scope="row">') == len(chart.periods)
    # Forced colours and print: the stylesheet's rules exist (system colours).
    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()
    assert "@media (forced-colors: active)" in css and "CanvasText" in css
    printed = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    assert ".chart-segment { stroke: #000; }" in printed


def test_it_writes_coordinates_with_a_decimal_point_in_swedish():
    portal = f.build_portal(goals=1, assignments=3, periods=3)
    chart = charts.status_chart(Assignment.objects.filter(goal=portal.goal))
    with translation.override("sv"):
        html = render(chart)
    for attribute in re.findall(r'\b(?:x|y|width|height)="([^"]*)"', html):
        assert re.fullmatch(r"\d+(\.\d+)?%?", attribute), attribute


def test_it_escapes_what_it_is_given():
    plan = f.make_plan()
    period = f.make_period(name='<script>alert("p")</script>')
    f.make_assessment(f.make_assignment(f.make_goal(plan)), period)
    f.make_assessment(f.make_assignment(f.make_goal(plan)), f.make_period())
    html = str(
        charts.picture(
            Assignment.objects.filter(goal__plan=plan),
            changes_url='/x/?mal="><script>',
            changes_label="<script>label",
        )
    )
    assert "<script>" not in html
    assert "&lt;script&gt;label" in html and "&#34;&gt;&lt;script&gt;" in html


def months(html: str) -> list[str]:
    """The label above each bar and the header of each row of the table."""
    bars = re.findall(r'<text class="chart-text chart-period"[^>]*>([^<]*)</text>', html)
    rows = re.findall(r'<th scope="row">(.*?)</th>', html)
    return bars + [re.sub(r"<[^>]+>", "", row) for row in rows]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            [
                "April 2022: 1 uppdrag",
                "Augusti 2023: 2 uppdrag",
                "April 2022 (30 april 2022)",
                "Augusti 2023 (31 augusti 2023)",
            ],
        ),
        (
            "en",
            [
                "April 2022: 1 assignment",
                "August 2023: 2 assignments",
                "April 2022 (30 April 2022)",
                "August 2023 (31 August 2023)",
            ],
        ),
    ],
)
def test_it_labels_each_period_by_its_date_in_the_pages_language(language, expected):
    """Not by the period's name, the municipality's data (here "Period n")."""
    plan = f.make_plan(start_year=2022, end_year=2024)
    goal = f.make_goal(plan)
    april, august = (f.make_period(date=datetime.date(*d)) for d in ((2022, 4, 30), (2023, 8, 31)))
    first, second = f.make_assignment(goal), f.make_assignment(goal, added_year=2023)
    f.make_assessment(first, april)
    f.make_assessment(second, august)
    with translation.override(language):
        html = str(charts.picture(Assignment.objects.filter(goal=goal)))
    assert months(html) == expected
    assert april.name not in html and august.name not in html


def changes_link(html: str) -> str | None:
    """The address of the link to "Vad har ändrats" after the picture, or None."""
    found = re.search(r'</section>\s*<p class="changes-link"><a href="([^"]*)">', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_it_links_to_the_changes_only_when_it_has_two_periods_to_compare(
    django_assert_num_queries,
):
    plan = f.make_plan(start_year=2022, end_year=2024)
    goal = f.make_goal(plan)
    april, august, december, next_april = (
        f.make_period(date=datetime.date(*d), code=f"p{n}")
        for n, d in enumerate(((2022, 4, 30), (2022, 8, 31), (2022, 12, 31), (2023, 4, 30)))
    )
    assignment = f.make_assignment(goal)
    listed = list(Assignment.objects.filter(goal=goal).for_page())
    link = functools.partial(
        charts.picture, listed, changes_url="/andringar/?mal=1", changes_label="Vad har ändrats"
    )
    assert changes_link(str(link())) is None  # nothing assessed
    f.make_assessment(assignment, april)
    assert changes_link(str(link())) is None  # one period: nothing to compare
    f.make_assessment(assignment, august)
    f.make_assessment(assignment, next_april)
    with django_assert_num_queries(1):  # the picture's own query: the link costs none
        html = str(link())
    assert changes_link(html) == "/andringar/?mal=1"
    assert "Vad har ändrats</a></p>" in html
    # As of a period: up to it, compared with the one before; as of a period without
    # assessments (December), up to the newest before it that has them.
    assert changes_link(str(link(as_of=next_april))) == "/andringar/?mal=1&till=p3"
    assert changes_link(str(link(as_of=december))) == "/andringar/?mal=1&till=p1"
    assert changes_link(str(link(as_of=august))) == "/andringar/?mal=1&till=p1"
    assert changes_link(str(link(as_of=april))) is None  # only one period up to it
    plain = charts.picture(listed, as_of=august, changes_url="/andringar/", changes_label="x")
    assert changes_link(str(plain)) == "/andringar/?till=p1"
    assert changes_link(str(charts.picture(listed))) is None  # no address, no link


def test_its_table_scrolls_within_a_named_region_the_keyboard_reaches():
    """On a narrow screen the table scrolls sideways rather than break words."""
    portal = f.build_portal(goals=1, assignments=3, periods=3)
    html = render(charts.status_chart(Assignment.objects.filter(goal=portal.goal), chart_id="c"))
    region = re.search(r'<div class="chart-table-scroll"([^>]*)>\s*<table', html)
    assert region
    assert 'role="region"' in region.group(1) and 'tabindex="0"' in region.group(1)
    assert 'aria-labelledby="c-caption"' in region.group(1)
    assert '<caption id="c-caption">' in html


def test_it_says_so_when_nothing_is_assessed_yet(django_assert_num_queries):
    plan = f.make_plan()
    f.make_assignment(f.make_goal(plan))
    with django_assert_num_queries(2):  # the assignments, their (no) assessments
        chart = charts.status_chart(Assignment.objects.filter(goal__plan=plan))
    html = render(chart)
    assert "<svg" not in html and "<table" not in html
    assert "Ingen bedömning har publicerats ännu." in html


def test_it_is_made_once_and_only_where_a_page_includes_it(django_assert_num_queries):
    """As the views pass it: a callable (functools.partial) that the page's template calls
    once, so that a page's htmx fragment, which leaves it out, runs none of its queries."""
    portal = f.build_portal(goals=2, assignments=3, periods=3)
    public = Assignment.objects.public().filter(goal__plan=portal.plan)
    shown = Template("{{ status_chart }}")
    lazy = functools.partial(charts.picture, public)
    with django_assert_num_queries(2):
        html = shown.render(Context({"status_chart": lazy}))
    assert table_of(html) == expected_counts(public, plan_periods(portal.plan))
    assert "&lt;svg" not in html  # shown as rendered, not escaped again
    with django_assert_num_queries(0):
        Template("{% if False %}{{ status_chart }}{% endif %}").render(
            Context({"status_chart": lazy})
        )


def test_it_ends_at_the_period_a_page_is_seen_as_of():
    portal = f.build_portal(goals=2, assignments=4, periods=4)
    public = Assignment.objects.public().filter(goal__plan=portal.plan)
    periods = plan_periods(portal.plan)
    whole = table_of(render(charts.status_chart(public)))
    earlier = table_of(render(charts.status_chart(public, as_of=periods[1])))
    assert list(earlier) == [periods[0].code, periods[1].code]
    assert earlier == {code: whole[code] for code in earlier}


def test_it_counts_the_municipalitys_own_part_before_the_bodies_parts():
    """combined_status(): the municipality's own part (no body) is the period's status,
    however severe a body's part is; without one the most severe part counts."""
    plan = f.make_plan(start_year=2022, end_year=2024)
    goal = f.make_goal(plan)
    april, august = (f.make_period(date=datetime.date(*d)) for d in ((2022, 4, 30), (2022, 8, 31)))
    body = f.make_body()
    assignment = f.make_assignment(goal, bodies=[body])
    f.make_assessment(assignment, april, body=None, status=AssessmentStatus.ON_TRACK)
    f.make_assessment(assignment, april, body=body, status=AssessmentStatus.NOT_CARRIED_OUT)
    f.make_assessment(assignment, august, body=body, status=AssessmentStatus.DELAYED)
    chart = charts.status_chart(Assignment.objects.filter(goal=goal))
    assert [dict(counts.cells) for counts in chart.periods] == [
        {"completed": 0, "on_track": 1, "delayed": 0, "not_carried_out": 0, "none": 0},
        {"completed": 0, "on_track": 0, "delayed": 1, "not_carried_out": 0, "none": 0},
    ]
    expected = current_as_of(Assignment.objects.filter(goal=goal).with_history(), april.date)
    assert expected[assignment.pk][1] == AssessmentStatus.ON_TRACK
