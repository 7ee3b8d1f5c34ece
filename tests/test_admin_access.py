"""Who sees what in the admin: every list, form, action, inline and autocomplete asks
Assignment.objects.editable_by(user) and Assessment.objects.editable_by(user) (the
coordinator sees everything), and an official sees no other official's name."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from assignments.models import Assessment, Assignment, BodyKind
from goals.models import Goal, PeriodState
from tests import factories as f

staff = f.staff_client


class World:
    """Two committees and a company, an assignment each, and one given to all committees."""

    def __init__(self):
        self.own = f.make_body(code="AMN", name="Arbetsmarknadsnämnden")
        self.other = f.make_body(code="SCN", name="Socialnämnden")
        self.company = f.make_body(code="UHAB", name="Uppsalahem AB", kind=BodyKind.COMPANY)
        self.goal = f.make_goal()
        self.mine = f.make_assignment(self.goal, bodies=[self.own], title="Vårt uppdrag")
        self.theirs = f.make_assignment(self.goal, bodies=[self.other], title="Deras uppdrag")
        self.companies = f.make_assignment(self.goal, all_companies=True, title="Bolagens uppdrag")
        self.committees = f.make_assignment(
            self.goal, all_committees=True, title="Nämndernas uppdrag"
        )
        self.period = f.make_period(state=PeriodState.OPEN)
        reporters = {
            self.mine: self.own,
            self.theirs: self.other,
            self.companies: self.company,
            self.committees: self.own,
        }
        self.drafts = {
            a.pk: f.make_assessment(a, self.period, body=body, is_published=False)
            for a, body in reporters.items()
        }
        # Another committee's part of the assignment given to all committees.
        self.their_part = f.make_assessment(
            self.committees, self.period, body=self.other, is_published=False
        )


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def official(world):
    return staff("handlaggare", "Handläggare", world.own)


def autocomplete(client, term: str = "") -> set[int]:
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "assignments",
            "model_name": "assessment",
            "field_name": "assignment",
            "term": term,
        },
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


def test_it_lists_an_official_only_their_bodies_assignments_and_assessments(official, world):
    own = {world.mine.pk, world.committees.pk}
    listing = official.get(reverse("admin:assignments_assignment_changelist"))
    assert {a.pk for a in listing.context["cl"].result_list} == own
    listing = official.get(reverse("admin:assignments_assessment_changelist"))
    assert {a.assignment_id for a in listing.context["cl"].result_list} == own
    assert world.their_part not in listing.context["cl"].result_list


def test_it_lists_a_companys_official_the_assignments_given_to_all_companies(world):
    client = staff("bolag", "Handläggare", world.company)
    listing = client.get(reverse("admin:assignments_assignment_changelist"))
    assert {a.pk for a in listing.context["cl"].result_list} == {world.companies.pk}


def test_it_offers_an_official_only_their_assignments_in_the_autocomplete(official, world):
    assert autocomplete(official) == {world.mine.pk, world.committees.pk}
    assert autocomplete(official, "uppdrag") == {world.mine.pk, world.committees.pk}
    assert autocomplete(official, "Deras") == set()
    assert autocomplete(official, "Socialnämnden") == set()  # searching by another's body


def test_it_offers_a_superuser_every_assignment_in_the_autocomplete(admin_client, world):
    assert autocomplete(admin_client) == set(Assignment.objects.values_list("pk", flat=True))


def test_it_offers_an_official_only_their_assignments_in_the_assessment_form(official, world):
    form = official.get(reverse("admin:assignments_assessment_add")).context["adminform"].form
    assert set(form.fields["assignment"].queryset) == {world.mine, world.committees}


def test_it_keeps_other_bodies_assignments_and_assessments_from_an_official(official, world):
    for assignment in (world.theirs, world.companies):
        url = reverse("admin:assignments_assignment_change", args=[assignment.pk])
        assert official.get(url).status_code == 302  # away to the index: not theirs
        draft = world.drafts[assignment.pk]
        url = reverse("admin:assignments_assessment_change", args=[draft.pk])
        assert official.get(url).status_code == 302
        response = official.post(
            url,
            {
                "assignment": world.mine.pk,
                "period": world.period.pk,
                "body": world.own.pk,
                "status": "delayed",
                "text": "Flyttad.",
                "expected_version": 1,
                "_save": "Spara",
            },
        )
        assert response.status_code == 302
        stored = Assessment.objects.get(pk=draft.pk)
        assert (stored.assignment_id, stored.text) == (assignment.pk, draft.text)


def test_it_shows_the_coordinator_every_bodys_assignments_and_assessments(world):
    client = staff("samordnare", "Samordnare")  # an official of no body
    listing = client.get(reverse("admin:assignments_assignment_changelist"))
    assert set(listing.context["cl"].result_list) == set(Assignment.objects.all())
    listing = client.get(reverse("admin:assignments_assessment_changelist"))
    assert set(listing.context["cl"].result_list) == set(Assessment.objects.all())
    assert autocomplete(client) == set(Assignment.objects.values_list("pk", flat=True))


def test_it_keeps_another_committees_part_of_a_shared_assignment_from_an_official(
    official, world
):
    url = reverse("admin:assignments_assessment_change", args=[world.their_part.pk])
    assert official.get(url).status_code == 302
    response = official.post(
        url, {"status": "delayed", "text": "Flyttad.", "expected_version": 1, "_save": "1"}
    )
    assert response.status_code == 302
    assert Assessment.objects.get(pk=world.their_part.pk).text == world.their_part.text


def test_it_shows_an_official_only_their_assignments_on_the_goal_page(
    official, world, admin_client
):
    url = reverse("admin:goals_goal_change", args=[world.goal.pk])
    html = official.get(url).content.decode()
    assert "Vårt uppdrag" in html and "Nämndernas uppdrag" in html
    assert "Deras uppdrag" not in html and "Bolagens uppdrag" not in html
    html = admin_client.get(url).content.decode()
    assert "Deras uppdrag" in html and "Bolagens uppdrag" in html


def test_it_shows_no_assignments_to_staff_without_a_body(world):
    client = staff("utan-namnd", "Handläggare")
    listing = client.get(reverse("admin:assignments_assignment_changelist"))
    assert list(listing.context["cl"].result_list) == []
    assert autocomplete(client) == set()


def test_it_shows_an_official_no_other_officials_names(official, world, admin_client):
    colleague = User.objects.create_user(
        "kollega", first_name="Karin", last_name="Kollega", is_staff=True
    )
    world.own.officials.add(colleague)
    world.other.officials.add(User.objects.create_user("annan", is_staff=True))
    for body in (world.own, world.other):
        url = reverse("admin:assignments_responsiblebody_change", args=[body.pk])
        response = official.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert body.name in html
        assert "kollega" not in html and "annan" not in html and "Karin" not in html
        assert "officials" not in response.context["adminform"].form.fields
    listing = official.get(reverse("admin:assignments_responsiblebody_changelist"))
    assert "kollega" not in listing.content.decode()
    url = reverse("admin:assignments_responsiblebody_change", args=[world.own.pk])
    assert "kollega" in admin_client.get(url).content.decode()  # administrators do see them


def test_it_keeps_goals_of_officials_read_only(official, world):
    url = reverse("admin:goals_goal_change", args=[world.goal.pk])
    assert 'name="title"' not in official.get(url).content.decode()
    assert official.post(url, {"title": "Nytt mål"}).status_code == 403
    assert Goal.objects.get(pk=world.goal.pk).title == world.goal.title
