"""The Django admin as officials and administrators use it."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from assignments.models import Assessment, AssessmentStatus, BodyKind
from tests import factories as f

ADMIN_MODELS = [
    "goals/organisation",
    "goals/plan",
    "goals/goal",
    "goals/reportingperiod",
    "goals/goalassessment",
    "assignments/responsiblebody",
    "assignments/assignment",
    "assignments/assessment",
]

# What each role gets for each admin model's list and add page (the seed holds the
# organisation, of which there is only ever one: nobody may add a second).
EXPECTED_STATUS = {
    "superuser": {
        "list": dict.fromkeys(ADMIN_MODELS, 200),
        "add": {**dict.fromkeys(ADMIN_MODELS, 200), "goals/organisation": 403},
    },
    "Handläggare": {
        "list": {
            **dict.fromkeys(ADMIN_MODELS, 403),
            "goals/goal": 200,
            "goals/reportingperiod": 200,
            "assignments/responsiblebody": 200,
            "assignments/assignment": 200,
            "assignments/assessment": 200,
        },
        "add": {**dict.fromkeys(ADMIN_MODELS, 403), "assignments/assessment": 200},
    },
    "Publicister": {
        "list": {**dict.fromkeys(ADMIN_MODELS, 200), "goals/organisation": 403},
        "add": {
            **dict.fromkeys(ADMIN_MODELS, 403),
            "goals/goalassessment": 200,
            "assignments/assessment": 200,
        },
    },
}


@pytest.fixture
def official(db):
    """A staff user in the officials' group (Handläggare), as an administrator sets one up."""
    user = User.objects.create_user("handlaggare", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Handläggare"))
    return user


def test_it_opens_every_admin_list_and_form_in_swedish(admin_client, seed):
    index = admin_client.get("/admin/").content.decode()
    for name in ["Inriktningsmål", "Uppdrag", "Bedömningar", "Uppföljningsperioder", "Planer"]:
        assert name in index
    for model in ADMIN_MODELS:
        assert admin_client.get(f"/admin/{model}/").status_code == 200, model
        expected = EXPECTED_STATUS["superuser"]["add"][model]
        assert admin_client.get(f"/admin/{model}/add/").status_code == expected, model


@pytest.mark.parametrize("role", ["superuser", "Handläggare", "Publicister"])
def test_it_opens_exactly_the_lists_and_add_forms_of_each_role(client, seed, role):
    if role == "superuser":
        user = User.objects.create_superuser("admin2", password="x")
    else:
        user = User.objects.create_user("staff", password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    found = {
        page: {model: client.get(f"/admin/{model}/{suffix}").status_code for model in ADMIN_MODELS}
        for page, suffix in (("list", ""), ("add", "add/"))
    }
    assert found == EXPECTED_STATUS[role]


def test_it_edits_assessments_inline_on_the_assignment(admin_client, seed):
    from assignments.models import Assignment

    assignment = Assignment.objects.get(number=5)
    page = admin_client.get(reverse("admin:assignments_assignment_change", args=[assignment.pk]))
    html = page.content.decode()
    assert "Arbetet är ännu ej påbörjat" in html
    assert "assessments-0-status" in html
    assert "responsibilities-0-body" in html


def test_it_lists_assignments_inline_on_the_goal(admin_client, seed):
    from goals.models import Goal

    goal = Goal.objects.get(number=5)
    html = admin_client.get(reverse("admin:goals_goal_change", args=[goal.pk])).content.decode()
    assert "assignments-4-title" in html
    assert "Bostad först" in html


def test_it_shows_an_official_only_their_own_bodys_assessments(client, official):
    own = f.make_body(code="AMN", kind=BodyKind.COMMITTEE)
    other = f.make_body(code="SCN", kind=BodyKind.COMMITTEE)
    own.officials.add(official)
    goal = f.make_goal()
    mine = f.make_assessment(f.make_assignment(goal, bodies=[own]), text="Vårt uppdrag")
    for_all = f.make_assessment(f.make_assignment(goal, all_committees=True), text="Allas uppdrag")
    theirs = f.make_assessment(f.make_assignment(goal, bodies=[other]), text="Deras uppdrag")
    client.force_login(official)

    listing = client.get("/admin/assignments/assessment/")
    assert listing.status_code == 200
    shown = {a.pk for a in listing.context["cl"].result_list}
    assert shown == {mine.pk, for_all.pk}
    url = reverse("admin:assignments_assessment_change", args=[mine.pk])
    assert client.get(url).status_code == 200
    url = reverse("admin:assignments_assessment_change", args=[for_all.pk])
    assert client.get(url).status_code == 200
    url = reverse("admin:assignments_assessment_change", args=[theirs.pk])
    assert client.get(url).status_code == 302  # redirected away: not theirs to see


def test_it_does_not_let_an_official_publish_or_pick_another_bodys_assignment(client, official):
    own = f.make_body(kind=BodyKind.COMMITTEE)
    other = f.make_body(kind=BodyKind.COMMITTEE)
    own.officials.add(official)
    goal = f.make_goal()
    mine = f.make_assignment(goal, bodies=[own])
    theirs = f.make_assignment(goal, bodies=[other])
    period = f.make_period()
    client.force_login(official)
    add = reverse("admin:assignments_assessment_add")

    data = {"period": period.pk, "status": "on_track", "text": "Pågår.", "is_published": "on"}
    response = client.post(add, {**data, "assignment": theirs.pk})
    assert response.status_code == 200  # the form is shown again with an error
    assert not Assessment.objects.filter(assignment=theirs).exists()

    response = client.post(add, {**data, "assignment": mine.pk})
    assert response.status_code == 302
    saved = Assessment.objects.get(assignment=mine)
    assert saved.status == AssessmentStatus.ON_TRACK
    assert saved.is_published is False  # publishing needs its own permission


def test_it_refuses_a_second_assessment_for_the_same_period(admin_client, db):
    existing = f.make_assessment()
    response = admin_client.post(
        reverse("admin:assignments_assessment_add"),
        {
            "assignment": existing.assignment.pk,
            "period": existing.period.pk,
            "status": "delayed",
            "text": "En andra bedömning.",
        },
    )
    assert response.status_code == 200
    assert "finns redan" in response.content.decode()
    assert Assessment.objects.count() == 1


def test_it_publishes_selected_assessments_with_the_permission(admin_client, db):
    draft = f.make_assessment(is_published=False)
    response = admin_client.post(
        "/admin/assignments/assessment/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published


def test_it_lets_a_publisher_publish_what_officials_entered(client, db):
    publisher = User.objects.create_user("publicist", password="x", is_staff=True)
    publisher.groups.add(Group.objects.get(name="Publicister"))
    body = f.make_body()
    body.officials.add(publisher)
    draft = f.make_assessment(f.make_assignment(bodies=[body]), is_published=False)
    client.force_login(publisher)
    response = client.post(
        "/admin/assignments/assessment/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published


def test_it_gives_officials_no_publish_action(client, official):
    client.force_login(official)
    html = client.get("/admin/assignments/assessment/").content.decode()
    assert 'value="publish"' not in html


def test_it_refuses_a_web_address_with_a_port_that_cannot_exist(admin_client, db):
    from goals.models import Organisation

    response = admin_client.post(
        "/admin/goals/organisation/add/",
        {"name": "Exempelby kommun", "website": "http://exempelby.se:99999/"},
    )
    assert response.status_code == 200
    assert "website" in response.context["adminform"].form.errors
    assert not Organisation.objects.exists()


def test_it_stores_the_line_breaks_a_browser_sends_as_plain_newlines(admin_client, db):
    from tests import factories as f

    goal = f.make_goal()
    data = {
        "plan": goal.plan.pk,
        "number": goal.number,
        "title": goal.title,
        "tagline": "",
        "description": "Första stycket.\r\n\r\nAndra stycket.",
        "is_published": "on",
    }
    for prefix in ("focus_areas", "links", "actions", "assessments", "assignments"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = admin_client.post(f"/admin/goals/goal/{goal.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    goal.refresh_from_db()
    assert goal.description == "Första stycket.\n\nAndra stycket."
