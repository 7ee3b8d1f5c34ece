"""Reminders: an e-mail to each official of what their bodies still have to report.

`python manage.py send_reminders` (run by cron, e.g. every Monday morning) calls
send_reminders(); due_reminders() says who would get what.

What is due: for every reporting period open for reporting whose deadline has not passed
(the deadline day itself included), each official (an active staff user who is an official
of a body) is reminded of every assignment one of their bodies answers for in that period
(Assignment.is_reportable_in(): of a published goal of a published plan whose years include
the period's year, not added after it) whose assessment by that body is

- missing: no assessment of that body in the period, in review or published;
- returned: a draft that the coordinator sent back with a comment (the comment is quoted);
- a draft: started but not yet submitted.

Submitted, approved and published ones are done, and so is everything of other bodies.
An official with nothing left gets no e-mail.

After the deadline the reminders stop: the coordinator's overview shows who has not
reported, and it is for the coordinator to chase them or to close the period. A period open
for reporting without a deadline gets no reminders either ("before the deadline" means
nothing without one); the command names it, so that the coordinator can set one.

Each official gets one e-mail per period (normally one period is open at a time), in
Swedish, sent with Django's e-mail settings (the console by default, see settings.py).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Assessment,
    Assignment,
    AssignmentResponsibility,
    ResponsibleBody,
    ReviewState,
)
from goals.models import ReportingPeriod

# The official's start page in the admin, "Att rapportera", under settings.PORTAL_URL.
WORKLIST_PATH = "/admin/rapportering/"
TEMPLATE = "reporting/email/reminder.txt"


class ItemState(enum.Enum):
    """Why an assignment is in a reminder, in the order the e-mail lists them."""

    RETURNED = "returned"
    MISSING = "missing"
    DRAFT = "draft"

    @property
    def heading(self) -> str:
        return {
            ItemState.RETURNED: _("Returned by the coordinator, to be completed"),
            ItemState.MISSING: _("Not yet started"),
            ItemState.DRAFT: _("Drafts not yet submitted"),
        }[self]


@dataclass(frozen=True)
class ReminderItem:
    """An assignment that `body` has still to report on; `comment` is the coordinator's,
    for a returned one."""

    assignment: Assignment
    body: ResponsibleBody
    state: ItemState
    comment: str = ""

    @property
    def indented_comment(self) -> str:
        """The comment with each of its lines after the first indented, for plain text."""
        return "\n    ".join(line.rstrip() for line in self.comment.splitlines())


@dataclass
class Reminder:
    """What one official has still to report in one period."""

    user: object
    period: ReportingPeriod
    items: list[ReminderItem] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, list[ReminderItem]]]:
        """(heading, items) for each state that has any, in ItemState's order."""
        return [
            (state.heading, items)
            for state in ItemState
            if (items := [item for item in self.items if item.state is state])
        ]

    @property
    def counts(self) -> dict[ItemState, int]:
        return {state: sum(item.state is state for item in self.items) for state in ItemState}

    @property
    def greeting_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def subject(self) -> str:
        return gettext("Reminder: %(count)s assignment(s) to report by %(deadline)s") % {
            "count": len(self.items),
            "deadline": date_filter(self.period.deadline, "j F Y"),
        }

    def body(self) -> str:
        return render_to_string(
            TEMPLATE,
            {
                "reminder": self,
                "period": self.period,
                "deadline": self.period.deadline,
                "worklist_url": settings.PORTAL_URL.rstrip("/") + WORKLIST_PATH,
            },
        )


@dataclass
class ReminderReport:
    """What send_reminders() did: the reminders sent (or, in a dry run, that would have
    been), those skipped because the official has no e-mail address, those whose sending
    failed (with the error), and the open periods without a deadline."""

    dry_run: bool
    sent: list[Reminder] = field(default_factory=list)
    skipped: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)
    periods_without_deadline: list[ReportingPeriod] = field(default_factory=list)


def due_periods(today: datetime.date):
    """The periods open for reporting whose deadline is today or later."""
    return ReportingPeriod.objects.open_for_reporting().filter(deadline__gte=today)


def due_reminders(*, today: datetime.date | None = None) -> list[Reminder]:
    """Each official's Reminder for each period open for reporting whose deadline is
    `today` (default: today's date) or later, listing what their bodies have still to
    report; officials with nothing left have none. Users without an e-mail address are
    included: the sender reports them.

    At most five queries, whatever the number of periods, officials, bodies and
    assignments."""
    today = today or timezone.localdate()
    periods = list(due_periods(today).order_by("deadline", "date"))
    if not periods:
        return []

    memberships = list(
        ResponsibleBody.officials.through.objects.filter(
            user__is_active=True, user__is_staff=True
        ).select_related("user", "responsiblebody")
    )
    bodies = {m.responsiblebody_id: m.responsiblebody for m in memberships}
    if not bodies:
        return []
    years = [period.date.year for period in periods]
    candidates = Assignment.objects.for_bodies(bodies.values()).filter(
        goal__plan__start_year__lte=max(years), goal__plan__end_year__gte=min(years)
    )
    assignments = list(
        candidates.select_related("goal__plan").order_by(
            "-goal__plan__start_year", "goal__plan__code", "goal__number", "number"
        )
    )
    named: dict[int, set[int]] = {a.pk: set() for a in assignments}
    for assignment_id, body_id in AssignmentResponsibility.objects.filter(
        assignment__in=candidates.values("pk"), body__in=list(bodies)
    ).values_list("assignment_id", "body_id"):
        named[assignment_id].add(body_id)
    standing = _standing(periods, bodies, candidates)

    officials: dict[int, tuple[object, list[ResponsibleBody]]] = {}
    for m in sorted(memberships, key=lambda m: (m.user.get_username(), m.responsiblebody.name)):
        officials.setdefault(m.user_id, (m.user, []))[1].append(m.responsiblebody)

    reminders = []
    for period in periods:
        due = [a for a in assignments if a.is_reportable_in(period)]
        for user, user_bodies in officials.values():
            items = []
            for assignment in due:
                for body in user_bodies:
                    if not assignment.is_answered_by(body, named[assignment.pk]):
                        continue
                    state, comment = standing.get(
                        (period.pk, assignment.pk, body.pk), (ItemState.MISSING, "")
                    )
                    if state is not None:
                        items.append(ReminderItem(assignment, body, state, comment))
            if items:
                reminders.append(Reminder(user, period, items))
    return reminders


def _standing(periods, bodies, assignments) -> dict[tuple[int, int, int], tuple]:
    """(period, assignment, body) → (ItemState or None when done, the coordinator's
    comment) for every assessment the bodies have in the periods: done when one is
    submitted, approved or published (a correction in progress of a published one too),
    else the draft's state."""
    rank = {
        ReviewState.PUBLISHED: 3,
        ReviewState.APPROVED: 2,
        ReviewState.SUBMITTED: 2,
        ReviewState.DRAFT: 1,
    }
    best: dict[tuple[int, int, int], tuple[int, str]] = {}
    rows = Assessment.objects.filter(
        period__in=periods,
        body__in=list(bodies),
        assignment__in=assignments.values("pk"),
        state__in=list(rank),
    ).values_list("period_id", "assignment_id", "body_id", "state", "review_comment")
    for period_id, assignment_id, body_id, state, comment in rows:
        key = (period_id, assignment_id, body_id)
        if key not in best or rank[state] > best[key][0]:
            best[key] = (rank[state], comment)
    standing = {}
    for key, (level, comment) in best.items():
        if level > 1:
            standing[key] = (None, "")
        elif comment.strip():
            standing[key] = (ItemState.RETURNED, comment.strip())
        else:
            standing[key] = (ItemState.DRAFT, "")
    return standing


def send_reminders(*, today: datetime.date | None = None, dry_run: bool = False) -> ReminderReport:
    """E-mail each official their due reminders (due_reminders()), one message per
    official and period, from DEFAULT_FROM_EMAIL, in the portal's language (Swedish).

    Officials without an e-mail address are skipped; a message the mail server refuses is
    reported in `failed` and the others are still sent. A dry run sends nothing and reports
    what would have been sent."""
    today = today or timezone.localdate()
    report = ReminderReport(dry_run=dry_run)
    report.periods_without_deadline = list(
        ReportingPeriod.objects.open_for_reporting().filter(deadline=None).order_by("date")
    )
    with translation.override(settings.LANGUAGE_CODE):
        reminders = due_reminders(today=today)
        messages = []
        for reminder in reminders:
            if not reminder.user.email.strip():
                report.skipped.append(reminder)
                continue
            message = EmailMessage(
                subject=reminder.subject(),
                body=reminder.body(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[reminder.user.email.strip()],
            )
            messages.append((reminder, message))
    if dry_run:
        report.sent = [reminder for reminder, _message in messages]
        return report
    if not messages:
        return report
    mailer = mailers.default
    try:
        mailer.open()
    except Exception as error:  # no mail server: every message failed
        report.failed = [(reminder, _describe(error)) for reminder, _message in messages]
        return report
    try:
        for reminder, message in messages:
            try:
                mailer.send_messages([message])
            except Exception as error:  # the others are still sent
                report.failed.append((reminder, _describe(error)))
            else:
                report.sent.append(reminder)
    finally:
        mailer.close()
    return report


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"
