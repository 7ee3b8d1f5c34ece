"""The reporting round's writes: every change of an assessment's or a period's state.

The admin's forms and actions, the spreadsheet upload and the commands all call these
functions, so that the rules, the history and the page cache are the same on every path:

    draft = assessment_start(assignment=a, period=p, body=b, user=official)
    assessment_save(assessment=draft, user=official, expected_version=1, status=..., text=...)
    assessment_submit(assessment=draft, user=official)
    assessment_return(assessment=draft, user=coordinator, comment="Förtydliga ...")
    assessment_approve(assessments=[draft], user=coordinator)
    period_publish(period=p, user=coordinator)        # every approved one, in one transaction
    correction = assessment_correct(assessment=published, user=official, reason="...")

Who may do what:
- an official (handläggare) writes, saves and submits the assessments of the bodies they
  are an official of (Assessment.objects.editable_by), in a period open for reporting; a
  correction of a published one may be started whatever the period's state;
- the coordinator (samordnare, roles.may_review) may do all of that for every body, and
  returns, approves, publishes and moves periods between their states.

A refusal raises ReportingError with a message in Swedish for the person who tried;
nothing is changed. A save based on an older version than the stored one raises
StaleVersionError, which says what the other person changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import (
    Assessment,
    Assignment,
    ResponsibleBody,
    ReviewState,
)
from assignments.roles import may_review
from goals.models import GoalAssessment, PeriodState, ReportingPeriod
from uppfoljning import pagecache

# The fields an official fills in; the rest of an assessment is the workflow's.
ASSESSMENT_FIELDS = ("status", "text", "decision_date", "decision_reference", "decision_paragraph")
GOAL_ASSESSMENT_FIELDS = (
    "fulfilment",
    "text",
    "assignments_summary",
    "decision_date",
    "decision_reference",
    "decision_paragraph",
)

# Which period states allow which moves, for period_move().
PERIOD_MOVES = {
    PeriodState.PLANNED: {PeriodState.OPEN},
    PeriodState.OPEN: {PeriodState.CLOSED, PeriodState.PLANNED},
    PeriodState.CLOSED: {PeriodState.OPEN},
    PeriodState.PUBLISHED: set(),
}


class ReportingError(Exception):
    """A step the rules refuse; the message is for the person who tried it."""


class StaleVersionError(ReportingError):
    """The assessment was saved by someone else since the form was opened.

    `stored` is the assessment as it is now; `changes` the (field's label, their value) of
    each field that the other save changed."""

    def __init__(self, stored, changes: list[tuple[str, str]]):
        self.stored = stored
        self.changes = changes
        super().__init__(
            _(
                "Someone else saved this assessment while you were editing it. Your text has "
                "not been saved: compare it with theirs below and save again."
            )
        )


# --------------------------------------------------------------------------- who may


def _fields_of(record) -> tuple[str, ...]:
    return GOAL_ASSESSMENT_FIELDS if isinstance(record, GoalAssessment) else ASSESSMENT_FIELDS


def may_write(user, record) -> bool:
    """Whether `user` may change the content of `record` (an assessment or a goal
    assessment) now: a version in review, of their body (or any, for the coordinator); an
    official only a draft in an open period, or a correction."""
    if record.state not in ReviewState.in_review():
        return False
    if may_review(user):
        return True
    if isinstance(record, GoalAssessment):
        return False
    if not Assessment.objects.editable_by(user).filter(pk=record.pk).exists():
        return False
    return record.state == ReviewState.DRAFT and (
        record.period.is_open or record.corrects_id is not None
    )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ReportingError(message)


def _require_reviewer(user) -> None:
    _require(may_review(user), _("Only the coordinator may do this."))


def _locked(record):
    """The stored row of `record`, locked until the transaction ends."""
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


# --------------------------------------------------------------------------- assessments


def previous_assessment(assignment: Assignment, period: ReportingPeriod, body) -> Assessment | None:
    """The newest published assessment before `period` of the assignment by `body` (or the
    municipality's own, when the body has none): what a new one starts from."""
    earlier = Assessment.objects.published().filter(
        assignment=assignment, period__date__lt=period.date
    )
    return (
        earlier.filter(body=body).order_by("-period__date").first()
        or earlier.filter(body=None).order_by("-period__date").first()
    )


def _check_start(*, assignment: Assignment, period: ReportingPeriod, body, user) -> None:
    """Refuse what assessment_start() refuses: a period not open for reporting (the
    coordinator may also write in a closed one), another body's or a body's that does not
    answer for the assignment, and the municipality's own (no body) for an official."""
    _require(
        period.is_open or (may_review(user) and period.state == PeriodState.CLOSED),
        _("The period %(period)s is not open for reporting.") % {"period": period},
    )
    if body is None:
        _require_reviewer(user)
    else:
        _require(
            assignment.is_answered_by(body),
            _("%(body)s does not answer for this assignment.") % {"body": body},
        )
        _require(
            may_review(user) or user.responsible_bodies.filter(pk=body.pk).exists(),
            _("You can only report for your own committee or company."),
        )


def assessment_prefill(
    *, assignment: Assignment, period: ReportingPeriod, body: ResponsibleBody | None, user
) -> Assessment:
    """What assessment_start() would give, without writing anything (for a form opened
    with a GET): the version in review if there is one, else an unsaved draft with the
    previous period's status and text. Refused as assessment_start() refuses."""
    _check_start(assignment=assignment, period=period, body=body, user=user)
    existing = (
        Assessment.objects.in_review()
        .filter(assignment=assignment, period=period, body=body)
        .first()
    )
    if existing:
        return existing
    previous = previous_assessment(assignment, period, body)
    return Assessment(
        assignment=assignment,
        period=period,
        body=body,
        status=previous.status if previous else "",
        text=previous.text if previous else "",
    )


@transaction.atomic
def assessment_start(
    *, assignment: Assignment, period: ReportingPeriod, body: ResponsibleBody | None, user
) -> Assessment:
    """The draft of `body`'s assessment of `assignment` in `period`: the one in review if
    there is one, else a new draft that starts from the previous period's status and text.
    A first assessment has no status yet: the official chooses one, and it is saved when
    the form is saved (assessment_create), so it is returned unsaved."""
    draft = assessment_prefill(assignment=assignment, period=period, body=body, user=user)
    if draft.pk is None and draft.status:  # started from the previous period's
        draft.save()
    return draft


@transaction.atomic
def assessment_create(*, assessment: Assessment, user) -> Assessment:
    """Save a new draft made by assessment_start() and filled in by the official."""
    _require(assessment.pk is None, _("The assessment already exists."))
    body = assessment.body
    subject = {"assignment": assessment.assignment, "period": assessment.period, "body": body}
    existing = Assessment.objects.in_review().filter(**subject).first()
    if existing is not None:
        # Someone started it meanwhile: never save over their text.
        raise StaleVersionError(existing, _changes_since(existing, 0))
    started = assessment_start(**subject, user=user)
    if started.pk is not None:
        # A draft started from the previous period's: this user's own, just made.
        return assessment_save(
            assessment=started,
            user=user,
            expected_version=started.version,
            **{name: getattr(assessment, name) for name in ASSESSMENT_FIELDS},
        )
    assessment.state = ReviewState.DRAFT
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def assessment_save(*, assessment, user, expected_version: int, **values):
    """Save new content of a version in review (an assessment or a goal assessment).

    Refused with StaleVersionError when the stored version is not `expected_version` (the
    version the form was opened at): someone else saved meanwhile."""
    stored = _locked(assessment)
    _require(may_write(user, stored), _("You cannot change this assessment now."))
    unknown = set(values) - set(_fields_of(stored))
    _require(not unknown, _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if stored.version != expected_version:
        raise StaleVersionError(stored, _changes_since(stored, expected_version))
    for name, value in values.items():
        setattr(stored, name, value)
    stored.version += 1
    stored.full_clean(exclude=["corrects"])
    stored.save()
    return stored


def _changes_since(stored, version: int) -> list[tuple[str, str]]:
    """(label, stored value) of each content field that differs from `version`, as the
    history keeps it."""
    then = stored.history.filter(version=version).order_by("-history_date").first()
    changes = []
    for name in _fields_of(stored):
        now = getattr(stored, name)
        if then is None or getattr(then, name) != now:
            field = stored._meta.get_field(name)
            shown = getattr(stored, f"get_{name}_display")() if field.choices else now
            changes.append((str(field.verbose_name), "" if shown is None else str(shown)))
    return changes


def _move(record, user, *, from_states: Iterable[str], to: str, **changes):
    """Move a locked copy of `record` from one of `from_states` to `to`; save it with
    `changes` and a new version number (an open form of it becomes stale)."""
    stored = _locked(record)
    _require(
        stored.state in from_states,
        _("The assessment is %(state)s and cannot be moved to %(to)s.")
        % {"state": stored.get_state_display(), "to": ReviewState(to).label},
    )
    stored.state = to
    stored.version += 1
    for name, value in changes.items():
        setattr(stored, name, value)
    stored.save()
    return stored


@transaction.atomic
def assessment_submit(*, assessment, user):
    """An official hands a draft to the coordinator."""
    _require(may_write(user, assessment), _("You cannot submit this assessment now."))
    return _move(
        assessment,
        user,
        from_states=[ReviewState.DRAFT],
        to=ReviewState.SUBMITTED,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def assessment_return(*, assessment, user, comment: str):
    """The coordinator sends a submitted (or approved) one back to draft, saying why."""
    _require_reviewer(user)
    _require(bool(comment.strip()), _("Say what the official should change."))
    return _move(
        assessment,
        user,
        from_states=[ReviewState.SUBMITTED, ReviewState.APPROVED],
        to=ReviewState.DRAFT,
        review_comment=comment.strip(),
    )


@transaction.atomic
def assessment_approve(*, assessments: Iterable, user) -> list:
    """The coordinator approves submitted ones (a goal assessment, which the coordinator
    writes, may be approved from draft). All or none: one that cannot be approved stops
    the whole."""
    _require_reviewer(user)
    approved = []
    for record in assessments:
        states = [ReviewState.SUBMITTED]
        if isinstance(record, GoalAssessment):
            states.append(ReviewState.DRAFT)
        approved.append(
            _move(record, user, from_states=states, to=ReviewState.APPROVED, review_comment="")
        )
    return approved


@transaction.atomic
def assessment_correct(*, assessment, user, reason: str):
    """Start a correction of a published assessment: a new draft version with its content,
    which goes through the review and supersedes it when published."""
    stored = _locked(assessment)
    _require(stored.state == ReviewState.PUBLISHED, _("Only a published assessment is corrected."))
    _require(bool(reason.strip()), _("Say why the assessment is corrected."))
    if isinstance(stored, GoalAssessment):
        _require_reviewer(user)
    else:
        _require(
            may_review(user) or Assessment.objects.editable_by(user).filter(pk=stored.pk).exists(),
            _("You can only correct your own committee's or company's assessments."),
        )
    pending = type(stored)._default_manager.in_review().filter(corrects=stored).first()
    if pending:
        return pending
    copy = type(stored)(
        **{name: getattr(stored, name) for name in _fields_of(stored)},
        **_subject(stored),
        corrects=stored,
        correction_reason=reason.strip(),
    )
    copy.save()
    return copy


def _subject(record) -> dict:
    """What the record is an assessment of, and when (and by whom)."""
    if isinstance(record, GoalAssessment):
        return {"goal_id": record.goal_id, "period_id": record.period_id}
    return {
        "assignment_id": record.assignment_id,
        "period_id": record.period_id,
        "body_id": record.body_id,
    }


def _publish(record, now) -> None:
    """Publish an approved version; the version it corrects, and any other published one
    of the same subject, is superseded first (at most one is published)."""
    model = type(record)
    for earlier in model._default_manager.published().filter(**_subject(record)):
        earlier.state = ReviewState.SUPERSEDED
        earlier.save(update_fields=["state"])
    record.state = ReviewState.PUBLISHED
    record.published_at = now
    record.version += 1
    record.save()


@transaction.atomic
def correction_publish(*, assessment, user):
    """Publish an approved correction of an assessment of a published period at once."""
    _require_reviewer(user)
    stored = _locked(assessment)
    _require(
        stored.state == ReviewState.APPROVED and stored.period.state == PeriodState.PUBLISHED,
        _("Only an approved assessment of a published period is published on its own."),
    )
    _publish(stored, timezone.now())
    pagecache.content_changed()
    return stored


# --------------------------------------------------------------------------- goal assessments


def previous_goal_assessment(goal, period: ReportingPeriod) -> GoalAssessment | None:
    """The newest published goal assessment of `goal` before `period`: what a new one
    starts from."""
    return (
        GoalAssessment.objects.published()
        .filter(goal=goal, period__date__lt=period.date)
        .order_by("-period__date")
        .first()
    )


def goal_assessment_prefill(*, goal, period: ReportingPeriod, user) -> GoalAssessment:
    """The goal assessment in review of `goal` in `period`, or an unsaved draft that
    starts from the previous period's judgement, justification and summary."""
    _check_goal_assessment(period, user)
    existing = GoalAssessment.objects.in_review().filter(goal=goal, period=period).first()
    if existing:
        return existing
    previous = previous_goal_assessment(goal, period)
    return GoalAssessment(
        goal=goal,
        period=period,
        **{name: getattr(previous, name) for name in ("fulfilment", "text", "assignments_summary")}
        if previous
        else {},
    )


def _check_goal_assessment(period: ReportingPeriod, user) -> None:
    _require_reviewer(user)
    _require(
        period.state in (PeriodState.OPEN, PeriodState.CLOSED),
        _("The period %(period)s is not open for reporting.") % {"period": period},
    )


@transaction.atomic
def goal_assessment_create(*, assessment: GoalAssessment, user) -> GoalAssessment:
    """Save a new draft goal assessment (the coordinator's), filled in from
    goal_assessment_prefill(). Refused when the goal has one in review in the period."""
    _require(assessment.pk is None, _("The assessment already exists."))
    _check_goal_assessment(assessment.period, user)
    _require(
        not GoalAssessment.objects.in_review()
        .filter(goal=assessment.goal, period=assessment.period)
        .exists(),
        _("The goal already has an assessment in review for this period."),
    )
    assessment.state = ReviewState.DRAFT
    assessment.full_clean()
    assessment.save()
    return assessment


# --------------------------------------------------------------------------- periods


def period_counts(period: ReportingPeriod) -> dict[str, int]:
    """How many assessments and goal assessments of the period publishing it would
    publish (approved), and how many would stay unpublished (draft or submitted)."""
    counts = {}
    for model in (Assessment, GoalAssessment):
        rows = model._default_manager.filter(period=period)
        name = model._meta.model_name
        counts[f"{name}_approved"] = rows.filter(state=ReviewState.APPROVED).count()
        counts[f"{name}_not_approved"] = rows.filter(
            state__in=[ReviewState.DRAFT, ReviewState.SUBMITTED]
        ).count()
    return counts


@transaction.atomic
def period_move(*, period: ReportingPeriod, user, to: str) -> ReportingPeriod:
    """Open a planned period for reporting, close an open one (or reopen it, or take it
    back to planned); publishing is period_publish()."""
    _require_reviewer(user)
    stored = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _require(
        to in PERIOD_MOVES[PeriodState(stored.state)],
        _("The period is %(state)s and cannot be moved to %(to)s.")
        % {"state": stored.get_state_display(), "to": PeriodState(to).label},
    )
    stored.state = to
    stored.save()
    return stored


@transaction.atomic
def period_publish(*, period: ReportingPeriod, user) -> dict[str, int]:
    """Publish every approved assessment and goal assessment of the period in one
    transaction and mark the period published; the public pages show them from then on.
    Returns how many of each were published. What is not approved stays where it is."""
    _require_reviewer(user)
    stored = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _require(
        stored.state in (PeriodState.OPEN, PeriodState.CLOSED, PeriodState.PUBLISHED),
        _("A planned period has nothing to publish."),
    )
    now = timezone.now()
    counts = {}
    for model in (Assessment, GoalAssessment):
        approved = list(
            model._default_manager.select_for_update().filter(
                period=stored, state=ReviewState.APPROVED
            )
        )
        for record in approved:
            _publish(record, now)
        counts[model._meta.model_name] = len(approved)
    stored.state = PeriodState.PUBLISHED
    stored.save()
    pagecache.content_changed()
    return counts
