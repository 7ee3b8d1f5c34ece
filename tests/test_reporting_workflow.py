"""The reporting round's rules (reporting/services.py and the models under it): each state
transition, each refusal, and that nothing published is ever changed or lost."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import IntegrityError, transaction
from django.test import Client

from assignments.models import (
    Assessment,
    AssessmentStatus,
    BodyKind,
    PermanentRecordError,
    ReviewState,
)
from assignments.roles import PUBLISH_PERMISSION
from goals.models import GoalAssessment, PeriodState
from reporting import services
from reporting.services import ReportingError, StaleVersionError
from tests import factories as f

pytestmark = pytest.mark.django_db


def official(*bodies, name="handlaggare") -> User:
    user = User.objects.create_user(name, password="x", is_staff=True)
    for body in bodies:
        body.officials.add(user)
    return user


def coordinator(name="samordnare") -> User:
    user = User.objects.create_user(name, password="x", is_staff=True)
    app_label, codename = PUBLISH_PERMISSION.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return User.objects.get(pk=user.pk)  # no cached permissions


@pytest.fixture
def round_():
    """An open period after a published one; an assignment of body A with a published
    assessment in the earlier period, and A's and B's officials and a coordinator."""
    earlier = f.make_period(state=PeriodState.PUBLISHED)
    period = f.make_period(state=PeriodState.OPEN)
    body_a, body_b = f.make_body(name="Nämnd A"), f.make_body(name="Nämnd B")
    assignment = f.make_assignment(bodies=[body_a])
    f.make_assessment(
        assignment, earlier, body=body_a, status=AssessmentStatus.DELAYED, text="Försenat."
    )
    return {
        "earlier": earlier,
        "period": period,
        "a": body_a,
        "b": body_b,
        "assignment": assignment,
        "official_a": official(body_a, name="a"),
        "official_b": official(body_b, name="b"),
        "coordinator": coordinator(),
    }


def start(r, user=None):
    return services.assessment_start(
        assignment=r["assignment"], period=r["period"], body=r["a"], user=user or r["official_a"]
    )


def stored(record):
    return type(record).objects.get(pk=record.pk)


# --------------------------------------------------------------------------- the round


def test_a_new_assessment_starts_from_the_previous_periods_status_and_text(round_):
    draft = start(round_)
    assert draft.pk and draft.state == ReviewState.DRAFT
    assert (draft.status, draft.text) == (AssessmentStatus.DELAYED, "Försenat.")
    assert start(round_).pk == draft.pk  # the same draft again, not a second one


def test_a_draft_goes_submitted_approved_published_and_the_public_sees_it(round_):
    r = round_
    draft = start(r)
    saved = services.assessment_save(
        assessment=draft, user=r["official_a"], expected_version=draft.version,
        status=AssessmentStatus.ON_TRACK, text="Nu enligt plan.",
    )
    assert saved.version == draft.version + 1
    submitted = services.assessment_submit(assessment=saved, user=r["official_a"])
    assert submitted.state == ReviewState.SUBMITTED and submitted.submitted_at
    assert not Assessment.objects.published().filter(period=r["period"]).exists()
    [approved] = services.assessment_approve(assessments=[submitted], user=r["coordinator"])
    assert approved.state == ReviewState.APPROVED
    assert not Assessment.objects.published().filter(period=r["period"]).exists()

    counts = services.period_publish(period=r["period"], user=r["coordinator"])

    assert counts == {"assessment": 1, "goalassessment": 0}
    public = Assessment.objects.published().get(period=r["period"])
    assert (public.text, public.published_at is not None) == ("Nu enligt plan.", True)
    assert stored(r["period"]).state == PeriodState.PUBLISHED


def test_the_coordinator_returns_a_submitted_one_with_a_comment_the_official_sees(round_):
    r = round_
    submitted = services.assessment_submit(assessment=start(r), user=r["official_a"])
    with pytest.raises(ReportingError):
        services.assessment_return(assessment=submitted, user=r["coordinator"], comment="  ")
    returned = services.assessment_return(
        assessment=submitted, user=r["coordinator"], comment="Förtydliga tidplanen."
    )
    assert returned.state == ReviewState.DRAFT and returned.is_returned
    assert returned.review_comment == "Förtydliga tidplanen."
    # The official revises and submits again; approval clears the comment.
    again = services.assessment_submit(assessment=returned, user=r["official_a"])
    [approved] = services.assessment_approve(assessments=[again], user=r["coordinator"])
    assert approved.review_comment == ""


def test_publishing_a_period_leaves_what_is_not_approved_where_it_is(round_):
    r = round_
    other = f.make_assignment(bodies=[r["a"]])
    services.assessment_submit(assessment=start(r), user=r["official_a"])
    draft = services.assessment_start(
        assignment=other, period=r["period"], body=r["a"], user=r["official_a"]
    )
    draft.status, draft.text = AssessmentStatus.ON_TRACK, "Utkast."
    draft = services.assessment_create(assessment=draft, user=r["official_a"])

    assert services.period_publish(period=r["period"], user=r["coordinator"])["assessment"] == 0
    assert stored(draft).state == ReviewState.DRAFT
    assert Assessment.objects.filter(state=ReviewState.SUBMITTED).count() == 1


def test_a_goal_assessment_is_approved_by_the_coordinator_and_published_with_the_period(round_):
    r = round_
    goal = r["assignment"].goal
    draft = f.make_goal_assessment(goal, r["period"], state=ReviewState.DRAFT)
    services.assessment_approve(assessments=[draft], user=r["coordinator"])
    counts = services.period_publish(period=r["period"], user=r["coordinator"])
    assert counts["goalassessment"] == 1
    assert GoalAssessment.objects.published().get(goal=goal, period=r["period"])


# --------------------------------------------------------------------------- refusals


def test_an_official_cannot_write_for_another_body(round_):
    r = round_
    with pytest.raises(ReportingError):
        start(r, user=r["official_b"])
    draft = start(r)
    with pytest.raises(ReportingError):
        services.assessment_save(
            assessment=draft, user=r["official_b"], expected_version=draft.version, text="B:s"
        )
    with pytest.raises(ReportingError):
        services.assessment_submit(assessment=draft, user=r["official_b"])
    assert stored(draft).text == "Försenat." and stored(draft).state == ReviewState.DRAFT


def test_a_body_that_does_not_answer_for_the_assignment_cannot_report_on_it(round_):
    r = round_
    with pytest.raises(ReportingError):
        services.assessment_start(
            assignment=r["assignment"], period=r["period"], body=r["b"], user=r["coordinator"]
        )


def test_an_assignment_given_to_all_committees_is_reported_by_each_committee(round_):
    r = round_
    shared = f.make_assignment(all_committees=True)
    company = f.make_body(kind=BodyKind.COMPANY)
    parts = []
    for body, user in ((r["a"], r["official_a"]), (r["b"], r["official_b"])):
        part = services.assessment_start(
            assignment=shared, period=r["period"], body=body, user=user
        )
        assert part.pk is None and part.status == ""  # a first one: no status chosen yet
        part.status, part.text = AssessmentStatus.ON_TRACK, f"{body.name}s del."
        parts.append(services.assessment_create(assessment=part, user=user))
    assert [part.body for part in parts] == [r["a"], r["b"]]
    mine = Assessment.objects.editable_by(r["official_a"]).filter(assignment=shared)
    assert [p.pk for p in mine] == [parts[0].pk]
    with pytest.raises(ReportingError):
        services.assessment_start(
            assignment=shared, period=r["period"], body=company, user=r["coordinator"]
        )


def test_officials_write_only_in_an_open_period(round_):
    r = round_
    draft = start(r)
    for state in (PeriodState.PLANNED, PeriodState.CLOSED, PeriodState.PUBLISHED):
        type(r["period"]).objects.filter(pk=r["period"].pk).update(state=state)
        r["period"].refresh_from_db()
        draft = stored(draft)
        with pytest.raises(ReportingError):
            services.assessment_save(
                assessment=draft, user=r["official_a"], expected_version=draft.version, text="x"
            )
        with pytest.raises(ReportingError):
            services.assessment_submit(assessment=draft, user=r["official_a"])
    assert stored(draft).text == "Försenat."


def test_only_the_coordinator_approves_returns_and_publishes(round_):
    r = round_
    submitted = services.assessment_submit(assessment=start(r), user=r["official_a"])
    for attempt in (
        lambda: services.assessment_approve(assessments=[submitted], user=r["official_a"]),
        lambda: services.assessment_return(
            assessment=submitted, user=r["official_a"], comment="Nej"
        ),
        lambda: services.period_publish(period=r["period"], user=r["official_a"]),
        lambda: services.period_move(
            period=r["period"], user=r["official_a"], to=PeriodState.CLOSED
        ),
    ):
        with pytest.raises(ReportingError):
            attempt()
    assert stored(submitted).state == ReviewState.SUBMITTED
    assert stored(r["period"]).state == PeriodState.OPEN


def test_a_submitted_assessment_is_not_changed_by_the_official(round_):
    r = round_
    submitted = services.assessment_submit(assessment=start(r), user=r["official_a"])
    with pytest.raises(ReportingError):
        services.assessment_save(
            assessment=submitted, user=r["official_a"], expected_version=submitted.version,
            text="Ändrat efter inlämning.",
        )
    assert stored(submitted).text == "Försenat."


def test_a_draft_cannot_be_approved_without_being_submitted(round_):
    r = round_
    draft = start(r)
    with pytest.raises(ReportingError):
        services.assessment_approve(assessments=[draft], user=r["coordinator"])
    assert stored(draft).state == ReviewState.DRAFT


def test_periods_move_only_along_the_round(round_):
    r = round_
    closed = services.period_move(period=r["period"], user=r["coordinator"], to=PeriodState.CLOSED)
    assert closed.state == PeriodState.CLOSED
    with pytest.raises(ReportingError):
        services.period_move(period=closed, user=r["coordinator"], to=PeriodState.PLANNED)
    services.period_publish(period=closed, user=r["coordinator"])
    with pytest.raises(ReportingError):
        services.period_move(period=closed, user=r["coordinator"], to=PeriodState.OPEN)
    assert stored(closed).state == PeriodState.PUBLISHED


# --------------------------------------------------------------------------- two editors


def test_the_second_of_two_saves_from_the_same_version_is_refused_and_says_what_changed(round_):
    r = round_
    draft = start(r)
    opened_at = draft.version
    colleague = official(r["a"], name="kollega")
    services.assessment_save(
        assessment=draft, user=colleague, expected_version=opened_at, text="Kollegans text."
    )
    with pytest.raises(StaleVersionError) as refused:
        services.assessment_save(
            assessment=draft, user=r["official_a"], expected_version=opened_at, text="Min text."
        )
    assert ("bedömning", "Kollegans text.") in [
        (label.lower(), value) for label, value in refused.value.changes
    ] or ("assessment", "Kollegans text.") in refused.value.changes
    assert stored(draft).text == "Kollegans text."


# --------------------------------------------------------------------------- permanence


@pytest.fixture
def published(round_):
    r = round_
    return Assessment.objects.published().get(period=r["earlier"])


def test_a_published_assessment_is_never_changed_in_place(round_, published):
    published.text = "Omskriven historia."
    with pytest.raises(PermanentRecordError):
        published.save()
    with pytest.raises(ReportingError):
        services.assessment_save(
            assessment=published, user=round_["coordinator"],
            expected_version=published.version, text="Omskriven historia.",
        )
    assert stored(published).text == "Försenat."


def test_a_published_assessment_is_never_deleted(round_, published):
    with pytest.raises(PermanentRecordError):
        published.delete()
    with pytest.raises(PermanentRecordError):
        Assessment.objects.filter(pk=published.pk).delete()
    assert stored(published)


def test_what_has_a_published_assessment_cannot_be_deleted(round_, published):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        round_["assignment"].delete()
    with pytest.raises(ProtectedError):
        round_["earlier"].delete()
    assert stored(published)


def test_a_correction_is_reviewed_then_supersedes_and_the_earlier_text_stays(round_, published):
    r = round_
    correction = services.assessment_correct(
        assessment=published, user=r["official_a"], reason="Fel år i texten."
    )
    assert correction.state == ReviewState.DRAFT and correction.corrects == published
    assert stored(published).state == ReviewState.PUBLISHED  # still the public one
    correction = services.assessment_save(
        assessment=correction, user=r["official_a"], expected_version=correction.version,
        text="Försenat, rättad.",
    )
    correction = services.assessment_submit(assessment=correction, user=r["official_a"])
    services.assessment_approve(assessments=[correction], user=r["coordinator"])

    services.correction_publish(assessment=correction, user=r["coordinator"])

    earlier = stored(published)
    assert earlier.state == ReviewState.SUPERSEDED and earlier.text == "Försenat."
    now = Assessment.objects.published().get(period=r["earlier"])
    assert (now.pk, now.text, now.correction_reason) == (
        correction.pk, "Försenat, rättad.", "Fel år i texten."
    )
    assert now.corrects.text == "Försenat."


def test_a_correction_needs_a_reason_and_its_own_body(round_, published):
    r = round_
    with pytest.raises(ReportingError):
        services.assessment_correct(assessment=published, user=r["official_a"], reason="")
    with pytest.raises(ReportingError):
        services.assessment_correct(assessment=published, user=r["official_b"], reason="Fel")
    assert not Assessment.objects.exclude(corrects=None).exists()


# --------------------------------------------------------------------------- the database


def test_the_database_keeps_one_version_in_review_and_one_published_per_body(round_):
    r = round_
    start(r)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_assessment(r["assignment"], r["period"], body=r["a"], is_published=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_assessment(r["assignment"], r["earlier"], body=r["a"])


@pytest.mark.parametrize(
    "fields",
    [
        {"state": "invented"},
        {"text": ""},
        {"state": ReviewState.PUBLISHED, "published_at": None},
        {"correction_reason": "", "corrects_id": None, "decision_date": "1066-10-14"},
    ],
)
def test_the_database_refuses_what_the_forms_refuse(round_, fields):
    r = round_
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            assignment=r["assignment"], period=r["period"], body=r["a"],
            status=AssessmentStatus.ON_TRACK, text=fields.pop("text", "Text."), **fields,
        )


# --------------------------------------------------------------------------- the public page


def test_the_public_page_shows_a_correction_with_its_reason_and_the_earlier_text(
    client, round_, published
):
    r = round_
    correction = services.assessment_correct(
        assessment=published, user=r["official_a"], reason="Fel år i texten."
    )
    correction = services.assessment_save(
        assessment=correction, user=r["official_a"], expected_version=correction.version,
        text="Försenat till 2024.", decision_date="2022-05-12",
        decision_reference="KSN-2022-00123", decision_paragraph="§ 45",
    )
    correction = services.assessment_submit(assessment=correction, user=r["official_a"])
    services.assessment_approve(assessments=[correction], user=r["coordinator"])
    services.correction_publish(assessment=correction, user=r["coordinator"])

    page = client.get(r["assignment"].get_absolute_url()).content.decode()

    assert "Försenat till 2024." in page
    assert "Rättad" in page and "Fel år i texten." in page
    assert "Försenat." in page  # the text before the correction stays readable
    assert "12 maj 2022" in page and "KSN-2022-00123" in page and "§ 45" in page
    assert "Rapporterad av Nämnd A" in page


# --------------------------------------------------------------------------- preview


def preview_url(goal, **query):
    from urllib.parse import urlencode

    url = f"/admin/rapportering/forhandsvisning/{goal.plan.slug}/mal/{goal.number}/"
    return url + ("?" + urlencode(query) if query else "")


def test_the_coordinator_previews_the_goal_page_with_the_rounds_approved_assessments(
    client, round_
):
    r = round_
    r["assignment"].goal.plan.is_published = True
    r["assignment"].goal.plan.save()
    draft = start(r)
    draft = services.assessment_save(
        assessment=draft, user=r["official_a"], expected_version=draft.version,
        status=AssessmentStatus.COMPLETED, text="Klart och godkänt.",
    )
    submitted = services.assessment_submit(assessment=draft, user=r["official_a"])
    goal = r["assignment"].goal
    client.force_login(r["coordinator"])

    before = client.get(preview_url(goal)).content.decode()
    assert "Förhandsvisning" in before and "Försenat." in before  # submitted: not yet
    assert "Klart och godkänt." in client.get(preview_url(goal, med="alla")).content.decode()

    services.assessment_approve(assessments=[submitted], user=r["coordinator"])
    page = client.get(preview_url(goal))
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert "Klart och godkänt." in page.content.decode()
    # The public page still shows what is published, and nothing was written.
    public = Client().get(goal.get_absolute_url()).content.decode()
    assert "Klart och godkänt." not in public and "Försenat." in public
    assert stored(submitted).state == ReviewState.APPROVED


def test_only_the_coordinator_previews_a_round(client, round_):
    goal = round_["assignment"].goal
    client.force_login(round_["official_a"])
    assert client.get(preview_url(goal)).status_code == 403
    assert Client().get(preview_url(goal)).status_code == 302  # to the login page
