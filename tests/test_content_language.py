"""The municipality's own texts on an English page are marked as Swedish (WCAG 3.1.2).

Under /en/ the interface is English but the titles, taglines, descriptions, focus areas,
links, actions, assignments, assessment texts, bodies, plans and periods stay as the
municipality wrote them, in Swedish: each element that holds one carries lang="sv", so
that a screen reader reads it as Swedish (assignments.presentation.content_language(),
Presentation.lang). A Swedish page marks nothing (tests/test_render_unchanged.py keeps
its markup as it was).

Every text of the data here holds the marker MARK, which no text of the interface holds:
a text node that holds it must be within lang="sv", and one within lang="sv" must hold it
(or be only digits and punctuation), so that no English of the interface is marked as
Swedish.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from assignments.models import AssessmentStatus, BodyKind, ReviewState
from goals.models import FocusArea, GoalAction, GoalLink
from tests import factories as f

pytestmark = pytest.mark.django_db

MARK = "ÅÄÖ"
APRIL, AUGUST = datetime.date(2022, 4, 30), datetime.date(2022, 8, 31)
HTMX = {"HX-Request": "true"}
# Elements that have no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# The data of the portal below, each text of it as a page shows it.
DATA = {
    "plan": f"Mål och budget {MARK}",
    "older plan": f"Äldre plan {MARK}",
    "goal": f"Bostad och arbete {MARK}",
    "tagline": f"Alla ska ha ett hem {MARK}",
    "description": f"Målet handlar om bostäder {MARK}",
    "focus": f"Jobb och företagande {MARK}",
    "focus text": f"Fler ska få jobb {MARK}",
    "link": f"Läs en fördjupning {MARK}",
    "action": f"Öppnat ett jobbtorg {MARK}",
    "action text": f"Jobbtorget har öppnat {MARK}",
    "action without address": f"Infört sommarlovsjobb {MARK}",
    "assignment": f"Bygga fler bostäder {MARK}",
    "additional assignment": f"Kartlägga behovet {MARK}",
    "body": f"Socialnämnden {MARK}",
    "company": f"Bostadsbolaget {MARK}",
    "april": f"April {MARK}",
    "august": f"Augusti {MARK}",
    "assessment": f"Arbetet har startat {MARK}",
    "company's assessment": f"Bolaget planerar {MARK}",
    "august assessment": f"Arbetet pågår {MARK}",
    "corrected": f"Felaktig text {MARK}",
    "correction": f"Rättad text {MARK}",
    "correction reason": f"Fel status {MARK}",
    "goal assessment": f"Målet i augusti {MARK}",
    "earlier goal assessment": f"Målet i april {MARK}",
    "summary": f"Uppdragen går bra {MARK}",
}


class Portal:
    """A plan (and an older one) with a goal of every kind of text, two assignments
    (one additional, one corrected), a committee and a company, two periods."""

    def __init__(self):
        f.make_organisation()
        older = f.make_plan(code="aldre", name=DATA["older plan"], start_year=2019, end_year=2021)
        f.make_goal(older, title=f"Äldre mål {MARK}")
        self.plan = f.make_plan(code="mob", name=DATA["plan"], start_year=2022, end_year=2024)
        goal = self.goal = f.make_goal(
            self.plan,
            title=DATA["goal"],
            tagline=DATA["tagline"],
            description=DATA["description"],
        )
        FocusArea.objects.create(
            goal=goal, title=DATA["focus"], start_year=2022, end_year=2024, text=DATA["focus text"]
        )
        GoalLink.objects.create(goal=goal, title=DATA["link"], url="https://exempelby.se/a")
        GoalAction.objects.create(
            goal=goal,
            position=0,
            title=DATA["action"],
            text=DATA["action text"],
            url="https://exempelby.se/b",
        )
        GoalAction.objects.create(goal=goal, position=1, title=DATA["action without address"])
        self.body = f.make_body(code="SCN", slug="scn", name=DATA["body"])
        company = f.make_body(code="BB", name=DATA["company"], kind=BodyKind.COMPANY)
        self.april = f.make_period(code="2022-04", name=DATA["april"], date=APRIL)
        self.august = f.make_period(code="2022-08", name=DATA["august"], date=AUGUST)
        self.first = f.make_assignment(goal, bodies=[self.body, company], title=DATA["assignment"])
        self.second = f.make_assignment(
            goal, bodies=[self.body], title=DATA["additional assignment"], added_year=2022
        )
        delayed = AssessmentStatus.DELAYED
        f.make_assessment(
            self.first, self.april, body=self.body, status=delayed, text=DATA["assessment"]
        )
        f.make_assessment(
            self.first, self.april, body=company, status=delayed, text=DATA["company's assessment"]
        )
        f.make_assessment(self.first, self.august, text=DATA["august assessment"])
        wrong = f.make_assessment(
            self.second,
            self.august,
            status=delayed,
            state=ReviewState.SUPERSEDED,
            text=DATA["corrected"],
        )
        f.make_assessment(
            self.second,
            self.august,
            status=AssessmentStatus.COMPLETED,
            corrects=wrong,
            correction_reason=DATA["correction reason"],
            text=DATA["correction"],
        )
        f.make_goal_assessment(goal, self.april, text=DATA["earlier goal assessment"])
        f.make_goal_assessment(
            goal, self.august, text=DATA["goal assessment"], assignments_summary=DATA["summary"]
        )

    def pages(self) -> dict[str, tuple[str, dict]]:
        """Every page (and htmx fragment) that shows the data, by name: (address, headers)."""
        goal, body = self.goal.get_absolute_url(), self.body.get_absolute_url()
        changes = reverse("goals:changes", kwargs={"plan": self.plan.slug})
        return {
            "start": ("/", {}),
            "plan": (self.plan.get_absolute_url(), {}),
            "start as of April": ("/?per=2022-04", {}),
            "goal": (goal, {}),
            "goal as of April": (goal + "?per=2022-04", {}),
            "goal filtered": (goal + "?status=completed", {}),
            "goal fragment": (goal + "?status=on_track", HTMX),
            "assignment": (self.first.get_absolute_url(), {}),
            "corrected assignment": (self.second.get_absolute_url(), {}),
            "assignment as of April": (self.first.get_absolute_url() + "?per=2022-04", {}),
            "bodies": (reverse("assignments:bodies"), {}),
            "body": (body, {}),
            "body as of April": (body + "?per=2022-04", {}),
            "body fragment": (body + "?status=on_track", HTMX),
            "changes": (changes, {}),
            "changes of a goal and a body": (f"{changes}?mal=1&ansvarig={self.body.slug}", {}),
        }


@pytest.fixture
def portal():
    return Portal()


class Texts(HTMLParser):
    """Each text node of a page's body, but for its header and footer (the portal's, not
    this task's), with the language it is in: (text, lang of the nearest element that
    says one, "" for none)."""

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str | None, bool]] = []  # (tag, lang, skipped)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        # The header and footer, and the link to the other language (its name in that
        # language, sent along with an htmx fragment too), are the interface's own.
        skipped = tag in ("head", "script", "style") or attributes.get("class") in (
            "site-header",
            "site-footer",
            "language-switch",
        )
        self.open.append((tag, attributes.get("lang"), skipped))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text or any(skipped for _tag, _lang, skipped in self.open):
            return
        lang = next((lang for _tag, lang, _skipped in reversed(self.open) if lang), "")
        self.found.append((text, lang))


def texts_of(html: str) -> list[tuple[str, str]]:
    parser = Texts()
    parser.feed(html)
    parser.close()
    return parser.found


def get(client, url: str, headers: dict) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_text_of_the_municipality_is_marked_as_swedish_on_an_english_page(client, portal):
    shown = set()
    for name, (url, headers) in portal.pages().items():
        html = get(client, "/en" + url, headers)
        if not headers:
            assert '<html lang="en">' in html, name
        texts = texts_of(html)
        unmarked = [text for text, lang in texts if MARK in text and lang != "sv"]
        assert unmarked == [], name
        # Nothing of the interface is marked: what is marked is the data.
        marked = [
            text
            for text, lang in texts
            if lang == "sv" and MARK not in text and re.search(r"[^\W\d_]", text)
        ]
        assert marked == [], name
        shown |= {text for text, lang in texts if MARK in text}
    # Every kind of text was shown somewhere (the check above is not empty).
    missing = [kind for kind, text in DATA.items() if not any(text in found for found in shown)]
    # The periods' names are shown only as an assessment's heading on the assignment page;
    # elsewhere a period is named by its date.
    assert missing == [], missing


def test_a_swedish_page_marks_nothing(client, portal):
    for name, (url, headers) in portal.pages().items():
        html = get(client, url, headers)
        assert html.count(' lang="sv"') == (0 if headers else 1), name  # <html lang="sv">
        assert all(lang in ("", "sv") for _text, lang in texts_of(html)), name


def test_the_marks_are_in_the_language_of_the_pages_own_texts(client, portal, settings):
    """The mark is the portal's language (settings.LANGUAGE_CODE), and a text within a
    sentence of the interface's is marked alone, the sentence staying English."""
    html = get(client, "/en" + portal.first.get_absolute_url(), {})
    assert f'Goal 1. <span lang="{settings.LANGUAGE_CODE}">{DATA["goal"]}</span>' in html
    assert f'Reported by <span lang="sv">{DATA["body"]}</span>' in html
    body = get(client, "/en" + portal.body.get_absolute_url(), {})
    assert (
        f'Goal 1. <span lang="sv">{DATA["goal"]}</span> (<span lang="sv">{DATA["plan"]}</span>)'
        in body
    )
    assert f'<h1 lang="sv">{DATA["body"]}</h1>' in body


@pytest.mark.parametrize("name", ["start", "goal", "assignment", "body", "changes"])
def test_an_english_page_runs_the_queries_of_the_swedish_one(
    client, portal, name, django_assert_num_queries
):
    """The mark is worked out once per request, at no query."""
    url, headers = portal.pages()[name]
    client.get(url, headers=headers)  # anything read once per process
    client.get("/en" + url, headers=headers)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as swedish:
        get(client, url, headers)
    with django_assert_num_queries(len(swedish)):
        get(client, "/en" + url, headers)
