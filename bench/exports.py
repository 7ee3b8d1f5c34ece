"""How long, and how much memory, exporting a whole large plan takes: PDF, Word and Excel.

    .venv/bin/python -m bench.exports              # the table, PASS/FAIL; exit 1 on a FAIL
    .venv/bin/python -m bench.exports --runs 5     # more exports per plan and format

    from bench.exports import run_exports_bench    # bench/run.py: prints, True when passed

A fresh database of its own (PostgreSQL when reachable, else SQLite, said in the table),
migrated and loaded as bench/render.py's (the seed goal and the large goal: `generate_data
--large-goal --code stor`, one goal of 200 assignments over 12 periods), plus a wide plan
(`generate_data --code bred --goals 8 --assignments 25 --periods 6`: eight goals with their
focus areas, links and actions, 200 assignments). Each plan is exported whole in each
format as the export view does it (exports.content.plan_content(), then the format's
render function), `runs` times, each plan and format in a fresh child process with
production's settings (DEBUG off): the first export pays for loading fonts and parsing the
stylesheet, as a server's first one does.

Printed: the median and the slowest of the runs in seconds, the size of the file, and the
child process's peak memory (its maximum resident set, getrusage's ru_maxrss, which counts
what Pango, cairo-free WeasyPrint and lxml allocate outside Python too), with how much of it
the exports added over the process before its first export. The target: a whole-plan PDF
in under 10 s (the median) on this machine. The database is dropped at the end, whatever
happens.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.run import POSTGRES_URL, load_average, postgres_reachable, prepare, say
from tests.live.servers import PYTHON, ROOT, TemporaryDatabase, manage, portal_env

RUNS = 3
FORMATS = ("pdf", "docx", "xlsx")
TARGET_PDF_SECONDS = 10.0
# The plans exported: (plan code prefix, description, the generate_data arguments; None:
# made by bench.run.prepare()).
PLANS = {
    "stor": ("large goal (1 goal, 200 assignments, 12 periods)", None),
    "bred": (
        "wide plan (8 goals, 200 assignments, 6 periods)",
        ["--code", "bred", "--plans", "1", "--goals", "8", "--assignments", "25",
         "--periods", "6", "--seed", "2"],
    ),
}  # fmt: skip


@dataclass
class Export:
    plan: str
    extension: str
    seconds: list[float]
    size: int
    pages: int | None  # a PDF's
    baseline_kib: int  # the child's peak memory before its first export
    peak_kib: int  # and after the last

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def target(self) -> float | None:
        return TARGET_PDF_SECONDS if self.extension == "pdf" else None

    @property
    def passed(self) -> bool:
        return self.target is None or self.median <= self.target


@dataclass
class Measurement:
    database: str
    runs: int
    exports: list[Export]
    load_average: str = ""


def measure(runs: int = RUNS) -> Measurement:
    """Set up a database of its own, export in child processes, drop it."""
    with tempfile.TemporaryDirectory(prefix="uppfoljning-exports-") as folder:
        postgres = POSTGRES_URL if postgres_reachable(POSTGRES_URL) else None
        database = TemporaryDatabase(Path(folder), postgres, prefix="uppfoljning_exports")
        env = portal_env(database.url, PAGE_CACHE_SECONDS="0", CACHE_DIR=f"{folder}/cache")
        database.create()
        exports = []
        try:
            prepare(env, static_files=False)
            for _, arguments in PLANS.values():
                if arguments:
                    say(f"manage.py generate_data {' '.join(arguments)}")
                    manage(env, "generate_data", *arguments, "--verbosity", "0")
            before = load_average()
            for code in PLANS:
                for extension in FORMATS:
                    say(f"exporting the {code} plan as {extension}, {runs} times")
                    exports.append(_run_child(env, code, extension, runs))
        finally:
            database.drop()
    return Measurement(database.engine, runs, exports, f"{before} / {load_average()}")


def _run_child(env: dict[str, str], code: str, extension: str, runs: int) -> Export:
    command = [PYTHON, "-m", "bench.exports", "--child", code, extension, "--runs", str(runs)]
    child = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    if child.returncode != 0:
        raise RuntimeError(f"the export process failed:\n{child.stdout}{child.stderr}")
    return Export(**json.loads(child.stdout.strip().splitlines()[-1]))


# --------------------------------------------------------------------------- the child


def _child(code: str, extension: str, runs: int) -> None:
    """In the measuring process: export the plan `runs` times; print the figures as JSON."""
    import django

    django.setup()
    from django.utils import translation

    translation.activate("sv")  # what LocaleMiddleware does for every request
    from exports.content import plan_content
    from exports.views import FORMATS as RENDERERS
    from goals.models import Plan

    render = RENDERERS[extension].render
    plan = Plan.objects.get(code__startswith=f"{code}-")
    from django.db import connections

    connections.close_all()  # the export opens its connection, as a request would
    baseline = _peak_kib()
    seconds, data = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        data = render(plan_content(Plan.objects.get(pk=plan.pk), as_of=None))
        seconds.append(time.perf_counter() - started)
    peak = _peak_kib()
    print(
        json.dumps(
            {
                "plan": code,
                "extension": extension,
                "seconds": seconds,
                "size": len(data),
                "pages": _pdf_pages(data) if extension == "pdf" else None,
                "baseline_kib": baseline,
                "peak_kib": peak,
            }
        )
    )


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _pdf_pages(data: bytes) -> int | None:
    try:
        import io

        import pypdf
    except ImportError:  # a development dependency
        return None
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


# --------------------------------------------------------------------------- report


def report(measurement: Measurement) -> bool:
    """Print the table and the target; True when it passes."""
    print(
        f"\nexports of a whole plan, in-process (plan_content() and the format's render), "
        f"{measurement.database}, DEBUG off: {measurement.runs} runs each in a fresh process; "
        f"load average before/after {measurement.load_average}\n"
    )
    print(f"{'plan':<50}{'format':<8}{'median':>9}{'slowest':>9}{'size':>10}{'peak memory':>26}")
    for e in measurement.exports:
        name = PLANS[e.plan][0]
        pages = f", {e.pages} pages" if e.pages else ""
        memory = f"{e.peak_kib / 1024:.0f} MiB (+{(e.peak_kib - e.baseline_kib) / 1024:.0f})"
        print(
            f"{name:<50}{e.extension:<8}{e.median:>7.2f} s{max(e.seconds):>7.2f} s"
            f"{e.size / 1024:>7.0f} KB{memory:>26}{pages}"
        )
    print("\ntargets")
    for text, passed in checks(measurement):
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return all(passed for _, passed in checks(measurement))


def checks(measurement: Measurement) -> list[tuple[str, bool]]:
    """(text, passed) of each target: every whole-plan PDF under TARGET_PDF_SECONDS."""
    return [
        (
            f"whole-plan PDF, {PLANS[e.plan][0]}: median {e.median:.2f} s "
            f"(< {TARGET_PDF_SECONDS:g} s)",
            e.passed,
        )
        for e in measurement.exports
        if e.target is not None
    ]


def run_exports_bench(runs: int = RUNS) -> bool:
    """For bench/run.py: measure, print the table and the target, True when it passes."""
    say("exports of a whole plan (bench/exports.py)")
    return report(measure(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS, help="exports per plan and format")
    parser.add_argument("--child", nargs=2, metavar=("PLAN", "FORMAT"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        _child(*options.child, options.runs)
        return 0
    return 0 if report(measure(options.runs)) else 1


if __name__ == "__main__":
    sys.exit(main())
