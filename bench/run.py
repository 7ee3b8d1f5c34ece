"""make bench: the portal served as in production, measured, and checked against targets.

    .venv/bin/python -m bench.run

Sets up a temporary portal (PostgreSQL when reachable, else SQLite; Redis as the page cache
when reachable, else the cache folder), seeds it with the example goal plus a large
generated goal (200 assignments, 12 periods), collects the static files compressed and
with hashed names, and serves it with gunicorn (production's gunicorn.conf.py), DEBUG off.
Then it measures with wrk, only against 127.0.0.1, and prints one table: requests per
second of a static file, a trivial Django view and the goal pages cached and uncached, all
asking for compression (`Accept-Encoding: gzip, br`, as browsers do) but one plain run; the
uncached pages again with PostgreSQL's connection pool (DB_POOL=1) instead of persistent
connections; the SQL queries of every public page type (tests/pages.py); the bytes a
visitor downloads for the goal pages; the workers' peak memory; a 30-second robustness run
at 32 connections; Lighthouse's mobile performance score of the large goal page (the npm
package, with Debian's Chromium; SKIP with the reason when it cannot run); and the uncached
render times of bench/render.py. Everything temporary is removed at the end.

Every target of the issue is printed with PASS, FAIL or SKIP; rates are shares of the static
file's rate measured in the same run, the static file and the cached pages in interleaved
rounds (other load on the machine comes and goes, and moves them alike). The servers,
their settings and the list of public page types are the tests' (tests/live/,
tests/pages.py); this package only measures. Exits with 1 when a target fails.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.live.servers import (
    BYPASS_CACHE_HEADER,
    PING_PATH,
    REDIS_URL,
    ROOT,
    Server,
    TemporaryDatabase,
    delete_redis_keys,
    fetch,
    manage,
    portal_env,
    redis_available,
)

SEED = ROOT / "fixtures" / "uppsala-goal5.json"
POSTGRES_URL = os.getenv("BENCH_POSTGRES_URL") or "postgres://root@127.0.0.1:5432/postgres"
# gunicorn: 3 sync workers on 2 cores. 2-4 sync and 2-3 gthread workers × 4 threads gave the
# same rates within the noise; sync workers had the shorter latency tail. BENCH_WORKERS and
# BENCH_THREADS (> 1: gthread workers) try others. Everything else is gunicorn.conf.py's,
# access log included, except that workers are not replaced after GUNICORN_MAX_REQUESTS
# (the bench measures the steady state; a replaced worker starts afresh).
WORKERS = int(os.getenv("BENCH_WORKERS", "3"))
THREADS = int(os.getenv("BENCH_THREADS", "1"))
SERVER_ENV = {"GUNICORN_MAX_REQUESTS": "0"}
POOL_ENV = {"DB_POOL": "1"}  # the second server: PostgreSQL's pool instead of CONN_MAX_AGE
RATE_SECONDS, RATE_CONNECTIONS = 8, 16
# The static file and the cached pages, whose rates are compared: interleaved rounds, the
# median of each (other work on the machine comes and goes; it moves all three alike).
COMPARED_ROUNDS, COMPARED_SECONDS = 3, 5
ROBUST_SECONDS, ROBUST_CONNECTIONS = 30, 32
BYPASS = {BYPASS_CACHE_HEADER: "1"}
ACCEPT_COMPRESSED = {"Accept-Encoding": "gzip, br"}

# The rows of the load table.
STATIC = "static file (CSS)"
TRIVIAL = "trivial Django view"
SEED_CACHED = "seed goal page, cached"
SEED_CACHED_PLAIN = "seed goal page, cached, plain"
SEED_UNCACHED = "seed goal page, uncached"
LARGE_CACHED = "large goal page, cached"
LARGE_UNCACHED = "large goal page, uncached"
POOLED = ", DB_POOL=1"  # the same rows measured with the pool

TARGET_SEED_CACHED_SHARE = 0.9
TARGET_LARGE_CACHED_SHARE = 0.7
TARGET_MAX_QUERIES = 10
TARGET_PAGE_BYTES = 40 * 1024
TARGET_LIGHTHOUSE = 100

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.getenv("CHROME_PATH", "/usr/bin/chromium")
LIGHTHOUSE_RUNS = 3  # the median score of three runs, as Lighthouse's authors advise


@dataclass
class Load:
    """What one load run measured."""

    requests_per_second: float
    requests: int
    errors: int  # non-2xx answers plus socket errors
    latency_p99: str = "?"


@dataclass
class Lighthouse:
    """Lighthouse's mobile performance audit of a page: the median of a few runs."""

    score: int | None = None  # 0-100, as Lighthouse shows it
    first_contentful_paint_ms: float = 0
    largest_contentful_paint_ms: float = 0
    total_blocking_time_ms: float = 0
    scores: list[int] = field(default_factory=list)
    skipped: str = ""  # why it did not run


@dataclass
class Results:
    database: str = ""
    cache: str = ""
    static_encoding: str = ""
    rates: dict[str, Load] = field(default_factory=dict)
    queries: list[tuple[str, str, int]] = field(default_factory=list)  # name, kind, count
    weights: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)
    memory_kib: list[int] = field(default_factory=list)
    robustness: Load | None = None
    lighthouse: Lighthouse | None = None
    render: list[tuple[str, float, float]] | None = None  # bench/render.py's
    render_skipped: str = ""
    load_average: str = ""


# --------------------------------------------------------------------------- setup


def postgres_reachable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def choose_database(folder: Path) -> TemporaryDatabase:
    postgres = POSTGRES_URL if postgres_reachable(POSTGRES_URL) else None
    return TemporaryDatabase(folder, postgres, prefix="uppfoljning_bench")


def choose_cache(folder: Path) -> dict[str, str]:
    if redis_available():
        return {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(6)}"}
    return {"CACHE_DIR": str(folder / "cache")}


def prepare(env: dict[str, str], *, static_files: bool = True) -> None:
    """Migrate, seed, add the large goal and (for a server) collect the static files."""
    steps = [
        ("migrate", "--noinput"),
        ("import_plan", str(SEED)),
        ("generate_data", "--large-goal", "--code", "stor", "--seed", "1"),
    ]
    if static_files:
        steps.append(("collectstatic", "--noinput"))
    for step in steps:
        say(f"manage.py {' '.join(step)}")
        manage(env, *step, "--verbosity", "0")


def wrk_command() -> str | None:
    """wrk, installed from Debian when missing (we may be root); None if impossible."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing wrk (apt-get install -y wrk)")
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"],
            capture_output=True,
            timeout=180,
            check=False,
        )
    return shutil.which("wrk")


def load_average() -> str:
    """The one-minute load average: other work on the machine skews every figure."""
    return Path("/proc/loadavg").read_text().split()[0]


def say(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- pages


@dataclass
class Pages:
    """The addresses of every public page type (tests/pages.py), for the seed goal and the
    large goal, and the two goal pages that are loaded."""

    seed: dict[str, str]
    large: dict[str, str]

    @property
    def seed_goal(self) -> str:
        return self.seed["goal"]

    @property
    def large_goal(self) -> str:
        return self.large["goal"]


def find_pages() -> Pages:
    """The seed's pages, and those of the large goal with its last assignment; the body is
    Kommunstyrelsen in both (it answers for every large-goal assignment of all committees)."""
    from goals.models import Goal
    from tests.factories import seed_portal
    from tests.pages import Portal, public_pages

    large = Goal.objects.select_related("plan").get(plan__code__startswith="stor-", number=1)
    seed = seed_portal()
    large_portal = Portal(large.plan, large, large.assignments.get(number=200), seed.body)
    return Pages(seed=public_pages(seed), large=public_pages(large_portal))


def query_pages(pages: Pages) -> list[tuple[str, str, dict[str, str]]]:
    """(name, address, request headers) of every page whose queries are counted: each page
    type of the seed and of the large goal (once where both have the same address), and the
    large goal's htmx fragment."""
    seed, large = set(pages.seed.values()), set(pages.large.values())
    urls = [
        (name if url in large else f"{name} (seed)", url, {}) for name, url in pages.seed.items()
    ]
    urls += [(f"{name} (large)", url, {}) for name, url in pages.large.items() if url not in seed]
    htmx = ("goal, htmx fragment (large)", pages.large["goal filtered"], {"HX-Request": "true"})
    return [*urls, htmx]


def count_queries(pages: Pages) -> list[tuple[str, str, int]]:
    """SQL queries of every public page, uncached, through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", headers=BYPASS)
    counts = []
    for name, url, headers in query_pages(pages):
        client.get(url, headers=headers)  # warm up
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        kind = "json" if response["Content-Type"].startswith("application/json") else "html"
        counts.append((name, kind, len(queries)))
    return counts


def page_weight(port: int, path: str) -> list[tuple[str, int, str]]:
    """(what, bytes transferred, encoding) of a page and the CSS and JS it loads, as a
    browser gets them (`Accept-Encoding: gzip, br`)."""
    page = fetch(port, path, headers=ACCEPT_COMPRESSED)
    encoding = page.headers.get("Content-Encoding", "none")
    plain = fetch(port, path)
    rows = [(f"HTML ({len(plain.body)} bytes plain)", len(page.body), encoding)]
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', plain.text)
    for asset in assets:
        reply = fetch(port, asset, headers=ACCEPT_COMPRESSED)
        if reply.status != 200:
            raise RuntimeError(f"{asset} answered {reply.status}")
        rows.append((asset, len(reply.body), reply.headers.get("Content-Encoding", "none")))
    return rows


def static_file(port: int, goal: str) -> str:
    """The stylesheet the goal page links (hashed name, as in production)."""
    return re.search(r'<link[^>]+href="(/static/[^"]+\.css)"', fetch(port, goal).text).group(1)


# --------------------------------------------------------------------------- load


def run_load(wrk: str | None, url: str, seconds: int, connections: int, headers=None) -> Load:
    if wrk is None:
        return python_load(url, seconds, connections, headers or {})
    command = [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    command += ["--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> Load:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    p99 = re.search(r"^\s*99%\s+(\S+)", output, re.M)
    return Load(rate, requests, errors, p99.group(1) if p99 else "?")


def python_load(url: str, seconds: int, connections: int, headers: dict) -> Load:
    """A fallback load generator: keep-alive connections in threads (slower than wrk)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.monotonic() + seconds
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        ok = errors = 0
        while time.monotonic() < deadline:
            try:
                connection.request("GET", parts.path or "/", headers=headers)
                response = connection.getresponse()
                response.read()
                ok, errors = (ok + 1, errors) if response.status < 300 else (ok, errors + 1)
            except OSError:
                errors += 1
                connection.close()
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 15)
    total = counts["ok"] + counts["errors"]
    return Load(total / seconds, total, counts["errors"])


def measure_rates(wrk, server: Server, pages: Pages, results: Results) -> None:
    """The load table: the static file and the cached pages compared in interleaved rounds,
    then the rest."""
    css = static_file(server.port, pages.seed_goal)
    results.static_encoding = fetch(server.port, css, headers=ACCEPT_COMPRESSED).headers.get(
        "Content-Encoding", "none"
    )
    compared = [
        (STATIC, css, ACCEPT_COMPRESSED),
        (SEED_CACHED, pages.seed_goal, ACCEPT_COMPRESSED),
        (LARGE_CACHED, pages.large_goal, ACCEPT_COMPRESSED),
    ]
    runs: dict[str, list[Load]] = {name: [] for name, _, _ in compared}
    for round_ in range(1, COMPARED_ROUNDS + 1):
        say(f"load, round {round_} of {COMPARED_ROUNDS}: the static file and the cached pages")
        for name, path, headers in compared:
            fetch(server.port, path, headers=headers)  # fills the cache
            url = f"http://127.0.0.1:{server.port}{path}"
            runs[name].append(run_load(wrk, url, COMPARED_SECONDS, RATE_CONNECTIONS, headers))
    for name, loads in runs.items():
        loads.sort(key=lambda load: load.requests_per_second)
        results.rates[name] = loads[len(loads) // 2]
    uncached = BYPASS | ACCEPT_COMPRESSED
    scenarios = [
        (SEED_CACHED_PLAIN, pages.seed_goal, {}),
        (TRIVIAL, PING_PATH, {}),
        (SEED_UNCACHED, pages.seed_goal, uncached),
        (LARGE_UNCACHED, pages.large_goal, uncached),
    ]
    run_scenarios(wrk, server, scenarios, results)


def measure_pool(wrk, server: Server, pages: Pages, results: Results) -> None:
    """The uncached pages again, on a server whose workers use PostgreSQL's pool."""
    uncached = BYPASS | ACCEPT_COMPRESSED
    scenarios = [
        (SEED_UNCACHED + POOLED, pages.seed_goal, uncached),
        (LARGE_UNCACHED + POOLED, pages.large_goal, uncached),
    ]
    run_scenarios(wrk, server, scenarios, results)


def run_scenarios(wrk, server: Server, scenarios, results: Results) -> None:
    base = f"http://127.0.0.1:{server.port}"
    for name, path, headers in scenarios:
        say(f"load: {name} ({RATE_SECONDS} s, {RATE_CONNECTIONS} connections)")
        fetch(server.port, path, headers=headers)  # fills the cache for the cached runs
        results.rates[name] = run_load(wrk, base + path, RATE_SECONDS, RATE_CONNECTIONS, headers)
        server.wait_until_idle()  # slow pages stay queued after wrk has stopped


# --------------------------------------------------------------------------- Lighthouse


def run_lighthouse(url: str) -> Lighthouse:
    """Lighthouse's mobile performance audit of `url` (its defaults: a mid-range phone on
    a slow 4G connection, simulated), LIGHTHOUSE_RUNS times with Debian's Chromium."""
    if not LIGHTHOUSE.exists():
        return Lighthouse(skipped=f"{LIGHTHOUSE.relative_to(ROOT)} is missing (npm ci needs npm)")
    if not Path(CHROME).exists():
        return Lighthouse(skipped=f"no Chromium at {CHROME} (set CHROME_PATH)")
    reports = []
    for run in range(1, LIGHTHOUSE_RUNS + 1):
        say(f"Lighthouse, mobile, run {run} of {LIGHTHOUSE_RUNS}")
        with tempfile.TemporaryDirectory(prefix="uppfoljning-lighthouse-") as folder:
            output = Path(folder) / "report.json"
            command = [
                str(LIGHTHOUSE), url,
                "--only-categories=performance",
                "--output=json", f"--output-path={output}",
                "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
                "--quiet",
            ]  # fmt: skip
            env = os.environ | {"CHROME_PATH": CHROME, "HOME": folder}
            try:
                done = subprocess.run(
                    command, env=env, capture_output=True, text=True, timeout=240, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as error:
                return Lighthouse(skipped=f"Lighthouse could not run: {error}")
            if done.returncode != 0 or not output.exists():
                reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no report"]
                return Lighthouse(skipped=f"Lighthouse failed ({done.returncode}): {reason[0]}")
            report = json.loads(output.read_text())
        if report.get("runtimeError"):
            return Lighthouse(skipped=f"Lighthouse: {report['runtimeError'].get('message')}")
        score = report["categories"]["performance"]["score"]
        if score is None:
            return Lighthouse(skipped="Lighthouse gave no performance score")
        reports.append(report)
    reports.sort(key=lambda r: r["categories"]["performance"]["score"])
    median = reports[len(reports) // 2]
    audits = median["audits"]
    return Lighthouse(
        score=round(median["categories"]["performance"]["score"] * 100),
        first_contentful_paint_ms=audits["first-contentful-paint"]["numericValue"],
        largest_contentful_paint_ms=audits["largest-contentful-paint"]["numericValue"],
        total_blocking_time_ms=audits["total-blocking-time"]["numericValue"],
        scores=[round(r["categories"]["performance"]["score"] * 100) for r in reports],
    )


# --------------------------------------------------------------------------- render


def measure_render_times(results: Results) -> None:
    """bench/render.py's uncached render times: (page, median ms, target ms)."""
    # CALL SITE for bench/render.py (its own database, its own process): measure_render()
    # returns [(name, median_ms, target_ms), ...]; each row is a target here.
    try:
        from bench.render import measure_render
    except ModuleNotFoundError as error:
        if error.name != "bench.render":
            raise
        results.render_skipped = "bench/render.py is not there"
        return
    say("uncached render times (bench/render.py)")
    results.render = measure_render()


# --------------------------------------------------------------------------- report


def report(results: Results) -> bool:
    """Print the table and the targets; True when every target passes."""
    static = results.rates[STATIC].requests_per_second
    print(
        f"\nUppföljning bench: gunicorn {WORKERS} workers × {THREADS} threads, "
        f"{os.cpu_count()} CPUs, DEBUG off, database {results.database}, "
        f"page cache {results.cache}; load average before/after: {results.load_average}\n"
        f"Every load asks for compression (Accept-Encoding: gzip, br) except the plain one; "
        f"the static file is served {results.static_encoding}. The static file and the two "
        f"cached pages: the median of {COMPARED_ROUNDS} interleaved runs of "
        f"{COMPARED_SECONDS} s each.\n"
    )
    header = f"load ({RATE_SECONDS} s, {RATE_CONNECTIONS} connections)"
    print(f"{header:<44}{'req/s':>8}{'vs static':>11}{'p99':>10}{'errors':>8}")
    for name, load in results.rates.items():
        share = load.requests_per_second / static
        rate = load.requests_per_second
        print(f"{name:<44}{rate:>8.0f}{share:>10.0%}{load.latency_p99:>10}{load.errors:>8}")
    print(f"\n{'SQL queries per page (uncached)':<62}{'queries':>8}")
    for name, kind, count in results.queries:
        print(f"{name + ' [' + kind + ']':<62}{count:>8}")
    for page, rows in results.weights.items():
        print(f"\n{'transferred for ' + page:<62}{'bytes':>8}  encoding")
        for what, size, encoding in rows:
            print(f"{what[:60]:<62}{size:>8}  {encoding}")
        print(f"{'total':<62}{sum(size for _, size, _ in rows):>8}")
    peaks = ", ".join(f"{kib / 1024:.0f} MiB" for kib in results.memory_kib)
    print(f"\npeak memory (VmHWM) of the gunicorn workers: {peaks}")
    robust = results.robustness
    print(
        f"robustness: {ROBUST_SECONDS} s at {ROBUST_CONNECTIONS} connections on the seed goal "
        f"page: {robust.requests} requests, {robust.requests_per_second:.0f} req/s, "
        f"p99 {robust.latency_p99}, {robust.errors} errors"
    )
    lighthouse = results.lighthouse
    if lighthouse and lighthouse.score is not None:
        print(
            f"Lighthouse (mobile, simulated slow 4G) on the large goal page: performance "
            f"{lighthouse.score} (runs: {', '.join(map(str, lighthouse.scores))}), first "
            f"contentful paint {lighthouse.first_contentful_paint_ms / 1000:.2f} s, largest "
            f"{lighthouse.largest_contentful_paint_ms / 1000:.2f} s, total blocking time "
            f"{lighthouse.total_blocking_time_ms:.0f} ms"
        )
    return print_targets(results, static)


def print_targets(results: Results, static: float) -> bool:
    """Every target with PASS, FAIL or SKIP (a SKIP fails nothing); True when none fails."""
    rate = {name: load.requests_per_second for name, load in results.rates.items()}
    most_queries = max(count for _, _, count in results.queries)
    served = sum(size for _, size, _ in results.weights["the seed goal page"])
    errors = results.robustness.errors
    checks: list[tuple[str, bool | None]] = [
        (
            f"compressed cached seed goal page at {rate[SEED_CACHED] / static:.0%} of the "
            f"static file's rate (>= {TARGET_SEED_CACHED_SHARE:.0%})",
            rate[SEED_CACHED] >= TARGET_SEED_CACHED_SHARE * static,
        ),
        (
            f"compressed cached large goal page at {rate[LARGE_CACHED] / static:.0%} of the "
            f"static file's rate (>= {TARGET_LARGE_CACHED_SHARE:.0%})",
            rate[LARGE_CACHED] >= TARGET_LARGE_CACHED_SHARE * static,
        ),
        (
            f"seed goal page with its CSS and JS, compressed: {served / 1024:.1f} KB "
            f"(<= {TARGET_PAGE_BYTES // 1024} KB)",
            served <= TARGET_PAGE_BYTES,
        ),
        (
            f"at most {most_queries} SQL queries on any public page (<= {TARGET_MAX_QUERIES})",
            most_queries <= TARGET_MAX_QUERIES,
        ),
        (f"robustness run: {errors} errors (0)", errors == 0),
    ]
    if results.render is None:
        checks.append((f"uncached render times: {results.render_skipped}", None))
    for name, median_ms, target_ms in results.render or []:
        checks.append(
            (f"uncached render, {name}: median {median_ms:.1f} ms (<= {target_ms:g} ms)",
             median_ms <= target_ms)
        )  # fmt: skip
    lighthouse = results.lighthouse
    if lighthouse is None or lighthouse.score is None:
        reason = lighthouse.skipped if lighthouse else "not run"
        checks.append((f"Lighthouse mobile performance of the large goal page: {reason}", None))
    else:
        checks.append(
            (
                f"Lighthouse mobile performance of the large goal page: {lighthouse.score} "
                f"(first contentful paint {lighthouse.first_contentful_paint_ms / 1000:.2f} s; "
                f"target {TARGET_LIGHTHOUSE})",
                lighthouse.score >= TARGET_LIGHTHOUSE,
            )
        )
    print("\ntargets")
    for text, passed in checks:
        print(f"  {'SKIP' if passed is None else 'PASS' if passed else 'FAIL'}  {text}")
    print("\nmeasured (no target): PostgreSQL's connection pool against persistent connections")
    for page in (SEED_UNCACHED, LARGE_UNCACHED):
        pooled = results.rates.get(page + POOLED)
        if pooled is None:
            print(f"  SKIP  {page}: the pool needs PostgreSQL")
            continue
        kept, pool = rate[page], pooled.requests_per_second
        print(
            f"  {page}: {kept:.0f} req/s with CONN_MAX_AGE, {pool:.0f} req/s with DB_POOL=1 "
            f"({pool / kept - 1:+.0%})"
        )
    return all(passed is not False for _, passed in checks)


# --------------------------------------------------------------------------- main


def benchmark(folder: Path, results: Results) -> bool:
    database = choose_database(folder)
    cache_env = choose_cache(folder)
    results.database = database.engine
    results.cache = "Redis" if "REDIS_URL" in cache_env else "files"
    env = portal_env(database.url, BENCH_STATIC_ROOT=str(folder / "static"), **cache_env)
    env |= SERVER_ENV
    database.create()
    try:
        prepare(env)
        os.environ.update(env)
        import django

        django.setup()
        pages = find_pages()
        say("counting SQL queries")
        results.queries = count_queries(pages)
        close_connections()  # the servers get the database to themselves
        wrk = wrk_command()
        say(f"gunicorn with {WORKERS} workers; load from {'wrk' if wrk else 'Python threads'}")
        with Server(env, workers=WORKERS, threads=THREADS) as server:
            results.weights["the seed goal page"] = page_weight(server.port, pages.seed_goal)
            results.weights["the large goal page"] = page_weight(server.port, pages.large_goal)
            before = load_average()
            measure_rates(wrk, server, pages, results)
            say(f"robustness: {ROBUST_SECONDS} s at {ROBUST_CONNECTIONS} connections")
            url = f"http://127.0.0.1:{server.port}{pages.seed_goal}"
            results.robustness = run_load(
                wrk, url, ROBUST_SECONDS, ROBUST_CONNECTIONS, ACCEPT_COMPRESSED
            )
            results.memory_kib = server.peak_memory_kib()
            results.load_average = f"{before} / {load_average()}"
            server.wait_until_idle()
            results.lighthouse = run_lighthouse(server.url(pages.large_goal))
        if database.postgres_url:
            say("gunicorn again, with PostgreSQL's connection pool (DB_POOL=1)")
            with Server(env | POOL_ENV, workers=WORKERS, threads=THREADS) as server:
                measure_pool(wrk, server, pages, results)
    finally:
        close_connections()
        database.drop()
        if "CACHE_KEY_PREFIX" in cache_env:
            delete_redis_keys(cache_env["CACHE_KEY_PREFIX"])
    measure_render_times(results)
    return report(results)


def close_connections() -> None:
    """Close this process's database connections, if Django was set up at all."""
    from django.apps import apps

    if apps.ready:
        from django.db import connections

        connections.close_all()


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="uppfoljning-bench-") as folder:
        passed = benchmark(Path(folder), Results())
    from bench.exports import run_exports_bench  # it builds on this module's helpers

    passed = run_exports_bench() and passed
    print(f"\n(bench took {time.monotonic() - started:.0f} s)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
