"""The reporting round's staff pages: an official's "Att rapportera" and the coordinator's
overview per body (reporting/views.py), as logged-in users see them."""

import datetime
import html
import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assessment, Assignment, BodyKind, ResponsibleBody, ReviewState
from assignments.roles import COORDINATORS, OFFICIALS
from goals.models import PeriodState
from tests import factories as f

TO_REPORT = "/admin/rapportering/"
OVERVIEW = "/admin/rapportering/oversikt/"


staff = f.staff_client


def rows(response) -> dict[tuple[int, int], str]:
    """(assignment, body) -> the row's state, of every row the page shows."""
    return {
        (row.assignment.pk, row.body.pk): row.state.value
        for this in response.context["rounds"]
        for row in this.rows
    }


def text(response) -> str:
    return html.unescape(response.content.decode())


class Round:
    """Two committees and a company, a period open for reporting with a deadline in ten
    days, and assignments of every kind with assessments in every state."""

    def __init__(self):
        self.own = f.make_body(code="AMN", name="Arbetsmarknadsnämnden")
        self.other = f.make_body(code="SCN", name="Socialnämnden")
        self.company = f.make_body(code="UHAB", name="Uppsalahem AB", kind=BodyKind.COMPANY)
        self.goal = f.make_goal(title="Fler i arbete")
        self.later_goal = f.make_goal(self.goal.plan, title="Trygga bostäder")
        goal = self.goal
        self.mine = f.make_assignment(goal, bodies=[self.own], title="Vårt uppdrag")
        self.theirs = f.make_assignment(goal, bodies=[self.other], title="Deras uppdrag")
        self.shared = f.make_assignment(goal, bodies=[self.own, self.other], title="Delat uppdrag")
        self.committees = f.make_assignment(goal, all_committees=True, title="Nämndernas uppdrag")
        self.companies = f.make_assignment(goal, all_companies=True, title="Bolagens uppdrag")
        self.untouched = f.make_assignment(
            self.later_goal, bodies=[self.own], title="Ännu inte påbörjat"
        )
        self.approved = f.make_assignment(
            self.later_goal, bodies=[self.own], title="Godkänt uppdrag"
        )
        self.earlier = f.make_period(date=datetime.date(2022, 4, 30), state=PeriodState.PUBLISHED)
        self.period = f.make_period(
            date=datetime.date(2022, 8, 31),
            name="Augusti 2022",
            state=PeriodState.OPEN,
            deadline=timezone.localdate() + datetime.timedelta(days=10),
        )

        def assess(assignment, body, state, period=None, **fields):
            return f.make_assessment(
                assignment, period or self.period, body=body, state=state, **fields
            )

        # The official's body: one in each state.
        self.draft = assess(self.mine, self.own, ReviewState.DRAFT)
        self.returned = assess(
            self.shared, self.own, ReviewState.DRAFT, review_comment="Förtydliga tidplanen."
        )
        self.submitted = assess(self.committees, self.own, ReviewState.SUBMITTED)
        self.approved_one = assess(self.approved, self.own, ReviewState.APPROVED)
        # An earlier period's published assessment: not this round's.
        assess(self.untouched, self.own, ReviewState.PUBLISHED, period=self.earlier)
        # The other bodies' work, which the official must never see.
        assess(
            self.committees,
            self.other,
            ReviewState.DRAFT,
            review_comment="Hemlig kommentar till Socialnämnden.",
        )
        assess(self.shared, self.other, ReviewState.APPROVED)
        assess(self.theirs, self.other, ReviewState.SUBMITTED)
        assess(self.companies, self.company, ReviewState.SUBMITTED)

    def expected_rows(self):
        own = self.own.pk
        return {
            (self.mine.pk, own): "draft",
            (self.shared.pk, own): "returned",
            (self.committees.pk, own): "submitted",
            (self.approved.pk, own): "approved",
            (self.untouched.pk, own): "missing",
        }


@pytest.fixture
def world(db):
    return Round()


@pytest.fixture
def official(world):
    return staff("handlaggare", OFFICIALS.name, world.own)


@pytest.fixture
def coordinator(world):
    return staff("samordnare", COORDINATORS.name)


# --------------------------------------------------------------------------- Att rapportera


def test_it_shows_an_official_exactly_their_bodys_rows_with_their_states(official, world):
    response = official.get(TO_REPORT)
    assert response.status_code == 200
    assert rows(response) == world.expected_rows()
    page = text(response)
    for title in ("Vårt uppdrag", "Delat uppdrag", "Nämndernas uppdrag", "Ännu inte påbörjat"):
        assert title in page
    for hidden in ("Deras uppdrag", "Bolagens uppdrag", "Socialnämnden", "Hemlig kommentar"):
        assert hidden not in page
    assert "Förtydliga tidplanen." in page  # the coordinator's comment on their own


def test_it_groups_the_rows_by_goal(official, world):
    response = official.get(TO_REPORT)
    (this,) = response.context["rounds"]
    assert [group.goal for group in this.goals] == [world.goal, world.later_goal]
    assert [row.assignment for row in this.goals[1].rows] == [world.untouched, world.approved]


def test_it_gives_an_official_of_two_bodies_one_row_per_body_that_answers(world):
    client = staff("tva", OFFICIALS.name, world.own, world.company)
    found = rows(client.get(TO_REPORT))
    assert found == {
        **world.expected_rows(),
        (world.companies.pk, world.company.pk): "submitted",
    }
    assert (world.committees.pk, world.company.pk) not in found  # a company: no committee's


def test_it_gives_each_committee_its_own_row_of_an_assignment_to_all_committees(world):
    client = staff("social", OFFICIALS.name, world.other)
    found = rows(client.get(TO_REPORT))
    assert found[(world.committees.pk, world.other.pk)] == "returned"  # theirs, not AMN's
    assert found[(world.shared.pk, world.other.pk)] == "approved"
    assert {body for _, body in found} == {world.other.pk}


def test_it_links_a_row_to_its_assessment_or_to_a_new_one(official, world):
    response = official.get(TO_REPORT)
    by_assignment = {
        row.assignment: row for this in response.context["rounds"] for row in this.rows
    }
    change = reverse("admin:assignments_assessment_change", args=[world.draft.pk])
    assert by_assignment[world.mine].url == change
    new = urlsplit(by_assignment[world.untouched].url)
    assert new.path == reverse("admin:assignments_assessment_add")
    assert parse_qs(new.query) == {
        "assignment": [str(world.untouched.pk)],
        "period": [str(world.period.pk)],
        "body": [str(world.own.pk)],
    }
    page = response.content.decode()
    assert f'href="{change}"' in page
    assert by_assignment[world.untouched].url.replace("&", "&amp;") in page


def test_it_ignores_forged_body_and_period_parameters(official, world):
    closed = f.make_period(state=PeriodState.CLOSED)
    forged = official.get(
        TO_REPORT,
        {"body": world.other.pk, "period": closed.pk, "assignment": world.theirs.pk},
    )
    assert forged.status_code == 200
    assert rows(forged) == world.expected_rows()
    page = text(forged)
    assert "Socialnämnden" not in page and "Hemlig kommentar" not in page
    assert "Deras uppdrag" not in page


def test_it_shows_only_the_rows_in_the_chosen_state(official, world):
    response = official.get(TO_REPORT, {"state": "missing"})
    assert rows(response) == {(world.untouched.pk, world.own.pk): "missing"}
    assert "Vårt uppdrag" not in text(response)
    response = official.get(TO_REPORT, {"state": "returned"})
    assert rows(response) == {(world.shared.pk, world.own.pk): "returned"}


def test_it_shows_every_row_for_an_unknown_state(official, world):
    assert rows(official.get(TO_REPORT, {"state": "nonsense"})) == world.expected_rows()


def test_it_offers_each_state_as_a_link_with_its_count(official, world):
    page = text(official.get(TO_REPORT, {"state": "draft"}))
    assert 'href="?state=missing"' in page
    assert "Saknas (1)" in page and "Återsänd (1)" in page and "Alla (5)" in page
    assert 'href="?state=draft" aria-current="true"' in page


def test_it_says_how_many_days_are_left_in_words(official, world):
    page = text(official.get(TO_REPORT))
    assert "10 dagar kvar" in page
    world.period.deadline = timezone.localdate() - datetime.timedelta(days=3)
    world.period.save()
    page = text(official.get(TO_REPORT))
    assert "3 dagar försenad" in page
    assert page.count("efter sista dagen") == 3  # missing, draft, returned; not the others


def test_it_shows_nothing_of_periods_not_open(official, world):
    world.period.state = PeriodState.CLOSED
    world.period.save()
    response = official.get(TO_REPORT)
    assert rows(response) == {}
    assert "Ingen rapporteringsperiod är öppen för rapportering just nu." in text(response)


def test_it_tells_a_staff_user_without_bodies_they_have_nothing_to_report(coordinator):
    response = coordinator.get(TO_REPORT)
    assert rows(response) == {}
    page = text(response)
    assert "Du är inte handläggare för någon nämnd eller något bolag" in page
    assert f'href="{OVERVIEW}"' in page


def test_it_sends_a_user_who_is_not_staff_to_the_login(world):
    user = User.objects.create_user("medborgare", password="x")
    world.own.officials.add(user)
    client = Client()
    client.force_login(user)
    for address in (TO_REPORT, OVERVIEW):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"] == f"/admin/login/?next={address}"
        response = Client().get(address)
        assert response["Location"] == f"/admin/login/?next={address}"


def test_it_never_lets_a_page_be_cached(official, coordinator):
    for client, address in ((official, TO_REPORT), (coordinator, OVERVIEW)):
        cache_control = client.get(address)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control


def test_it_speaks_swedish(official, world):
    page = text(official.get(TO_REPORT))
    assert '<html lang="sv"' in page
    assert "<title>Att rapportera |" in page
    for words in ("Augusti 2022", "Utkast", "Återsänd", "Inlämnad", "Godkänd", "Saknas"):
        assert words in page
    assert "Samordnarens kommentar:" in page
    for english in ("Missing", "Draft", "Submitted", "days left", "To report"):
        assert english not in page


# --------------------------------------------------------------------------- the overview


def test_it_refuses_an_official_the_overview(official, world):
    assert official.get(OVERVIEW).status_code == 403
    assert official.get(OVERVIEW, {"period": world.period.pk}).status_code == 403


def overview_counts(response) -> dict[int, dict[str, int]]:
    return {
        line.body.pk: {"required": line.required}
        | {state.value: count for state, count in line.counts.items()}
        for line in response.context["lines"]
    }


def test_it_shows_the_coordinator_each_bodys_counts(coordinator, world):
    response = coordinator.get(OVERVIEW)
    assert response.status_code == 200
    assert response.context["period"] == world.period
    zero = dict.fromkeys(("draft", "returned", "submitted", "approved", "published"), 0)
    assert overview_counts(response) == {
        world.own.pk: {
            "required": 5,
            **zero,
            "missing": 1,
            "draft": 1,
            "returned": 1,
            "submitted": 1,
            "approved": 1,
        },
        world.other.pk: {
            "required": 3,
            **zero,
            "missing": 0,
            "returned": 1,
            "submitted": 1,
            "approved": 1,
        },
        world.company.pk: {"required": 1, **zero, "missing": 0, "submitted": 1},
    }
    # Most missing first.
    assert response.context["lines"][0].body == world.own
    totals = response.context["totals"]
    assert totals.required == 9 and totals.counts["submitted"] == 3


def test_it_links_each_count_to_the_admins_list_of_those_assessments(coordinator, world):
    response = coordinator.get(OVERVIEW)
    line = next(line for line in response.context["lines"] if line.body == world.own)
    cells = {cell.state.value: cell for cell in line.cells}
    assert cells["missing"].url is None  # nothing to list
    query = parse_qs(urlsplit(cells["submitted"].url).query)
    assert query == {
        "period__id__exact": [str(world.period.pk)],
        "body__id__exact": [str(world.own.pk)],
        "state__exact": ["submitted"],
    }
    assert parse_qs(urlsplit(cells["returned"].url).query)["state__exact"] == ["draft"]
    assert cells["submitted"].url.replace("&", "&amp;") in response.content.decode()
    listing = coordinator.get(cells["submitted"].url)
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [world.submitted]


def test_it_shows_another_period_when_asked(coordinator, world):
    f.make_assessment(world.mine, world.earlier, body=world.own, state=ReviewState.PUBLISHED)
    response = coordinator.get(OVERVIEW, {"period": world.earlier.pk})
    assert response.context["period"] == world.earlier
    counts = overview_counts(response)[world.own.pk]
    assert counts["published"] == 2 and counts["missing"] == 3


def test_it_says_so_when_the_period_asked_for_does_not_exist(coordinator, world):
    for bad in ("999999", "augusti"):
        response = coordinator.get(OVERVIEW, {"period": bad})
        assert response.status_code == 200
        assert response.context["period"] == world.period
        assert "Det finns ingen sådan rapporteringsperiod." in text(response)


def test_it_shows_the_newest_period_when_none_is_open(coordinator, world):
    world.period.state = PeriodState.CLOSED
    world.period.save()
    assert coordinator.get(OVERVIEW).context["period"] == world.period


def test_it_counts_a_generated_round_right(db):
    coordinator = staff("samordnare", COORDINATORS.name)
    period = make_round(bodies=5, assignments=20)
    response = coordinator.get(OVERVIEW)
    assert response.context["period"] == period
    expected = {}
    for body in ResponsibleBody.objects.all():
        due = [a for a in Assignment.objects.all() if a.is_answered_by(body)]
        if not due:
            continue
        states = []
        for assignment in due:
            found = (
                Assessment.objects.in_review()
                .filter(assignment=assignment, period=period, body=body)
                .first()
                or Assessment.objects.published()
                .filter(assignment=assignment, period=period, body=body)
                .first()
            )
            if found is None:
                states.append("missing")
            elif found.is_returned:
                states.append("returned")
            else:
                states.append(found.state)
        expected[body.pk] = {"required": len(due)} | {
            state: states.count(state)
            for state in ("missing", "draft", "returned", "submitted", "approved", "published")
        }
    assert overview_counts(response) == expected
    missing = [line.counts["missing"] for line in response.context["lines"]]
    assert missing == sorted(missing, reverse=True)
    assert sum(missing) == response.context["totals"].counts["missing"] > 0


def test_it_speaks_swedish_in_the_overview(coordinator, world):
    page = text(coordinator.get(OVERVIEW))
    assert "<title>Översikt över rapporteringen |" in page
    for words in ("Nämnd eller bolag", "Totalt", "Saknas", "Inlämnad", "Rapporteringsperiod"):
        assert words in page
    assert "Missing" not in page and "Total<" not in page


# --------------------------------------------------------------------------- query counts


STATES = itertools.cycle(
    [None, ReviewState.DRAFT, "returned", ReviewState.SUBMITTED, ReviewState.APPROVED]
)


def make_round(*, bodies: int, assignments: int, official=None):
    """An open period with `assignments` assignments, each given to one or two of
    `bodies` committees or to all of them, their assessments in every state."""
    committees = [f.make_body() for _ in range(bodies)]
    goal = f.make_goal(f.make_plan(start_year=2022, end_year=2024))
    period = f.make_period(
        date=datetime.date(2022, 8, 31), state=PeriodState.OPEN, deadline=datetime.date(2030, 1, 1)
    )
    for n in range(assignments):
        everyone = n % 7 == 3
        named = [] if everyone else committees[n % bodies : n % bodies + 1 + n % 2]
        assignment = f.make_assignment(goal, bodies=named, all_committees=everyone)
        for body in committees if everyone else named:
            state = next(STATES)
            if state is None:
                continue
            f.make_assessment(
                assignment,
                period,
                body=body,
                state=ReviewState.DRAFT if state == "returned" else state,
                review_comment="Komplettera." if state == "returned" else "",
            )
    if official is not None:
        for body in committees[:2]:
            body.officials.add(official)
    return period


@pytest.mark.parametrize("size", [4, 40])
def test_it_reads_att_rapportera_in_a_fixed_number_of_queries(db, size, django_assert_num_queries):
    client = staff("handlaggare", OFFICIALS.name)
    user = User.objects.get(username="handlaggare")
    make_round(bodies=3, assignments=size, official=user)
    client.get(TO_REPORT)  # the session and the permissions' first reads
    with django_assert_num_queries(QUERIES_TO_REPORT):
        response = client.get(TO_REPORT)
    assert len(rows(response)) >= size // 2


@pytest.mark.parametrize("size", [4, 40])
def test_it_reads_the_overview_in_a_fixed_number_of_queries(db, size, django_assert_num_queries):
    client = staff("samordnare", COORDINATORS.name)
    make_round(bodies=size // 2, assignments=size)
    client.get(OVERVIEW)
    with django_assert_num_queries(QUERIES_OVERVIEW):
        response = client.get(OVERVIEW)
    assert len(response.context["lines"]) == size // 2


QUERIES_TO_REPORT = 10  # session, user, periods, bodies, assignments, responsibilities,
# assessments, two of permissions, whether the user has bodies
QUERIES_OVERVIEW = 11


def test_it_starts_an_official_on_att_rapportera_and_the_coordinator_on_the_index(db):
    body = f.make_body()
    official = staff("startsida-handlaggare", OFFICIALS.name)
    body.officials.add(User.objects.get(username="startsida-handlaggare"))
    response = official.get("/admin/")
    assert response.status_code == 302 and response["Location"] == TO_REPORT
    coordinator = staff("startsida-samordnare", COORDINATORS.name)
    page = coordinator.get("/admin/")
    assert page.status_code == 200 and "Planer och mål" in page.content.decode()
    assert Client().get("/admin/").status_code == 302  # to the login page
