"""python manage.py generate_data: a realistic synthetic follow-up of any size.

    manage.py generate_data --plans 1 --goals 8 --assignments 25 --periods 6 --bodies 30
    manage.py generate_data --large-goal        # one goal, 200 assignments, 12 periods

The data and how it is made: goals/demo_data.py. This command reads its options, generates,
and tells the page cache that the content changed.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from goals.demo_data import LARGE_GOAL, DemoDataError, Spec, generate
from uppfoljning.pagecache import content_changed


class Command(BaseCommand):
    help = (
        "Generate a realistic synthetic follow-up: plans, goals, assignments, responsible "
        "bodies, periods and assessments with Swedish text, published. Deterministic with "
        "--seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, default=1, help="plans (three-year terms)")
        parser.add_argument("--goals", type=int, default=8, help="goals per plan")
        size = parser.add_mutually_exclusive_group()
        size.add_argument("--assignments", type=int, default=25, help="assignments per goal")
        size.add_argument("--total-assignments", type=int, help="assignments over all goals")
        parser.add_argument("--periods", type=int, default=6, help="reporting periods per plan")
        parser.add_argument("--bodies", type=int, default=30, help="responsible bodies")
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument("--start-year", type=int, default=2022, help="first plan's year")
        parser.add_argument("--code", default="syntet", help="plan codes begin with this")
        parser.add_argument(
            "--large-goal",
            action="store_true",
            help="one plan with one goal of 200 assignments over 12 periods (benchmark)",
        )

    def handle(self, *args, verbosity: int = 1, **options):
        sizes = {
            name: options[name]
            for name in ("plans", "goals", "assignments", "total_assignments", "periods")
        }
        if options["large_goal"]:
            sizes = {**LARGE_GOAL, "total_assignments": None}
        started = time.perf_counter()
        try:
            spec = Spec.sized(
                **sizes,
                bodies=options["bodies"],
                seed=options["seed"],
                start_year=options["start_year"],
                code=options["code"],
            )
            counts = generate(spec).counts
        except DemoDataError as error:
            raise CommandError(str(error)) from None
        content_changed()
        if verbosity >= 1:
            summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
            seconds = time.perf_counter() - started
            self.stdout.write(self.style.SUCCESS(f"Generated in {seconds:.1f} s: {summary}."))
