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
from goals.models import Goal, PeriodState, ReportingPeriod
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


def urls(*assignments, per: str = "") -> list[str]:
    """The assignments' addresses, as of the period `per` (its code) when given."""
    query = f"?per={per}" if per else ""
    return [a.get_absolute_url() + query for a in assignments]


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
    earlier, later = data.earlier.code, data.later.code
    html = client.get(URL, {"per": earlier}).content.decode()
    # The housing assignment, added in 2023, did not exist in 2022: left out.
    assert RESULT.findall(results_html(html)) == urls(
        data.safety, data.preschool, data.energy, per=earlier
    )
    assert statuses(html) == ["none", "delayed", "none"]
    assert "Arbetet har försenats av vakanser." in html
    assert "Nya lärplaner" not in html
    assert chosen(html, "per") == earlier
    assert 'data-as-of="2022-04-30"' in results_html(html)
    assert found(client, per=earlier, status="delayed") == urls(data.preschool, per=earlier)
    assert found(client, per=later, status="delayed") == []
    assert found(client, per=later, status="on_track") == urls(data.preschool, per=later)
    assert found(client, per=later, status="completed") == urls(data.energy, per=later)


def test_it_searches_only_the_texts_published_by_the_period(client, data):
    assert found(client, q="lärplaner") == urls(data.preschool)
    assert found(client, q="lärplaner", per=data.later.code) == urls(
        data.preschool, per=data.later.code
    )
    assert found(client, q="lärplaner", per=data.earlier.code) == []
    assert found(client, q="vakanser", per=data.earlier.code) == urls(
        data.preschool, per=data.earlier.code
    )


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


# --------------------------------------------------------------------------- as of a period


def hrefs_of_results(html: str) -> list[str]:
    """Every address linked from the assignments found (titles, goals, bodies, history)."""
    items = results_html(html).split('<li class="assignment">')[1:]
    items[-1] = items[-1].split("</ol>", 1)[0]
    return [href for item in items for href in re.findall(r'href="([^"]+)"', item)]


def test_it_keeps_the_period_in_every_link_of_the_results(client, data):
    later = data.later.code
    html = client.get(URL, {"q": "förskol", "per": later}).content.decode()
    links = hrefs_of_results(html)
    assert RESULT.findall(results_html(html)) == urls(data.preschool, data.energy, per=later)
    goal = data.preschool.goal.get_absolute_url()
    assert f"{goal}?per={later}" in links
    assert f"{data.k1.get_absolute_url()}?per={later}" in links
    assert f"{data.preschool.get_absolute_url()}?per={later}" in links  # and "all 2 ..."
    assert links and all(link.endswith(f"?per={later}") for link in links), links
    # As of the latest: the plain addresses.
    assert not any("per=" in link for link in hrefs_of_results(client.get(URL).content.decode()))


def test_its_page_links_keep_the_period(client, many):
    period = many[0].assessments.get().period
    html = client.get(URL, {"per": period.code, "sida": "2"}).content.decode()
    assert f'href="?per={period.code}&amp;sida=3"' in html
    assert all(link.endswith(f"?per={period.code}") for link in hrefs_of_results(html))


def test_it_leaves_out_the_assignments_added_after_the_period_and_says_how_many(client, data):
    html = client.get(URL, {"per": data.earlier.code}).content.decode()
    assert data.housing.get_absolute_url() not in html
    assert count_of(html) == 3
    assert 'data-later="1"' in html
    assert "1 uppdrag som tillkom senare visas inte." in results_html(html)
    # Also with a status, a search and the other filters.
    delayed = client.get(URL, {"per": data.later.code, "status": "delayed"}).content.decode()
    assert RESULT.findall(results_html(delayed)) == []
    assert 'data-later="1"' in delayed
    assert found(client, per=data.later.code, q="bostäder") == []
    assert found(client, per=data.later.code, mal=f"{data.plan_a.slug}:1") == urls(
        data.preschool, per=data.later.code
    )
    # Those added in a year after the period's: none (not the later ones).
    html = client.get(URL, {"per": data.later.code, "tillkommande": "2023"}).content.decode()
    assert RESULT.findall(results_html(html)) == [] and 'data-later="1"' in html
    assert found(client, per=data.later.code, tillkommande="ja") == []
    # As of the latest, and as of a period when none was added later: no note.
    for params in ({}, {"per": data.later.code, "plan": data.plan_b.slug}):
        assert "data-later" not in client.get(URL, params).content.decode(), params


GOAL_PAGE_ITEM = re.compile(
    r'<li class="assignment" id="uppdrag-\d+">\s*<h3><span class="assignment-number">[^<]*</span>'
    r'\s*<a href="([^"]+)"'
)


def goal_page_statuses(page: str) -> list[str]:
    """The data-status of each assignment's badge on a goal page ("none": not assessed)."""
    items = page[page.index('<div id="assignment-list"') :].split('<li class="assignment"')[1:]
    return [m.group(1) if (m := re.search(r'data-status="(\w+)"', i)) else "none" for i in items]


def test_it_lists_what_the_goal_pages_list_as_of_each_period(client, db):
    """For every goal and period, the goal page as of the period and this page filtered by
    the goal list the same assignments, with the same statuses, and leave out as many."""
    portal = f.build_portal(goals=2, assignments=8, periods=4)
    for period in ReportingPeriod.objects.filter(state=PeriodState.PUBLISHED):
        for goal in Goal.objects.published().filter(plan=portal.plan):
            per = {"per": period.code}
            page = client.get(goal.get_absolute_url(), per).content.decode()
            listed = client.get(URL, {**per, "mal": explore.goal_value(goal)}).content.decode()
            assert RESULT.findall(results_html(listed)) == GOAL_PAGE_ITEM.findall(page)
            assert statuses(listed) == goal_page_statuses(page)
            later = re.search(r'<p class="asof-later">([^<]*)</p>', page)
            mine = re.search(r'<p class="explore-later[^"]*" data-later="\d+">([^<]*)</p>', listed)
            assert (later and later.group(1)) == (mine and mine.group(1)), (goal, period)


def test_it_counts_the_assessments_over_time_up_to_the_period(client, data):
    newer = f.make_period(code="2023-04", name="April 2023", date=datetime.date(2023, 4, 30))
    f.make_assessment(data.preschool, newer, text="Lärplanerna används i alla förskolor.")
    history = re.compile(r'<p><a href="([^"]+)">Alla (\d+) bedömningar över tid</a></p>')

    def counts(**params):
        html = results_html(client.get(URL, {"q": "pedagogiska", **params}).content.decode())
        return history.findall(html)

    url = data.preschool.get_absolute_url()
    assert counts() == [(url, "3")]
    assert counts(per=data.later.code) == [(f"{url}?per={data.later.code}", "2")]
    assert counts(per=data.later.code, status="on_track") == [(f"{url}?per={data.later.code}", "2")]
    assert counts(per=data.earlier.code) == []  # one assessment then: no link
    assert counts(per=data.earlier.code, status="delayed") == []
    # The goal page as of the period says the same.
    goal_page = client.get(data.preschool.goal.get_absolute_url(), {"per": data.later.code})
    assert "Alla 2 bedömningar över tid" in goal_page.content.decode()


def test_it_says_when_the_period_asked_for_is_not_found(client, data):
    for code in ["finns-inte", "2022-12", "x" * 100, "2022-04\x00"]:  # 2022-12: not published
        response = client.get(URL, {"per": code})
        assert response.status_code == 200
        html = results_html(response.content.decode())
        assert "data-unknown-period" in html, code
        assert RESULT.findall(html) == urls(data.safety, data.preschool, data.housing, data.energy)
        assert "data-as-of" not in html
        fragment = client.get(URL, {"per": code}, headers=HTMX).content.decode()
        assert "data-unknown-period" in fragment
    for params in ({}, {"per": ""}, {"per": data.earlier.code}):
        assert "data-unknown-period" not in client.get(URL, params).content.decode(), params


def test_its_new_labels_are_in_swedish(client, data):
    html = client.get(URL, {"per": "finns-inte"}).content.decode()
    assert "Perioden som efterfrågades kunde inte hittas. De senaste bedömningarna visas." in html


def option_labels(html: str, name: str) -> dict[str, str]:
    """The label of each <option> of the <select> `name`, by value."""
    select = re.search(
        rf'<select id="explore-{name}" name="{name}"[^>]*>(.*?)</select>', html, re.S
    )
    assert select, name
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)))


def test_it_names_the_periods_by_their_dates_in_the_pages_language(client, data):
    labels = option_labels(client.get(URL).content.decode(), "per")
    assert labels[data.later.code] == "Augusti 2022"
    assert labels[data.earlier.code] == "April 2022"
    assert "2022-12" not in labels  # not published
    english = option_labels(client.get("/en" + URL).content.decode(), "per")
    assert english[data.later.code] == "August 2022"
    # Two periods of one month: by their days.
    f.make_period(code="2022-08-extra", name="Extra", date=datetime.date(2022, 8, 15))
    labels = option_labels(client.get(URL).content.decode(), "per")
    assert labels[data.later.code] == "31 augusti 2022"
    assert labels["2022-08-extra"] == "15 augusti 2022"
    assert labels[data.earlier.code] == "April 2022"


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


def test_it_searches_what_is_left_of_a_text_with_control_characters(client, data):
    for text in ["lärplaner\x00", "\x00lärplaner", "lär\x00planer", "lärplaner\x1b\x7f"]:
        response = client.get(URL, {"q": text})
        html = response.content.decode()
        assert RESULT.findall(results_html(html)) == urls(data.preschool), repr(text)
    html = client.get(URL, {"q": "förskolans\x00arbete"}).content.decode()
    assert RESULT.findall(results_html(html)) == urls(data.preschool)
    assert 'value="förskolans arbete"' in html
    assert "<title>Uppdrag som matchar ”förskolans arbete”" in html
    # Nothing but control characters: no search, every assignment.
    html = client.get(URL, {"q": "\x00\x01"}).content.decode()
    assert count_of(html) == 4
    assert "<title>Uppdrag –" in html


def test_it_offers_every_year_an_assignment_was_added_in(client, data):
    early = f.make_assignment(
        data.preschool.goal, bodies=[data.k1], title="Starta ett pilotprojekt", added_year=2021
    )
    labels = option_labels(client.get(URL).content.decode(), "tillkommande")
    assert list(labels)[1:] == ["ja", "2027", "2026", "2025", "2024", "2023", "2022", "2021"]
    assert found(client, tillkommande="2021") == urls(early)
    html = client.get(URL, {"tillkommande": "2021"}).content.decode()
    assert chosen(html, "tillkommande") == "2021"
    assert found(client, tillkommande="2020") == urls(  # not a choice: left out
        data.safety, data.preschool, data.housing, early, data.energy
    )


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


@pytest.mark.parametrize(
    ("sida", "page"),
    [
        ("3", 3),
        ("4", 3),
        ("999999", 3),
        ("1000000", 3),
        ("9" * 30, 3),
        ("9" * 5000, 3),
        ("0002", 2),
        ("0" * 40 + "2", 2),
        ("0", 1),
        ("000", 1),
        ("-1", 1),
        ("-1000000", 1),
        ("abc", 1),
        ("2.5", 1),
        ("1e3", 1),
        (" 2", 1),
        ("", 1),
    ],
)
def test_it_shows_the_last_page_past_the_end_and_the_first_for_junk(client, many, sida, page):
    html = client.get(URL, {"sida": sida}).content.decode()
    assert re.search(rf'<a id="explore-page-{page}" [^>]* aria-current="page">', html), sida
    assert RESULT.findall(results_html(html))[0] == many[(page - 1) * 20].get_absolute_url()


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


def page_title(html: str) -> str:
    titles = re.findall(r"<title>([^<]*)</title>", html)
    assert len(titles) == 1, titles
    return titles[0]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (URL, {}),
        (URL, {"q": "förskol"}),
        (URL, {"q": "förskol", "status": "completed"}),
        (URL, {"per": "2022-04", "status": "delayed"}),
        ("/en" + URL, {"q": "förskol", "status": "completed"}),
    ],
)
def test_its_fragment_gives_the_document_its_title(client, data, path, params):
    """htmx 2 takes a <title> at the top level of a fragment for document.title."""
    page = page_title(client.get(path, params).content.decode())
    html = client.get(path, params, headers=HTMX).content.decode()
    assert page_title(html) == page
    top_level = re.fullmatch(
        r'\s*<div id="explore-results".*</div>\s*'
        r'<a id="language-switch-[a-z]+"[^>]*data-hx-swap-oob="true">[^<]*</a>'
        r'\s*<p id="explore-count"[^>]*>[^<]*</p>\s*'
        r"<title>[^<]*</title>\s*",
        html,
        re.S,
    )
    assert top_level, html[-400:]


def test_its_fragments_title_names_the_search_and_page(client, many):
    html = client.get(URL, {"q": "parker", "sida": "2"}, headers=HTMX).content.decode()
    assert "<title>Uppdrag som matchar ”parker” (sida 2) – Uppföljning" in html


# --------------------------------------------------------------------------- in English


def test_it_marks_the_municipalitys_swedish_texts_on_the_english_page(client, data):
    html = client.get("/en" + URL, {"q": "bostäder"}).content.decode()
    assert '<html lang="en">' in html
    results = results_html(html)
    assert '<span lang="sv">Öka antalet bostäder för unga vuxna</span></a>' in results
    assert '<span lang="sv">Barn och unga ska ha goda uppväxtvillkor</span></a>' in results
    assert '(<span lang="sv">Mål och budget 2022–2024</span>)' in results
    assert re.search(r'<a href="[^"]+" lang="sv">Bostadsbolaget AB</a>', results)
    assert (
        '<div class="prose" lang="sv"><p>Bostadsbristen kvarstår i kommunen.</p></div>' in results
    )
    # The interface's own texts are English: not marked.
    assert "Additional assignment 2023:" in results
    assert 'lang="sv">Additional' not in results
    # The filters' options of names and titles are marked; the interface's are not.
    start = html.index('<form id="explore-form"')
    form = html[start : html.index("</form>", start)]
    assert f'<option value="{data.k1.slug}" lang="sv">Utbildningsnämnden</option>' in form
    assert f'<option value="{data.plan_b.slug}" lang="sv">Mål och budget 2025–2027</option>' in form
    assert '<optgroup label="Mål och budget 2025–2027" lang="sv">' in form
    assert (
        f'<option value="{data.plan_b.slug}:1" lang="sv">1. Alla ska känna sig trygga</option>'
        in form
    )
    assert '<option value="" selected>All committees and companies</option>' in form
    assert '<optgroup label="Committees">' in form
    assert re.search(r'<option value="on_track">[^<]+</option>', form)
    assert re.search(rf'<option value="{data.later.code}">August 2022</option>', form)


def test_it_marks_the_texts_also_as_of_a_period_and_in_its_fragment(client, data):
    params = {"per": data.later.code, "status": "completed"}
    for headers in ({}, HTMX):
        html = results_html(client.get("/en" + URL, params, headers=headers).content.decode())
        assert '<span lang="sv">Minska energianvändningen i egna lokaler</span>' in html
        assert '<div class="prose" lang="sv"><p>Solceller har satts upp på förskolor.</p>' in html


def test_it_marks_nothing_on_the_swedish_page(client, data):
    html = client.get(URL, {"q": "bostäder"}).content.decode()
    page = html[html.index("<main") :]
    assert 'lang="' not in page


# --------------------------------------------------------------------------- SQL queries


def query_counts(client, portal) -> dict[str, int]:
    published = (
        Assessment.objects.published()
        .filter(assignment__goal__plan=portal.plan)
        .order_by("period__date")
    )
    per = published.last().period.code
    # As of the plan's first period the portal's additional assignment (of the latest
    # period's year, a later one) is left out and counted.
    first = portal.period
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
        "as of the first period": ({"per": first}, {}),
        "as of the first period, by status": ({"per": first, "status": "on_track"}, {}),
        "as of the first period, fragment": ({"per": first}, HTMX),
        "page 2": ({"sida": "2"}, {}),
    }
    counts = {}
    for name, (params, headers) in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, params, headers=headers)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert RESULT.findall(html), name  # a list, not the empty page
        if name.startswith("as of the first period"):
            assert 'data-later="' in html, name
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_it_runs_a_fixed_number_of_queries_at_any_size(client):
    small = query_counts(client, f.build_portal(goals=2, assignments=12, periods=4))
    f.wipe_portal()
    big = query_counts(client, f.build_portal(goals=6, assignments=30, periods=6))
    assert small == big
    assert big == {
        "page": 7,
        "fragment": 7,  # the organisation, for the fragment's <title>
        "search": 8,
        "search fragment": 8,
        "filtered": 7,
        "status": 7,
        "as of a period": 9,
        "as of a period, by status": 9,
        "searched as of a period": 10,
        "as of the first period": 9,
        "as of the first period, by status": 9,
        "as of the first period, fragment": 9,
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
