"""python manage.py apply_roles: make the staff groups hold exactly their roles' permissions."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from assignments.roles import ROLES, apply_roles


class Command(BaseCommand):
    help = (
        "Create or update the staff groups (Handläggare, Samordnare) so that each holds "
        "exactly the permissions assignments/roles.py gives its role. Safe to run again: "
        "it prints what it changed, or that nothing needed changing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="the database to update (default: %(default)s)",
        )

    def handle(self, *args, database: str, verbosity: int = 1, **options):
        changes = apply_roles(using=database)
        if verbosity < 1:
            return
        for change in changes:
            self.stdout.write(change)
        names = ", ".join(role.name for role in ROLES)
        if changes:
            self.stdout.write(self.style.SUCCESS(f"Roles applied: {names}."))
        else:
            self.stdout.write(f"Roles already up to date: {names}.")
