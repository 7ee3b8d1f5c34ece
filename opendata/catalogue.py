"""What the open data holds and where it lives: the rules that the "Öppna data" page, the
files, the feeds and the DCAT-AP-SE metadata share.

- What is public: published plans with a published goal, their published goals and every
  assignment of those, and the published versions of their assessments
  (``public_assessments()``, ``public_goal_assessments()``), exactly what the pages show.
- The data sets: the whole follow-up, one per plan (``public_plans()``) and one per
  reporting period that has published content (``published_periods()``), the data as of
  that period. Each is a JSON file (uppfoljning/1) and a CSV file; their addresses hold the
  format's codes (``/oppna-data/plan/<plan code>/...``, ``/oppna-data/period/<period
  code>/...``), so that a file's address names what the file itself calls it.
- When the data last changed: ``last_changed()``.
- The licence (settings.OPEN_DATA_LICENCE) and absolute addresses under
  settings.PORTAL_URL: pages are cached without the host they were asked for, so no
  address in them comes from the request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from assignments.models import Assessment
from goals.models import GoalAssessment, Plan, ReportingPeriod
from opendata.models import ImportedRecord

# How many assessments a feed holds, newest first.
FEED_ITEMS = 50


def absolute(path: str) -> str:
    """The portal's absolute address of `path` (settings.PORTAL_URL)."""
    return settings.PORTAL_URL.rstrip("/") + path


def licence() -> dict[str, str]:
    """The open data's licence: {"name": ..., "url": ...} (CC0 1.0 unless set)."""
    return dict(settings.OPEN_DATA_LICENCE)


def contact_email() -> str:
    """Where to write about the open data: OPEN_DATA_CONTACT_EMAIL when the settings have
    it, else the portal's public contact address (ACCESSIBILITY_CONTACT_EMAIL); may be ""."""
    return (
        getattr(settings, "OPEN_DATA_CONTACT_EMAIL", "")
        or getattr(settings, "ACCESSIBILITY_CONTACT_EMAIL", "")
    ).strip()


# --------------------------------------------------------------------------- what is public


def public_assessments() -> QuerySet:
    """The published versions of assignments' assessments that the public sees."""
    return Assessment.objects.published().filter(
        assignment__goal__is_published=True, assignment__goal__plan__is_published=True
    )


def public_goal_assessments() -> QuerySet:
    """The published versions of goals' assessments that the public sees."""
    return GoalAssessment.objects.published().filter(
        goal__is_published=True, goal__plan__is_published=True
    )


def public_plans() -> list[Plan]:
    """The plans the public sees, oldest first (as in the files). One query."""
    return list(Plan.objects.with_published_content().order_by("start_year", "code"))


def _newest_published(assessments: QuerySet) -> Subquery:
    return Subquery(
        assessments.filter(period=OuterRef("pk"))
        .order_by("-published_at")
        .values("published_at")[:1]
    )


def published_periods() -> QuerySet:
    """The reporting periods that have published content (an assessment of an assignment or
    a goal that the public sees), newest first: the periods that have files of their own.
    Each has `assignments_published` and `goals_published`, the newest publication time of
    each kind (None when it has none). One query."""
    return (
        ReportingPeriod.objects.annotate(
            assignments_published=_newest_published(public_assessments()),
            goals_published=_newest_published(public_goal_assessments()),
        )
        .filter(Q(assignments_published__isnull=False) | Q(goals_published__isnull=False))
        .order_by("-date")
    )


def last_changed(periods: list[ReportingPeriod]) -> datetime.datetime | None:
    """When the open data last changed: the newest publication of an assessment that the
    public sees (read from `periods`, published_periods()), or of an import, whichever is
    later; None before anything was published. One query."""
    imported = ImportedRecord.objects.aggregate(newest=Max("imported_at"))["newest"]
    times = [imported] + [
        moment
        for period in periods
        for moment in (period.assignments_published, period.goals_published)
    ]
    return max((moment for moment in times if moment is not None), default=None)


# --------------------------------------------------------------------------- the files


@dataclass(frozen=True)
class Files:
    """The addresses (paths) of one data set's files."""

    json: str
    csv: str


def portal_files() -> Files:
    return Files(json=reverse("opendata:document"), csv=reverse("opendata:csv"))


def plan_files(plan_code: str) -> Files:
    return Files(
        json=reverse("opendata:plan_document", kwargs={"plan": plan_code}),
        csv=reverse("opendata:plan_csv", kwargs={"plan": plan_code}),
    )


def period_files(period_code: str) -> Files:
    return Files(
        json=reverse("opendata:period_document", kwargs={"period": period_code}),
        csv=reverse("opendata:period_csv", kwargs={"period": period_code}),
    )


# --------------------------------------------------------------------------- assessments


def assessment_anchor(period: ReportingPeriod) -> str:
    """The fragment of an assignment page where its assessment of `period` is shown:
    "bedomning-2022-08-31" (the period's date: unique, and always a valid HTML id)."""
    return f"bedomning-{period.date.isoformat()}"


def assessment_link(assessment: Assessment) -> str:
    """The path of the assignment page at the assessment's period (reads the assignment's
    goal and plan, and the period)."""
    return f"{assessment.assignment.get_absolute_url()}#{assessment_anchor(assessment.period)}"
