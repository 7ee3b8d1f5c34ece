"""The assignments page (/uppdrag/, goals/explore.py) and the search rule
(assignments/search.py): each filter, search, paging, htmx, junk and query counts, on SQLite
and on PostgreSQL.

The page's own labels are new message ids whose Swedish translations are compiled by the
integrator; until then they show in English, so these tests read data (addresses, counts,
data-status, the chosen <option>) rather than labels. The asserts marked LABEL check Swedish
text that must hold once the translations are compiled.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments import search
from assignments.models import Assessment, AssessmentStatus, Assignment, BodyKind
from goals import explore
from goals.models import PeriodState
from tests import factories as f

URL = "/uppdrag/"
HTMX = {"HX-Request": "true"}
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text and trigram search: PostgreSQL only"
)


# --------------------------------------------------------------------------- reading a page


RESULT = re.compile(r'<li class="assignment">\s*<h3><a href="([^"]+)"')


def results_html(html: str) -> str:
    """The swapped part of a page (or the whole fragment)."""
    start = html.index('<div id="explore-results"')
    return html[start:]


def found(client, headers=None, **params) -> list[str]:
    """The addresses of the assignments listed, in order."""
    response = client.get(URL, params, headers=headers or {})
    assert response.status_code == 200, params
    return RESULT.findall(results_html(response.content.decode()))


def count_of(html: str) -> int:
    """The number the live region announces."""
    match = re.search(r'<p id="explore-count"[^>]*>\D*(\d+)', html)
    assert match, "no count"
    return int(match.group(1))


def chosen(html: str, name: str) -> str:
    """The value of the <option> chosen in the <select> `name` ("" when none is chosen:
    the browser shows the first, "all")."""
    select = re.search(
        rf'<select id="explore-{name}" name="{name}"[^>]*>(.*?)</select>', html, re.S
    )
    assert select, name
    picked = re.findall(r'<option value="([^"]*)" selected>', select.group(1))
    assert len(picked) <= 1
    return picked[0] if picked else ""


def statuses(html: str) -> list[str]:
    """The data-status of each result's badge, in order ("none": not assessed)."""
    items = results_html(html).split('<li class="assignment">')[1:]
    found_ = []
    for item in items:
        match = re.search(r'data-status="(\w+)"', item)
        found_.append(match.group(1) if match else "none")
    return found_


# --------------------------------------------------------------------------- test data


@dataclass
class Data:
    plan_a: object
    plan_b: object
    earlier: object  # period, April 2022
    later: object  # period, August 2022
    k1: object  # committee
    k2: object  # committee
    company: object
    preschool: Assignment  # plan A goal 1, k1: delayed in April, on track in August
    housing: Assignment  # plan A goal 1, the company, added 2023: delayed in August
    energy: Assignment  # plan A goal 2, all committees: completed in August
    safety: Assignment  # plan B goal 1, k2: not assessed

    def url(self, assignment) -> str:
        return assignment.get_absolute_url()


@pytest.fixture
def data(db) -> Data:
    plan_a = f.make_plan(code="plan-a", name="Mål och budget 2022–2024")
    plan_b = f.make_plan(
        code="plan-b", name="Mål och budget 2025–2027", start_year=2025, end_year=2027
    )
    goal_a1 = f.make_goal(plan_a, title="Barn och unga ska ha goda uppväxtvillkor")
    goal_a2 = f.make_goal(plan_a, title="Kommunen ska vara klimatneutral")
    goal_b1 = f.make_goal(plan_b, title="Alla ska känna sig trygga")
    earlier = f.make_period(code="2022-04", name="April 2022", date=datetime.date(2022, 4, 30))
    later = f.make_period(code="2022-08", name="Augusti 2022", date=datetime.date(2022, 8, 31))
    f.make_period(
        code="2022-12",
        name="December 2022",
        date=datetime.date(2022, 12, 31),
        state=PeriodState.OPEN,
    )
    k1 = f.make_body(code="K1", name="Utbildningsnämnden")
    k2 = f.make_body(code="K2", name="Socialnämnden")
    company = f.make_body(code="B1", name="Bostadsbolaget AB", kind=BodyKind.COMPANY)

    preschool = f.make_assignment(
        goal_a1, bodies=[k1], title="Utveckla förskolans pedagogiska arbete"
    )
    f.make_assessment(
        preschool,
        earlier,
        status=AssessmentStatus.DELAYED,
        text="Arbetet har försenats av vakanser.",
    )
    f.make_assessment(preschool, later, text="Nya lärplaner har tagits fram under våren.")
    f.make_assessment(
        preschool,
        f.make_period(code="2022-10", name="Oktober 2022", date=datetime.date(2022, 10, 31)),
        status=AssessmentStatus.COMPLETED,
        text="Utkast om simhallarna som inte får synas.",
        is_published=False,
    )
    housing = f.make_assignment(
        goal_a1, bodies=[company], title="Öka antalet bostäder för unga vuxna", added_year=2023
    )
    f.make_assessment(
        housing, later, status=AssessmentStatus.DELAYED, text="Bostadsbristen kvarstår i kommunen."
    )
    energy = f.make_assignment(
        goal_a2, title="Minska energianvändningen i egna lokaler", all_committees=True
    )
    f.make_assessment(
        energy,
        later,
        status=AssessmentStatus.COMPLETED,
        text="Solceller har satts upp på förskolor.",
    )
    safety = f.make_assignment(goal_b1, bodies=[k2], title="Kartlägga behovet av trygghetsboenden")

    hidden_goal = f.make_goal(plan_a, title="Opublicerat mål", is_published=False)
    f.make_assignment(hidden_goal, bodies=[k1], title="Bygga simhallar i varje stadsdel")
    hidden_plan = f.make_plan(code="plan-c", start_year=2028, end_year=2030, is_published=False)
    f.make_assignment(
        f.make_goal(hidden_plan), bodies=[k1], title="Simhallar i en opublicerad plan"
    )
    return Data(
        plan_a=plan_a,
        plan_b=plan_b,
        earlier=earlier,
        later=later,
        k1=k1,
        k2=k2,
        company=company,
        preschool=preschool,
        housing=housing,
        energy=energy,
        safety=safety,
    )


def urls(*assignments) -> list[str]:
    return [a.get_absolute_url() for a in assignments]


# --------------------------------------------------------------------------- the list


def test_it_lists_every_public_assignment_newest_plan_first(client, data):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert RESULT.findall(results_html(html)) == urls(
        data.safety, data.preschool, data.housing, data.energy
    )
    assert count_of(html) == 4
    assert statuses(html) == ["none", "on_track", "delayed", "completed"]


def test_it_shows_each_results_goal_bodies_and_assessment(client, data):
    html = results_html(client.get(URL, {"q": "bostäder"}).content.decode())
    goal = data.housing.goal
    assert f'<a href="{goal.get_absolute_url()}">' in html
    assert "Inriktningsmål 1. Barn och unga ska ha goda uppväxtvillkor" in html
    assert f'<a href="{data.company.get_absolute_url()}">Bostadsbolaget AB</a>' in html
    assert "Bostadsbristen kvarstår i kommunen." in html
    assert "Bedömning (per augusti 2022):" in html
    assert "Tillkommande uppdrag 2023:" in html


def test_it_shows_its_labels_in_swedish(client, data):
    """The page's own texts, in Swedish."""
    html = client.get(URL, {"q": "bostäder"}).content.decode()
    for label in [
        "<h1>Uppdrag</h1>",
        "Sök i rubriker och bedömningar",
        "Ansvarig nämnd eller bolag",
        "Bara tillkommande uppdrag",
        "1 uppdrag hittades.",
        f"Uppdrag {data.housing.number} under",
        "<title>Uppdrag som matchar ”bostäder”",
    ]:
        assert label in html, label


def test_it_is_reached_by_its_name(data):
    assert reverse("goals:assignments") == URL


# --------------------------------------------------------------------------- each filter


def test_it_filters_by_status(client, data):
    assert found(client, status="delayed") == urls(data.housing)
    assert found(client, status="on_track") == urls(data.preschool)
    assert found(client, status="completed") == urls(data.energy)
    assert found(client, status="not_carried_out") == []
    assert chosen(client.get(URL, {"status": "delayed"}).content.decode(), "status") == "delayed"


def test_it_filters_by_responsible_body_named_or_given_to_all_of_its_kind(client, data):
    assert found(client, ansvarig=data.k1.slug) == urls(data.preschool, data.energy)
    assert found(client, ansvarig=data.k2.slug) == urls(data.safety, data.energy)
    assert found(client, ansvarig=data.company.slug) == urls(data.housing)


def test_it_filters_by_plan_and_by_goal(client, data):
    assert found(client, plan=data.plan_b.slug) == urls(data.safety)
    assert found(client, plan=data.plan_a.slug) == urls(data.preschool, data.housing, data.energy)
    assert found(client, mal=f"{data.plan_a.slug}:2") == urls(data.energy)
    assert found(client, mal=f"{data.plan_a.slug}:1") == urls(data.preschool, data.housing)
    html = client.get(URL, {"mal": f"{data.plan_a.slug}:2"}).content.decode()
    assert chosen(html, "mal") == f"{data.plan_a.slug}:2"


def test_it_filters_the_additional_assignments(client, data):
    assert found(client, tillkommande="ja") == urls(data.housing)
    assert found(client, tillkommande="2023") == urls(data.housing)
    assert found(client, tillkommande="2024") == []


def test_it_shows_the_status_and_assessment_as_of_a_period(client, data):
    html = client.get(URL, {"per": data.earlier.code}).content.decode()
    assert RESULT.findall(results_html(html)) == urls(
        data.safety, data.preschool, data.housing, data.energy
    )
    assert statuses(html) == ["none", "delayed", "none", "none"]
    assert "Arbetet har försenats av vakanser." in html
    assert "Nya lärplaner" not in html
    assert chosen(html, "per") == data.earlier.code
    assert found(client, per=data.earlier.code, status="delayed") == urls(data.preschool)
    assert found(client, per=data.later.code, status="delayed") == urls(data.housing)
    assert found(client, per=data.later.code, status="on_track") == urls(data.preschool)


def test_it_searches_only_the_texts_published_by_the_period(client, data):
    assert found(client, q="lärplaner") == urls(data.preschool)
    assert found(client, q="lärplaner", per=data.later.code) == urls(data.preschool)
    assert found(client, q="lärplaner", per=data.earlier.code) == []
    assert found(client, q="vakanser", per=data.earlier.code) == urls(data.preschool)


def test_it_combines_the_filters(client, data):
    assert found(client, plan=data.plan_a.slug, status="delayed") == urls(data.housing)
    assert found(client, ansvarig=data.k1.slug, status="completed") == urls(data.energy)
    assert found(client, ansvarig=data.k1.slug, mal=f"{data.plan_a.slug}:1") == urls(data.preschool)
    assert found(client, ansvarig=data.company.slug, tillkommande="ja", status="delayed") == urls(
        data.housing
    )
    assert found(client, q="förskol", ansvarig=data.k1.slug) == urls(data.preschool, data.energy)
    assert found(client, q="förskol", status="completed") == urls(data.energy)
    assert found(client, plan=data.plan_b.slug, mal=f"{data.plan_a.slug}:1") == []


def test_it_says_when_nothing_matches(client, data):
    html = client.get(URL, {"q": "zyxwvutsrq"}).content.decode()
    assert count_of(html) == 0
    assert 'class="explore-empty"' in html
    assert f'<a href="{URL}">' in results_html(html)  # back to every assignment


# --------------------------------------------------------------------------- junk


@pytest.mark.parametrize(
    "params",
    [
        {"status": "purple"},
        {"ansvarig": "finns-inte"},
        {"plan": "finns-inte"},
        {"mal": "finns-inte:1"},
        {"mal": "plan-a:x"},
        {"per": "finns-inte"},
        {"per": "2022-12"},  # a period not published
        {"tillkommande": "nej"},
        {"tillkommande": "1066"},
        {"sida": "abc"},
        {"sida": "-1"},
        {"sida": "0"},
        {"sida": "9" * 30},
        {"sida": "١"},  # a digit, but not ASCII
        {"status": "x" * 5000, "ansvarig": "\x00", "plan": "<script>", "q": ""},
    ],
)
def test_it_leaves_out_a_filter_whose_value_names_nothing(client, data, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert RESULT.findall(results_html(html)) == urls(
        data.safety, data.preschool, data.housing, data.energy
    )
    for name in ("status", "ansvarig", "plan", "mal", "per", "tillkommande"):
        assert chosen(html, name) == "", name
    assert "<script>" not in html.split("</head>", 1)[1]


def test_it_takes_any_search_text_without_failing(client, data):
    for text in ["\x00", "a\x00b", "%", "_", "\\", "'", '"', "(", "-", "or", "!", "&|", "ö" * 300]:
        response = client.get(URL, {"q": text})
        assert response.status_code == 200, repr(text)
    html = client.get(URL, {"q": "<b>fet</b>"}).content.decode()
    assert "<b>fet</b>" not in html
    assert 'value="&lt;b&gt;fet&lt;/b&gt;"' in html


def test_it_cleans_the_search_text():
    assert search.cleaned("  förskola \x00 och\tbarn\n ") == "förskola och barn"
    assert search.cleaned(None) == ""
    assert len(search.cleaned("x" * 1000)) == search.MAX_LENGTH
    assert search.words("a b a c") == ["a", "b", "c"]


def test_it_takes_the_last_of_repeated_values(client, data):
    assert found(client, status=["completed", "delayed"]) == urls(data.housing)


def test_it_is_cached_by_what_it_reads_and_sets_no_cookie(client, data, page_cache):
    first = client.get(URL, {"q": "förskol", "status": "completed"})
    assert first["X-Page-Cache"] == "miss"
    assert not first.cookies
    again = client.get(URL, {"status": "completed", "q": "förskol", "utm_source": "x"})
    assert again["X-Page-Cache"] == "hit"
    assert RESULT.findall(results_html(again.content.decode())) == urls(data.energy)
    # An unknown status is the page without it.
    client.get(URL)
    assert client.get(URL, {"status": "purple"})["X-Page-Cache"] == "hit"


def test_it_answers_head_and_refuses_post(client, data):
    assert client.head(URL, {"q": "förskola"}).status_code == 200
    assert client.post(URL, {"q": "förskola"}).status_code == 405


# --------------------------------------------------------------------------- search


def test_it_searches_titles_and_assessment_texts_in_any_case(client, data):
    assert found(client, q="pedagogiska") == urls(data.preschool)
    assert found(client, q="PEDAGOGISKA") == urls(data.preschool)
    assert found(client, q="Bostadsbristen") == urls(data.housing)  # a text
    assert found(client, q="solceller") == urls(data.energy)  # a text, another case
    assert found(client, q="bostad") == urls(data.housing)  # within a longer word
    assert found(client, q="öka") == urls(data.housing)  # "Öka": å, ä, ö in another case
    assert found(client, q="ÖKA ANTALET") == urls(data.housing)
    assert found(client, q="förskolans arbete") == urls(data.preschool)  # every word


def test_it_ranks_a_title_before_a_text(client, data):
    # "förskol" is in the title of the preschool assignment and in a text of the energy one.
    assert found(client, q="förskol") == urls(data.preschool, data.energy)


def test_it_never_finds_drafts_or_unpublished_goals_and_plans(client, data):
    assert found(client, q="simhallar") == []
    assert found(client, q="simhallarna") == []
    assert found(client, q="Opublicerat") == []


def test_it_never_shows_unpublished_content_of_a_generated_portal(client, db):
    portal = f.build_portal()
    pages = [{}, {"per": portal.plan.code}]
    for hidden in portal.hidden_texts:
        pages.append({"q": " ".join(hidden.split()[:3])})
        pages.append({"q": hidden[:60]})
    for params in pages:
        html = client.get(URL, params).content.decode()
        if "q" in params:  # the text searched is shown in the form and the title
            html = results_html(html)
        assert [hidden for hidden in portal.hidden_texts if hidden in html] == [], params


@postgresql_only
def test_it_finds_an_inflected_form_first_on_postgresql(client, db):
    f.build_portal(goals=3, assignments=10, periods=2)  # titles and texts to search among
    preschool = f.make_assignment(title="Utveckla förskolans pedagogiska arbete")
    url = preschool.get_absolute_url()
    # The Swedish stemmer takes "pedagogiskt", "pedagogisk" and "pedagogiska" to one stem.
    assert found(client, q="pedagogiskt")[0] == url
    assert found(client, q="pedagogisk")[0] == url
    assert found(client, q="pedagogiskt arbete")[0] == url
    # ... and "förskolan" and "förskolans" (the generated titles have it too).
    assert url in found(client, q="förskolan")


@postgresql_only
def test_it_finds_a_one_letter_typo_first_on_postgresql(client, db):
    f.build_portal(goals=3, assignments=10, periods=2)
    preschool = f.make_assignment(title="Utveckla förskolans pedagogiska arbete")
    url = preschool.get_absolute_url()
    assert found(client, q="pedagpgiska")[0] == url  # a letter replaced
    assert found(client, q="pedagogska")[0] == url  # a letter left out
    assert found(client, q="pedaggogiska")[0] == url  # a letter doubled
    assert found(client, q="pedagpgiska arbete")[0] == url


@postgresql_only
def test_it_finds_inflected_forms_in_the_texts_on_postgresql(client, data):
    # "kommunen" in the text; "kommunens" stems to the same word.
    assert found(client, q="kommunens") == urls(data.housing)
    assert found(client, q="lärplan") == urls(data.preschool)


def test_it_finds_on_postgresql_at_least_what_a_plain_search_finds(client, data):
    """Every assignment whose title or one text holds every word is found on both
    databases, in the same order when the rank is the same."""
    for text in ["förskol", "bostäder", "energi", "kommunen", "trygghet", "lokaler"]:
        expected = [
            a.get_absolute_url()
            for a in (data.safety, data.preschool, data.housing, data.energy)
            if text.casefold() in a.title.casefold()
            or any(text.casefold() in s.text.casefold() for s in a.assessments.published())
        ]
        assert set(expected) <= set(found(client, q=text)), text


# --------------------------------------------------------------------------- paging


@pytest.fixture
def many(db):
    goal = f.make_goal(f.make_plan(code="stor"))
    body = f.make_body()
    period = f.make_period()
    made = []
    for n in range(1, 46):
        assignment = f.make_assignment(goal, bodies=[body], title=f"Uppdrag om parker nummer {n}")
        f.make_assessment(assignment, period)
        made.append(assignment)
    return made


def test_it_shows_a_page_at_a_time(client, many):
    pages = [found(client, sida=str(n)) for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [20, 20, 5]
    assert [url for page in pages for url in page] == urls(*many)
    assert found(client, sida="4") == pages[2]  # past the last: the last
    assert found(client) == pages[0]
    html = client.get(URL, {"sida": "2"}).content.decode()
    assert count_of(html) == 45
    assert re.search(r'<a id="explore-page-2" href="\?sida=2"[^>]* aria-current="page">', html)
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert re.findall(r'id="explore-page-(\d+)"', html) == ["1", "2", "3"]


def test_it_elides_the_middle_of_many_pages(client, many, monkeypatch):
    monkeypatch.setattr(explore, "PAGE_SIZE", 2)
    html = client.get(URL, {"sida": "12"}).content.decode()
    assert re.findall(r'id="explore-page-(\d+)"', html) == [
        "1",
        "2",
        "9",
        "10",
        "11",
        "12",
        "13",
        "14",
        "15",
        "22",
        "23",
    ]
    assert html.count('<span aria-hidden="true">…</span>') == 2
    assert found(client, sida="23") == urls(*many[44:])


def test_its_page_links_keep_the_search_and_filters(client, many):
    html = client.get(URL, {"q": "parker", "status": "on_track"}).content.decode()
    assert count_of(html) == 45
    assert 'href="?q=parker&amp;status=on_track&amp;sida=2"' in html
    html = client.get(URL, {"q": "parker", "sida": "3"}).content.decode()
    assert 'id="explore-page-previous" href="?q=parker&amp;sida=2"' in html


def test_it_resets_the_page_when_the_search_changes(client, many):
    """The form sends no page: a new search starts at its first page."""
    html = client.get(URL, {"sida": "3"}).content.decode()
    form = html[html.index('<form id="explore-form"') :]
    form = form[: form.index("</form>")]
    assert 'name="sida"' not in form


# --------------------------------------------------------------------------- htmx


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "förskol"},
        {"status": "delayed"},
        {"ansvarig": "k1", "status": "completed"},
        {"per": "2022-04", "status": "delayed"},
        {
            "q": "",
            "status": "",
            "ansvarig": "",
            "plan": "",
            "mal": "",
            "per": "",
            "tillkommande": "",
        },
        {"tillkommande": "2024"},
    ],
)
def test_it_answers_htmx_with_the_same_results_as_the_whole_page(client, data, params):
    page = client.get(URL, params).content.decode()
    fragment = client.get(URL, params, headers=HTMX)
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="explore-results"')
    assert "<html" not in html and "<form" not in html
    assert RESULT.findall(html) == RESULT.findall(results_html(page))
    assert count_of(html) == count_of(page)
    assert 'data-hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in fragment["Vary"]


def test_it_gives_the_whole_page_to_an_htmx_history_restore(client, data):
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    html = client.get(URL, {"q": "förskol"}, headers=headers).content.decode()
    assert "<html" in html and '<form id="explore-form"' in html


def test_its_form_works_without_javascript_and_with_htmx(client, data):
    html = client.get(URL).content.decode()
    form = html[html.index('<form id="explore-form"') :]
    form = form[: form.index("</form>")]
    assert 'method="get"' in form and f'action="{URL}"' in form
    assert '<button type="submit">' in form
    assert f'data-hx-get="{URL}"' in form
    assert 'data-hx-push-url="true"' in form
    assert 'data-hx-target="#explore-results"' in form
    # Every control has its label.
    for control in re.findall(r'<(?:input|select) id="([^"]+)"', form):
        assert f'<label for="{control}">' in form, control
    assert re.search(r'<p id="explore-count"[^>]* role="status"', html)
    assert "htmx" in html  # base.html loads htmx on this page


# --------------------------------------------------------------------------- SQL queries


def query_counts(client, portal) -> dict[str, int]:
    newest = (
        Assessment.objects.published()
        .filter(assignment__goal__plan=portal.plan)
        .order_by("period__date")
        .last()
    )
    per = newest.period.code
    pages = {
        "page": ({}, {}),
        "fragment": ({}, HTMX),
        "search": ({"q": "arbete"}, {}),
        "search fragment": ({"q": "arbete"}, HTMX),
        "filtered": ({"ansvarig": portal.body.slug, "plan": portal.plan.slug}, {}),
        "status": ({"status": "on_track"}, {}),
        "as of a period": ({"per": per}, {}),
        "as of a period, by status": ({"per": per, "status": "on_track"}, {}),
        "searched as of a period": ({"per": per, "q": "arbete"}, {}),
        "page 2": ({"sida": "2"}, {}),
    }
    counts = {}
    for name, (params, headers) in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, params, headers=headers)
        assert response.status_code == 200, name
        assert RESULT.findall(response.content.decode()), name  # a list, not the empty page
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_it_runs_a_fixed_number_of_queries_at_any_size(client):
    small = query_counts(client, f.build_portal(goals=2, assignments=12, periods=2))
    f.wipe_portal()
    big = query_counts(client, f.build_portal(goals=6, assignments=30, periods=6))
    assert small == big
    assert big == {
        "page": 7,
        "fragment": 6,
        "search": 8,
        "search fragment": 7,
        "filtered": 7,
        "status": 7,
        "as of a period": 9,
        "as of a period, by status": 9,
        "searched as of a period": 10,
        "page 2": 7,
    }


# --------------------------------------------------------------------------- the module


def test_it_declares_every_query_parameter_it_reads():
    assert set(explore.assignment_list.page_query_params) == {
        "q",
        "status",
        "ansvarig",
        "plan",
        "mal",
        "per",
        "tillkommande",
        "sida",
    }


def test_it_names_a_goal_by_its_plan_and_number(data):
    assert explore.goal_value(data.energy.goal) == f"{data.plan_a.slug}:2"
