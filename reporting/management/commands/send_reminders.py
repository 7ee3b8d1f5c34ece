"""python manage.py send_reminders: e-mail each official what their bodies still have to
report before the deadline (reporting/reminders.py). Meant for cron, e.g. weekly:

    0 7 * * 1  cd /srv/uppfoljning && .venv/bin/python manage.py send_reminders
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from reporting.reminders import ItemState, send_reminders


class Command(BaseCommand):
    help = (
        "E-mail each official (in Swedish) the assignments their bodies have still to "
        "report in every period open for reporting whose deadline has not passed: missing, "
        "returned by the coordinator, or drafts not submitted. Nothing is sent after the "
        "deadline, nor for a period without one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="say who would be reminded of what, but send nothing",
        )
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="remind as if today were this date (default: today)",
        )

    def handle(self, *args, dry_run: bool, date: str | None, **options):
        today = None if date is None else _parse_date(date)
        report = send_reminders(today=today, dry_run=dry_run)
        verb = "Would remind" if dry_run else "Reminded"

        for period in report.periods_without_deadline:
            self.stdout.write(
                self.style.WARNING(
                    f"{period.name} is open for reporting but has no deadline: "
                    "no reminders for it until one is set."
                )
            )
        for reminder in report.sent:
            self.stdout.write(f"{verb} {_describe(reminder)}")
        for reminder in report.skipped:
            self.stdout.write(
                self.style.WARNING(f"Skipped {_describe(reminder)}: no e-mail address")
            )
        for reminder, error in report.failed:
            self.stderr.write(f"Failed to remind {_describe(reminder)}: {error}")

        officials = len({reminder.user.pk for reminder in report.sent})
        summary = f"{verb} {officials} official{'' if officials == 1 else 's'}"
        if report.skipped:
            summary += f"; skipped {len(report.skipped)} without an e-mail address"
        if dry_run:
            summary += " (dry run: nothing was sent)"
        self.stdout.write(self.style.SUCCESS(summary + "."))
        if report.failed:
            raise CommandError(f"{len(report.failed)} reminder(s) could not be sent.")


def _parse_date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(
            f"--date must be a date written YYYY-MM-DD, such as 2022-09-15, not {value!r}."
        ) from None


def _describe(reminder) -> str:
    user = reminder.user
    counts = reminder.counts
    parts = ", ".join(f"{counts[state]} {state.value}" for state in ItemState if counts[state])
    name = f"{user.get_username()} <{user.email}>" if user.email else user.get_username()
    return f"{name} of {len(reminder.items)} assignment(s) in {reminder.period.name} ({parts})"
