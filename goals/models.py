"""Plans, goals (inriktningsmål), reporting periods and goal assessments."""

import functools
from dataclasses import dataclass

from django.core.validators import MinValueValidator
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assignments.models import AssessmentStatus, Assignment, Reviewed, ReviewedQuerySet
from uppfoljning.modeltools import (
    HTTP_URL_VALIDATORS,
    MAX_DATE,
    MIN_DATE,
    YEAR_VALIDATORS,
    AssessedMixin,
    ProseField,
    PublishedQuerySet,
    choices_constraint,
    http_url,
    unique_slug,
    year_in_range,
)


class Organisation(models.Model):
    """The municipality that publishes the follow-up. There is exactly one."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name = models.CharField(_("name"), max_length=500)
    website = models.URLField(
        _("website"), max_length=2000, blank=True, validators=HTTP_URL_VALIDATORS
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="goals_organisation_single"),
            http_url("website", blank=True),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "Organisation | None":
        return cls.objects.first()


class PlanQuerySet(PublishedQuerySet):
    def latest_first(self):
        return self.order_by("-start_year", "-end_year", "code")

    def with_published_content(self):
        """Published plans that have at least one published goal: what the public sees."""
        return self.published().filter(
            Exists(Goal.objects.filter(plan=OuterRef("pk"), is_published=True))
        )


class Plan(models.Model):
    """A plan such as "Mål och budget 2022–2024"."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=500)
    start_year = models.PositiveSmallIntegerField(_("start year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("end year"), validators=YEAR_VALIDATORS)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "A plan being prepared stays hidden: the public sees only published plans and "
            "their published goals."
        ),
    )

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_year", "-end_year", "code"]
        constraints = [
            year_in_range("start_year"),
            year_in_range("end_year"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="goals_plan_years_in_order"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            taken = set(Plan.objects.values_list("slug", flat=True))
            self.slug = unique_slug(self.code, taken, max_length=60, fallback="plan")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("goals:plan", kwargs={"plan": self.slug})


class PeriodState(models.TextChoices):
    """Where a reporting period is in its round: planned, open for reporting (officials
    write and submit), closed (the coordinator reviews), published (its approved
    assessments are public)."""

    PLANNED = "planned", _("planned")
    OPEN = "open", _("open for reporting")
    CLOSED = "closed", _("closed for reporting")
    PUBLISHED = "published", _("published")


class ReportingPeriodQuerySet(models.QuerySet):
    def open_for_reporting(self):
        return self.filter(state=PeriodState.OPEN)


class ReportingPeriod(models.Model):
    """A reporting period ("Augusti 2022"), the date its assessments speak for, its
    reporting deadline and its state in the round (PeriodState)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=500)
    date = models.DateField(_("as-of date"), unique=True)
    deadline = models.DateField(
        _("reporting deadline"),
        null=True,
        blank=True,
        help_text=_("The last day for the officials to submit their assessments."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PeriodState, default=PeriodState.PLANNED
    )

    objects = ReportingPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__gte=MIN_DATE, date__lte=MAX_DATE),
                name="goals_reportingperiod_date_range",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True)
                | Q(deadline__gte=MIN_DATE, deadline__lte=MAX_DATE),
                name="goals_reportingperiod_deadline_range",
            ),
            choices_constraint("state", PeriodState),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        """Whether officials may write and submit assessments of this period."""
        return self.state == PeriodState.OPEN

    @property
    def state_choice(self) -> PeriodState:
        return PeriodState(self.state)


class GoalQuerySet(PublishedQuerySet):
    # A goal is public when it and its plan are published.
    published_condition = Q(is_published=True, plan__is_published=True)

    def with_assignments(self):
        """Prefetch the assignments (`assignment_list`, by number) with their current status
        and year added, nothing else: what the goal's tally counts (status_tally) and the
        plan's picture (goals/charts.py) reads."""
        return self.prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.order_by("number")
                .with_current_status()
                .only("goal", "added_year"),
                to_attr="assignment_list",
            )
        )


@dataclass
class GoalSections:
    """A goal's focus areas, links and actions, each in order; each row a dict of title,
    text, url, start_year and end_year (what its table does not have is empty)."""

    focus_areas: list[dict]
    links: list[dict]
    actions: list[dict]


@functools.lru_cache(maxsize=64)
def _sections_sql(goal_count: int) -> str:
    """The focus areas, links and actions of `goal_count` goals as one UNION of the three
    small tables: (goal, kind, position, id, title, text, url, start_year, end_year), the
    goals' ids given three times as parameters. Plain SQL, written once per size: the ORM
    took longer to build and compile this than the database took to answer it."""

    quote = connection.ops.quote_name
    goal_ids = ", ".join(["%s"] * goal_count)

    def branch(model, kind, *, text=False, url=False, years=False):
        def column(name, shown=True, empty="''"):
            return quote(model._meta.get_field(name).column) if shown else empty

        columns = [
            column("goal"),
            f"'{kind}'",
            column("position"),
            column("id"),
            column("title"),
            column("text", text),
            column("url", url),
            column("start_year", years, "NULL"),
            column("end_year", years, "NULL"),
        ]
        return (
            f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} "
            f"WHERE {column('goal')} IN ({goal_ids})"
        )

    return " UNION ALL ".join(
        [
            branch(FocusArea, "focus", text=True, years=True),
            branch(GoalLink, "link", url=True),
            branch(GoalAction, "action", text=True, url=True),
        ]
    )


def goal_sections(goal_ids: list[int]) -> dict[int, GoalSections]:
    """The focus areas, links and actions of each goal, in order, read in one query: for
    the goal page (one goal) and the open-data export (all of them) alike."""
    found = {goal_id: {"focus": [], "link": [], "action": []} for goal_id in goal_ids}
    if found:
        with connection.cursor() as cursor:
            cursor.execute(_sections_sql(len(found)), list(found) * 3)
            rows = sorted(cursor.fetchall(), key=lambda row: (row[2], row[3]))
        for goal_id, kind, _position, _id, title, text, url, start_year, end_year in rows:
            found[goal_id][kind].append(
                {
                    "title": title,
                    "text": text,
                    "url": url,
                    "start_year": start_year,
                    "end_year": end_year,
                }
            )
    return {
        goal_id: GoalSections(kinds["focus"], kinds["link"], kinds["action"])
        for goal_id, kinds in found.items()
    }


class Goal(AssessedMixin, models.Model):
    """An inriktningsmål: a numbered strategic goal of a plan."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=500)
    tagline = models.CharField(_("tagline"), max_length=500, blank=True)
    description = ProseField(_("description"), max_length=20000, blank=True)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published goals of published plans are shown to the public."),
    )

    objects = GoalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="goals_goal_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="goals_goal_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse(
            "goals:goal",
            kwargs={"plan": self.plan.slug, "number": self.number, "slug": self.slug},
        )

    @property
    def slug(self) -> str:
        """The title in the address; only decorative (the number finds the goal)."""
        return unique_slug(self.title, set(), max_length=80, fallback="mal")

    # What the goal page shows beyond the goal's own row, read on first use: a fragment of
    # the page (htmx) that shows none of it reads none of it.

    @functools.cached_property
    def published_assessments(self) -> list["GoalAssessment"]:
        """The published assessments, newest first, with their periods (AssessedMixin reads
        them): one query, on first use."""
        return list(
            self.assessments.published().select_related("period").order_by("-period__date")
        )

    @functools.cached_property
    def sections(self) -> GoalSections:
        """The focus areas, links and actions, in order: one query, on first use."""
        return goal_sections([self.pk])[self.pk]

    # The methods below read what GoalQuerySet.with_assignments() prefetched.

    def status_tally(self) -> list[tuple[AssessmentStatus | None, int]]:
        """How many assignments stand at each status now; None counts the unassessed.

        Reads the assignments that GoalQuerySet.with_assignments() prefetched, whose
        current status AssignmentQuerySet.with_current_status() annotated.
        """
        counts = dict.fromkeys([*AssessmentStatus, None], 0)
        for assignment in self.assignment_list:
            counts[assignment.current_status] += 1
        return [(status, count) for status, count in counts.items() if count]


class FocusArea(models.Model):
    """"I fokus 2022–2024 – Jobb och företagande": what the goal stresses for some years."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("goal")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=500)
    start_year = models.PositiveSmallIntegerField(_("start year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("end year"), validators=YEAR_VALIDATORS)
    text = ProseField(_("text"), max_length=20000)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["goal", "position", "id"]
        constraints = [
            year_in_range("start_year"),
            year_in_range("end_year"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="goals_focusarea_years_in_order"
            ),
        ]

    def __str__(self):
        return self.title


class GoalLink(models.Model):
    """A link from the goal page, such as "Läs en fördjupning …"."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="links", verbose_name=_("goal")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("address"), max_length=2000, validators=HTTP_URL_VALIDATORS)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["goal", "position", "id"]
        constraints = [
            http_url("url"),
        ]

    def __str__(self):
        return self.title


class GoalAction(models.Model):
    """One of "För att nå målet har vi bland annat": an action taken towards the goal."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("goal")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=500)
    text = ProseField(_("text"), max_length=20000, blank=True)
    url = models.URLField(
        _("address"), max_length=2000, blank=True, validators=HTTP_URL_VALIDATORS
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["goal", "position", "id"]
        constraints = [
            http_url("url", blank=True),
        ]

    def __str__(self):
        return self.title


class Fulfilment(models.TextChoices):
    FULLY = "fully", pgettext_lazy("fulfilment", "fully achieved")
    LARGELY = "largely", pgettext_lazy("fulfilment", "largely achieved")
    PARTLY = "partly", pgettext_lazy("fulfilment", "partly achieved")
    SLIGHTLY = "slightly", pgettext_lazy("fulfilment", "slightly achieved")
    NOT = "not", pgettext_lazy("fulfilment", "not achieved")


class GoalAssessment(Reviewed):
    """How far a goal is judged to be achieved, as of one reporting period, and why.

    Written by the coordinator and reviewed like an assignment's assessment (Reviewed):
    publishing the period publishes it; once published it is corrected by a new version."""

    content_fields = (
        "goal",
        "period",
        "fulfilment",
        "text",
        "assignments_summary",
        "corrects",
        "correction_reason",
        "decision_date",
        "decision_reference",
        "decision_paragraph",
    )

    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("goal")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="goal_assessments",
        verbose_name=_("reporting period"),
    )
    fulfilment = models.CharField(_("fulfilment"), max_length=10, choices=Fulfilment)
    text = ProseField(
        _("justification"),
        max_length=20000,
        help_text=_("Why the goal is judged to be achieved to this degree."),
    )
    assignments_summary = ProseField(
        _("summary of the assignments"), max_length=20000, blank=True
    )

    objects = ReviewedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["is_published"])

    class Meta:
        verbose_name = _("goal assessment")
        verbose_name_plural = _("goal assessments")
        ordering = ["goal", "-period__date"]
        constraints = [
            *Reviewed.review_constraints("goals_goalassessment"),
            choices_constraint("fulfilment", Fulfilment),
            models.CheckConstraint(condition=~Q(text=""), name="goals_goalassessment_has_text"),
            models.UniqueConstraint(
                fields=["goal", "period"],
                condition=Q(state="published"),
                name="goals_goalassessment_one_published",
            ),
            models.UniqueConstraint(
                fields=["goal", "period"],
                condition=Q(state__in=["draft", "submitted", "approved"]),
                name="goals_goalassessment_one_in_review",
            ),
        ]

    def __str__(self):
        return f"{self.goal} ({self.period})"


def goal_assessment_as_of(goals, as_of_date=None) -> dict[int, GoalAssessment | None]:
    """The goal assessment current as of the date `as_of_date` (None: now) of each of
    `goals`, by goal id: the published one of the newest period on or before the date,
    with its period (current_of()); None when none was published by then. One query for
    any number of goals: what the exports show of a goal "as of a period"."""
    ids = [goal.pk for goal in goals]
    found: dict[int, list[GoalAssessment]] = {pk: [] for pk in ids}
    if not ids:
        return {}
    assessments = GoalAssessment.objects.published().filter(goal__in=ids)
    if as_of_date is not None:
        assessments = assessments.filter(period__date__lte=as_of_date)
    for assessment in assessments.select_related("period").order_by("goal", "-period__date"):
        found[assessment.goal_id].append(assessment)
    return {pk: current_of(newest_first, as_of_date) for pk, newest_first in found.items()}


def current_of(newest_first: list[GoalAssessment], as_of_date=None) -> GoalAssessment | None:
    """Of a goal's published assessments with their periods, newest first (as
    Goal.published_assessments reads them), the one current as of `as_of_date` (None: now):
    the newest of a period on or before the date. The one rule of a goal's assessment as
    of a period, for goal_assessment_as_of() and for a page that has read them all."""
    for assessment in newest_first:
        if as_of_date is None or assessment.period.date <= as_of_date:
            return assessment
    return None
