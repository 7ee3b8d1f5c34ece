"""Responsible bodies (nämnder och bolag), assignments (uppdrag) and their assessments.

Goals and reporting periods are referred to by string ("goals.Goal"), so that this room
never imports the goals room: the goals room builds on this one, not the other way.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from uppfoljning.modeltools import (
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

    Filters in Python what with_public_details() prefetched, so that a filtered page runs the
    same queries as the whole one.
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

    def editable_by(self, user) -> "AssignmentQuerySet":
        """The assignments a staff user may act on: all for a superuser, else their bodies'.

        The one rule of who may work on which assignment; the admin's lists, forms, actions
        and autocomplete all ask here.
        """
        if not (user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.for_bodies(user.responsible_bodies.all())

    def with_public_details(self, *, history: bool = True):
        """Prefetch what a public page shows of each assignment, in display order.

        `published_assessments` holds every published assessment, or with history=False
        only the newest (what a list of assignments shows), and `published_assessment_count`
        counts them all either way. The aggregate drops the model's default ordering, so a
        queryset without an explicit order is put in display order here.
        """
        assessments = Assessment.objects.published().select_related("period")
        if not history:
            assessments = assessments.annotate(
                newness=Window(
                    RowNumber(),
                    partition_by=[F("assignment_id")],
                    order_by=F("period__date").desc(),
                )
            ).filter(newness=1)
        queryset = self if self.query.order_by else self.order_by("goal_id", "number")
        return queryset.annotate(
            published_assessment_count=Count(
                "assessments", filter=Q(assessments__is_published=True)
            )
        ).prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=AssignmentResponsibility.objects.select_related("body").order_by(
                    "position", "id"
                ),
                to_attr="ordered_responsibilities",
            ),
            Prefetch(
                "assessments",
                queryset=assessments.order_by("-period__date"),
                to_attr="published_assessments",
            ),
        )


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

    # The methods below read what AssignmentQuerySet.with_public_details() prefetched.

    @property
    def responsible_bodies(self) -> list[ResponsibleBody]:
        return [r.body for r in self.ordered_responsibilities]

    @property
    def current_status(self) -> AssessmentStatus | None:
        current = self.current_assessment
        return AssessmentStatus(current.status) if current else None


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


class Assessment(models.Model):
    """A bedömning: the traffic-light status of an assignment as of one reporting period."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("assignment"),
    )
    period = models.ForeignKey(
        "goals.ReportingPeriod",
        on_delete=models.PROTECT,
        related_name="assignment_assessments",
        verbose_name=_("reporting period"),
    )
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus)
    text = ProseField(_("assessment"), max_length=20000)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Drafts are never shown to the public.")
    )

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["assignment", "-period__date"]
        permissions = [("publish_assessment", _("Can publish assessments"))]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period"], name="assignments_assessment_one_per_period"
            ),
            choices_constraint("status", AssessmentStatus),
        ]

    def __str__(self):
        return f"{self.assignment} ({self.period})"

    @property
    def status_choice(self) -> AssessmentStatus:
        return AssessmentStatus(self.status)
