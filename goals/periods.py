"""Which reporting period a public page or an export shows: `?per=<period code>`.

    period = period_asked(request)   # None without ?per= (the latest); Http404 else
    periods_of_plan(plan)            # the choices of the plan's period switch, newest first

The one rule of what `?per=` names: a published reporting period, by its code; nothing (or
an empty value) is the latest. The public pages of the goals room ask here; the exports
(exports.views.period_asked) should too. The body pages (assignments/views.py), in a room
that never imports this one, follow the same rule through AsOf in
assignments/presentation.py.

What was current as of a period is the models' rule: assignments.models.current_as_of()
for the assignments (through assignments.presentation.assignments_as_of()) and
goals.models.goal_assessment_as_of() for a goal, as the exports show them.
"""

from __future__ import annotations

from assignments.presentation import (
    PERIOD_PARAMETER,
    UnknownPeriod,
    period_named_in,
    periods_newest_first,
)
from goals.models import PeriodState, Plan, ReportingPeriod

__all__ = [
    "PARAMETER",
    "UnknownPeriod",
    "period_asked",
    "period_named",
    "periods_of_plan",
    "published_periods",
]

PARAMETER = PERIOD_PARAMETER  # "per"


def published_periods():
    """The reporting periods whose assessments are public: what `?per=` may name."""
    return ReportingPeriod.objects.filter(state=PeriodState.PUBLISHED)


def period_named(code: str | None) -> ReportingPeriod | None:
    """The published period with the code `code`; None for no code or an empty one (the
    latest). UnknownPeriod (an Http404) for any code that names no published period: an
    unknown one, one not yet published, or junk (too long, a NUL). One query, none
    without a code (assignments.presentation.period_named_in(), which the body pages'
    AsOf calls with the same periods)."""
    return period_named_in(published_periods(), code)


def period_asked(request) -> ReportingPeriod | None:
    """The published period the request's `?per=` names (period_named()): the last value
    given, as the page cache reads it."""
    return period_named(request.GET.get(PARAMETER))


def periods_of_plan(plan: Plan) -> list[ReportingPeriod]:
    """The published periods of the plan's years, newest first: the periods a reader of the
    plan can choose. A period reports on the plans whose years include its year (the rule
    of a reporting round, AssignmentQuerySet.reportable_in()). One plain query of every
    published period (assignments.presentation.periods_newest_first()), no join: the
    switch is on every page."""
    return [
        period
        for period in periods_newest_first(published_periods())
        if plan.start_year <= period.date.year <= plan.end_year
    ]
