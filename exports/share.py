"""What a page says when its address is shared: the status summary of a goal, for the Open
Graph and Twitter card metadata of templates/exports/_share_meta.html.

    share_summary(goal)
    # "12 uppdrag: 8 enligt plan, 3 inte helt enligt plan, 1 slutfört"
    share_summary(goal, assignments)  # the same, from the assignments the page read

Where the statuses come from, and what that costs:

- `assignments` given (the goal page's for_page() list, all of the goal's assignments, read
  before any status filter): no query; each one's `current_status` is what the page shows;
- else the goal's `assignment_list`, when GoalQuerySet.with_assignments() prefetched it (the
  plan page): no query, Goal.status_tally() counts them;
- else one query: the current status of each of the goal's assignments
  (AssignmentQuerySet.with_current_status(), the one rule of an assignment's status).

The statuses are counted as the page counts them, most frequent first (ties in the
statuses' own order), the unassessed last.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext, ngettext

from assignments.models import AssessmentStatus


def _count_phrase(status: AssessmentStatus | None, count: int) -> str:
    """ "8 enligt plan", "1 slutfört", "2 slutförda": the count and the status in words."""
    values = {"count": count}
    if status == AssessmentStatus.COMPLETED:
        return ngettext("%(count)s completed", "%(count)s completed", count) % values
    if status == AssessmentStatus.ON_TRACK:
        return ngettext("%(count)s on track", "%(count)s on track", count) % values
    if status == AssessmentStatus.DELAYED:
        return (
            ngettext("%(count)s not quite on track", "%(count)s not quite on track", count) % values
        )
    if status == AssessmentStatus.NOT_CARRIED_OUT:
        return ngettext("%(count)s not carried out", "%(count)s not carried out", count) % values
    return ngettext("%(count)s not yet assessed", "%(count)s not yet assessed", count) % values


def status_summary(tally: Iterable[tuple[AssessmentStatus | None, int]]) -> str:
    """The summary of a tally (status, count), as Goal.status_tally() gives it: "12
    uppdrag: 8 enligt plan, 3 inte helt enligt plan, 1 slutfört"; empty for no assignment."""
    order = [*AssessmentStatus, None]
    counted = [(status, count) for status, count in tally if count]
    if not counted:
        return ""
    counted.sort(key=lambda pair: (pair[0] is None, -pair[1], order.index(pair[0])))
    total = sum(count for _status, count in counted)
    return gettext("%(assignments)s: %(statuses)s") % {
        "assignments": ngettext("%(count)s assignment", "%(count)s assignments", total)
        % {"count": total},
        "statuses": ", ".join(_count_phrase(status, count) for status, count in counted),
    }


def share_summary(goal, assignments: Iterable | None = None) -> str:
    """The status summary of a published goal's assignments (see the module for what it
    reads and costs)."""
    if assignments is not None:
        statuses = [assignment.current_status for assignment in assignments]
    elif hasattr(goal, "assignment_list"):
        return status_summary(goal.status_tally())
    else:
        values = goal.assignments.order_by().with_current_status()
        statuses = [
            AssessmentStatus(value) if value else None
            for value in values.values_list("current_status_value", flat=True)
        ]
    counts = dict.fromkeys([*AssessmentStatus, None], 0)
    for status in statuses:
        counts[status] += 1
    return status_summary(counts.items())
