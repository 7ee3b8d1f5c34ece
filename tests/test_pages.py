"""The public pages as a citizen sees them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import AssessmentStatus, BodyKind
from goals.models import Goal, Plan, ReportingPeriod
from tests import factories as f


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
    assert "1 uppdrag med status ”Inte helt enligt plan”" in text or "1 uppdrag med status" in text


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
    badges = re.findall(r'<span class="badge badge-(\w+)"><svg[^>]*aria-hidden="true"', html)
    assert "on_track" in badges and "delayed" in badges


# Query counts: every public page runs the same number of queries at any data size.


def build_portal(size: int):
    """A plan with `size` goals, each with `size` assignments assessed in `size` periods."""
    plan = f.make_plan(code=f"plan-{size}")
    periods = [f.make_period() for _ in range(size)]
    committee = f.make_body(kind=BodyKind.COMMITTEE)
    company = f.make_body(kind=BodyKind.COMPANY)
    for _ in range(size):
        goal = f.make_goal(plan)
        for period in periods:
            f.make_goal_assessment(goal, period)
        for n in range(size):
            assignment = f.make_assignment(
                goal, bodies=[committee, company], all_committees=n % 2 == 0
            )
            for period in periods:
                f.make_assessment(assignment, period, status=AssessmentStatus.values[n % 4])
    return plan, goal, assignment, committee


def page_urls(plan, goal, assignment, body) -> list[str]:
    return [
        "/",
        plan.get_absolute_url(),
        goal.get_absolute_url(),
        goal.get_absolute_url() + "?status=on_track",
        assignment.get_absolute_url(),
        "/ansvariga/",
        body.get_absolute_url(),
        "/oppna-data/uppfoljning.json",
    ]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_it_runs_a_fixed_number_of_queries_per_page_at_any_size(client):
    f.make_organisation()
    small = [count_queries(client, url) for url in page_urls(*build_portal(2))]
    Plan.objects.all().delete()
    ReportingPeriod.objects.all().delete()
    big = [count_queries(client, url) for url in page_urls(*build_portal(6))]
    assert small == big
    assert max(big) <= 10, big


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
