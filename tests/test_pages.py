"""The public pages as a citizen sees them."""

import datetime
import re

import pytest
from django.db import NotSupportedError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assignments.models import AssessmentStatus, Assignment
from goals.models import Goal, Plan
from tests import factories as f
from tests.pages import ENGLISH, NOT_FOUND, public_pages


def text_of(response) -> str:
    """The page's visible text with tags removed and white space folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(a|span|strong|em|time)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def seed_goal_url() -> str:
    return Goal.objects.get(number=5).get_absolute_url()


def test_it_shows_the_seed_goal_page_section_by_section(client, seed):
    response = client.get(seed_goal_url())
    assert response.status_code == 200
    text = text_of(response)
    sections = [
        "5. Uppsalas invånare ska ha bostad och arbete",
        "Med självständighet kommer självkänsla",
        "Uppsala kommun möjliggör för ett ökat utbud av bostäder",
        "I fokus 2022–2024 – Jobb och företagande",
        "Uppföljning av inriktningsmål 5",
        "i hög grad uppfyllt",
        "Läs en fördjupning av inriktningsmålets resultat",
        "Uppföljning av uppdrag",
        "De fem uppdragen inom inriktningsmålet pågår enligt plan.",
        "Uppdrag och uppföljning",
        "Uppdraget pågår/väntar enligt plan",
        "Uppdraget är försenat/inte påbörjat",
    ]
    positions = [text.find(section) for section in sections]
    assert -1 not in positions, [s for s, p in zip(sections, positions, strict=True) if p == -1]
    assert positions == sorted(positions)


def test_it_lists_all_five_seed_assignments_with_bodies_status_and_date(client, seed):
    text = text_of(client.get(seed_goal_url()))
    assert text.count("Bedömning (per augusti 2022):") == 1 + 5  # the goal's and each assignment's
    assert "Ansvariga: alla nämnder och alla bolag" in text
    assert "Ansvariga: Kommunstyrelsen, Arbetsmarknadsnämnden " in text
    assert "Ansvariga: Kommunstyrelsen, Arbetsmarknadsnämnden, Uppsalahem AB" in text
    assert "Ansvariga: Socialnämnden, Uppsalahem AB" in text
    assert "Tillkommande uppdrag 2021:" in text
    assert "Genomföra arbetet med Bostad först." in text
    assert "Status för uppdraget är Grön. Enligt plan" in text
    assert text.count("Status för uppdraget är Grön. Enligt plan") == 4
    assert "Status för uppdraget är Gul. Inte helt enligt plan" in text
    assert "Arbetet är ännu ej påbörjat men planeras att upptas under kvartal tre 2022." in text


def test_it_numbers_the_assignments_in_order(client, seed):
    html = client.get(seed_goal_url()).content.decode()
    anchors = re.findall(r'id="uppdrag-(\d+)"', html)
    assert anchors == ["1", "2", "3", "4", "5"]


def test_it_shows_the_plan_with_status_counts_on_the_start_page(client, seed):
    response = client.get("/")
    text = text_of(response)
    assert "Mål och budget 2022–2024" in text
    assert "5. Uppsalas invånare ska ha bostad och arbete" in text
    assert re.search(r"Enligt plan\s*4", text)
    assert re.search(r"Inte helt enligt plan\s*1", text)
    assert seed_goal_url() in response.content.decode()


def test_it_filters_assignments_by_status_without_javascript(client, seed):
    text = text_of(client.get(seed_goal_url(), {"status": "delayed"}))
    assert "etisk standard" in text
    assert "Bostad först" not in text
    assert "1 uppdrag med status ”Inte helt enligt plan”." in text


def test_it_answers_htmx_with_only_the_assignment_list(client, seed):
    response = client.get(seed_goal_url(), {"status": "on_track"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="assignment-list"')
    assert "<html" not in html
    assert "Bostad först" in html
    assert "etisk standard" not in html


def test_it_ignores_an_unknown_status_filter(client, seed):
    text = text_of(client.get(seed_goal_url(), {"status": "purple"}))
    assert text.count("Bedömning (per augusti 2022):") == 1 + 5  # the goal's and each assignment's


def test_it_redirects_an_outdated_goal_slug(client, seed):
    goal = Goal.objects.get(number=5)
    response = client.get(f"/plan/{goal.plan.slug}/mal/5-gammal-rubrik/")
    assert response.status_code == 301
    assert response["Location"] == goal.get_absolute_url()


def test_it_shows_every_assessment_of_an_assignment_newest_first(client, seed):
    goal = Goal.objects.get(number=5)
    assignment = goal.assignments.get(number=4)
    older = f.make_period(code="2022-04", name="April 2022", date=datetime.date(2022, 4, 30))
    f.make_assessment(assignment, older, status=AssessmentStatus.DELAYED, text="Utredning startar.")
    later = f.make_period(code="2022-12", name="December 2022", date=datetime.date(2022, 12, 31))
    f.make_assessment(assignment, later, text="Utkast som inte får synas.", is_published=False)

    response = client.get(assignment.get_absolute_url())
    text = text_of(response)
    assert response.status_code == 200
    assert text.index("Augusti 2022") < text.index("April 2022")
    assert "per 31 augusti 2022" in text and "per 30 april 2022" in text
    assert "Utredning startar." in text
    assert "Utkast som inte får synas." not in text
    assert "Ansvariga: Socialnämnden, Uppsalahem AB" in text


def test_it_lists_a_bodys_assignments_including_those_given_to_all(client, seed):
    from assignments.models import ResponsibleBody

    ks = ResponsibleBody.objects.get(code="KS")
    text = text_of(client.get(ks.get_absolute_url()))
    for title in [
        "Förbättra möjligheten till anställning för personer med funktionsnedsättning",
        "Förbättra möjligheten till anställning för personer som står långt ifrån",
        "Utveckla kommunens förmåga att förebygga",
        "undersöka möjligheten att ta fram en etisk standard",
    ]:
        assert title in text
    assert "Bostad först" not in text

    uppsalahem = ResponsibleBody.objects.get(code="Uppsalahem")
    text = text_of(client.get(uppsalahem.get_absolute_url()))
    assert "funktionsnedsättning" in text  # given to all companies
    assert "Bostad först" in text
    assert "etisk standard" not in text


def test_it_lists_the_bodies_by_kind(client, seed):
    text = text_of(client.get("/ansvariga/"))
    assert "Nämnder" in text and "Bolag" in text
    assert text.index("Arbetsmarknadsnämnden") < text.index("Uppsalahem AB")


def test_it_shows_html_in_a_text_as_text_and_keeps_paragraphs(client, db):
    goal = f.make_goal(description="Första stycket <script>alert(1)</script>.\n\nAndra stycket.")
    response = client.get(goal.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert re.search(r"<p>Första stycket .*?</p>\s*<p>Andra stycket.</p>", html)


def test_it_shows_html_as_text_in_every_list_and_keeps_lines_and_paragraphs(client, db):
    """The lists (Jinja2 macros) escape what staff wrote as the Django templates do."""
    body = f.make_body(name="Nämnd <i>A</i> & B")
    assignment = f.make_assignment(bodies=[body], title="Uppdrag <script>alert(1)</script>")
    goal = assignment.goal
    text = "Rad 1\r\nRad <b>2</b>\n\n\nStycke 2"
    for period in (f.make_period(), f.make_period()):
        f.make_assessment(assignment, period, text=text)
        f.make_goal_assessment(goal, period, text=text)
    for url in (goal.get_absolute_url(), body.get_absolute_url(), assignment.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html and "<i>A</i>" not in html, url
        assert "Uppdrag &lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert "Nämnd &lt;i&gt;A&lt;/i&gt; &amp; B" in html, url
        assert re.search(r"<p>Rad 1<br>Rad &lt;b&gt;2&lt;/b&gt;</p>\s*<p>Stycke 2</p>", html), url


def test_it_hides_unpublished_goals(client, db):
    goal = f.make_goal(is_published=False, title="Hemligt mål")
    assert client.get(goal.get_absolute_url()).status_code == 404
    assert "Hemligt mål" not in text_of(client.get(goal.plan.get_absolute_url()))


def test_it_answers_a_real_404_page_in_swedish(client, db):
    response = client.get("/plan/finns-inte/")
    assert response.status_code == 404
    assert "Sidan kunde inte hittas" in text_of(response)


def test_it_welcomes_with_an_empty_portal(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Inget har publicerats ännu." in text_of(response)


def test_it_serves_the_open_data_document(client, seed):
    response = client.get("/oppna-data/uppfoljning.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["format"] == "uppfoljning/1"


def test_it_uses_swedish_and_marks_badges_with_text_and_shape(client, seed):
    html = client.get(seed_goal_url()).content.decode()
    assert '<html lang="sv">' in html
    badges = re.findall(
        r'<span class="badge badge-(\w+)" data-status="(\w+)"><svg[^>]*aria-hidden="true"', html
    )
    assert ("green", "on_track") in badges and ("yellow", "delayed") in badges


# Query counts: every public page runs the same number of queries at any data size.


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def counts_per_page(client, portal) -> dict[str, int]:
    urls = {**public_pages(portal), "goal fragment": portal.goal.get_absolute_url()}
    counts = {name: count_queries(client, url) for name, url in urls.items()}
    with CaptureQueriesContext(connection) as queries:
        client.get(urls["goal fragment"], headers={"HX-Request": "true"})
    counts["goal fragment"] = len(queries)
    return counts


@pytest.mark.django_db
def test_it_runs_a_fixed_number_of_queries_per_page_at_any_size(client):
    small = counts_per_page(client, f.build_portal(goals=2, assignments=2, periods=2))
    f.wipe_portal()
    big = counts_per_page(client, f.build_portal(goals=6, assignments=30, periods=6))
    assert small == big
    assert big == {
        "start": 6,
        "plan": 7,
        "goal": 8,
        "goal filtered": 8,
        "goal fragment": 3,
        "assignment": 5,
        "bodies": 3,
        "body": 5,
        "body filtered": 5,
        "open data page": 5,
        "open data": 10,
        "accessibility statement": 1,
        "cookies": 1,
        "start in English": 6,
        "goal in English": 8,
        "assignments": 7,
        "assignments searched": 8,
        "assignments filtered": 7,
        "changes": 8,
        "changes for a body": 8,
        "start as of a period": 9,
        "plan as of a period": 10,
        "goal as of a period": 10,
        "goal filtered as of a period": 10,
        "assignment as of a period": 8,
        "bodies as of a period": 4,
        "body as of a period": 7,
        "body filtered as of a period": 7,
    }


@pytest.mark.django_db
def test_it_refuses_to_read_the_current_status_inside_another_query():
    """with_current_status() is SQL compiled once for a query of assignments at the top
    level; inside another query it would read the outer query's row, so it refuses."""
    delayed = Assignment.objects.with_current_status().filter(current_status_value="delayed")
    with pytest.raises(NotSupportedError):
        list(Goal.objects.filter(assignments__in=delayed.values("pk")))


def test_it_never_shows_unpublished_content_on_any_page(client, db):
    portal = f.build_portal()
    assert portal.hidden_texts
    for name, url in public_pages(portal).items():
        text = client.get(url).content.decode()
        shown = [hidden for hidden in portal.hidden_texts if hidden in text]
        assert shown == [], name


def test_it_keeps_the_page_and_its_htmx_fragment_apart_in_caches(client, seed):
    assert "HX-Request" in client.get(seed_goal_url())["Vary"]
    assert "HX-Request" in client.get(seed_goal_url(), headers={"HX-Request": "true"})["Vary"]


def test_it_shows_the_newest_assessment_on_lists_and_links_the_history(client, seed):
    goal = Goal.objects.get(number=5)
    assignment = goal.assignments.get(number=4)
    older = f.make_period(code="2022-04", name="April 2022", date=datetime.date(2022, 4, 30))
    f.make_assessment(assignment, older, status=AssessmentStatus.DELAYED, text="Äldre text.")
    later = f.make_period(code="2022-12", name="December 2022", date=datetime.date(2022, 12, 31))
    f.make_assessment(assignment, later, text="Ett opublicerat utkast.", is_published=False)

    for url in [goal.get_absolute_url(), assignment.bodies.first().get_absolute_url()]:
        text = text_of(client.get(url))
        assert "Äldre text." not in text and "Ett opublicerat utkast." not in text
        assert "Socialnämnden beslutade i juni 2021" in text
    text = text_of(client.get(goal.get_absolute_url()))
    assert text.count("Alla 2 bedömningar över tid") == 1
    assert re.search(r"Enligt plan\s*4", text_of(client.get("/")))


def test_it_answers_an_htmx_history_restore_with_the_whole_page(client, seed):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = client.get(seed_goal_url(), {"status": "delayed"}, headers=headers).content.decode()
    assert html.lstrip().startswith("<!doctype html>")
    assert html.count('id="status-filter"') == 1  # no out-of-band copy in a whole page
    assert "data-hx-swap-oob" not in html


# Every public page type: no template syntax in the text, HEAD answered, other methods 405.


def seed_page_urls() -> list[str]:
    """One address of every public page type, with the seed's realistic data."""
    return list(public_pages(f.seed_portal()).values())


TEMPLATE_SYNTAX = re.compile(r"\{%|%\}|\{\{|\}\}|\{#|#\}")


def test_it_shows_no_template_syntax_on_any_public_page(client, seed):
    generated = list(public_pages(f.build_portal(code="genererad", start_year=2030)).values())
    for url in [*seed_page_urls(), *generated, NOT_FOUND]:
        response = client.get(url)
        text = response.content.decode()
        found = TEMPLATE_SYNTAX.search(text)
        assert found is None, f"{url}: {text[max(0, found.start() - 80) : found.end() + 80]!r}"
    fragment = client.get(seed_goal_url(), headers={"HX-Request": "true"}).content.decode()
    assert TEMPLATE_SYNTAX.search(fragment) is None


def test_it_answers_head_on_every_public_page(client, seed):
    for url in seed_page_urls():
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b"", url
        assert response["Content-Type"] == client.get(url)["Content-Type"], url


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_it_refuses_other_methods_with_its_own_405_page(seed, method):
    client = Client(enforce_csrf_checks=True)  # as a browser meets it: CSRF checked first
    for url in seed_page_urls():
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD", url
        english = url.startswith(ENGLISH + "/")
        message = "The page cannot be used that way" if english else "Sidan kan inte användas så"
        assert message in text_of(response), url
        assert not response.cookies, url


# Publication: a plan being prepared and a new goal stay out of the public's sight.


def test_it_starts_new_plans_and_goals_unpublished(db):
    plan = Plan.objects.create(code="mob-2025", name="Mål och budget 2025", start_year=2025,
                               end_year=2027)
    goal = Goal.objects.create(plan=plan, number=1, title="Ett nytt mål")
    assert not plan.is_published and not goal.is_published
    assert not Goal.objects.published().exists()


def test_it_keeps_a_plan_being_prepared_off_the_start_page(client, seed):
    current = Plan.objects.get()
    draft_plan = f.make_plan(code="mob-2026", name="Mål och budget 2026–2028", start_year=2026,
                             end_year=2028, is_published=False)
    draft_goal = f.make_goal(draft_plan, title="Ett mål under arbete")
    empty_plan = f.make_plan(code="mob-2027", name="Mål och budget 2027", start_year=2027,
                             end_year=2029)

    text = text_of(client.get("/"))
    assert current.name in text
    assert draft_plan.name not in text and "Ett mål under arbete" not in text
    assert empty_plan.name not in text  # published, but nothing in it is
    assert client.get(draft_plan.get_absolute_url()).status_code == 404
    assert client.get(draft_goal.get_absolute_url()).status_code == 404

    draft_plan.is_published = True
    draft_plan.save()
    text = text_of(client.get("/"))
    assert draft_plan.name in text and "Ett mål under arbete" in text
    assert client.get(draft_goal.get_absolute_url()).status_code == 200


def test_it_hides_the_assignments_of_an_unpublished_plan_on_the_body_pages(client, seed):
    from assignments.models import ResponsibleBody

    ks = ResponsibleBody.objects.get(code="KS")
    plan = f.make_plan(code="mob-2026", start_year=2026, end_year=2028, is_published=False)
    f.make_assignment(f.make_goal(plan), bodies=[ks], title="Ett uppdrag under arbete")
    assert "Ett uppdrag under arbete" not in text_of(client.get(ks.get_absolute_url()))


# Order: every list is ordered explicitly, so that PostgreSQL's plans cannot shuffle it.


def test_it_orders_every_list_explicitly_even_after_analyze(client, db):
    f.make_organisation()
    plan = f.make_plan()
    body = f.make_body()
    periods = [f.make_period() for _ in range(3)]
    goals = [f.make_goal(plan, number=n) for n in (3, 1, 2)]
    numbers = [7, 2, 9, 1, 5, 3, 8, 4, 6, 10, 12, 11]
    for goal in goals:
        for number in numbers:
            assignment = f.make_assignment(goal, bodies=[body], number=number)
            for period in periods[::-1]:
                f.make_assessment(assignment, period)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    goal = Goal.objects.get(plan=plan, number=1)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(goal.get_absolute_url()).content.decode()
    assert re.findall(r'id="uppdrag-(\d+)"', html) == [str(n) for n in sorted(numbers)]
    unordered = [
        q["sql"] for q in queries
        if 'FROM "assignments_assignment"' in q["sql"] and "ORDER BY" not in q["sql"]
    ]
    assert unordered == []

    html = client.get(body.get_absolute_url()).content.decode()
    listed = re.findall(r'href="/plan/[^/]+/mal/(\d+)-[^/]+/uppdrag/(\d+)/"', html)
    expected = [(str(g), str(n)) for g in (1, 2, 3) for n in sorted(numbers)]
    assert list(dict.fromkeys(listed)) == expected

    html = client.get(plan.get_absolute_url()).content.decode()
    assert re.findall(r'<span class="goal-number">(\d+)\.</span>', html) == ["1", "2", "3"]

    assignment = goal.assignments.get(number=5)
    html = client.get(assignment.get_absolute_url()).content.decode()
    dates = re.findall(r'<time datetime="([\d-]+)">', html)
    assert dates == sorted((p.date.isoformat() for p in periods), reverse=True)
