"""Responsible bodies (nämnder och bolag), assignments (uppdrag) and their assessments.

Goals and reporting periods are referred to by string ("goals.Goal"), so that this room
never imports the goals room: the goals room builds on this one, not the other way.
"""

import datetime
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import NotSupportedError, connections, models
from django.db.models import Case, Count, F, Func, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from uppfoljning.modeltools import (
    MAX_DATE,
    MIN_DATE,
    YEAR_VALIDATORS,
    AssessedMixin,
    ProseField,
    PublishedQuerySet,
    choices_constraint,
    unique_slug,
    year_in_range,
)


class BodyKind(models.TextChoices):
    COMMITTEE = "committee", _("committee")
    COMPANY = "company", _("company")


class ResponsibleBody(models.Model):
    """A committee (nämnd, styrelse) or a municipal company (bolag)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=BodyKind)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Order in the open-data file.")
    )
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="responsible_bodies",
        verbose_name=_("officials"),
        help_text=_("Staff users who may enter assessments for this body's assignments."),
    )

    class Meta:
        verbose_name = _("responsible body")
        verbose_name_plural = _("responsible bodies")
        ordering = ["kind", "name"]
        constraints = [choices_constraint("kind", BodyKind)]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            taken = set(ResponsibleBody.objects.values_list("slug", flat=True))
            self.slug = unique_slug(self.code, taken, max_length=60, fallback="ansvarig")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("assignments:body", kwargs={"body": self.slug})


class AssessmentStatus(models.TextChoices):
    """The traffic light of an assignment."""

    COMPLETED = "completed", pgettext_lazy("status", "Completed")
    ON_TRACK = "on_track", pgettext_lazy("status", "On track")
    DELAYED = "delayed", pgettext_lazy("status", "Not quite on track")
    NOT_CARRIED_OUT = "not_carried_out", pgettext_lazy("status", "Not carried out")

    @classmethod
    def parse(cls, value: str | None) -> "AssessmentStatus | None":
        """The status a query parameter names; None for a missing or unknown value."""
        return cls(value) if value in cls.values else None

    @property
    def colour(self) -> str:
        return {
            "completed": "green",
            "on_track": "green",
            "delayed": "yellow",
            "not_carried_out": "red",
        }[self.value]

    @property
    def colour_label(self) -> str:
        return {
            "green": pgettext_lazy("colour", "Green"),
            "yellow": pgettext_lazy("colour", "Yellow"),
            "red": pgettext_lazy("colour", "Red"),
        }[self.colour]

    @property
    def meaning(self) -> str:
        return {
            "completed": _("The assignment is finished"),
            "on_track": _("The assignment is under way or waiting, according to plan"),
            "delayed": _("The assignment is delayed or not started"),
            "not_carried_out": _("The assignment is not being carried out"),
        }[self.value]


def standing_at(assignments: list["Assignment"], status: AssessmentStatus | None):
    """The assignments whose current status is `status`; all of them when it is None.

    Filters in Python what for_page() or with_current_status() read, so that a filtered
    page runs the same queries as the whole one.
    """
    if status is None:
        return assignments
    return [a for a in assignments if a.current_status == status]


class AssignmentQuerySet(models.QuerySet):
    def public(self):
        """Assignments of published goals of published plans: what citizens may see."""
        return self.filter(goal__is_published=True, goal__plan__is_published=True)

    def for_body(self, body: ResponsibleBody):
        """Assignments the body answers for: named, or given to all of its kind."""
        return self.for_bodies([body])

    def for_bodies(self, bodies) -> "AssignmentQuerySet":
        """Assignments any of `bodies` answers for: named, or given to all of its kind."""
        bodies = list(bodies)
        if not bodies:
            return self.none()
        condition = Q(
            pk__in=AssignmentResponsibility.objects.filter(body__in=bodies).values("assignment")
        )
        kinds = {body.kind for body in bodies}
        if BodyKind.COMMITTEE in kinds:
            condition |= Q(all_committees=True)
        if BodyKind.COMPANY in kinds:
            condition |= Q(all_companies=True)
        return self.filter(condition)

    def reportable_in(self, period) -> "AssignmentQuerySet":
        """The assignments to report on in `period` (Assignment.is_reportable_in(), as a
        filter): of published goals of published plans whose years include the period's
        year, and not added in a later year."""
        year = period.date.year
        return (
            self.public()
            .filter(goal__plan__start_year__lte=year, goal__plan__end_year__gte=year)
            .filter(Q(added_year__isnull=True) | Q(added_year__lte=year))
        )

    def editable_by(self, user) -> "AssignmentQuerySet":
        """The assignments a staff user may act on: all for the coordinator
        (roles.may_review) and the administrators, else their bodies'.

        The one rule of who may work on which assignment; the admin's lists, forms, actions
        and autocomplete all ask here.
        """
        from assignments.roles import may_review

        if not (user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser or may_review(user):
            return self.all()
        return self.for_bodies(user.responsible_bodies.all())

    def with_current_status(self) -> "AssignmentQuerySet":
        """Annotate `current_status_value`: the status of the newest published assessment,
        None before the first one. The one rule of an assignment's status, which
        Assignment.current_status reads; a page filters by it with standing_at()."""
        return self.annotate(current_status_value=_current_columns(self.db)["status"])

    def with_current_assessment(self) -> "AssignmentQuerySet":
        """Annotate what a list shows of each assignment: the status, text and as-of date
        of the newest published assessment (`current_assessment_row`, which
        current_status, current_text and current_as_of read), and how many assessments are
        published (`published_assessment_count`).

        Read as two columns of the assignment's own row (correlated subqueries, the newest
        assessment as one JSON object), so that no assessment or period is built as a
        model instance for a list, and the database finds each newest assessment once.
        """
        columns = _current_columns(self.db)
        return self.annotate(
            current_assessment_row=columns["newest"],
            published_assessment_count=columns["count"],
        )

    def in_display_order(self) -> "AssignmentQuerySet":
        """This queryset's order, or when it has none the display order (goal, number):
        never the model's default, whose "goal" expands to the goal's and the plan's
        orderings, each a join and a sort key more."""
        return self if self.query.order_by else self.order_by("goal_id", "number")

    def with_history(self) -> "AssignmentQuerySet":
        """Prefetch every published assessment with its period, newest first
        (`published_assessments`, which `assessments_newest_first` reads)."""
        return self.prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.published()
                .select_related("period", "body", "corrects")
                .order_by("-period__date", "body__name"),
                to_attr="published_assessments",
            )
        )

    def for_page(self, *, history: bool = False) -> list["Assignment"]:
        """The assignments as a public page shows them, in display order, in two queries
        at any size, or three with history.

        Each has what a list shows (with_current_assessment()) and `named_bodies`: the
        (name, slug) of each body named for it, in order; with history also `history`:
        every published assessment, newest first and by reporting body, as a dict of what
        the assignment page shows of it (_histories()). Lean on purpose: a list of 200
        assignments builds 200 model instances, not a thousand, and an assignment's history
        none (no assessment, period, responsibility or body); assignments/presentation.py
        turns them into what the templates show.
        """
        queryset = self.in_display_order().with_current_assessment()
        assignments = list(queryset)
        ids = [assignment.pk for assignment in assignments]
        named = _named_bodies(ids, queryset.db)
        histories = _histories(ids, queryset.db) if history else {}
        for assignment in assignments:
            assignment.named_bodies = named[assignment.pk]
            if history:
                assignment.history = histories[assignment.pk]
        return assignments

    def with_public_details(self, *, history: bool = True):
        """Annotate and prefetch what a page shows of each assignment, in display order:
        with_current_assessment(), `responsible_bodies` (model instances, in order), and
        with history with_history(). The admin's list reads it; public pages read
        for_page(), which is leaner."""
        queryset = self.in_display_order().with_current_assessment().with_ordered_bodies()
        return queryset.with_history() if history else queryset

    def with_ordered_bodies(self) -> "AssignmentQuerySet":
        """Prefetch the named bodies' responsibilities in the order they are named
        (`ordered_responsibilities`, which responsible_bodies and current_as_of() read)."""
        return self.prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=AssignmentResponsibility.objects.select_related("body").order_by(
                    "position", "id"
                ),
                to_attr="ordered_responsibilities",
            )
        )


class JSONText(Func):
    """A JSON object of the given columns, as text: JSONText(status="status", ...).

    Django's JSONObject would do, but on SQLite it first asks the database whether it has
    JSON functions, a query of its own on a connection's first use, which the pages' query
    counts would show. SQLite and PostgreSQL both have the function; the keys are cast to
    text as JSONObject does, for PostgreSQL's server-side parameter binding."""

    function = "JSON_OBJECT"
    output_field = models.TextField()

    def __init__(self, **columns):
        pairs = []
        for key, column in columns.items():
            pairs += [Cast(Value(key), models.TextField()), F(column)]
        super().__init__(*pairs)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="JSON_BUILD_OBJECT",
            template="%(function)s(%(expressions)s)::text",
            **extra,
        )


class OwnRowSQL(RawSQL):
    """Plain SQL about the outer query's own row, which names the outer table as a query
    at the top level does ("assignments_assignment"): an expression compiled once
    (_current_columns()) instead of once per query. Moved into another query (a subquery,
    whose aliases it would not follow) it refuses to be compiled rather than read
    another row; an annotation that such a query does not select is never compiled."""

    moved = False

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.moved = self.moved or bool(change_map)
        return clone

    def as_sql(self, compiler, connection):
        if self.moved:
            raise NotSupportedError("an OwnRowSQL expression serves a top-level query only")
        return super().as_sql(compiler, connection)


def _current_columns(using: str) -> dict[str, OwnRowSQL]:
    """The expressions of with_current_status() and with_current_assessment(): of the
    newest published assessment of the outer query's assignment its status, or its
    status, text and as-of date as one JSON object; and the count of its published ones.

    Written with the ORM (the rule of what is published stays Assessment's), compiled
    once per kind of database: compiling these subqueries cost a list page more than the
    database took to answer them."""
    connection = connections[using]
    columns = _COMPILED_COLUMNS.get(connection.vendor)
    if columns is None:
        columns = _COMPILED_COLUMNS[connection.vendor] = _compile_columns(connection)
    return columns


_COMPILED_COLUMNS: dict[str, dict[str, OwnRowSQL]] = {}


def _compile_columns(connection) -> dict[str, OwnRowSQL]:
    # Of the newest period's parts (several bodies' own), the most severe status first:
    # the status of the parts together (combined_assessment()).
    severity = Case(
        *[When(status=status, then=Value(rank)) for rank, status in enumerate(SEVERITY)],
        default=Value(len(SEVERITY)),
    )
    newest = (
        Assessment.objects.published()
        .filter(assignment=OuterRef("pk"))
        .order_by("-period__date", severity)
    )
    published = (
        Assessment.objects.published()
        .filter(assignment=OuterRef("pk"))
        .order_by()
        .values("assignment")
        .annotate(count=Count("pk"))
        .values("count")
    )
    row = JSONText(status="status", text="text", as_of="period__date")
    expressions = {
        "status": Subquery(newest.values("status")[:1]),
        "newest": Subquery(newest.values(row=row)[:1]),
        "count": Coalesce(Subquery(published), 0),
    }
    query = Assignment.objects.annotate(**expressions).query
    compiler = query.get_compiler(connection=connection)
    compiled = {}
    for name, expression in query.annotations.items():
        sql, params = compiler.compile(expression)
        compiled[name] = OwnRowSQL(sql, params, output_field=expression.output_field)
    return compiled


def _ids_in(ids: list[int], using: str) -> tuple[str, list]:
    """The condition that a column is one of `ids`, and its parameters: on PostgreSQL one
    parameter, an array ("= ANY(%s)"), as 200 parameters cost more to send than the query
    took; elsewhere one parameter per id ("IN (%s, %s)")."""
    if connections[using].vendor == "postgresql":
        return "= ANY(%s)", [ids]
    return f"IN ({', '.join(['%s'] * len(ids))})", ids


@functools.lru_cache(maxsize=64)
def _named_bodies_sql(ids_in: str, using: str) -> str:
    """The (assignment, body name, body slug) of every body named for the assignments
    whose ids match `ids_in` (_ids_in()), in order."""
    quote = connections[using].ops.quote_name
    responsibility, body = AssignmentResponsibility._meta, ResponsibleBody._meta

    def column(meta, name):
        return quote(meta.get_field(name).column)

    assignment_id = f"r.{column(responsibility, 'assignment')}"
    return (
        f"SELECT {assignment_id}, b.{column(body, 'name')}, b.{column(body, 'slug')} "
        f"FROM {quote(responsibility.db_table)} r "
        f"INNER JOIN {quote(body.db_table)} b "
        f"ON b.{column(body, 'id')} = r.{column(responsibility, 'body')} "
        f"WHERE {assignment_id} {ids_in} "
        f"ORDER BY r.{column(responsibility, 'position')}, r.{column(responsibility, 'id')}"
    )


def _named_bodies(ids: list[int], using: str) -> dict[int, list[tuple[str, str]]]:
    """The (name, slug) of each body named for each assignment, in order: one query in
    plain SQL, written once per size. The ORM took longer to prepare a list of 200 ids than
    the database took to answer."""
    named: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
    if ids:
        ids_in, parameters = _ids_in(ids, using)
        with connections[using].cursor() as cursor:
            cursor.execute(_named_bodies_sql(ids_in, using), parameters)
            for assignment_id, name, slug in cursor.fetchall():
                named[assignment_id].append((name, slug))
    return named


# What the assignment page shows of each assessment in an assignment's history, as
# (key, table, column): of the assessment, its period, its reporting body and the version it
# corrects ("corrected").
HISTORY_COLUMNS = (
    ("assignment_id", "assessment", "assignment_id"),
    ("status", "assessment", "status"),
    ("text", "assessment", "text"),
    ("decision_date", "assessment", "decision_date"),
    ("decision_reference", "assessment", "decision_reference"),
    ("decision_paragraph", "assessment", "decision_paragraph"),
    ("corrects_id", "assessment", "corrects_id"),
    ("correction_reason", "assessment", "correction_reason"),
    ("published_at", "assessment", "published_at"),
    ("period_name", "period", "name"),
    ("period_date", "period", "date"),
    ("body_name", "body", "name"),
    ("corrected_status", "corrected", "status"),
    ("corrected_text", "corrected", "text"),
)


@functools.lru_cache(maxsize=64)
def _histories_sql(ids_in: str, using: str) -> tuple[str, tuple]:
    """The HISTORY_COLUMNS of every published assessment of the assignments whose ids
    match `ids_in` (_ids_in()), newest first and by reporting body; and the parameters
    before the ids. What is published is Assessment's rule (Assessment.objects.published(),
    compiled once), the order with_history()'s."""
    published = Assessment.objects.published().query
    condition, parameters = published.get_compiler(using).compile(published.where)
    quote = connections[using].ops.quote_name
    assessment = Assessment._meta
    tables = {
        "assessment": quote(assessment.db_table),
        "period": quote(assessment.get_field("period").related_model._meta.db_table),
        "body": quote(ResponsibleBody._meta.db_table),
        "corrected": quote("corrected"),
    }

    def column(table, name):
        return f"{tables[table]}.{quote(name)}"

    selected = ", ".join(column(table, name) for _, table, name in HISTORY_COLUMNS)
    sql = (
        f"SELECT {selected} FROM {tables['assessment']} "
        f"INNER JOIN {tables['period']} "
        f"ON {column('period', 'id')} = {column('assessment', 'period_id')} "
        f"LEFT OUTER JOIN {tables['body']} "
        f"ON {column('body', 'id')} = {column('assessment', 'body_id')} "
        f"LEFT OUTER JOIN {tables['assessment']} {tables['corrected']} "
        f"ON {column('corrected', 'id')} = {column('assessment', 'corrects_id')} "
        f"WHERE ({condition}) AND {column('assessment', 'assignment_id')} {ids_in} "
        f"ORDER BY {column('period', 'date')} DESC, {column('body', 'name')} ASC"
    )
    return sql, tuple(parameters)


def _histories(ids: list[int], using: str) -> dict[int, list[dict]]:
    """Every published assessment of each assignment, newest first and by reporting body,
    as a dict of its HISTORY_COLUMNS: one query in plain SQL, written once per size and
    building no model instance (prefetching the assessments with their periods, bodies and
    corrected versions took as long as the rest of the assignment page). A time of
    publication is aware, as the ORM reads it."""
    histories: dict[int, list[dict]] = {pk: [] for pk in ids}
    if ids:
        ids_in, ids_parameters = _ids_in(ids, using)
        sql, parameters = _histories_sql(ids_in, using)
        keys = [key for key, _, _ in HISTORY_COLUMNS]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [*parameters, *ids_parameters])
            for row in cursor.fetchall():
                assessment = dict(zip(keys, row, strict=True))
                published_at = assessment["published_at"]
                if published_at is not None and timezone.is_naive(published_at):
                    assessment["published_at"] = timezone.make_aware(published_at, datetime.UTC)
                histories[assessment["assignment_id"]].append(assessment)
    return histories


class Assignment(AssessedMixin, models.Model):
    """An uppdrag: numbered within its goal, given to one or more bodies."""

    goal = models.ForeignKey(
        "goals.Goal", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("goal")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = ProseField(_("title"), max_length=2000)
    bodies = models.ManyToManyField(
        ResponsibleBody,
        through="AssignmentResponsibility",
        related_name="assignments",
        verbose_name=_("responsible bodies"),
    )
    all_committees = models.BooleanField(_("all committees"), default=False)
    all_companies = models.BooleanField(_("all companies"), default=False)
    added_year = models.PositiveSmallIntegerField(
        _("added in year"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("For an additional assignment (tillkommande uppdrag): the budget year."),
    )
    expected_completion_year = models.PositiveSmallIntegerField(
        _("expected completion year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["goal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "number"], name="assignments_assignment_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="assignments_assignment_number_positive"
            ),
            year_in_range("added_year", nullable=True),
            year_in_range("expected_completion_year", nullable=True),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        goal = self.goal
        return reverse(
            "goals:assignment",
            kwargs={
                "plan": goal.plan.slug,
                "number": goal.number,
                "slug": goal.slug,
                "assignment": self.number,
            },
        )

    def is_reportable_in(self, period) -> bool:
        """Whether the assignment is to be reported on in `period`: the one rule of which
        assignments make a reporting round (Att rapportera, the spreadsheet, the reminders),
        which AssignmentQuerySet.reportable_in() applies to many. Reads goal.plan."""
        year = period.date.year
        plan = self.goal.plan
        return (
            self.goal.is_published
            and plan.is_published
            and plan.start_year <= year <= plan.end_year
            and (self.added_year is None or self.added_year <= year)
        )

    def is_answered_by(self, body: ResponsibleBody, named_body_ids=None) -> bool:
        """Whether `body` answers for the assignment: named, or given to all of its kind
        (the rule AssignmentQuerySet.for_bodies() applies to many). `named_body_ids`, the
        ids of the bodies named for it where the caller has read them, spares a query."""
        if body.kind == BodyKind.COMMITTEE and self.all_committees:
            return True
        if body.kind == BodyKind.COMPANY and self.all_companies:
            return True
        if named_body_ids is not None:
            return body.pk in named_body_ids
        return self.responsibilities.filter(body=body).exists()

    # The methods below read what AssignmentQuerySet.with_public_details() or for_page()
    # prefetched, or with_current_status() annotated.

    @property
    def responsible_bodies(self) -> list[ResponsibleBody]:
        return [r.body for r in self.ordered_responsibilities]

    @property
    def current_status(self) -> AssessmentStatus | None:
        """The status of the newest published assessment; None before the first one."""
        value = self.current_status_value
        return AssessmentStatus(value) if value else None

    @functools.cached_property
    def current_status_value(self) -> str | None:
        """What AssignmentQuerySet.with_current_status() annotates; or the status of the
        newest published assessment that with_current_assessment() read, or that
        with_history() prefetched."""
        if "current_assessment_row" in self.__dict__:
            return self._current_row.get("status")
        current = self.current_assessment
        return current.status if current else None

    @functools.cached_property
    def _current_row(self) -> dict:
        """with_current_assessment()'s JSON object, read; empty before the first one."""
        row = self.current_assessment_row
        return json.loads(row) if row else {}

    @property
    def current_text(self) -> str:
        """The text of the newest published assessment (with_current_assessment())."""
        return self._current_row.get("text", "")

    @property
    def current_as_of(self) -> datetime.date | None:
        """The as-of date of the newest published assessment (with_current_assessment())."""
        as_of = self._current_row.get("as_of")
        return datetime.date.fromisoformat(as_of[:10]) if as_of else None


class AssignmentResponsibility(models.Model):
    """That a body answers for an assignment, in the order the bodies are named."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name=_("assignment"),
    )
    body = models.ForeignKey(
        ResponsibleBody,
        on_delete=models.PROTECT,
        related_name="responsibilities",
        verbose_name=_("responsible body"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("responsible body")
        verbose_name_plural = _("responsible bodies")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "body"], name="assignments_responsibility_unique_body"
            ),
        ]

    def __str__(self):
        return str(self.body)


class ReviewState(models.TextChoices):
    """Where an assessment is in the reporting round: an official writes a draft and
    submits it, the coordinator approves it (or returns it to draft with a comment), and
    publishing the period publishes every approved one. A published assessment is an
    allmän handling: it is never changed or deleted; a correction is a new version that goes
    through the same review and, once published, supersedes it."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("corrected (superseded)")

    @classmethod
    def in_review(cls) -> list[str]:
        """The states of a version not yet published: at most one per subject and period."""
        return [cls.DRAFT, cls.SUBMITTED, cls.APPROVED]

    @classmethod
    def permanent(cls) -> list[str]:
        """The states of what has been public: never changed, never deleted."""
        return [cls.PUBLISHED, cls.SUPERSEDED]


class PermanentRecordError(Exception):
    """An attempt to change or delete what has been published."""


class ReviewedQuerySet(PublishedQuerySet):
    published_condition = Q(state=ReviewState.PUBLISHED)

    def in_review(self):
        return self.filter(state__in=ReviewState.in_review())

    def delete(self):
        if self.filter(state__in=ReviewState.permanent()).exists():
            raise PermanentRecordError(_("A published assessment can never be deleted."))
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class AssessmentQuerySet(ReviewedQuerySet):
    def editable_by(self, user) -> "AssessmentQuerySet":
        """The assessments a staff user may see and act on in the admin: every one for the
        coordinator (roles.may_review) and the administrators; an official only those
        reported by one of their bodies (never another body's, nor the municipality's own).

        The one rule of whose assessment is whose; the admin, the spreadsheet upload and
        reporting/services.py all ask here."""
        from assignments.roles import may_review

        if not (user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser or may_review(user):
            return self.all()
        return self.filter(body__in=user.responsible_bodies.all())


class Reviewed(models.Model):
    """What an assessment of an assignment and of a goal share: its state in the review
    (ReviewState), the version number that refuses a save based on an older version
    (optimistic locking), the coordinator's comment when returned, the decision it rests
    on, and for a correction the version it corrects and why.

    `content_fields` are what a published version never changes; save() and delete()
    refuse it (PermanentRecordError), as ReviewedQuerySet.delete() does in bulk."""

    content_fields: tuple[str, ...] = ()

    state = models.CharField(
        _("state"), max_length=12, choices=ReviewState, default=ReviewState.DRAFT
    )
    is_published = models.GeneratedField(
        expression=Q(state=ReviewState.PUBLISHED),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("published"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    review_comment = ProseField(
        _("comment from the coordinator"),
        max_length=5000,
        blank=True,
        help_text=_("Why the assessment was returned, for the official to act on."),
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
        help_text=_("The published version that this version corrects."),
    )
    correction_reason = ProseField(
        _("reason for the correction"),
        max_length=5000,
        blank=True,
        help_text=_("Shown on the public page with the date of the correction."),
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_reference = models.CharField(
        _("diary number"),
        max_length=100,
        blank=True,
        help_text=_("Diarienummer, e.g. KSN-2022-00123."),
    )
    decision_paragraph = models.CharField(
        _("protocol paragraph"), max_length=50, blank=True, help_text=_("E.g. § 123.")
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self._refuse_change_of_permanent()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = type(self)._default_manager.filter(pk=self.pk).values_list("state", flat=True)
        if set(stored) & set(ReviewState.permanent()):
            raise PermanentRecordError(_("A published assessment can never be deleted."))
        return super().delete(*args, **kwargs)

    @classmethod
    def review_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        """The constraints of every reviewed model: its states, a reason for every
        correction, a publication time for whatever has been published, a decision date in
        range."""
        return [
            models.CheckConstraint(
                condition=Q(state__in=ReviewState.values), name=f"{prefix}_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name=f"{prefix}_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=ReviewState.permanent()) | Q(published_at__isnull=False),
                name=f"{prefix}_published_at_set",
            ),
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True)
                | Q(decision_date__gte=MIN_DATE, decision_date__lte=MAX_DATE),
                name=f"{prefix}_decision_date_range",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name=f"{prefix}_version_positive"),
        ]

    @property
    def state_choice(self) -> ReviewState:
        return ReviewState(self.state)

    @property
    def is_permanent(self) -> bool:
        return self.state in ReviewState.permanent()

    @property
    def is_returned(self) -> bool:
        """A draft that the coordinator sent back with a comment."""
        return self.state == ReviewState.DRAFT and bool(self.review_comment)

    @property
    def has_decision(self) -> bool:
        """Whether the assessment cites the decision it rests on (shown on the public page)."""
        return bool(self.decision_date or self.decision_reference or self.decision_paragraph)

    def _refuse_change_of_permanent(self) -> None:
        """A published version may only become superseded: its content never changes."""
        columns = {name: self._meta.get_field(name).attname for name in self.content_fields}
        stored = (
            type(self)._default_manager.filter(pk=self.pk)
            .values(*columns.values(), "state")
            .first()
        )
        if stored is None or stored["state"] not in ReviewState.permanent():
            return
        changed = [name for name, col in columns.items() if getattr(self, col) != stored[col]]
        allowed_move = stored["state"] == self.state or (
            stored["state"] == ReviewState.PUBLISHED and self.state == ReviewState.SUPERSEDED
        )
        if changed or not allowed_move:
            raise PermanentRecordError(
                _("A published assessment can never be changed; correct it with a new version.")
            )


class Assessment(Reviewed):
    """A bedömning: the traffic-light status of an assignment as of one reporting period.

    Reported by one of the bodies that answer for the assignment (`body`); for an assignment
    given to several bodies, each reports its own part. An assessment without a body is the
    municipality's own (imported, or entered by the coordinator)."""

    content_fields = (
        "assignment",
        "period",
        "body",
        "status",
        "text",
        "corrects",
        "correction_reason",
        "decision_date",
        "decision_reference",
        "decision_paragraph",
    )

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("assignment"),
    )
    period = models.ForeignKey(
        "goals.ReportingPeriod",
        on_delete=models.PROTECT,
        related_name="assignment_assessments",
        verbose_name=_("reporting period"),
    )
    body = models.ForeignKey(
        ResponsibleBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("reported by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus)
    text = ProseField(
        _("assessment"),
        max_length=20000,
        help_text=_(
            "What has been done, and for yellow or red why the assignment is not on track."
        ),
    )

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["is_published"])

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["assignment", "-period__date"]
        permissions = [("publish_assessment", _("Can review and publish assessments"))]
        constraints = [
            *Reviewed.review_constraints("assignments_assessment"),
            choices_constraint("status", AssessmentStatus),
            models.CheckConstraint(condition=~Q(text=""), name="assignments_assessment_has_text"),
            *[
                models.UniqueConstraint(
                    fields=fields,
                    condition=Q(state__in=states, body__isnull=fields == ["assignment", "period"]),
                    name=f"assignments_assessment_one_{label}_{suffix}",
                )
                for fields, suffix in (
                    (["assignment", "period", "body"], "per_body"),
                    (["assignment", "period"], "own"),
                )
                for states, label in (
                    ([ReviewState.PUBLISHED], "published"),
                    (ReviewState.in_review(), "in_review"),
                )
            ],
        ]

    def __str__(self):
        if self.body_id:
            return f"{self.assignment} ({self.period}, {self.body})"
        return f"{self.assignment} ({self.period})"

    @property
    def status_choice(self) -> AssessmentStatus:
        return AssessmentStatus(self.status)

    def clean(self):
        super().clean()
        if self.body_id and self.assignment_id and not self.assignment.is_answered_by(self.body):
            raise ValidationError(
                {"body": _("This body does not answer for the assignment.")}
            )


# --------------------------------------------------------------------------- as of a period


# The statuses from the most severe to the least: the status of an assignment's parts
# together is the most severe of theirs.
SEVERITY = (
    AssessmentStatus.NOT_CARRIED_OUT,
    AssessmentStatus.DELAYED,
    AssessmentStatus.ON_TRACK,
    AssessmentStatus.COMPLETED,
)


# The rank of each status in SEVERITY: 0 the most severe.
SEVERITY_RANK = {status.value: rank for rank, status in enumerate(SEVERITY)}


def combined_status(parts: Iterable[tuple[int | None, str]]) -> str:
    """The status of an assignment's published parts of one period together, from each
    part's (body id, status): the municipality's own part's (no body) when there is one,
    else the most severe (SEVERITY). combined_assessment()'s rule of the status, for a
    reader that needs the status alone (goals/charts.py reads it for every period)."""
    most_severe = None
    for body_id, status in parts:
        if body_id is None:
            return status
        if most_severe is None or SEVERITY_RANK[status] < SEVERITY_RANK[most_severe]:
            most_severe = status
    if most_severe is None:
        raise ValueError("an assignment's assessment of a period needs at least one part")
    return most_severe


def combined_assessment(
    parts: Sequence[Assessment], named_body_ids: Sequence[int]
) -> tuple[str, str]:
    """The one (status, text) of an assignment in one period, from its published parts.

    `parts` are the published assessments of the assignment in the period (each with its
    `body`), `named_body_ids` the ids of the bodies named on the assignment, in order.

    - The municipality's own assessment (no body), when there is one, alone.
    - Otherwise a single part as it is; several parts together: the most severe of their
      statuses (not carried out, delayed, on track, completed), and each part's text as
      a paragraph "<body's name>: <text>", in the order the bodies are named on the
      assignment, then (a body that answers for it as one of all committees or
      companies) by the body's name; blank lines between them.

    The one rule of what an assignment's parts say together: the pages, the exports, the
    open-data export and the import (which compares the file with it) all ask here.
    """
    if not parts:
        raise ValueError("an assignment's assessment of a period needs at least one part")
    own = [part for part in parts if part.body_id is None]
    if own:
        return own[0].status, own[0].text
    if len(parts) == 1:
        return parts[0].status, parts[0].text
    status = combined_status((part.body_id, part.status) for part in parts)
    position = {body_id: index for index, body_id in enumerate(named_body_ids)}
    ordered = sorted(
        parts,
        key=lambda part: (
            position.get(part.body_id, len(position)),
            part.body.name,
            part.body.code,
        ),
    )
    return status, "\n\n".join(f"{part.body.name}: {part.text}" for part in ordered)


def newest_parts(assessments: Iterable[Assessment], as_of: datetime.date | None = None) -> list:
    """Of one assignment's published assessments (with their periods), the parts of the
    newest period on or before `as_of` (any period when None): what was current then. Empty
    when none was published by then."""
    shown = [a for a in assessments if as_of is None or a.period.date <= as_of]
    if not shown:
        return []
    newest = max(a.period.date for a in shown)
    return [a for a in shown if a.period.date == newest]


def current_as_of(
    assignments: Iterable[Assignment], as_of: datetime.date | None = None
) -> dict[int, tuple[Assessment | None, str, str] | None]:
    """What was current of each assignment as of the date `as_of` (None: now), by id:
    (the newest period's representative part, its combined status, its combined text), or
    None when nothing was published by then. The one rule of "as of a period" that the
    exports and, through the same rules, the pages follow: the newest published version of
    the newest period on or before the date, the bodies' parts combined by
    combined_assessment(). Reads `published_assessments` (with_history()) and
    `ordered_responsibilities` where prefetched, else queries."""
    found = {}
    for assignment in assignments:
        history = getattr(assignment, "published_assessments", None)
        if history is None:
            history = list(assignment.assessments.published().select_related("period", "body"))
        parts = newest_parts(history, as_of)
        if not parts:
            found[assignment.pk] = None
            continue
        named = [r.body_id for r in _ordered_responsibilities(assignment)]
        status, text = combined_assessment(parts, named)
        found[assignment.pk] = (parts[0], status, text)
    return found


@dataclass(frozen=True)
class StatusTally:
    """status_tally_by_period()'s answer: the periods in which any of the assignments was
    assessed, as (date, code, name), oldest first; for each period's date, how many of them
    stood at each status then (by status value; those assessed by then only); and the date
    each was first assessed (by id; the others were not assessed by `until`)."""

    periods: list[tuple[datetime.date, str, str]]
    counts: dict[datetime.date, dict[str, int]]
    first_assessed: dict[int, datetime.date]


def status_tally_by_period(
    which: "models.QuerySet | list[int]", until: datetime.date | None = None
) -> StatusTally:
    """How many of the assignments `which` (a queryset of assignments, or their ids) stood
    at each status as of each period in which any of them has a published assessment (up
    to `until`): current_as_of()'s rule of the status as of a period (the newest period on
    or before it; its parts together, combined_status(): the municipality's own part, else
    the most severe), worked out by the database in one query, for a goal of 200
    assignments over 12 periods reads 2,400 statuses and sends back some sixty rows."""
    if isinstance(which, models.QuerySet):
        using = which.db
        selected, selected_parameters = which.order_by().values("pk").query.sql_with_params()
        assignments_in, assignments_parameters = f"IN ({selected})", list(selected_parameters)
    else:
        using = "default"
        if not which:
            return StatusTally([], {}, {})
        assignments_in, assignments_parameters = _ids_in(list(which), using)
    sql, parameters = _status_tally_sql(assignments_in, until is not None, using)
    found = StatusTally([], {}, {})
    ranks = {rank: status.value for rank, status in enumerate(SEVERITY)}
    with connections[using].cursor() as cursor:
        cursor.execute(
            sql,
            [
                *parameters,
                *assignments_parameters,
                *([until] if until is not None else []),
            ],
        )
        changes: dict[datetime.date, list[tuple[int, int]]] = {}
        for kind, date, code, name, key, count in cursor.fetchall():
            date = _as_date(date)
            if kind == 0:
                found.periods.append((date, code, name))
            elif kind == 1:
                changes.setdefault(date, []).append((key, count))
            else:
                found.first_assessed[key] = date
    found.periods.sort()
    # Each period's statuses: the previous period's, with this period's changes.
    standing = dict.fromkeys(ranks, 0)
    for date, _code, _name in found.periods:
        for rank, change in changes.get(date, ()):
            standing[rank] += change
        found.counts[date] = {ranks[rank]: count for rank, count in standing.items() if count}
    return found


def _as_date(value) -> datetime.date:
    """A date as the database gave it (SQLite: text, in raw SQL)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=16)
def _status_tally_sql(assignments_in: str, until: bool, using: str) -> tuple[str, tuple]:
    """status_tally_by_period()'s SQL, written once per shape, and its parameters before
    the assignments' and `until`'s. Its rows: (0, date, code, name, -, -) of each period;
    (1, date, -, -, severity rank, change) of how many more (or fewer) assignments stood at
    a status from that period on than before it; (2, date, -, -, assignment id, -) of each
    assignment's first assessed period. Each assignment's status of a period it was
    assessed in holds until the next it was assessed in, so a period changes the count of
    its new status and of the one before (LAG), and the caller adds the changes up, period
    by period: some 2,200 rows of a goal of 200 assignments become a few dozen, with no
    join of every period to every assessment."""
    published = Assessment.objects.published().query
    condition, parameters = published.get_compiler(using).compile(published.where)
    quote = connections[using].ops.quote_name
    assessment = quote(Assessment._meta.db_table)
    period = quote(Assessment._meta.get_field("period").related_model._meta.db_table)

    def column(table, name):
        return f"{table}.{quote(name)}"

    # Each part's severity rank, 10 more when a body reported it: the smallest of a period's
    # parts is then the municipality's own part, else the most severe (combined_status()).
    ranks = " ".join(f"WHEN %s THEN {index}" for index in range(len(SEVERITY)))
    rank = (
        f"CASE {column(assessment, 'status')} {ranks} END"
        f" + CASE WHEN {column(assessment, 'body_id')} IS NULL THEN 0 ELSE 10 END"
    )
    rank_parameters = tuple(status.value for status in SEVERITY)
    until_condition = f" AND {column(period, 'date')} <= %s" if until else ""
    sql = (
        "WITH steps AS ("
        f"SELECT {column(assessment, 'assignment_id')} AS assignment_id, "
        f"{column(period, 'date')} AS date, MIN({rank}) AS rank "
        f"FROM {assessment} INNER JOIN {period} "
        f"ON {column(period, 'id')} = {column(assessment, 'period_id')} "
        f"WHERE ({condition}) AND {column(assessment, 'assignment_id')} {assignments_in}"
        f"{until_condition} "
        f"GROUP BY {column(assessment, 'assignment_id')}, {column(period, 'date')}), "
        "changes AS (SELECT assignment_id, date, rank, "
        "LAG(rank) OVER (PARTITION BY assignment_id ORDER BY date) AS before "
        "FROM (SELECT assignment_id, date, "
        "CASE WHEN rank >= 10 THEN rank - 10 ELSE rank END AS rank FROM steps) ranked), "
        f"dates AS (SELECT {column(period, 'date')} AS date, "
        f"MIN({column(period, 'code')}) AS code, MIN({column(period, 'name')}) AS name "
        f"FROM {period} "
        f"WHERE {column(period, 'date')} IN (SELECT date FROM steps) "
        f"GROUP BY {column(period, 'date')}) "
        "SELECT 0, date, code, name, NULL, NULL FROM dates "
        "UNION ALL "
        "SELECT 1, date, NULL, NULL, rank, SUM(change) FROM ("
        "SELECT date, rank, 1 AS change FROM changes "
        "WHERE before IS NULL OR before <> rank "
        "UNION ALL "
        "SELECT date, before, -1 FROM changes WHERE before <> rank"
        ") moves GROUP BY date, rank "
        "UNION ALL "
        "SELECT 2, date, NULL, NULL, assignment_id, NULL FROM changes WHERE before IS NULL"
    )
    return sql, (*rank_parameters, *parameters)


def _ordered_responsibilities(assignment: Assignment) -> list:
    prefetched = getattr(assignment, "ordered_responsibilities", None)
    if prefetched is not None:
        return prefetched
    return list(assignment.responsibilities.order_by("position", "id"))
