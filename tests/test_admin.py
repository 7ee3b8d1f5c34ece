"""The Django admin as officials and administrators use it."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from assignments.models import Assessment, AssessmentStatus, BodyKind, ReviewState
from goals.models import PeriodState
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
            **dict.fromkeys(ADMIN_MODELS, 200),
            "goals/organisation": 403,
            "goals/goalassessment": 403,
        },
        "add": {**dict.fromkeys(ADMIN_MODELS, 403), "assignments/assessment": 200},
    },
    "Samordnare": {
        "list": {**dict.fromkeys(ADMIN_MODELS, 200), "goals/organisation": 403},
        "add": {**dict.fromkeys(ADMIN_MODELS, 200), "goals/organisation": 403},
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
    for app in ("Planer och mål", "Uppdrag och bedömningar"):  # the apps' names
        assert app in index
    for model in ADMIN_MODELS:
        assert admin_client.get(f"/admin/{model}/").status_code == 200, model
        expected = EXPECTED_STATUS["superuser"]["add"][model]
        assert admin_client.get(f"/admin/{model}/add/").status_code == expected, model


def test_it_says_choose_in_swedish_in_every_empty_select(admin_client, seed):
    html = admin_client.get("/admin/assignments/assessment/add/").content.decode()
    assert "- Välj ett alternativ -" in html
    assert "Select an option" not in html and "---------" not in html
    listing = admin_client.get("/admin/assignments/assessment/").content.decode()
    assert "Select an option" not in listing  # the actions' menu


@pytest.mark.parametrize("role", ["superuser", "Handläggare", "Samordnare"])
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


def test_it_lists_the_assessments_read_only_on_the_assignment(admin_client, seed):
    from assignments.models import Assignment

    assignment = Assignment.objects.get(number=5)
    page = admin_client.get(reverse("admin:assignments_assignment_change", args=[assignment.pk]))
    html = page.content.decode()
    assessment = assignment.assessments.get()
    assert reverse("admin:assignments_assessment_change", args=[assessment.pk]) in html
    assert assessment.get_status_display() in html
    assert "assessments-0-status" not in html and 'name="text"' not in html
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
    mine = f.make_assessment(f.make_assignment(goal, bodies=[own]), body=own, text="Vårt")
    shared = f.make_assignment(goal, all_committees=True)
    for_all = f.make_assessment(shared, body=own, text="Vår del av allas uppdrag")
    their_part = f.make_assessment(shared, for_all.period, body=other, text="Deras del")
    theirs = f.make_assessment(f.make_assignment(goal, bodies=[other]), body=other)
    municipalitys = f.make_assessment(shared, text="Kommunens egen")
    client.force_login(official)

    listing = client.get("/admin/assignments/assessment/")
    assert listing.status_code == 200
    shown = {a.pk for a in listing.context["cl"].result_list}
    assert shown == {mine.pk, for_all.pk}
    for assessment in (mine, for_all):
        url = reverse("admin:assignments_assessment_change", args=[assessment.pk])
        assert client.get(url).status_code == 200
    for assessment in (their_part, theirs, municipalitys):
        url = reverse("admin:assignments_assessment_change", args=[assessment.pk])
        assert client.get(url).status_code == 302  # redirected away: not theirs to see


def test_it_does_not_let_an_official_publish_or_pick_another_bodys_assignment(client, official):
    own = f.make_body(kind=BodyKind.COMMITTEE)
    other = f.make_body(kind=BodyKind.COMMITTEE)
    own.officials.add(official)
    goal = f.make_goal()
    mine = f.make_assignment(goal, bodies=[own])
    theirs = f.make_assignment(goal, bodies=[other])
    period = f.make_period(state=PeriodState.OPEN)
    client.force_login(official)
    add = reverse("admin:assignments_assessment_add")

    data = {
        "period": period.pk,
        "body": own.pk,
        "status": "on_track",
        "text": "Pågår.",
        "is_published": "on",
        "state": "published",
    }
    response = client.post(add, {**data, "assignment": theirs.pk})
    assert response.status_code == 200  # the form is shown again with an error
    assert not Assessment.objects.filter(assignment=theirs).exists()

    response = client.post(add, {**data, "assignment": mine.pk})
    assert response.status_code == 302
    saved = Assessment.objects.get(assignment=mine)
    assert saved.status == AssessmentStatus.ON_TRACK
    assert saved.state == ReviewState.DRAFT and saved.is_published is False


def test_it_refuses_a_second_assessment_for_the_same_period(admin_client, db):
    existing = f.make_assessment(period=f.make_period(state=PeriodState.OPEN), is_published=False)
    response = admin_client.post(
        reverse("admin:assignments_assessment_add"),
        {
            "assignment": existing.assignment.pk,
            "period": existing.period.pk,
            "body": "",
            "status": "delayed",
            "text": "En andra bedömning.",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert Assessment.objects.count() == 1
    assert Assessment.objects.get().text == existing.text


def test_it_gives_the_coordinator_the_review_actions_and_officials_none(client, official):
    body = f.make_body()
    body.officials.add(official)
    f.make_assessment(f.make_assignment(bodies=[body]), body=body)  # lists show no actions
    coordinator = User.objects.create_user("samordnare", password="x", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Samordnare"))
    client.force_login(coordinator)
    html = client.get("/admin/assignments/assessment/").content.decode()
    assert 'value="approve_selected"' in html and 'value="publish_selected"' in html
    client.force_login(official)
    html = client.get("/admin/assignments/assessment/").content.decode()
    assert 'value="submit_selected"' in html
    for action in ("approve_selected", "publish_selected", "publish", "delete_selected"):
        assert f'value="{action}"' not in html


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
    for prefix in ("focus_areas", "links", "actions", "assignments"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = admin_client.post(f"/admin/goals/goal/{goal.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    goal.refresh_from_db()
    assert goal.description == "Första stycket.\n\nAndra stycket."
