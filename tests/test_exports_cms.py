"""The CMS snippet, its page and the embeddable view (exports/cms.py, exports/cms_views.py),
and what a page says when it is shared (templates/exports/_share_meta.html,
exports/share.py). Every answer is read with html.parser, as a CMS or a browser reads it."""

import base64
import datetime
import hashlib
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from assignments.models import AssessmentStatus
from exports import cms, share
from exports.content import goal_content
from goals.models import Goal, PeriodState
from tests import factories as f

APRIL, AUGUST = datetime.date(2022, 4, 30), datetime.date(2022, 8, 31)
SITE = "https://www.kommun.se"


# --------------------------------------------------------------------------- reading HTML


@dataclass
class Element:
    tag: str
    attrs: dict
    text: str = ""


@dataclass
class Parsed(HTMLParser):
    """Every start tag with its attributes, the text of the page, and each element's own
    text for the few elements a test reads (textarea, script, title)."""

    elements: list[Element] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def __post_init__(self):
        HTMLParser.__init__(self, convert_charrefs=True)
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag in ("textarea", "script", "title", "h1", "h2"):
            self._open.append(element)

    def handle_endtag(self, tag):
        if self._open and self._open[-1].tag == tag:
            self._open.pop()

    def handle_data(self, data):
        self.texts.append(data)
        for element in self._open:
            element.text += data

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def one(self, tag: str, **attrs) -> Element:
        found = [e for e in self.all(tag) if all(e.attrs.get(k) == v for k, v in attrs.items())]
        assert len(found) == 1, (tag, attrs, found)
        return found[0]


def parse(html: str | bytes) -> Parsed:
    parsed = Parsed()
    parsed.feed(html.decode() if isinstance(html, bytes) else html)
    parsed.close()
    return parsed


def assert_runs_nothing(parsed: Parsed) -> None:
    """No script element, no event attribute, no javascript: (or data:, vbscript:) URL."""
    assert parsed.all("script") == []
    for element in parsed.elements:
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            url = "".join((value or "").split()).lower()
            assert not url.startswith(("javascript:", "vbscript:", "data:")), (name, value)


# --------------------------------------------------------------------------- addresses


def url(name: str, obj, **query) -> str:
    kwargs = (
        {"plan": obj.plan.slug, "number": obj.number}
        if name.startswith("goal")
        else {"body": obj.slug}
    )
    found = reverse(f"exports:{name}", kwargs=kwargs)
    return found + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def get(client, address: str):
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return response


def csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header, directive by directive."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# --------------------------------------------------------------------------- the seed goal


def seed_texts(portal) -> list[str]:
    """What the seed goal's page shows, as its snippet must show it too."""
    return [
        portal.goal.title,
        portal.goal.tagline,
        "Jobb och företagande",
        "Inriktningsmålet bedöms bli i hög grad uppfyllt i slutet av 2022.",
        "De fem uppdragen inom inriktningsmålet pågår enligt plan.",
        "Läs en fördjupning av inriktningsmålets resultat",
        "Genomföra arbetet med Bostad först.",
        "Socialnämnden beslutade i juni 2021",
        "Arbetet är ännu ej påbörjat men planeras",
        "Uppsalahem AB",
        "alla nämnder",
        str(AssessmentStatus.ON_TRACK.label),
        str(AssessmentStatus.DELAYED.label),
        gettext("Assessment as of %(date)s") % {"date": "31 augusti 2022"},
        settings.PORTAL_URL + portal.goal.get_absolute_url(),
    ]


def test_it_makes_a_clean_snippet_of_what_the_seed_goal_page_shows(client, seed):
    portal = f.seed_portal()
    response = get(client, url("goal_cms_file", portal.goal))
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert '.html"' in response["Content-Disposition"]
    parsed = parse(response.content)
    assert [t for t in seed_texts(portal) if t not in parsed.text] == []
    assert_runs_nothing(parsed)
    tags = {e.tag for e in parsed.elements}
    assert tags <= {"article", "h2", "h3", "h4", "p", "ul", "li", "a", "strong", "em", "span", "br"}
    assert parsed.elements[0].tag == "article"
    assert [e for e in parsed.elements if "class" in e.attrs or "id" in e.attrs] == []
    styled = [e for e in parsed.elements if "style" in e.attrs]
    assert styled and {e.tag for e in styled} == {"strong"}  # the badges only
    for link in parsed.all("a"):
        assert link.attrs["href"].startswith((settings.PORTAL_URL + "/", "https://")), link
    assignment = settings.PORTAL_URL + portal.assignment.get_absolute_url()
    assert assignment in [a.attrs["href"] for a in parsed.all("a")]


def test_it_gives_every_status_in_words_and_a_shape_not_colour_alone(client, seed):
    portal = f.seed_portal()
    parsed = parse(get(client, url("goal_cms_file", portal.goal)).content)
    badges = [e for e in parsed.elements if e.tag == "strong" and "style" in e.attrs]
    assert len(badges) == 4 + 5  # the legend, and each of the five assignments
    for badge in badges:
        assert "border:" in badge.attrs["style"]
    text = parsed.text
    for status, shape in [("on_track", "●"), ("delayed", "▲"), ("completed", "✔")]:
        assert f"{shape} {AssessmentStatus(status).label}" in text
    assert text.count(f"{gettext('Status:')} ● {AssessmentStatus.ON_TRACK.label}") == 4
    assert text.count(f"{gettext('Status:')} ▲ {AssessmentStatus.DELAYED.label}") == 1


def test_it_shows_the_snippet_as_preview_and_as_code_to_copy(client, seed):
    portal = f.seed_portal()
    response = get(client, url("goal_cms", portal.goal))
    snippet = get(client, url("goal_cms_file", portal.goal)).content.decode()
    html = response.content.decode()
    assert snippet.strip() in html  # the preview: the snippet itself, as HTML
    parsed = parse(html)
    code = parsed.one("textarea", id="cms-code")
    assert "readonly" in code.attrs
    assert code.text.strip() == snippet.strip()  # the code: the same, as text
    assert parsed.one("label", **{"for": "cms-code"})
    button = parsed.one("button", **{"data-copy-target": "cms-code"})
    assert "hidden" in button.attrs and button.attrs["type"] == "button"
    scripts = parsed.all("script")
    assert [s.attrs.get("src") for s in scripts if "copy-snippet" in s.attrs.get("src", "")]
    assert all(s.attrs.get("src") and "defer" in s.attrs for s in scripts)  # nothing inline
    assert [e for e in parsed.elements if any(n.startswith("on") for n in e.attrs)] == []
    download = parsed.one("a", href=url("goal_cms_file", portal.goal))
    assert "download" in download.attrs
    embed = settings.PORTAL_URL + url("goal_embed", portal.goal)
    assert f'src="{embed}"' in parsed.one("textarea", id="cms-embed").text
    assert response["X-Frame-Options"] == "DENY"
    assert not response.cookies


def test_it_allows_exactly_the_snippets_inline_styles_and_no_other(client, seed):
    portal = f.seed_portal()
    snippet = parse(get(client, url("goal_cms_file", portal.goal)).content)
    styles = {e.attrs["style"] for e in snippet.elements if "style" in e.attrs}
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in styles
    }
    page = get(client, url("goal_cms", portal.goal))
    policy = csp(page)
    assert policy["style-src-attr"] == ["'unsafe-hashes'", *sorted(hashes)]
    assert policy["style-src"] == ["'self'"] and policy["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]
    shown = parse(page.content)  # the preview: the snippet's badges, as they are
    assert {e.attrs["style"] for e in shown.elements if "style" in e.attrs} == styles
    embed = get(client, url("goal_embed", portal.goal))  # classes instead: no inline style
    assert [e for e in parse(embed.content).elements if "style" in e.attrs] == []
    assert "style-src-attr" not in csp(embed) and csp(embed)["style-src"] == ["'self'"]


def test_it_shows_html_in_a_text_as_text(client, db):
    goal = f.make_goal(title="<b>Fet</b> & <script>alert(1)</script>", tagline="x")
    assignment = f.make_assignment(goal, title='<img src=x onerror="alert(1)">')
    f.make_assessment(assignment, f.make_period(), text="<a href=javascript:alert(1)>klick</a>")
    for name in ("goal_cms_file", "goal_cms", "goal_embed"):
        content = get(client, url(name, goal)).content.decode()
        parsed = parse(content)
        assert goal.title in parsed.text and assignment.title in parsed.text
        assert "<script>alert" not in content and "<img" not in content
        assert "javascript:" not in [a.attrs.get("href", "")[:11] for a in parsed.all("a")]
    assert_runs_nothing(parse(get(client, url("goal_cms_file", goal)).content))


# --------------------------------------------------------------------------- as of a period


@pytest.fixture
def two_periods(db):
    """A goal assessed in April and August 2022, each time differently."""
    april = f.make_period(code="2022-04", name="April 2022", date=APRIL)
    august = f.make_period(code="2022-08", name="Augusti 2022", date=AUGUST)
    goal = f.make_goal(title="Alla ska ha ett arbete")
    changed = f.make_assignment(goal, bodies=[f.make_body(name="Arbetsmarknadsnämnden")])
    f.make_assessment(
        changed, april, status=AssessmentStatus.DELAYED, text="Aprils text om förseningen."
    )
    f.make_assessment(
        changed, august, status=AssessmentStatus.COMPLETED, text="Augustis text: klart."
    )
    later = f.make_assignment(goal)  # first assessed in August
    f.make_assessment(later, august, text="Nytt i augusti.")
    f.make_goal_assessment(goal, april, text="Målets bedömning i april.")
    f.make_goal_assessment(goal, august, text="Målets bedömning i augusti.")
    return goal


@pytest.mark.parametrize("name", ["goal_cms_file", "goal_cms", "goal_embed"])
def test_it_makes_an_earlier_periods_snippet_as_it_was_then(client, two_periods, name):
    now = parse(get(client, url(name, two_periods)).content).text
    then = parse(get(client, url(name, two_periods, per="2022-04")).content).text
    assert "Augustis text: klart." in now and "Nytt i augusti." in now
    assert "Målets bedömning i augusti." in now and "Aprils text" not in now
    assert "Aprils text om förseningen." in then and "Målets bedömning i april." in then
    assert "Augustis text" not in then and "Nytt i augusti." not in then
    assert f"▲ {AssessmentStatus.DELAYED.label}" in then
    assert f"✔ {AssessmentStatus.COMPLETED.label}" in now
    assert gettext("Assessment as of %(date)s") % {"date": "30 april 2022"} in then
    assert gettext("Assessment as of %(date)s") % {"date": "31 augusti 2022"} in now


def test_it_keeps_the_period_in_the_pages_links_and_offers_every_published_one(client, two_periods):
    f.make_period(code="2022-12", date=datetime.date(2022, 12, 31), state=PeriodState.OPEN)
    parsed = parse(get(client, url("goal_cms", two_periods, per="2022-04")).content)
    assert parsed.one("a", href=url("goal_cms_file", two_periods, per="2022-04"))
    embed = settings.PORTAL_URL + url("goal_embed", two_periods, per="2022-04")
    assert f'src="{embed}"' in parsed.one("textarea", id="cms-embed").text
    options = [e.attrs["value"] for e in parsed.all("option")]
    assert options == ["", "2022-08", "2022-04"]  # the latest, then newest first; not open ones
    assert "selected" in parsed.one("option", value="2022-04").attrs


# --------------------------------------------------------------------------- a body


def test_it_makes_a_bodys_snippet_and_embed(client, seed):
    portal = f.seed_portal()
    parsed = parse(get(client, url("body_cms_file", portal.body)).content)
    assert_runs_nothing(parsed)
    text = parsed.text
    assert portal.body.name in text and portal.goal.title in text
    assert "Att kommunstyrelsen får i uppdrag att undersöka" in text  # Kommunstyrelsen's
    assert "Genomföra arbetet med Bostad först." not in text  # Socialnämnden's
    assert "Förbättra möjligheten till anställning för personer med" in text  # all bodies'
    for name in ("body_cms", "body_embed"):
        assert (
            "Att kommunstyrelsen får i uppdrag"
            in parse(get(client, url(name, portal.body)).content).text
        )


# --------------------------------------------------------------------------- the embed view


def test_it_makes_the_embed_a_compact_page_without_script_or_cookie(client, seed):
    portal = f.seed_portal()
    response = get(client, url("goal_embed", portal.goal))
    parsed = parse(response.content)
    assert_runs_nothing(parsed)
    assert not response.cookies and "Set-Cookie" not in response
    assert parsed.one("html").attrs["lang"] == "sv"
    assert portal.goal.title in parsed.one("h1").text
    assert parsed.one("meta", name="robots").attrs["content"] == "noindex"
    sheets = [e.attrs["href"] for e in parsed.all("link") if e.attrs.get("rel") == "stylesheet"]
    assert sheets == ["/static/css/embed.css"]
    assert "htmx" not in response.content.decode()
    links = parsed.all("a")
    assert links and all(a.attrs.get("target") == "_top" for a in links)
    badges = [e.attrs.get("class") for e in parsed.all("strong") if "class" in e.attrs]
    assert badges.count("badge badge-on_track") == 5 and "badge badge-delayed" in badges
    assert [t for t in seed_texts(portal) if t not in parsed.text] == []
    policy = csp(response)
    assert policy["script-src"] == ["'none'"] and policy["form-action"] == ["'none'"]


def test_it_lets_no_site_frame_the_embed_when_none_is_configured(client, seed, settings):
    settings.FRAME_ANCESTORS = []
    portal = f.seed_portal()
    response = get(client, url("goal_embed", portal.goal))
    assert csp(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_it_lets_the_configured_sites_and_itself_frame_the_embed(client, seed, settings):
    settings.FRAME_ANCESTORS = [SITE, "https://intranat.kommun.se"]
    portal = f.seed_portal()
    response = get(client, url("goal_embed", portal.goal))
    assert csp(response)["frame-ancestors"] == ["'self'", SITE, "https://intranat.kommun.se"]
    assert "X-Frame-Options" not in response
    for other in (url("goal_cms", portal.goal), portal.goal.get_absolute_url()):
        denied = get(client, other)  # only the embed view may be framed
        assert denied["X-Frame-Options"] == "DENY", other
        assert csp(denied)["frame-ancestors"] == ["'none'"], other


def test_it_keeps_the_embeds_policy_when_served_from_the_page_cache(
    client, seed, settings, page_cache, django_assert_num_queries
):
    settings.FRAME_ANCESTORS = [SITE]
    portal = f.seed_portal()
    address = url("goal_embed", portal.goal)
    first = get(client, address)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, address)
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        assert csp(response)["frame-ancestors"] == ["'self'", SITE]
        assert csp(response)["script-src"] == ["'none'"]
        assert "X-Frame-Options" not in response and not response.cookies
    assert second.content == first.content
    preview = url("goal_cms", portal.goal)
    first = get(client, preview)
    second = get(client, preview)
    assert second["X-Page-Cache"] == "hit"
    assert csp(second)["style-src-attr"] == csp(first)["style-src-attr"]
    assert csp(second)["style-src-attr"][0] == "'unsafe-hashes'"


def test_it_keeps_the_embeds_policy_in_a_304(client, seed, settings):
    settings.FRAME_ANCESTORS = [SITE]
    address = url("goal_embed", f.seed_portal().goal)
    first = get(client, address)
    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "X-Frame-Options" not in again


# --------------------------------------------------------------------------- what is not there


@pytest.mark.parametrize(
    "per", ["finns-inte", "2022-08%00", "x" * 300, "<script>", "%FF%FE", "2022-08' OR '1'='1"]
)
@pytest.mark.parametrize("name", ["goal_cms", "goal_cms_file", "goal_embed", "body_embed"])
def test_it_answers_a_swedish_404_for_junk_periods(client, seed, name, per):
    portal = f.seed_portal()
    target = portal.goal if name.startswith("goal") else portal.body
    response = client.get(url(name, target) + f"?per={per}")
    assert response.status_code == 404
    assert gettext("The page could not be found") in response.content.decode()


def test_it_answers_404_for_a_period_not_yet_published_and_what_is_not_public(client, seed):
    portal = f.seed_portal()
    f.make_period(code="oppen", state=PeriodState.OPEN)
    hidden = f.make_goal(is_published=False)
    addresses = [
        url("goal_cms", portal.goal, per="oppen"),
        url("goal_cms", hidden),
        url("goal_embed", hidden),
        url("goal_cms_file", hidden),
        f"/export/plan/{portal.plan.slug}/mal/99/cms/",
        "/export/ansvariga/finns-inte/cms/",
        "/export/ansvariga/finns-inte/inbaddning/",
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 404, address
        assert gettext("The page could not be found") in response.content.decode()


def test_it_refuses_other_methods_and_sets_no_cookie(client, seed):
    portal = f.seed_portal()
    for name in ("goal_cms", "goal_cms_file", "goal_embed"):
        address = url(name, portal.goal)
        response = client.post(address)
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
        response = client.get(address)
        assert not response.cookies and "private" not in response.get("Cache-Control", "")
        assert client.head(address).status_code == 200


# --------------------------------------------------------------------------- query counts


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        get(client, address)
    return len(queries)


def counts(client, portal) -> dict[str, int]:
    period = portal.goal.assessments.published().order_by("period__date").first().period
    found = {}
    for name in ("goal_cms", "goal_cms_file", "goal_embed"):
        found[name] = count_queries(client, url(name, portal.goal))
        found[f"{name} per"] = count_queries(client, url(name, portal.goal, per=period.code))
    for name in ("body_cms", "body_cms_file", "body_embed"):
        found[name] = count_queries(client, url(name, portal.body))
    return found


@pytest.mark.django_db
def test_it_runs_a_fixed_number_of_queries_at_any_size(client):
    small = counts(client, f.build_portal(goals=2, assignments=2, periods=2))
    f.wipe_portal()
    big = counts(client, f.build_portal(goals=4, assignments=10, periods=4))
    assert small == big
    assert big == {
        "goal_cms": 9,
        "goal_cms per": 10,
        "goal_cms_file": 7,
        "goal_cms_file per": 8,
        "goal_embed": 7,
        "goal_embed per": 8,
        "body_cms": 7,
        "body_cms_file": 5,
        "body_embed": 5,
    }


# --------------------------------------------------------------------------- the link


def test_it_links_the_cms_page_from_a_goal_and_a_body(client, seed):
    portal = f.seed_portal()
    period = portal.goal.assessments.published().first().period
    for context, name, target in [
        ({"goal": portal.goal, "plan": portal.plan}, "goal_cms", portal.goal),
        ({"body": portal.body}, "body_cms", portal.body),
    ]:
        parsed = parse(render_to_string("exports/cms_link.html", context))
        address = parsed.one("a").attrs["href"]
        assert address == url(name, target)
        get(client, address)
        earlier = render_to_string("exports/cms_link.html", {**context, "export_period": period})
        assert parse(earlier).one("a").attrs["href"] == url(name, target, per=period.code)
    assert render_to_string("exports/cms_link.html", {}).strip() == ""


# --------------------------------------------------------------------------- sharing


def meta_tags(html: str) -> dict[str, str]:
    """The page's <meta> tags by name or property."""
    return {
        e.attrs.get("property") or e.attrs["name"]: e.attrs["content"]
        for e in parse(html).all("meta")
        if e.attrs.get("property") or e.attrs.get("name")
    }


def summary_of(total: int, *parts: tuple[str, str, int]) -> str:
    """The expected summary, from the message ids (whatever the translation)."""
    phrases = [ngettext(one, many, count) % {"count": count} for one, many, count in parts]
    assignments = ngettext("%(count)s assignment", "%(count)s assignments", total)
    return gettext("%(assignments)s: %(statuses)s") % {
        "assignments": assignments % {"count": total},
        "statuses": ", ".join(phrases),
    }


ON_TRACK = ("%(count)s on track", "%(count)s on track")
DELAYED = ("%(count)s not quite on track", "%(count)s not quite on track")
COMPLETED = ("%(count)s completed", "%(count)s completed")
UNASSESSED = ("%(count)s not yet assessed", "%(count)s not yet assessed")


def test_it_says_the_seed_goals_title_tagline_and_status_summary_when_shared(seed):
    portal = f.seed_portal()
    goal = Goal.objects.select_related("plan").get(pk=portal.goal.pk)
    tags = meta_tags(render_to_string("exports/_share_meta.html", {"goal": goal}))
    summary = summary_of(5, (*ON_TRACK, 4), (*DELAYED, 1))
    described = f"{goal.tagline}. {summary}"
    heading = gettext("Goal %(number)s. %(title)s") % {"number": 5, "title": goal.title}
    assert tags == {
        "description": described,
        "og:type": "website",
        "og:locale": "sv_SE",
        "og:site_name": gettext("Follow-up"),
        "og:title": heading,
        "og:description": described,
        "og:url": settings.PORTAL_URL + goal.get_absolute_url(),
        "twitter:card": "summary",
        "twitter:title": heading,
        "twitter:description": described,
    }
    given = render_to_string(
        "exports/_share_meta.html", {"goal": goal, "meta_description": "Egen beskrivning."}
    )
    assert meta_tags(given)["description"] == "Egen beskrivning."
    assert meta_tags(given)["og:description"] == described


def test_it_says_what_a_body_a_plan_and_any_other_page_is_when_shared(seed, rf):
    portal = f.seed_portal()
    body = meta_tags(render_to_string("exports/_share_meta.html", {"body": portal.body}))
    assert body["og:title"] == portal.body.name
    assert body["og:url"] == settings.PORTAL_URL + portal.body.get_absolute_url()
    assert portal.body.name in body["description"] == body["og:description"]
    plan = meta_tags(render_to_string("exports/_share_meta.html", {"plan": portal.plan}))
    assert plan["og:title"] == portal.plan.name
    assert plan["og:url"] == settings.PORTAL_URL + portal.plan.get_absolute_url()
    assert "2022–2024" in plan["description"]
    other = meta_tags(
        render_to_string(
            "exports/_share_meta.html",
            {"share_title": "Om kakor", "meta_description": "Sidan sätter inga kakor."},
            request=rf.get("/om-kakor/?utm_source=x"),
        )
    )
    assert other["og:title"] == "Om kakor"
    assert other["description"] == other["og:description"] == "Sidan sätter inga kakor."
    assert other["og:url"] == settings.PORTAL_URL + "/om-kakor/"


def test_it_summarises_the_statuses_most_frequent_first(db):
    tally = [
        (AssessmentStatus.COMPLETED, 1),
        (AssessmentStatus.ON_TRACK, 8),
        (AssessmentStatus.DELAYED, 3),
        (AssessmentStatus.NOT_CARRIED_OUT, 0),
        (None, 2),
    ]
    assert share.status_summary(tally) == summary_of(
        14, (*ON_TRACK, 8), (*DELAYED, 3), (*COMPLETED, 1), (*UNASSESSED, 2)
    )
    assert share.status_summary([]) == ""


def test_it_summarises_from_what_the_page_read_without_a_query(seed, django_assert_num_queries):
    portal = f.seed_portal()
    goal = portal.goal
    expected = summary_of(5, (*ON_TRACK, 4), (*DELAYED, 1))
    assignments = goal.assignments.for_page()  # the goal page's list
    with django_assert_num_queries(0):
        assert share.share_summary(goal, assignments) == expected
    prefetched = Goal.objects.filter(pk=goal.pk).with_assignments().get()  # the plan page's
    with django_assert_num_queries(0):
        assert share.share_summary(prefetched) == expected
    plain = Goal.objects.get(pk=goal.pk)
    with django_assert_num_queries(1):
        assert share.share_summary(plain) == expected
    with django_assert_num_queries(0):
        html = render_to_string(
            "exports/_share_meta.html", {"goal": goal, "share_assignments": assignments}
        )
    assert expected in meta_tags(html)["og:description"]


def test_it_hashes_each_style_attribute_once(seed):
    portal = f.seed_portal()
    html = cms.snippet_html(goal_content(portal.goal, as_of=None))
    hashes = cms.style_hashes(html)
    assert len(hashes) == len(set(hashes)) == 3  # green, yellow, red badges
    assert all(h.startswith("'sha256-") and h.endswith("='") for h in hashes)
