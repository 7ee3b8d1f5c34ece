"""python manage.py export_plan [-o FILE]: write the published portal as uppfoljning/1."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opendata.document import OpenDataError, dumps
from opendata.export import export_document


class Command(BaseCommand):
    help = "Write everything published as an uppfoljning/1 open-data document (UTF-8 JSON)."

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
        )

    def handle(self, *args, output: str | None, **options):
        try:
            text = dumps(export_document())
        except OpenDataError as exc:
            raise CommandError(str(exc)) from exc
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            with Path(output).open("w", encoding="utf-8", newline="") as file:
                file.write(text)
        except OSError as exc:
            raise CommandError(f"{output}: cannot be written: {exc.strerror or exc}") from exc
