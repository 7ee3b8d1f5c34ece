"""The public pages as of a published period (`?per=<period code>`, as the exports take it):
what each page shows then, the period switch, the status timeline of an assignment, bad
codes, and a fixed number of queries at any size."""

import datetime
import html as html_module
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from assignments.models import AssessmentStatus, Assignment
from assignments.presentation import AsOf, UnknownPeriod
from exports.content import goal_content
from goals.models import Fulfilment, Goal, PeriodState, ReportingPeriod
from goals.periods import period_named, periods_of_plan
from tests import factories as f

pytestmark = pytest.mark.django_db

APRIL, AUGUST, DECEMBER = (datetime.date(2022, m, d) for m, d in ((4, 30), (8, 31), (12, 31)))
HTMX = {"HX-Request": "true"}
TEMPLATE_SYNTAX = re.compile(r"\{%|%\}|\{\{|\}\}|\{#|#\}")


class Scenario:
    """A plan (2022–2024) with one goal and three assignments of Socialnämnden's, assessed
    in April and August 2022 (published periods) and December 2022 (a period still open):

    1. delayed in April, on track in August;
    2. first assessed (completed) in August;
    3. an additional assignment of 2023, assessed in 2023's April: it did not exist in 2022.

    The goal is assessed in April (largely) and August (partly)."""

    def __init__(self):
        f.make_organisation()
        self.plan = f.make_plan(code="mob", name="Mål och budget 2022–2024", start_year=2022)
        self.goal = f.make_goal(self.plan, title="Bostad och arbete")
        self.body = f.make_body(code="SCN", name="Socialnämnden")
        self.april = f.make_period(code="2022-04", name="April 2022", date=APRIL)
        self.august = f.make_period(code="2022-08", name="Augusti 2022", date=AUGUST)
        self.december = f.make_period(
            code="2022-12", name="December 2022", date=DECEMBER, state=PeriodState.OPEN
        )
        self.next_april = f.make_period(
            code="2023-04", name="April 2023", date=datetime.date(2023, 4, 30)
        )
        bodies = [self.body]
        self.first = f.make_assignment(self.goal, bodies=bodies, title="Första uppdraget")
        self.second = f.make_assignment(self.goal, bodies=bodies, title="Andra uppdraget")
        self.third = f.make_assignment(
            self.goal, bodies=bodies, title="Tillkommet uppdrag", added_year=2023
        )
        delayed, on_track = AssessmentStatus.DELAYED, AssessmentStatus.ON_TRACK
        f.make_assessment(self.first, self.april, status=delayed, text="Startar i april.")
        f.make_assessment(self.first, self.august, status=on_track, text="Pågår i augusti.")
        f.make_assessment(self.first, self.december, text="Utkast i december.", is_published=False)
        f.make_assessment(
            self.second, self.august, status=AssessmentStatus.COMPLETED, text="Klart i augusti."
        )
        f.make_assessment(self.third, self.next_april, status=delayed, text="Inte påbörjat.")
        f.make_goal_assessment(self.goal, self.april, text="Målet i april.")
        f.make_goal_assessment(
            self.goal, self.august, fulfilment=Fulfilment.PARTLY, text="Målet i augusti."
        )


@pytest.fixture
def scenario():
    return Scenario()


def html_of(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    assert not response.cookies, url
    html = response.content.decode()
    assert TEMPLATE_SYNTAX.search(html) is None, url
    return html


def statuses(html: str) -> dict[str, str | None]:
    """The status of each assignment a list shows, by its title."""
    found = {}
    for item in re.findall(r'<li class="assignment".*?</li>', html, flags=re.S):
        title = re.search(
            r'<a href="[^"]*">(?:<span class="added">[^<]*</span> )?([^<]*)</a>', item
        )
        status = re.search(r'class="status-line">.*?data-status="(\w+)"', item, flags=re.S)
        found[html_module.unescape(title.group(1))] = status.group(1) if status else None
    return found


def options(html: str) -> list[tuple[str, bool]]:
    """The period switch's options: (value, selected)."""
    select = re.search(r'<select id="period-switch-per" name="per">(.*?)</select>', html, re.S)
    return [
        (value, bool(selected))
        for value, selected in re.findall(r'<option value="([^"]*)"( selected)?>', select[1])
    ]


# --------------------------------------------------------------------------- the goal page


def test_it_shows_the_goal_page_as_of_an_earlier_period(client, scenario):
    url = scenario.goal.get_absolute_url()
    html = html_of(client, url + "?per=2022-04")
    assert statuses(html) == {"Första uppdraget": "delayed", "Andra uppdraget": None}
    assert "Startar i april." in html and "Pågår i augusti." not in html
    assert "Utkast i december." not in html
    assert "Tillkommet uppdrag" not in html  # added in 2023: left out, and said so
    assert html.count('class="asof-later"') == 1
    assert "Målet i april." in html and "Målet i augusti." not in html
    assert 'data-as-of="2022-04-30"' in html  # "Bedömning per 30 april 2022"
    assert 'id="filter-result" class="filter-result" role="status">2 ' in html

    latest = html_of(client, url)
    assert statuses(latest) == {
        "Första uppdraget": "on_track",
        "Andra uppdraget": "completed",
        "Tillkommet uppdrag": "delayed",
    }
    assert "Målet i augusti." in latest and "Målet i april." in latest  # earlier, below
    assert "data-as-of" not in latest and 'class="asof-later"' not in latest


def test_it_shows_the_goals_earlier_assessments_up_to_the_period_only(client, scenario):
    url = scenario.goal.get_absolute_url()
    assert '<details class="history">' in html_of(client, url)
    august = html_of(client, url + "?per=2022-08")
    assert "Målet i augusti." in august and '<details class="history">' in august
    assert '<details class="history">' not in html_of(client, url + "?per=2022-04")


def test_it_shows_what_the_goals_export_shows_as_of_the_period(client, scenario):
    for period in (scenario.april, scenario.august):
        content = goal_content(scenario.goal, as_of=period)
        exported = {
            item.title: item.status and item.status.value
            for item in content.goals[0].assignments
            if item.added_year is None or item.added_year <= period.date.year
        }
        html = html_of(client, scenario.goal.get_absolute_url() + f"?per={period.code}")
        assert statuses(html) == exported, period


def test_it_keeps_the_period_in_every_link_of_an_as_of_page(client, scenario):
    goal = scenario.goal
    html = html_of(client, goal.get_absolute_url() + "?per=2022-04")
    assignment_url = scenario.first.get_absolute_url()
    assert f'href="{assignment_url}?per=2022-04"' in html
    assert f'href="{scenario.body.get_absolute_url()}?per=2022-04"' in html
    assert f'href="{scenario.plan.get_absolute_url()}?per=2022-04"' in html  # breadcrumbs
    assert f'href="{reverse("exports:goal", args=["mob", 1, "pdf"])}?per=2022-04"' in html
    assert 'href="?per=2022-04&amp;status=delayed"' in html  # the status filter

    html = html_of(client, assignment_url + "?per=2022-04")
    assert f'href="{goal.get_absolute_url()}?per=2022-04"' in html
    assert f'href="{goal.get_absolute_url()}?per=2022-04#uppdrag-1"' in html
    assert f'href="{scenario.body.get_absolute_url()}?per=2022-04"' in html

    html = html_of(client, scenario.plan.get_absolute_url() + "?per=2022-04")
    assert f'href="{goal.get_absolute_url()}?per=2022-04"' in html
    html = html_of(client, scenario.body.get_absolute_url() + "?per=2022-04")
    assert f'href="{goal.get_absolute_url()}?per=2022-04"' in html
    assert f'href="{assignment_url}?per=2022-04"' in html
    html = html_of(client, reverse("assignments:bodies") + "?per=2022-04")
    assert f'href="{scenario.body.get_absolute_url()}?per=2022-04"' in html

    latest = html_of(client, goal.get_absolute_url())
    assert "per=" not in latest.replace('name="per"', "")


def test_it_filters_by_status_as_of_the_period_with_and_without_htmx(client, scenario):
    url = scenario.goal.get_absolute_url()
    html = html_of(client, url + "?per=2022-04&status=delayed")
    assert statuses(html) == {"Första uppdraget": "delayed"}
    assert '<input type="hidden" name="status" value="delayed">' in html
    assert statuses(html_of(client, url + "?per=2022-08&status=delayed")) == {}
    assert statuses(html_of(client, url + "?status=delayed")) == {"Tillkommet uppdrag": "delayed"}

    fragment = html_of(client, url + "?per=2022-04&status=delayed", headers=HTMX)
    assert fragment.lstrip().startswith('<div id="assignment-list"')
    assert statuses(fragment) == {"Första uppdraget": "delayed"}
    assert 'data-hx-get="?per=2022-04&amp;status=on_track"' in fragment
    assert "period-switch" not in fragment


def test_it_keeps_the_period_when_it_redirects_an_outdated_goal_slug(client, scenario):
    goal = scenario.goal
    response = client.get("/plan/mob/mal/1-gammal-rubrik/?per=2022-04")
    assert response.status_code == 301
    assert response["Location"] == goal.get_absolute_url() + "?per=2022-04"


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("?per=2022-04&status=delayed", "?per=2022-04&status=delayed"),
        ("?status=on_track", "?status=on_track"),
        ("?status=delayed&per=2022-08", "?per=2022-08&status=delayed"),
        ("?status=junk&per=2022-04", "?per=2022-04"),
        ("?status=%00", ""),
        ("?x=1", ""),
    ],
)
def test_it_keeps_the_period_and_the_status_when_it_redirects_an_outdated_goal_slug(
    client, scenario, query, kept
):
    response = client.get(f"/plan/mob/mal/1-gammal-rubrik/{query}")
    assert response.status_code == 301
    assert response["Location"] == scenario.goal.get_absolute_url() + kept
    if kept == "?per=2022-04&status=delayed":  # the page it leads to shows the filter's list
        assert statuses(html_of(client, response["Location"])) == {"Första uppdraget": "delayed"}


def test_it_redirects_an_outdated_slug_in_english_and_of_an_assignment(client, scenario):
    response = client.get("/en/plan/mob/mal/1-gammal-rubrik/?status=delayed")
    assert response.status_code == 301
    assert response["Location"] == "/en" + scenario.goal.get_absolute_url() + "?status=delayed"
    # An assignment's page has no status filter: only the period is kept.
    response = client.get("/plan/mob/mal/1-gammal-rubrik/uppdrag/1/?per=2022-04&status=delayed")
    assert response.status_code == 301
    assert response["Location"] == scenario.first.get_absolute_url() + "?per=2022-04"


def test_it_answers_404_for_an_unknown_period_at_an_outdated_slug(client, scenario):
    response = client.get("/plan/mob/mal/1-gammal-rubrik/?per=finns-inte&status=delayed")
    assert response.status_code == 404


# --------------------------------------------------------------------------- the plan page


def tally(html: str) -> dict[str | None, int]:
    found = {}
    for item in re.findall(r"<ul class=\"tally\">(.*?)</ul>", html, re.S)[0].split("<li>")[1:]:
        status = re.search(r'data-status="(\w+)"', item)
        found[status and status[1]] = int(re.search(r'<span class="count">(\d+)</span>', item)[1])
    return found


def test_it_counts_the_plan_pages_statuses_as_of_the_period(client, scenario):
    for url in ("/", scenario.plan.get_absolute_url()):
        assert tally(html_of(client, url + "?per=2022-04")) == {"delayed": 1, None: 1}
        assert tally(html_of(client, url + "?per=2022-08")) == {"completed": 1, "on_track": 1}
        assert tally(html_of(client, url)) == {"completed": 1, "on_track": 1, "delayed": 1}


# --------------------------------------------------------------------------- "Vad har ändrats"


def changes_links(html: str) -> list[str]:
    """The addresses of the links to "Vad har ändrats" that the page shows."""
    return [
        html_module.unescape(url)
        for url in re.findall(r'<p class="changes-link"><a href="([^"]*)">', html)
    ]


def test_it_links_to_what_has_changed_only_when_two_periods_can_be_compared(client, scenario):
    """The plan's and the goal's picture knows its periods: April and August 2022 and
    April 2023 (the additional assignment's), up to the period a page is seen as of."""
    changes = reverse("goals:changes", kwargs={"plan": scenario.plan.slug})
    goal = scenario.goal.get_absolute_url()
    expected = {
        "/": [changes],
        "/?per=2022-08": [f"{changes}?till=2022-08"],
        "/?per=2022-04": [],  # one period up to it: nothing to compare
        scenario.plan.get_absolute_url() + "?per=2023-04": [f"{changes}?till=2023-04"],
        goal: [f"{changes}?mal=1"],
        goal + "?per=2022-08": [f"{changes}?mal=1&till=2022-08"],
        goal + "?per=2022-04&status=delayed": [],
        "/en/": ["/en" + changes],
        "/en" + goal + "?per=2022-08": [f"/en{changes}?mal=1&till=2022-08"],
    }
    for url, links in expected.items():
        assert changes_links(html_of(client, url)) == links, url
        for link in links:  # each leads to a comparison, never to an error
            html = html_of(client, link)
            assert 'class="form-errors"' not in html and 'class="change-summary"' in html, link


def test_it_shows_no_link_to_what_has_changed_with_one_period(client, db):
    plan = f.make_plan(code="p", start_year=2022)
    goal = f.make_goal(plan)
    f.make_assessment(f.make_assignment(goal), f.make_period(date=APRIL))
    for url in ("/", plan.get_absolute_url(), goal.get_absolute_url(), "/en/"):
        html = html_of(client, url)
        assert "status-chart" in html and changes_links(html) == [], url


# --------------------------------------------------------------------------- the assignment page


def test_it_shows_the_assignment_page_as_of_the_period(client, scenario):
    url = scenario.first.get_absolute_url()
    html = html_of(client, url + "?per=2022-04")
    status_line = re.search(r'<p class="status-line">.*?</p>', html, re.S)[0]
    assert 'data-status="delayed"' in status_line
    assert re.findall(r'<time datetime="([\d-]+)">', html) == ["2022-04-30"]
    assert "Startar i april." in html and "Pågår i augusti." not in html

    latest = html_of(client, url)
    assert re.findall(r'<time datetime="([\d-]+)">', latest) == ["2022-08-31", "2022-04-30"]
    status_line = re.search(r'<p class="status-line">.*?</p>', latest, re.S)[0]
    assert 'data-status="on_track"' in status_line


def test_it_says_when_an_assignment_did_not_exist_yet(client, scenario):
    html = html_of(client, scenario.third.get_absolute_url() + "?per=2022-08")
    assert 'class="asof-later"' in html
    assert 'class="badge badge-none"' in html and "Inte påbörjat." not in html
    assert 'class="status-timeline"' not in html


def points(html: str) -> list[tuple[str, str, str]]:
    """The status timeline's points: (date, link, status)."""
    timeline = re.search(r'<ol class="status-timeline".*?</ol>', html, re.S)[0]
    return re.findall(
        r'<li class="status-timeline-point[^"]*"><a href="([^"]+)">'
        r'<time class="status-timeline-date" datetime="([\d-]+)">[^<]+</time> '
        r'<span class="badge [^"]+" data-status="(\w+)">',
        timeline,
    )


def test_it_shows_the_status_history_as_a_timeline_of_badges(client, scenario):
    html = html_of(client, scenario.first.get_absolute_url())
    assert points(html) == [
        ("#bedomning-2022-04-30", "2022-04-30", "delayed"),
        ("#bedomning-2022-08-31", "2022-08-31", "on_track"),
    ]
    assert 'id="bedomning-2022-04-30"' in html and 'id="bedomning-2022-08-31"' in html
    assert (
        'class="status-timeline-point status-timeline-latest"><a href="#bedomning-2022-08-31"'
        in html
    )
    assert html.index('class="status-timeline"') < html.index('<ol class="timeline">')
    assert "Startar i april." in html and "Pågår i augusti." in html  # the full texts stay
    # The badge says the status in words, never by colour alone.
    assert re.search(r'data-status="delayed">.*?</svg><span class="visually-hidden">', html)

    as_of = html_of(client, scenario.first.get_absolute_url() + "?per=2022-04")
    assert points(as_of) == [("#bedomning-2022-04-30", "2022-04-30", "delayed")]


def test_the_timeline_shows_the_status_of_several_bodies_parts_together(client, scenario):
    other = f.make_body(name="Uppsalahem AB")
    shared = f.make_assignment(scenario.goal, bodies=[scenario.body, other], title="Delat")
    f.make_assessment(shared, scenario.april, body=scenario.body, text="Vår del.")
    f.make_assessment(
        shared, scenario.april, body=other, status=AssessmentStatus.NOT_CARRIED_OUT, text="Nej."
    )
    f.make_assessment(shared, scenario.august, body=other, text="Nu går det.")
    html = html_of(client, shared.get_absolute_url())
    assert [status for _, _, status in points(html)] == ["not_carried_out", "on_track"]
    assert html.count('class="status-timeline-parts"') == 1  # April: two parts
    assert 'href="#bedomning-2022-04-30"' in html
    goal_page = html_of(client, scenario.goal.get_absolute_url() + "?per=2022-04")
    assert statuses(goal_page)["Delat"] == "not_carried_out"


# --------------------------------------------------------------------------- the body pages


def test_it_shows_a_bodys_page_as_of_the_period(client, scenario):
    url = scenario.body.get_absolute_url()
    html = html_of(client, url + "?per=2022-04")
    assert statuses(html) == {"Första uppdraget": "delayed", "Andra uppdraget": None}
    assert 'class="asof-later"' in html and 'data-as-of="2022-04-30"' in html
    html = html_of(client, url + "?per=2022-04&status=delayed")
    assert statuses(html) == {"Första uppdraget": "delayed"}
    fragment = html_of(client, url + "?per=2022-08&status=completed", headers=HTMX)
    assert statuses(fragment) == {"Andra uppdraget": "completed"}
    assert len(statuses(html_of(client, url))) == 3


def test_the_bodies_list_offers_the_periods_and_keeps_the_chosen_one(client, scenario):
    url = reverse("assignments:bodies")
    assert options(html_of(client, url)) == [
        ("", True),
        ("2023-04", False),
        ("2022-08", False),
        ("2022-04", False),
    ]
    html = html_of(client, url + "?per=2022-08")
    assert ("2022-08", True) in options(html) and 'data-as-of="2022-08-31"' in html


# --------------------------------------------------------------------------- the switch


def test_it_offers_the_plans_published_periods_in_a_form_that_works_without_javascript(
    client, scenario
):
    elsewhere = f.make_goal(f.make_plan(code="annan", start_year=2025, end_year=2027))
    later = f.make_period(code="2025-04", date=datetime.date(2025, 4, 30))
    f.make_assessment(f.make_assignment(elsewhere), later)

    url = scenario.goal.get_absolute_url()
    html = html_of(client, url + "?status=delayed")
    form = re.search(r'<form class="period-form".*?</form>', html, re.S)[0]
    assert f'method="get" action="{url}"' in form
    assert '<label for="period-switch-per">' in form and '<button type="submit">' in form
    assert '<input type="hidden" name="status" value="delayed">' in form
    # The open December period is not published, the other plan's is not this plan's.
    assert options(html) == [("", True), ("2023-04", False), ("2022-08", False), ("2022-04", False)]

    html = html_of(client, url + "?status=delayed&per=2022-04")
    assert options(html)[0] == ("", False) and ("2022-04", True) in options(html)
    assert f'<a href="{url}?status=delayed">' in html  # "visa senaste", the filter kept
    # A published period of another plan may be asked for: it is offered as chosen.
    html = html_of(client, url + "?per=2025-04")
    assert options(html)[:2] == [("", False), ("2025-04", True)]
    assert [value for value, _ in options(html)] == ["", "2025-04", "2023-04", "2022-08", "2022-04"]

    plan_periods = [p.code for p in periods_of_plan(scenario.plan)]
    assert plan_periods == ["2023-04", "2022-08", "2022-04"]


def test_it_shows_no_switch_without_a_published_period(client, db):
    goal = f.make_assignment().goal
    assert "period-switch" not in html_of(client, goal.get_absolute_url())
    assert "period-switch" not in html_of(client, "/")


# --------------------------------------------------------------------------- bad codes


JUNK = [
    "finns-inte",
    "2022-12",
    "2022-04%00",
    "x" * 300,
    "<script>",
    "%FF%FE",
    "2022-04' OR '1'='1",
]


@pytest.mark.parametrize("per", JUNK)
def test_it_answers_its_own_404_for_a_period_that_is_not_published(client, scenario, per):
    goal = scenario.goal
    urls = [
        "/",
        scenario.plan.get_absolute_url(),
        goal.get_absolute_url(),
        scenario.first.get_absolute_url(),
        reverse("assignments:bodies"),
        scenario.body.get_absolute_url(),
    ]
    for url in urls:
        for headers in ({}, HTMX):
            response = client.get(f"{url}?per={per}&status=delayed", headers=headers)
            assert response.status_code == 404, (url, per)
            assert "goals/includes/_asof_unknown_period.html" in [
                t.name for t in response.templates
            ]
            html = response.content.decode()
            assert f'<a href="{url}">' in html  # the page as of the latest
            assert not response.cookies


def test_an_empty_period_is_the_latest(client, scenario):
    url = scenario.goal.get_absolute_url()
    assert statuses(html_of(client, url + "?per=")) == statuses(html_of(client, url))


def test_the_goals_and_the_bodies_rooms_read_a_period_alike(scenario):
    factory = RequestFactory()
    for code in ["2022-04", "2023-04", "", None, *JUNK]:
        query = {} if code is None else {"per": code.replace("%00", "\x00")}
        try:
            expected = period_named(query.get("per"))
        except UnknownPeriod:
            expected = "404"
        try:
            found = AsOf.asked(factory.get("/", query))
        except UnknownPeriod:
            found = "404"
        assert found == expected, code


# --------------------------------------------------------------------------- what is public


def test_no_as_of_page_shows_unpublished_content(client):
    portal = f.build_portal(goals=2, assignments=3, periods=4)
    periods = ReportingPeriod.objects.filter(state=PeriodState.PUBLISHED).order_by("date")
    for period in periods:
        for url in as_of_pages(portal, period.code).values():
            html = client.get(url).content.decode()
            shown = [hidden for hidden in portal.hidden_texts if hidden in html]
            assert shown == [], url


def test_it_caches_each_period_apart_and_never_a_bad_code(client, scenario, page_cache):
    url = scenario.goal.get_absolute_url()
    assert client.get(url + "?per=2022-04")["X-Page-Cache"] == "miss"
    assert client.get(url + "?utm_source=x&per=2022-04")["X-Page-Cache"] == "hit"
    assert client.get(url + "?per=2022-08")["X-Page-Cache"] == "miss"
    assert client.get(url + "?per=finns-inte").status_code == 404
    assert client.get(url + "?per=finns-inte").status_code == 404
    assert "Pågår i augusti." in client.get(url + "?per=2022-08").content.decode()


# --------------------------------------------------------------------------- queries


def as_of_pages(portal, code: str) -> dict[str, str]:
    """Every public page type with a period: the entries for tests/pages.py."""
    per = f"?per={code}"
    return {
        "start as of a period": reverse("goals:home") + per,
        "plan as of a period": portal.plan.get_absolute_url() + per,
        "goal as of a period": portal.goal.get_absolute_url() + per,
        "goal filtered as of a period": portal.goal.get_absolute_url() + per + "&status=delayed",
        "assignment as of a period": portal.assignment.get_absolute_url() + per,
        "bodies as of a period": reverse("assignments:bodies") + per,
        "body as of a period": portal.body.get_absolute_url() + per,
        "body filtered as of a period": portal.body.get_absolute_url() + per + "&status=delayed",
    }


# The queries of each page as of a period, at any size; the latest pages run one more than
# before, the period switch's choices (not their htmx fragments), and the start, plan and
# goal pages one more for their picture (goals/charts.py).
AS_OF_QUERIES = {
    "start as of a period": 9,
    "plan as of a period": 10,
    "goal as of a period": 10,
    "goal filtered as of a period": 10,
    "goal fragment as of a period": 5,
    "assignment as of a period": 8,
    "bodies as of a period": 4,
    "body as of a period": 7,
    "body filtered as of a period": 7,
}
LATEST_QUERIES = {
    "start": 6,
    "plan": 7,
    "goal": 8,
    "goal fragment": 3,
    "assignment": 5,
    "bodies": 3,
    "body": 5,
}


def check_queries(client, django_assert_num_queries, portal, code: str) -> None:
    pages = as_of_pages(portal, code)
    for name, url in pages.items():
        with django_assert_num_queries(AS_OF_QUERIES[name], info=name):
            assert client.get(url).status_code == 200, url
    with django_assert_num_queries(AS_OF_QUERIES["goal fragment as of a period"]):
        response = client.get(pages["goal as of a period"], headers=HTMX)
        assert response.status_code == 200
    latest = {
        "start": "/",
        "plan": portal.plan.get_absolute_url(),
        "goal": portal.goal.get_absolute_url(),
        "assignment": portal.assignment.get_absolute_url(),
        "bodies": reverse("assignments:bodies"),
        "body": portal.body.get_absolute_url(),
    }
    for name, url in latest.items():
        with django_assert_num_queries(LATEST_QUERIES[name], info=name):
            assert client.get(url).status_code == 200, url
    with django_assert_num_queries(LATEST_QUERIES["goal fragment"]):
        client.get(latest["goal"], headers=HTMX)


def first_period(portal) -> str:
    return periods_of_plan(portal.plan)[-1].code


def test_it_runs_a_fixed_number_of_queries_as_of_a_period_at_any_size(
    client, django_assert_num_queries
):
    small = f.build_portal(goals=2, assignments=2, periods=2)
    check_queries(client, django_assert_num_queries, small, first_period(small))
    f.wipe_portal()
    big = f.build_portal(goals=6, assignments=30, periods=6)
    assert Assignment.objects.filter(goal=big.goal).count() > 30
    check_queries(client, django_assert_num_queries, big, first_period(big))
    # As of the middle period too: some assignments assessed then, others not yet.
    middle = periods_of_plan(big.plan)[2].code
    check_queries(client, django_assert_num_queries, big, middle)


def test_a_big_portal_as_of_a_period_matches_the_export(client):
    portal = f.build_portal(goals=2, assignments=12, periods=6)
    goal = Goal.objects.select_related("plan").get(pk=portal.goal.pk)
    for period in periods_of_plan(portal.plan):
        content = goal_content(goal, as_of=period)
        exported = {
            item.title: item.status and item.status.value
            for item in content.goals[0].assignments
            if item.added_year is None or item.added_year <= period.date.year
        }
        html = html_of(client, goal.get_absolute_url() + f"?per={period.code}")
        assert statuses(html) == exported, period.code


# --------------------------------------------------------------------------- valid HTML


def test_the_as_of_pages_are_valid_html(client, scenario, tmp_path):
    from tests.browser import tools
    from tests.test_html_valid import nu_check

    tools.require(
        tools.missing_file(tools.VNU_JAR, tools.NODE_HOW),
        tools.missing_program("java", tools.JAVA_HOW),
    )
    scenario.assignment = scenario.first
    pages = as_of_pages(scenario, "2022-04")
    pages |= {
        "timeline": scenario.first.get_absolute_url(),
        "added later": scenario.third.get_absolute_url() + "?per=2022-04",
        "unknown period": scenario.goal.get_absolute_url() + "?per=finns-inte",
    }
    files = {}
    for name, url in pages.items():
        response = client.get(url)
        file = tmp_path / f"{name.replace(' ', '-')}.html"
        file.write_bytes(response.content)
        files[file.name] = name
    messages = nu_check([str(tmp_path / name) for name in files])
    errors = [f"{files.get(m.get('url', '').rpartition('/')[2])}: {m['message']}" for m in messages]
    assert not errors, "\n".join(errors)
