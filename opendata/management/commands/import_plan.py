"""python manage.py import_plan FILE.json [--dry-run] [--overwrite] [--if-empty].

Import an uppfoljning/1 document. An invalid file is refused whole, every error with
where it is, and the command fails. A valid one is written record by record; a record
that was changed in the portal since the last import is a conflict: it is left as it is
and listed, unless --overwrite is given (see opendata/importer.py). A published
assessment is never changed or deleted: where the file differs, a new version corrects it.
"""

from django.core.management.base import BaseCommand, CommandError

from goals.models import Plan
from opendata.document import OpenDataError
from opendata.importer import CONFLICT, import_path
from uppfoljning.pagecache import content_changed


class Command(BaseCommand):
    help = (
        "Import an uppfoljning/1 open-data document: validate all of it, then create or "
        "update what it holds. Nothing is written if the file has any error. Records "
        "changed in the portal since the last import are left as they are and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the uppfoljning/1 JSON document")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list what the import would create, update and leave; write nothing",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help=(
                "write the file's values also over records changed in the portal (an "
                "assessment as a new version; never while a correction of it is in review)"
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if the database already holds a plan (to load a seed once)",
        )

    def handle(
        self,
        *args,
        file: str,
        dry_run: bool = False,
        overwrite: bool = False,
        if_empty: bool = False,
        verbosity: int = 1,
        **options,
    ):
        if if_empty and Plan.objects.exists():
            if verbosity >= 1:
                self.stdout.write(f"Skipped {file}: the database already holds a plan.")
            return
        try:
            report = import_path(file, overwrite=overwrite, dry_run=dry_run)
        except OpenDataError as exc:
            count = len(exc.errors)
            raise CommandError(
                f"{file}: nothing was imported, {count} error{'s' if count != 1 else ''}:\n{exc}"
            ) from exc
        if report.wrote:
            content_changed()
        if verbosity >= 1:
            for change in report.changes:
                if change.action == CONFLICT:
                    self.stdout.write(self.style.WARNING(str(change)))
                elif dry_run or verbosity >= 2:
                    self.stdout.write(str(change))
            self.stdout.write(self.style.SUCCESS(f"{file}: {report}"))
            if report.conflicts and not overwrite:
                self.stdout.write(
                    "The conflicts keep the portal's values; --overwrite writes the file's."
                )
