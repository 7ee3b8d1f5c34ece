"""python manage.py import_plan FILE.json [--if-empty]: import an uppfoljning/1 document."""

from django.core.management.base import BaseCommand, CommandError

from opendata import formats as opendata
from goals.models import Plan
from uppfoljning.pagecache import content_changed


class Command(BaseCommand):
    help = (
        "Import an uppfoljning/1 open-data document: validate all of it, then create or "
        "update what it holds. Nothing is written if the file has any error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the uppfoljning/1 JSON document")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if the database already holds a plan (to load a seed once)",
        )

    def handle(self, *args, file: str, if_empty: bool, verbosity: int = 1, **options):
        if if_empty and Plan.objects.exists():
            if verbosity >= 1:
                self.stdout.write(f"Skipped {file}: the database already holds a plan.")
            return
        try:
            report = opendata.import_document(opendata.load_path(file))
        except opendata.OpenDataError as exc:
            count = len(exc.errors)
            raise CommandError(
                f"{file}: nothing was imported, {count} error{'s' if count != 1 else ''}:\n{exc}"
            ) from exc
        content_changed()
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"{file}: {report}"))
