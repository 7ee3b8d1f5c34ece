"""How long the portal takes to render a page without the page cache, in-process.

    .venv/bin/python -m bench.render               # the table, PASS/FAIL; exit 1 on a FAIL
    .venv/bin/python -m bench.render --runs 500    # more renders per page
    .venv/bin/python -m bench.render --profile large   # cProfile of one page's renders

    from bench.render import measure_render
    for name, median_ms, target_ms in measure_render(): ...

After a change to published content every page is rendered afresh, so the renderer must be
fast on its own. This measures it as the page cache sees it on a miss: a fresh PostgreSQL
database of its own (SQLite when PostgreSQL cannot be reached, said in the table), migrated
and loaded with the seed goal (fixtures/uppsala-goal5.json) and the large goal
(`generate_data --large-goal --code stor --seed 1`: 200 assignments, 12 periods), then a
separate process with production's settings (DEBUG off, tests/live/settings.py) and the
page cache off renders each page with its view (a RequestFactory request as the middleware
leaves it, the view called, the response rendered; the middleware, the same for every page,
is left out): warm-up renders first, then `runs` timed ones. Before it renders, it has
PostgreSQL VACUUM ANALYZE the freshly loaded database, as autovacuum does soon after a load
in production: without statistics the planner takes `state = 'published'` to match one
assessment in 200 and plans each newest assessment of a list three times slower. The pages:

- the large goal page: 200 assignments, each with its status, bodies and newest assessment;
- the seed goal page: five assignments and the goal's sections;
- an assignment page: the large goal's assignment 200, with its assessments of 12 periods.

The database is dropped again at the end, whatever happens. The figures are medians and
90th percentiles of wall-clock time, in milliseconds; other load on the machine skews them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.run import POSTGRES_URL, load_average, postgres_reachable, prepare, say
from tests.live.servers import PYTHON, ROOT, TemporaryDatabase, portal_env

RUNS = 200
WARM_UP = 30
HOST = "127.0.0.1"

# The pages measured, with their targets (median, milliseconds).
LARGE, SEED_GOAL, ASSIGNMENT = "large", "seed", "assignment"
PAGES = {
    LARGE: ("large goal page (200 assignments)", 25.0),
    SEED_GOAL: ("seed goal page", 8.0),
    ASSIGNMENT: ("assignment page (12 assessments)", 5.0),
}


@dataclass
class Timing:
    key: str
    name: str
    target_ms: float
    samples_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p90_ms(self) -> float:
        return statistics.quantiles(self.samples_ms, n=10)[-1]

    @property
    def passed(self) -> bool:
        return self.median_ms <= self.target_ms


def measure_render(runs: int = RUNS) -> list[tuple[str, float, float]]:
    """(page, median ms, target ms) of each page rendered uncached; see the module."""
    return [(t.name, t.median_ms, t.target_ms) for t in measure(runs).timings]


@dataclass
class Measurement:
    database: str
    runs: int
    timings: list[Timing]
    load_average: str = ""  # before / after: other work on the machine skews every figure


def measure(runs: int = RUNS, *, profile: str | None = None) -> Measurement:
    """Set up a database of its own, render the pages in a child process, drop it."""
    with tempfile.TemporaryDirectory(prefix="uppfoljning-render-") as folder:
        postgres = POSTGRES_URL if postgres_reachable(POSTGRES_URL) else None
        database = TemporaryDatabase(Path(folder), postgres, prefix="uppfoljning_render")
        env = portal_env(
            database.url,
            PAGE_CACHE_SECONDS="0",
            CACHE_DIR=str(Path(folder) / "cache"),
            DB_CONN_MAX_AGE="600",
        )
        database.create()
        try:
            prepare(env, static_files=False)
            command = [PYTHON, "-m", "bench.render", "--child", "--runs", str(runs)]
            if profile:
                command += ["--profile", profile]
            say(f"rendering each page {runs} times ({database.engine})")
            before = load_average()
            child = subprocess.run(
                command,
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if child.returncode != 0:
                raise RuntimeError(f"the render process failed:\n{child.stdout}{child.stderr}")
            if profile:
                print(child.stderr, file=sys.stderr)
            samples = json.loads(child.stdout)
        finally:
            database.drop()
    timings = [
        Timing(key, name, target, samples[key]) for key, (name, target) in PAGES.items()
    ]
    return Measurement(database.engine, runs, timings, f"{before} / {load_average()}")


# --------------------------------------------------------------------------- the child


def _child(runs: int, profile: str | None) -> None:
    """In the measuring process (DJANGO_SETTINGS_MODULE from portal_env): print the samples
    of every page, in milliseconds, as JSON."""
    import django

    django.setup()
    from django.utils import translation

    translation.activate("sv")  # what LocaleMiddleware does for every request
    _analyze()
    samples = {}
    for key, url in _urls().items():
        for _ in range(WARM_UP):
            _get(url)
        if profile == key:
            _profile(url, runs)
        timed = []
        for _ in range(runs):
            started = time.perf_counter()
            _get(url)
            timed.append((time.perf_counter() - started) * 1000)
        samples[key] = timed
    print(json.dumps(samples))


def _analyze() -> None:
    """The planner's statistics of the fresh database, which production's has (see the
    module)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _urls() -> dict[str, str]:
    from goals.models import Goal
    from tests.factories import seed_portal

    large = Goal.objects.select_related("plan").get(plan__code__startswith="stor-", number=1)
    return {
        LARGE: large.get_absolute_url(),
        SEED_GOAL: seed_portal().goal.get_absolute_url(),
        ASSIGNMENT: large.assignments.get(number=200).get_absolute_url(),
    }


def _get(url: str):
    """The page at `url` as its view renders it on a page-cache miss: a request as the
    middleware leaves it (an anonymous user, django-htmx's details), the view resolved and
    called, the response rendered. The middleware itself is left out: its cost is the same
    for every page (bench/run.py measures it as the trivial Django view)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.urls import resolve
    from django_htmx.middleware import HtmxDetails

    request = RequestFactory(HTTP_HOST=HOST).get(url)
    request.user = AnonymousUser()
    request.htmx = HtmxDetails(request)
    match = resolve(request.path_info)
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response = response.render()
    if response.status_code != 200 or not response.content:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def _profile(url: str, runs: int) -> None:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        _get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    print(out.getvalue(), file=sys.stderr)


# --------------------------------------------------------------------------- main


def report(measurement: Measurement) -> bool:
    print(
        f"\nuncached render, in-process (the view, DEBUG off, page cache off), "
        f"{measurement.database}: median and p90 of {measurement.runs} renders per page "
        f"after {WARM_UP} warm-up renders; load average before/after "
        f"{measurement.load_average}\n"
    )
    print(f"{'page':<40}{'median':>10}{'p90':>10}{'target':>10}")
    for t in measurement.timings:
        verdict = "PASS" if t.passed else "FAIL"
        print(
            f"{t.name:<40}{t.median_ms:>7.1f} ms{t.p90_ms:>7.1f} ms"
            f"{'≤ ' + format(t.target_ms, 'g') + ' ms':>10}  {verdict}"
        )
    return all(t.passed for t in measurement.timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.render", description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS, help="timed renders per page")
    parser.add_argument("--profile", choices=list(PAGES), help="print a cProfile of one page")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        _child(options.runs, options.profile)
        return 0
    return 0 if report(measure(options.runs, profile=options.profile)) else 1


if __name__ == "__main__":
    sys.exit(main())
