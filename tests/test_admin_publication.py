"""Publication takes the coordinator, and what is published is permanent: an official can
neither change, delete nor publish what is public, by any path of the admin, forged requests
included; nobody changes or deletes a published assessment in place (a correction is a new
version, tests/test_reporting_admin.py).

Each refusal is checked in the database: the published records are exactly as before.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from assignments.models import Assessment, AssessmentStatus, BodyKind, ReviewState
from goals.models import Goal, GoalAssessment, PeriodState, Plan
from tests import factories as f
from uppfoljning import pagecache


def in_swedish(text) -> str:
    """A text of the interface as the admin shows it (Swedish once translated), escaped."""
    with translation.override("sv"):
        return escape(translation.gettext(text) if isinstance(text, str) else str(text))


def staff(username: str, role: str, *extra_permissions: str) -> User:
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for name in extra_permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # no cached permissions


class World:
    """An official's body with a published and a draft assessment; another body's draft."""

    def __init__(self):
        self.own = f.make_body(code="AMN", kind=BodyKind.COMMITTEE)
        self.other = f.make_body(code="SCN", kind=BodyKind.COMMITTEE)
        self.goal = f.make_goal()
        self.mine = f.make_assignment(self.goal, bodies=[self.own])
        self.theirs = f.make_assignment(self.goal, bodies=[self.other])
        self.period = f.make_period()
        self.later = f.make_period(state=PeriodState.OPEN)
        self.published = f.make_assessment(
            self.mine,
            self.period,
            body=self.own,
            status=AssessmentStatus.ON_TRACK,
            text="Publicerad text.",
        )
        self.draft = f.make_assessment(
            self.mine, self.later, body=self.own, is_published=False, text="Utkast."
        )
        self.their_draft = f.make_assessment(
            self.theirs, self.later, body=self.other, is_published=False
        )

    def snapshot(self):
        """Every assessment and goal assessment as it is in the database now."""
        return {
            "assessments": {a.pk: model_to_dict(a) for a in Assessment.objects.all()},
            "goal assessments": {a.pk: model_to_dict(a) for a in GoalAssessment.objects.all()},
        }


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def official(world):
    user = staff("handlaggare", "Handläggare")
    world.own.officials.add(user)
    return user


@pytest.fixture
def as_official(client, official):
    client.force_login(official)
    return client


@pytest.fixture
def as_coordinator(world):
    coordinator = staff("samordnare", "Samordnare")
    client = Client()
    client.force_login(coordinator)
    return client


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def delete_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


def list_url(model) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def assessment_form(assessment: Assessment, **changes) -> dict:
    """What the change form of `assessment` posts, opened now (at its stored version)."""
    stored = Assessment.objects.get(pk=assessment.pk)
    fields = {
        "assignment": stored.assignment_id,
        "period": stored.period_id,
        "body": stored.body_id or "",
        "status": stored.status,
        "text": stored.text,
        "expected_version": stored.version,
        "_save": "Spara",
    }
    return fields | changes


def posted_form(response) -> dict:
    """What the browser posts back from an admin change page, unchanged (extra forms out)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        data[management.add_prefix("TOTAL_FORMS")] = str(formset.initial_form_count())
        for form in formset.initial_forms:
            add(form)
    data["_save"] = "Spara"
    return data


def inline_prefix(response, model) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise LookupError(model)


def inline_form(response, model, obj):
    """The form of `obj` in the page's inline of `model`."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            for form in inline.formset.initial_forms:
                if form.instance.pk == obj.pk:
                    return form
    raise LookupError(obj)


def inline_index(response, model, obj) -> int:
    return int(inline_form(response, model, obj).prefix.rsplit("-", 1)[1])


# --------------------------------------------------------------------------- assessments


def test_it_shows_an_official_a_published_assessment_read_only(as_official, world):
    response = as_official.get(change_url(world.published))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Publicerad text." in html
    assert 'name="text"' not in html and 'name="status"' not in html
    assert 'name="_save"' not in html
    assert in_swedish("Published: corrected with a new version.") in html


def test_it_lets_an_official_edit_their_own_draft(as_official, world):
    response = as_official.get(change_url(world.draft))
    assert 'name="text"' in response.content.decode()
    response = as_official.post(
        change_url(world.draft), assessment_form(world.draft, text="Nytt utkast.")
    )
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.text == "Nytt utkast."
    assert world.draft.is_published is False


def test_it_refuses_an_officials_post_to_a_published_assessment(as_official, world):
    before = world.snapshot()
    forged = assessment_form(
        world.published,
        status=AssessmentStatus.NOT_CARRIED_OUT,
        text="Omskriven av en handläggare.",
        period=world.later.pk,
        is_published="",
    )
    assert as_official.post(change_url(world.published), forged).status_code == 403
    assert world.snapshot() == before
    # "Save as new" on a published assessment's page adds a draft at most; the published
    # assessment stays as it was.
    as_official.post(change_url(world.published), {**forged, "_saveasnew": "Spara som ny"})
    assert (
        world.snapshot()["assessments"][world.published.pk]
        == before["assessments"][world.published.pk]
    )


def test_it_lets_nobody_change_a_published_assessment_in_place(as_coordinator, world):
    before = world.snapshot()
    forged = assessment_form(world.published, text="Rättad på plats.", expected_version=1)
    assert as_coordinator.post(change_url(world.published), forged).status_code == 403
    html = as_coordinator.get(change_url(world.published)).content.decode()
    assert 'name="text"' not in html and 'name="_save"' not in html
    assert world.snapshot() == before


def test_it_refuses_an_official_deleting_a_published_assessment(as_official, world):
    before = world.snapshot()
    assert as_official.get(delete_url(world.published)).status_code == 403
    assert as_official.post(delete_url(world.published), {"post": "yes"}).status_code == 403
    assert world.snapshot() == before


def test_it_offers_an_official_no_bulk_delete_and_ignores_a_forged_one(as_official, world):
    before = world.snapshot()
    listing = as_official.get(list_url(Assessment)).content.decode()
    assert 'value="delete_selected"' not in listing
    response = as_official.post(
        list_url(Assessment),
        {
            "action": "delete_selected",
            "_selected_action": [world.published.pk, world.draft.pk],
            "post": "yes",
        },
        follow=True,
    )
    assert in_swedish("No action selected.") in response.content.decode()  # not theirs
    assert world.snapshot() == before


def test_it_refuses_a_bulk_delete_of_published_assessments_even_with_delete_permission(
    client, world
):
    # An administrator gave an official the delete permission: drafts only, still.
    user = staff("handlaggare2", "Handläggare", "assignments.delete_assessment")
    world.own.officials.add(user)
    client.force_login(user)
    before = world.snapshot()
    data = {"action": "delete_selected", "_selected_action": [world.published.pk, world.draft.pk]}
    assert client.post(list_url(Assessment), {**data, "post": "yes"}).status_code == 403
    assert client.post(delete_url(world.published), {"post": "yes"}).status_code == 403
    assert world.snapshot() == before

    data["_selected_action"] = [world.draft.pk]
    assert client.post(list_url(Assessment), {**data, "post": "yes"}).status_code == 302
    assert not Assessment.objects.filter(pk=world.draft.pk).exists()
    assert Assessment.objects.filter(pk=world.published.pk).exists()


def test_it_refuses_an_officials_post_to_the_assignment_page(admin_client, as_official, world):
    forged = posted_form(admin_client.get(change_url(world.mine))) | {"title": "Omskrivet."}
    before = world.snapshot()
    assert as_official.post(change_url(world.mine), forged).status_code == 403
    assert world.snapshot() == before
    assert Assessment.objects.get(pk=world.published.pk).assignment.title == world.mine.title


def test_it_changes_no_assessment_from_the_assignment_page(as_coordinator, world):
    # The assignment page lists its assessments read-only: whatever a post says of them,
    # as the old inline form's fields did, is not a field of the page.
    page = as_coordinator.get(change_url(world.mine))
    html = page.content.decode()
    assert 'name="assessments-' not in html
    assert change_url(world.published) in html and change_url(world.draft) in html
    forged = posted_form(page) | {
        "assessments-TOTAL_FORMS": "1",
        "assessments-INITIAL_FORMS": "1",
        "assessments-0-id": str(world.published.pk),
        "assessments-0-text": "Omskriven inline.",
        "assessments-0-DELETE": "on",
    }
    before = world.snapshot()
    assert as_coordinator.post(change_url(world.mine), forged).status_code == 302
    assert world.snapshot() == before


def test_it_refuses_moving_a_draft_to_another_bodys_assignment(as_official, world):
    response = as_official.post(
        change_url(world.draft),
        assessment_form(world.draft, assignment=world.theirs.pk, body=world.other.pk),
    )
    assert response.status_code == 302  # saved: what it is an assessment of is not a field
    stored = Assessment.objects.get(pk=world.draft.pk)
    assert (stored.assignment, stored.body) == (world.mine, world.own)


def test_it_ignores_an_officials_is_published_and_state(as_official, world):
    for value in ("1", "on", "true"):
        response = as_official.post(
            change_url(world.draft),
            assessment_form(world.draft, is_published=value, state="published"),
        )
        assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.state == ReviewState.DRAFT and world.draft.is_published is False


def test_it_ignores_an_officials_forged_publish_action(as_official, world):
    before = world.snapshot()
    for action in ("publish", "unpublish", "approve_selected", "publish_selected"):
        response = as_official.post(
            list_url(Assessment),
            {"action": action, "_selected_action": [world.draft.pk, world.published.pk]},
            follow=True,
        )
        assert in_swedish("No action selected.") in response.content.decode()  # not theirs
    assert world.snapshot() == before


# --------------------------------------------------------------------------- the page cache


@pytest.fixture
def cache_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(pagecache, "leave_pages_cached", lambda request: calls.append(request.path))
    return calls


def test_it_leaves_pages_cached_when_a_draft_is_saved(as_official, world, cache_calls):
    as_official.post(change_url(world.draft), assessment_form(world.draft, text="Nytt."))
    add = reverse("admin:assignments_assessment_add")
    other = f.make_assignment(world.goal, bodies=[world.own])
    as_official.post(
        add,
        {
            "assignment": other.pk,
            "period": world.later.pk,
            "body": world.own.pk,
            "status": "on_track",
            "text": "Ännu ett.",
        },
    )
    assert Assessment.objects.filter(assignment=other).exists()
    assert cache_calls == [change_url(world.draft), add]


def test_it_leaves_pages_cached_when_a_draft_is_deleted(client, world, cache_calls):
    user = staff("handlaggare2", "Handläggare", "assignments.delete_assessment")
    world.own.officials.add(user)
    client.force_login(user)
    client.post(delete_url(world.draft), {"post": "yes"})
    assert cache_calls == [delete_url(world.draft)]


def test_it_renews_pages_when_the_period_is_published(
    as_official, as_coordinator, world, cache_calls
):
    step = reverse("admin:assignments_assessment_step", args=[world.draft.pk])
    as_official.post(step, {"step": "submit"})
    as_coordinator.post(step, {"step": "approve"})
    assert cache_calls == [step, step]  # nothing public yet
    publish = reverse("admin:goals_reportingperiod_publish", args=[world.later.pk])
    as_coordinator.post(publish, {"confirm": "yes"})
    assert Assessment.objects.get(pk=world.draft.pk).is_published
    assert cache_calls == [step, step]


def test_a_citizens_cached_page_stays_after_an_officials_draft(
    as_official, as_coordinator, world, page_cache
):
    client = Client()  # a citizen's: no session
    url = world.goal.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    response = as_official.post(change_url(world.draft), assessment_form(world.draft, text="Ny."))
    assert response.status_code == 302
    step = reverse("admin:assignments_assessment_step", args=[world.draft.pk])
    as_official.post(step, {"step": "submit"})
    as_coordinator.post(step, {"step": "approve"})
    assert client.get(url)["X-Page-Cache"] == "hit"

    publish = reverse("admin:goals_reportingperiod_publish", args=[world.later.pk])
    as_coordinator.post(publish, {"confirm": "yes"})
    assert client.get(url)["X-Page-Cache"] == "miss"


# --------------------------------------------------------------------------- goal assessments


@pytest.fixture
def goal_assessments(world):
    published = f.make_goal_assessment(world.goal, world.period, text="Målet nås.")
    draft = f.make_goal_assessment(world.goal, world.later, is_published=False)
    return published, draft


def test_officials_have_no_goal_assessment_permission(official):
    for action in ("view", "add", "change", "delete"):
        assert not official.has_perm(f"goals.{action}_goalassessment")
    assert not official.has_perm("goals.change_goal")


def test_it_refuses_an_official_every_goal_assessment_page(as_official, world, goal_assessments):
    published, draft = goal_assessments
    before = world.snapshot()
    form = {
        "goal": world.goal.pk,
        "period": world.period.pk,
        "fulfilment": "not",
        "text": "Omskriven.",
        "is_published": "on",
    }
    assert as_official.get(list_url(GoalAssessment)).status_code == 403
    assert as_official.get(reverse("admin:goals_goalassessment_add")).status_code == 403
    assert as_official.post(reverse("admin:goals_goalassessment_add"), form).status_code == 403
    for obj in (published, draft):
        assert as_official.get(change_url(obj)).status_code == 403
        assert as_official.post(change_url(obj), form).status_code == 403
        assert as_official.post(delete_url(obj), {"post": "yes"}).status_code == 403
    bulk = {
        "action": "delete_selected",
        "_selected_action": [published.pk, draft.pk],
        "post": "yes",
    }
    assert as_official.post(list_url(GoalAssessment), bulk).status_code == 403
    bulk["action"] = "approve_selected"
    assert as_official.post(list_url(GoalAssessment), bulk).status_code == 403
    assert world.snapshot() == before


def test_it_refuses_an_officials_post_to_the_goal_page(admin_client, as_official, world):
    forged = posted_form(admin_client.get(change_url(world.goal))) | {"title": "Nytt mål"}
    before = world.snapshot()
    assert as_official.post(change_url(world.goal), forged).status_code == 403
    assert world.snapshot() == before
    assert Goal.objects.get(pk=world.goal.pk).title == world.goal.title


def test_it_keeps_goal_assessments_from_whoever_is_not_the_coordinator(
    client, world, goal_assessments
):
    # Someone given the goal-assessment permissions without the publish permission.
    user = staff(
        "malansvarig", "Handläggare", "goals.view_goalassessment", "goals.change_goalassessment"
    )
    client.force_login(user)
    published, draft = goal_assessments
    before = world.snapshot()
    form = {
        "goal": world.goal.pk,
        "period": world.period.pk,
        "fulfilment": "not",
        "text": "Omskriven.",
        "is_published": "on",
        "expected_version": 1,
    }
    assert client.post(change_url(published), form).status_code == 403
    assert client.post(change_url(draft), {**form, "period": world.later.pk}).status_code == 403
    step = reverse("admin:goals_goalassessment_step", args=[draft.pk])
    client.post(step, {"step": "approve"})
    assert world.snapshot() == before


# --------------------------------------------------------------------------- plans and goals


def test_it_lets_the_coordinator_publish_and_unpublish_plans_and_goals(as_coordinator, db):
    plan = f.make_plan(is_published=False)
    goal = f.make_goal(plan, is_published=False)
    as_coordinator.post(list_url(Plan), {"action": "publish", "_selected_action": [plan.pk]})
    as_coordinator.post(list_url(Goal), {"action": "publish", "_selected_action": [goal.pk]})
    plan.refresh_from_db()
    goal.refresh_from_db()
    assert plan.is_published and goal.is_published
    assert Goal.objects.published().filter(pk=goal.pk).exists()
    as_coordinator.post(list_url(Plan), {"action": "unpublish", "_selected_action": [plan.pk]})
    plan.refresh_from_db()
    assert not plan.is_published
    assert not Goal.objects.published().filter(pk=goal.pk).exists()
    # The bulk action is in the history, with who did it.
    assert [h.is_published for h in plan.history.order_by("history_date")] == [False, True, False]
    assert plan.history.first().history_user.username == "samordnare"
    entries = LogEntry.objects.filter(object_id=str(plan.pk), content_type__model="plan")
    assert [entry.get_change_message() for entry in entries] == ["Ändrade publicerad."] * 2


def test_it_gives_officials_no_plan_and_no_goal_publication(as_official, world):
    plan = world.goal.plan
    for model in (Plan, Goal):
        listing = as_official.get(list_url(model))
        assert listing.status_code == 200
        html = listing.content.decode()
        assert 'value="publish"' not in html and 'value="unpublish"' not in html
        as_official.post(
            list_url(model), {"action": "unpublish", "_selected_action": [plan.pk, world.goal.pk]}
        )
    assert as_official.post(change_url(world.goal), {"is_published": ""}).status_code == 403
    assert as_official.post(change_url(plan), {"is_published": ""}).status_code == 403
    world.goal.refresh_from_db()
    plan.refresh_from_db()
    assert world.goal.is_published and plan.is_published


def test_it_says_that_a_new_plan_starts_unpublished(admin_client, db):
    form = admin_client.get(reverse("admin:goals_plan_add"))
    assert form.context["adminform"].form["is_published"].value() is False
    help_text = Plan._meta.get_field("is_published").help_text
    assert in_swedish(help_text) in form.content.decode()
    response = admin_client.post(
        reverse("admin:goals_plan_add"),
        {
            "code": "mob-2026",
            "slug": "mob-2026",
            "name": "Mål och budget 2026–2028",
            "start_year": 2026,
            "end_year": 2028,
            "goals-TOTAL_FORMS": "0",
            "goals-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    plan = Plan.objects.get(code="mob-2026")
    assert not plan.is_published
    with translation.override("sv"):
        told = translation.gettext(
            "“%(name)s” is not shown to the public yet. Publish it when it is ready."
        ) % {"name": plan}
    assert escape(told) in response.content.decode()
    listing = admin_client.get(list_url(Plan), {"is_published__exact": "0"})
    assert [p.code for p in listing.context["cl"].result_list] == ["mob-2026"]
