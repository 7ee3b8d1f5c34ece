"""The reporting round in the admin (reporting/admin.py): every step as the user who may take
it, every refusal as one who may not (forged requests on another body's objects included),
optimistic locking, and the history.

Each refusal is checked in the database: everything is exactly as before.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from assignments.models import Assessment, AssessmentStatus, ReviewState
from goals.models import GoalAssessment, PeriodState, ReportingPeriod
from tests import factories as f


def in_swedish(text, **values) -> str:
    """A text of the interface as the admin shows it (in Swedish), escaped."""
    with translation.override("sv"):
        text = translation.gettext(str(text))
        return escape(text % values if values else text)


staff = f.make_staff


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class Round:
    """A round in progress: the April period published, the August period open; committees
    A and B, each with an official and an assignment, one given to all committees; A's
    published April assessment and August draft, B's August draft; a coordinator."""

    def __init__(self):
        self.a = f.make_body(code="AMN", name="Arbetsmarknadsnämnden")
        self.b = f.make_body(code="SCN", name="Socialnämnden")
        self.goal = f.make_goal()
        self.mine = f.make_assignment(self.goal, bodies=[self.a], title="Vårt uppdrag")
        self.theirs = f.make_assignment(self.goal, bodies=[self.b], title="Deras uppdrag")
        self.shared = f.make_assignment(self.goal, all_committees=True, title="Allas uppdrag")
        self.april = f.make_period(
            date=datetime.date(2022, 4, 30), name="April 2022", state=PeriodState.PUBLISHED
        )
        self.august = f.make_period(
            date=datetime.date(2022, 8, 31),
            name="Augusti 2022",
            state=PeriodState.OPEN,
            deadline=datetime.date(2022, 9, 15),
        )
        self.published = f.make_assessment(
            self.mine,
            self.april,
            body=self.a,
            status=AssessmentStatus.DELAYED,
            text="Försenat på grund av vakanser.",
        )
        self.shared_april = f.make_assessment(
            self.shared, self.april, body=self.a, text="Allas uppdrag pågår hos oss."
        )
        self.draft = f.make_assessment(
            self.mine, self.august, body=self.a, state=ReviewState.DRAFT, text="Vårt utkast."
        )
        self.their_draft = f.make_assessment(
            self.theirs, self.august, body=self.b, state=ReviewState.DRAFT, text="Deras utkast."
        )
        self.official = staff(
            "agnes", "Handläggare", self.a, first_name="Agnes", last_name="Ekström"
        )
        self.colleague = staff("kalle", "Handläggare", self.a, first_name="Kalle", last_name="Ås")
        self.other_official = staff("bertil", "Handläggare", self.b)
        self.coordinator = staff("sara", "Samordnare", first_name="Sara", last_name="Lind")

    @staticmethod
    def snapshot():
        """Every assessment, goal assessment and period as it is in the database now."""
        return {
            "assessments": {a.pk: model_to_dict(a) for a in Assessment.objects.all()},
            "goal assessments": {a.pk: model_to_dict(a) for a in GoalAssessment.objects.all()},
            "periods": {p.pk: model_to_dict(p) for p in ReportingPeriod.objects.all()},
        }


@pytest.fixture
def rnd(db):
    return Round()


@pytest.fixture
def official(rnd):
    return login(rnd.official)


@pytest.fixture
def coordinator(rnd):
    return login(rnd.coordinator)


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def step_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_step", args=[obj.pk])


def history_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


ADD = "/admin/assignments/assessment/add/"
LIST = "/admin/assignments/assessment/"
PERIODS = "/admin/goals/reportingperiod/"


def form_data(assessment, **changes) -> dict:
    """What the change form of `assessment` posts, opened now, with `changes`."""
    data = {
        "status": assessment.status,
        "text": assessment.text,
        "decision_date": "",
        "decision_reference": "",
        "decision_paragraph": "",
        "expected_version": assessment.version,
        "_save": "Spara",
    }
    return data | changes


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def state_of(obj) -> str:
    return type(obj).objects.get(pk=obj.pk).state


# --------------------------------------------------------------------------- the list


def test_it_lists_an_official_their_bodys_assessments_with_the_state_in_words(official, rnd):
    response = official.get(LIST)
    assert {a.pk for a in response.context["cl"].result_list} == {
        rnd.published.pk,
        rnd.shared_april.pk,
        rnd.draft.pk,
    }
    html = response.content.decode()
    assert in_swedish("draft").capitalize() in html
    assert in_swedish("published").capitalize() in html
    assert "Deras utkast" not in html and "Deras uppdrag" not in html


def test_it_filters_the_list_by_period_state_and_body(coordinator, rnd):
    response = coordinator.get(
        LIST,
        {"period__id__exact": rnd.august.pk, "state__exact": "draft", "body__id__exact": rnd.b.pk},
    )
    assert [a.pk for a in response.context["cl"].result_list] == [rnd.their_draft.pk]


# --------------------------------------------------------------------------- new assessments


def test_it_starts_a_new_assessment_from_the_previous_periods(official, rnd):
    query = {"assignment": rnd.shared.pk, "period": rnd.august.pk, "body": rnd.a.pk}
    response = official.get(ADD, query)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["text"] == "Allas uppdrag pågår hos oss."
    assert form.initial["status"] == AssessmentStatus.ON_TRACK
    assert not Assessment.objects.filter(assignment=rnd.shared, period=rnd.august).exists()

    response = official.post(
        ADD,
        {
            "assignment": rnd.shared.pk,
            "period": rnd.august.pk,
            "body": rnd.a.pk,
            "status": AssessmentStatus.COMPLETED,
            "text": "Klart hos oss.",
            "_save": "Spara",
        },
    )
    assert response.status_code == 302
    new = Assessment.objects.get(assignment=rnd.shared, period=rnd.august)
    assert (new.body, new.state, new.status, new.text) == (
        rnd.a,
        ReviewState.DRAFT,
        AssessmentStatus.COMPLETED,
        "Klart hos oss.",
    )
    assert Assessment.objects.get(pk=rnd.shared_april.pk).text == "Allas uppdrag pågår hos oss."


def test_it_opens_the_one_being_written_instead_of_starting_another(official, rnd):
    query = {"assignment": rnd.mine.pk, "period": rnd.august.pk, "body": rnd.a.pk}
    response = official.get(ADD, query)
    assert response.status_code == 302
    assert response["Location"] == change_url(rnd.draft)
    before = rnd.snapshot()
    data = {**query, "status": "on_track", "text": "Skriver över kollegans utkast.", "_save": "1"}
    response = official.post(ADD, data)
    assert response.status_code == 200  # shown again: the draft is not overwritten
    assert response.context["adminform"].form.errors
    assert rnd.snapshot() == before


def test_it_submits_a_new_one_at_once_when_asked(official, rnd):
    official.post(
        ADD,
        {
            "assignment": rnd.shared.pk,
            "period": rnd.august.pk,
            "body": rnd.a.pk,
            "status": AssessmentStatus.ON_TRACK,
            "text": "Pågår.",
            "_submit": "Spara och lämna in",
        },
    )
    new = Assessment.objects.get(assignment=rnd.shared, period=rnd.august)
    assert new.state == ReviewState.SUBMITTED and new.submitted_at is not None


@pytest.mark.parametrize(
    "forged",
    [
        {"assignment": "theirs", "body": "b"},  # another body's assignment, as that body
        {"assignment": "theirs", "body": "a"},  # another body's assignment, as their own
        {"assignment": "shared", "body": "b"},  # a shared assignment, as another body
        {"assignment": "shared", "body": ""},  # as the municipality's own
        {"assignment": "mine", "body": "a", "period": "april"},  # a published period
    ],
)
def test_it_refuses_an_officials_forged_add(official, rnd, forged):
    before = rnd.snapshot()
    data = {
        "assignment": getattr(rnd, forged["assignment"]).pk,
        "body": getattr(rnd, forged["body"]).pk if forged["body"] else "",
        "period": getattr(rnd, forged.get("period", "august")).pk,
        "status": AssessmentStatus.COMPLETED,
        "text": "Förfalskad.",
        "_save": "Spara",
    }
    response = official.post(ADD, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert rnd.snapshot() == before


def test_it_refuses_to_start_from_another_bodys_assignment(official, rnd):
    response = official.get(
        ADD, {"assignment": rnd.theirs.pk, "period": rnd.august.pk, "body": rnd.b.pk}
    )
    assert response.status_code == 200
    assert "Deras" not in response.content.decode()
    initial = response.context["adminform"].form.initial
    assert initial.get("assignment") is None and initial.get("text") is None
    assert messages_of(response)  # says why


def test_it_offers_an_official_only_their_bodies_open_periods_and_assignments(official, rnd):
    form = official.get(ADD).context["adminform"].form
    assert list(form.fields["body"].queryset) == [rnd.a]
    assert form.fields["body"].required
    assert list(form.fields["period"].queryset) == [rnd.august]
    assert set(form.fields["assignment"].queryset) == {rnd.mine, rnd.shared}


# --------------------------------------------------------------------------- saving


def test_it_saves_a_draft_with_the_version_it_was_opened_at(official, rnd):
    page = official.get(change_url(rnd.draft))
    assert page.context["adminform"].form["expected_version"].value() == 1
    assert 'type="hidden" name="expected_version" value="1"' in page.content.decode()
    response = official.post(change_url(rnd.draft), form_data(rnd.draft, text="Nytt utkast."))
    assert response.status_code == 302
    saved = Assessment.objects.get(pk=rnd.draft.pk)
    assert (saved.text, saved.version, saved.state) == ("Nytt utkast.", 2, ReviewState.DRAFT)
    assert saved.history.first().history_user == rnd.official


def test_it_refuses_the_second_of_two_saves_and_loses_neither_text(official, rnd):
    colleague = login(rnd.colleague)
    first = official.get(change_url(rnd.draft)).context["adminform"].form
    second = colleague.get(change_url(rnd.draft)).context["adminform"].form
    assert first["expected_version"].value() == second["expected_version"].value() == 1

    response = official.post(change_url(rnd.draft), form_data(rnd.draft, text="Agnes text."))
    assert response.status_code == 302
    response = colleague.post(change_url(rnd.draft), form_data(rnd.draft, text="Kalles text."))

    assert response.status_code == 200
    html = response.content.decode()
    assert Assessment.objects.get(pk=rnd.draft.pk).text == "Agnes text."
    form = response.context["adminform"].form
    assert form["text"].value() == "Kalles text."  # the user's own text, kept in the form
    assert (
        in_swedish(
            "Someone else saved this assessment while you were editing it. Your text has not "
            "been saved: compare it with theirs below and save again."
        )
        in html
    )
    assert response.context["stale_changes"]
    assert "Agnes text." in html  # and theirs, shown beside it
    # Saving again after comparing is a deliberate choice: it is saved.
    assert form["expected_version"].value() == 2
    response = colleague.post(
        change_url(rnd.draft), form_data(rnd.draft, text="Kalles text.", expected_version=2)
    )
    assert response.status_code == 302
    assert Assessment.objects.get(pk=rnd.draft.pk).text == "Kalles text."


def test_it_refuses_a_save_without_the_version(official, rnd):
    before = rnd.snapshot()
    data = form_data(rnd.draft, text="Utan version.")
    del data["expected_version"]
    response = official.post(change_url(rnd.draft), data)
    assert response.status_code == 200
    assert "expected_version" in response.context["adminform"].form.errors
    assert rnd.snapshot() == before


def test_it_changes_no_subject_of_an_assessment(official, rnd):
    response = official.post(
        change_url(rnd.draft),
        form_data(rnd.draft, assignment=rnd.theirs.pk, body=rnd.b.pk, period=rnd.april.pk),
    )
    assert response.status_code == 302
    saved = Assessment.objects.get(pk=rnd.draft.pk)
    assert (saved.assignment, saved.body, saved.period) == (rnd.mine, rnd.a, rnd.august)


# --------------------------------------------------------------------------- submit, review


def test_it_submits_and_the_official_can_then_only_read_it(official, rnd):
    response = official.post(
        change_url(rnd.draft), form_data(rnd.draft, _submit="Spara och lämna in")
    )
    assert response.status_code == 302
    assert state_of(rnd.draft) == ReviewState.SUBMITTED

    page = official.get(change_url(rnd.draft))
    html = page.content.decode()
    assert 'name="text"' not in html and 'name="_save"' not in html
    assert in_swedish("Submitted: waiting for the coordinator's review.") in html
    before = rnd.snapshot()
    data = form_data(Assessment.objects.get(pk=rnd.draft.pk), text="Ändrad efteråt.")
    assert official.post(change_url(rnd.draft), data).status_code == 403
    assert rnd.snapshot() == before


def test_a_save_after_a_colleague_submitted_it_loses_no_text(official, rnd):
    page = official.get(change_url(rnd.draft))
    assert page.context["adminform"].form["expected_version"].value() == 1
    login(rnd.colleague).post(step_url(rnd.draft), {"step": "submit"})
    before = rnd.snapshot()

    response = official.post(
        change_url(rnd.draft), form_data(rnd.draft, text="Min text som inte får försvinna.")
    )

    assert response.status_code == 403
    assert rnd.snapshot() == before
    html = response.content.decode()
    assert "Min text som inte får försvinna." in html  # shown, to copy
    assert 'id="reporting-unsaved-heading"' in html
    with translation.override("sv"):
        reason = translation.gettext("Submitted: waiting for the coordinator's review.")
    assert in_swedish("Your changes have not been saved. %(reason)s", reason=reason) in html


def test_an_official_submits_in_bulk_only_what_is_theirs(official, rnd):
    official.post(
        ADD,
        {
            "assignment": rnd.shared.pk,
            "period": rnd.august.pk,
            "body": rnd.a.pk,
            "status": AssessmentStatus.ON_TRACK,
            "text": "Pågår.",
        },
    )
    shared = Assessment.objects.get(assignment=rnd.shared, period=rnd.august)
    selected = [rnd.draft.pk, shared.pk, rnd.their_draft.pk]
    response = official.post(LIST, {"action": "submit_selected", "_selected_action": selected})
    assert response.status_code == 302
    assert state_of(rnd.draft) == state_of(shared) == ReviewState.SUBMITTED
    assert state_of(rnd.their_draft) == ReviewState.DRAFT


def test_the_coordinator_returns_with_a_comment_the_official_sees(official, coordinator, rnd):
    official.post(step_url(rnd.draft), {"step": "submit"})
    assert state_of(rnd.draft) == ReviewState.SUBMITTED
    page = coordinator.get(change_url(rnd.draft)).content.decode()
    assert 'name="comment"' in page and 'value="return"' in page

    before = rnd.snapshot()
    response = coordinator.post(
        step_url(rnd.draft), {"step": "return", "comment": "  "}, follow=True
    )
    assert in_swedish("Say what the official should change.") in response.content.decode()
    assert rnd.snapshot() == before

    comment = "Beskriv varför uppdraget är försenat."
    coordinator.post(step_url(rnd.draft), {"step": "return", "comment": comment})
    returned = Assessment.objects.get(pk=rnd.draft.pk)
    assert (returned.state, returned.review_comment) == (ReviewState.DRAFT, comment)

    page = official.get(change_url(rnd.draft))
    html = page.content.decode()
    assert 'id="reporting-returned-heading"' in html
    assert html.index(comment) < html.index('name="text"')  # above the form
    assert 'name="text"' in html  # the official can revise it
    listing = official.get(LIST).content.decode()
    assert in_swedish("Returned to the official") in listing


def test_the_coordinator_approves_one_and_in_bulk_all_or_none(official, coordinator, rnd):
    official.post(step_url(rnd.draft), {"step": "submit"})
    their = login(rnd.other_official)
    their.post(step_url(rnd.their_draft), {"step": "submit"})
    official.post(
        ADD,
        {
            "assignment": rnd.shared.pk,
            "period": rnd.august.pk,
            "body": rnd.a.pk,
            "status": AssessmentStatus.ON_TRACK,
            "text": "Fortfarande ett utkast.",
            "_save": "Spara",
        },
    )
    still_draft = Assessment.objects.get(assignment=rnd.shared, period=rnd.august)

    before = rnd.snapshot()
    selected = [rnd.draft.pk, rnd.their_draft.pk, still_draft.pk]
    response = coordinator.post(
        LIST, {"action": "approve_selected", "_selected_action": selected}, follow=True
    )
    assert rnd.snapshot() == before  # one could not be approved: none is
    assert any(str(still_draft) in message for message in messages_of(response))

    coordinator.post(LIST, {"action": "approve_selected", "_selected_action": selected[:2]})
    assert state_of(rnd.draft) == state_of(rnd.their_draft) == ReviewState.APPROVED

    coordinator.post(step_url(rnd.draft), {"step": "return", "comment": "Ett fel till."})
    coordinator.post(step_url(rnd.draft), {"step": "approve"})
    assert state_of(rnd.draft) == ReviewState.DRAFT  # a draft is submitted before approval


def test_the_coordinator_saves_and_approves_at_once(official, coordinator, rnd):
    official.post(step_url(rnd.draft), {"step": "submit"})
    submitted = Assessment.objects.get(pk=rnd.draft.pk)
    response = coordinator.post(
        change_url(submitted), form_data(submitted, text="Språkgranskad.", _approve="1")
    )
    assert response.status_code == 302
    approved = Assessment.objects.get(pk=rnd.draft.pk)
    assert (approved.state, approved.text) == (ReviewState.APPROVED, "Språkgranskad.")


def test_it_refuses_an_official_the_coordinators_steps(official, rnd):
    official.post(step_url(rnd.draft), {"step": "submit"})
    before = rnd.snapshot()
    for step in ("approve", "return", "publish"):
        response = official.post(
            step_url(rnd.draft), {"step": step, "comment": "Själv."}, follow=True
        )
        assert messages_of(response), step
    for action in ("approve_selected", "publish_selected"):
        response = official.post(
            LIST, {"action": action, "_selected_action": [rnd.draft.pk]}, follow=True
        )
        assert in_swedish("No action selected.") in response.content.decode()  # not theirs
    response = official.post(change_url(rnd.draft), form_data(rnd.draft, _approve="1"))
    assert response.status_code == 403
    assert rnd.snapshot() == before


def test_it_refuses_an_officials_steps_on_another_bodys_assessment(official, rnd):
    before = rnd.snapshot()
    for step in ("submit", "approve", "correct"):
        data = {"step": step, "reason": "Förfalskad."}
        response = official.post(step_url(rnd.their_draft), data)
        assert response.status_code == 302 and response["Location"] == "/admin/"
    response = official.post(
        change_url(rnd.their_draft), form_data(rnd.their_draft, text="Förfalskad.")
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert official.get(change_url(rnd.their_draft)).status_code == 302
    response = official.post(
        LIST, {"action": "submit_selected", "_selected_action": [rnd.their_draft.pk]}
    )
    assert rnd.snapshot() == before


def test_it_refuses_writing_in_a_closed_period(official, coordinator, rnd):
    coordinator.post(step_url_period(rnd.august), {"step": "close"})
    assert ReportingPeriod.objects.get(pk=rnd.august.pk).state == PeriodState.CLOSED
    before = rnd.snapshot()
    response = official.get(change_url(rnd.draft))
    assert 'name="text"' not in response.content.decode()
    note = in_swedish("The period %(period)s is not open for reporting.", period="Augusti 2022")
    assert note in response.content.decode()
    assert official.post(change_url(rnd.draft), form_data(rnd.draft)).status_code == 403
    official.post(step_url(rnd.draft), {"step": "submit"})
    assert rnd.snapshot() == before


# --------------------------------------------------------------------------- corrections


def test_a_published_assessment_is_corrected_with_a_new_version(official, coordinator, rnd):
    page = official.get(change_url(rnd.published))
    html = page.content.decode()
    assert 'name="text"' not in html and 'name="_save"' not in html
    assert in_swedish("Published: corrected with a new version.") in html
    assert 'value="correct"' in html

    before = rnd.snapshot()
    official.post(step_url(rnd.published), {"step": "correct", "reason": " "})
    assert official.post(change_url(rnd.published), form_data(rnd.published)).status_code == 403
    assert rnd.snapshot() == before

    response = official.post(
        step_url(rnd.published), {"step": "correct", "reason": "Fel siffra om vakanser."}
    )
    correction = Assessment.objects.get(corrects=rnd.published)
    assert response["Location"] == change_url(correction)
    assert change_url(correction) in official.get(change_url(rnd.published)).content.decode()
    assert correction.state == ReviewState.DRAFT and correction.text == rnd.published.text
    official.post(
        change_url(correction),
        form_data(correction, text="Försenat på grund av två vakanser.", _submit="1"),
    )
    coordinator.post(step_url(correction), {"step": "approve"})
    published = rnd.published.pk
    assert rnd.snapshot()["assessments"][published] == before["assessments"][published]

    coordinator.post(step_url(correction), {"step": "publish"})
    assert state_of(correction) == ReviewState.PUBLISHED
    old = Assessment.objects.get(pk=rnd.published.pk)
    assert (old.state, old.text) == (ReviewState.SUPERSEDED, "Försenat på grund av vakanser.")


def test_the_coordinator_publishes_approved_corrections_in_bulk(official, coordinator, rnd):
    corrections = []
    for published in (rnd.published, rnd.shared_april):
        official.post(step_url(published), {"step": "correct", "reason": "Stavfel."})
        correction = Assessment.objects.get(corrects=published)
        official.post(step_url(correction), {"step": "submit"})
        corrections.append(correction)
    coordinator.post(step_url(corrections[0]), {"step": "approve"})
    selected = [c.pk for c in corrections]

    before = rnd.snapshot()
    coordinator.post(LIST, {"action": "publish_selected", "_selected_action": selected})
    assert rnd.snapshot() == before  # the second is not approved: neither is published

    coordinator.post(LIST, {"action": "approve_selected", "_selected_action": selected[1:]})
    coordinator.post(LIST, {"action": "publish_selected", "_selected_action": selected})
    assert [state_of(c) for c in corrections] == [ReviewState.PUBLISHED] * 2
    assert state_of(rnd.published) == state_of(rnd.shared_april) == ReviewState.SUPERSEDED


def test_it_never_offers_deleting_a_published_assessment(coordinator, rnd):
    delete = reverse("admin:assignments_assessment_delete", args=[rnd.published.pk])
    before = rnd.snapshot()
    page = coordinator.get(change_url(rnd.published)).content.decode()
    assert delete not in page
    assert coordinator.get(delete).status_code == 403
    assert coordinator.post(delete, {"post": "yes"}).status_code == 403
    data = {
        "action": "delete_selected",
        "_selected_action": [rnd.published.pk, rnd.draft.pk],
        "post": "yes",
    }
    assert coordinator.post(LIST, data).status_code == 403
    assert rnd.snapshot() == before

    data["_selected_action"] = [rnd.draft.pk]
    assert coordinator.post(LIST, data).status_code == 302
    assert not Assessment.objects.filter(pk=rnd.draft.pk).exists()


def test_an_official_deletes_nothing(official, rnd):
    before = rnd.snapshot()
    delete = reverse("admin:assignments_assessment_delete", args=[rnd.draft.pk])
    assert official.post(delete, {"post": "yes"}).status_code == 403
    data = {"action": "delete_selected", "_selected_action": [rnd.draft.pk], "post": "yes"}
    response = official.post(LIST, data, follow=True)
    assert in_swedish("No action selected.") in response.content.decode()
    assert rnd.snapshot() == before


# --------------------------------------------------------------------------- periods


def step_url_period(period) -> str:
    return reverse("admin:goals_reportingperiod_step", args=[period.pk])


def publish_url(period) -> str:
    return reverse("admin:goals_reportingperiod_publish", args=[period.pk])


def test_the_coordinator_opens_closes_and_reopens_a_period(coordinator, rnd):
    planned = f.make_period(date=datetime.date(2022, 12, 31), state=PeriodState.PLANNED)
    listing = coordinator.get(PERIODS).content.decode()
    assert in_swedish("planned").capitalize() in listing
    assert "15 september 2022" in listing  # the deadline

    for step, state in (
        ("open", PeriodState.OPEN),
        ("close", PeriodState.CLOSED),
        ("reopen", PeriodState.OPEN),
    ):
        coordinator.post(step_url_period(planned), {"step": step})
        assert ReportingPeriod.objects.get(pk=planned.pk).state == state
    response = coordinator.post(
        PERIODS, {"action": "close_periods", "_selected_action": [planned.pk]}
    )
    assert response.status_code == 302
    assert ReportingPeriod.objects.get(pk=planned.pk).state == PeriodState.CLOSED


def test_publishing_a_period_asks_first_and_says_what_stays_unpublished(official, coordinator, rnd):
    official.post(step_url(rnd.draft), {"step": "submit"})
    coordinator.post(step_url(rnd.draft), {"step": "approve"})
    page = coordinator.get(publish_url(rnd.august))
    assert page.status_code == 200
    counts = dict(page.context["periods"])[rnd.august]
    assert counts["assessment_approved"] == 1
    assert counts["assessment_not_approved"] == 1  # B's draft
    assert state_of(rnd.draft) == ReviewState.APPROVED  # nothing published by looking

    coordinator.post(publish_url(rnd.august), {"confirm": "yes"})
    assert ReportingPeriod.objects.get(pk=rnd.august.pk).state == PeriodState.PUBLISHED
    assert state_of(rnd.draft) == ReviewState.PUBLISHED
    assert state_of(rnd.their_draft) == ReviewState.DRAFT


def test_publishing_periods_from_the_list_asks_first(coordinator, rnd):
    data = {"action": "publish_periods", "_selected_action": [rnd.august.pk]}
    page = coordinator.post(PERIODS, data)
    assert page.status_code == 200
    assert ReportingPeriod.objects.get(pk=rnd.august.pk).state == PeriodState.OPEN
    assert 'name="confirm"' in page.content.decode()
    coordinator.post(PERIODS, {**data, "confirm": "yes"})
    assert ReportingPeriod.objects.get(pk=rnd.august.pk).state == PeriodState.PUBLISHED


def test_it_refuses_an_official_every_period_step(official, rnd):
    before = rnd.snapshot()
    for step in ("open", "close", "reopen"):
        official.post(step_url_period(rnd.august), {"step": step})
    assert official.get(publish_url(rnd.august)).status_code == 403
    assert official.post(publish_url(rnd.august), {"confirm": "yes"}).status_code == 403
    for action in ("open_periods", "close_periods", "publish_periods"):
        data = {"action": action, "_selected_action": [rnd.august.pk], "confirm": "yes"}
        assert official.post(PERIODS, data).status_code in (200, 403)
    change = change_url(rnd.august)
    data = {"name": "Ny", "code": "x", "date": "2022-08-31"}
    assert official.post(change, data).status_code == 403
    assert rnd.snapshot() == before


# --------------------------------------------------------------------------- goal assessments


def test_the_coordinator_writes_approves_and_publishes_a_goal_assessment(coordinator, rnd):
    f.make_goal_assessment(rnd.goal, rnd.april, text="Målet nås i hög grad.")
    add = reverse("admin:goals_goalassessment_add")
    page = coordinator.get(add, {"goal": rnd.goal.pk, "period": rnd.august.pk})
    assert page.context["adminform"].form.initial["text"] == "Målet nås i hög grad."
    response = coordinator.post(
        add,
        {
            "goal": rnd.goal.pk,
            "period": rnd.august.pk,
            "fulfilment": "partly",
            "text": "Målet nås delvis.",
            "assignments_summary": "",
            "_approve": "Spara och godkänn",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = GoalAssessment.objects.get(period=rnd.august)
    assert new.state == ReviewState.APPROVED
    coordinator.post(publish_url(rnd.august), {"confirm": "yes"})
    assert state_of(new) == ReviewState.PUBLISHED


def test_an_official_has_no_goal_assessment_pages(official, rnd):
    goal_assessment = f.make_goal_assessment(rnd.goal, rnd.august, state=ReviewState.DRAFT)
    before = rnd.snapshot()
    assert official.get("/admin/goals/goalassessment/").status_code == 403
    assert official.get(change_url(goal_assessment)).status_code == 403
    assert official.post(step_url(goal_assessment), {"step": "approve"}).status_code == 403
    assert rnd.snapshot() == before


# --------------------------------------------------------------------------- history


def test_the_history_shows_old_and_new_values_and_hides_other_names(official, coordinator, rnd):
    official.post(change_url(rnd.draft), form_data(rnd.draft, text="Den andra texten."))
    official.post(step_url(rnd.draft), {"step": "submit"})
    coordinator.post(step_url(rnd.draft), {"step": "return", "comment": "Förtydliga."})

    page = official.get(history_url(rnd.draft)).content.decode()
    html = page.split('id="content-main"')[1]
    assert "Vårt utkast." in html and "Den andra texten." in html  # old and new
    assert in_swedish("submitted") in html
    assert in_swedish("You") in html and in_swedish("Another user") in html
    for name in ("sara", "Sara", "Lind", "agnes", "Agnes", "Ekström"):
        assert name not in html, name

    html = coordinator.get(history_url(rnd.draft)).content.decode()
    assert "Agnes Ekström" in html and "Sara Lind" in html


def test_the_history_of_another_bodys_assessment_is_not_shown(official, rnd):
    response = official.get(history_url(rnd.their_draft))
    assert response.status_code == 302
    assert "Deras" not in official.get(response["Location"]).content.decode()


def test_the_history_offers_no_old_version_to_restore(coordinator, rnd):
    record = rnd.draft.history.first()
    url = reverse(
        "admin:assignments_assessment_simple_history", args=[rnd.draft.pk, record.history_id]
    )
    before = rnd.snapshot()
    assert coordinator.post(url, form_data(rnd.draft, text="Återställd.")).status_code == 302
    assert rnd.snapshot() == before


def test_the_admins_own_history_hides_other_names_too(official, rnd):
    admin = login(User.objects.create_superuser("admin", first_name="Ada", last_name="Admin"))
    response = admin.post(
        change_url(rnd.a),
        {
            "code": "AMN",
            "slug": rnd.a.slug,
            "name": "Arbetsmarknadsnämnden (AMN)",
            "kind": "committee",
            "position": 0,
            "officials": [rnd.official.pk],
        },
    )
    assert response.status_code == 302
    html = official.get(history_url(rnd.a)).content.decode()
    assert in_swedish("Another user") in html
    assert "admin" not in html.split('id="content-main"')[1] and "Ada" not in html


def test_the_history_of_goals_plans_and_periods_hides_names_from_officials(
    official, coordinator, rnd
):
    goal = rnd.goal
    data = {
        "plan": goal.plan.pk,
        "number": goal.number,
        "title": "Ett nytt namn på målet",
        "tagline": "",
        "description": "",
        "is_published": "on",
    }
    for prefix in ("focus_areas", "links", "actions", "assignments"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    assert coordinator.post(change_url(goal), data).status_code == 302
    coordinator.post(step_url_period(rnd.august), {"step": "close"})

    for obj, old, new in (
        (goal, goal.title, "Ett nytt namn på målet"),
        (rnd.august, in_swedish("open for reporting"), in_swedish("closed for reporting")),
    ):
        html = official.get(history_url(obj)).content.decode().split('id="content-main"')[1]
        assert old in html and new in html
        assert in_swedish("Another user") in html
        assert "Sara" not in html and "sara" not in html
        assert "Sara Lind" in coordinator.get(history_url(obj)).content.decode()
    assert official.get(history_url(goal.plan)).status_code == 200
