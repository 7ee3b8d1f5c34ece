"""make bench: the portal served as in production, measured, and checked against targets.

    .venv/bin/python -m bench.run

Sets up a temporary portal (PostgreSQL when reachable, else SQLite; Redis as the page cache
when reachable, else the cache folder), seeds it with the example goal plus a large
generated goal (200 assignments, 12 periods), collects the static files compressed and
with hashed names, and serves it with gunicorn, DEBUG off. Then it measures with wrk, only
against 127.0.0.1, and prints one table: requests per second of a static file, a trivial
Django view and the goal pages cached and uncached; the SQL queries of every public page
type (tests/pages.py);
the bytes a visitor downloads for the goal page; the workers' peak memory; and a 30-second
robustness run at 32 connections. Everything temporary is removed at the end.

The servers, their settings and the list of public page types are the tests' (tests/live/,
tests/pages.py); this package only measures. Exits with 1 when a target fails.
"""

from __future__ import annotations

import gzip
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
# BENCH_THREADS (> 1: gthread workers) try others.
WORKERS = int(os.getenv("BENCH_WORKERS", "3"))
THREADS = int(os.getenv("BENCH_THREADS", "1"))
RATE_SECONDS, RATE_CONNECTIONS = 8, 16
ROBUST_SECONDS, ROBUST_CONNECTIONS = 30, 32
BYPASS = {BYPASS_CACHE_HEADER: "1"}
ACCEPT_COMPRESSED = {"Accept-Encoding": "gzip, br"}

TARGET_CACHED_SHARE = 0.5
TARGET_MAX_QUERIES = 10
TARGET_PAGE_BYTES = 60 * 1024


@dataclass
class Load:
    """What one load run measured."""

    requests_per_second: float
    requests: int
    errors: int  # non-2xx answers plus socket errors
    latency_p99: str = "?"


@dataclass
class Results:
    database: str = ""
    cache: str = ""
    rates: dict[str, Load] = field(default_factory=dict)
    queries: list[tuple[str, str, int]] = field(default_factory=list)  # name, kind, count
    weights: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)
    memory_kib: list[int] = field(default_factory=list)
    robustness: Load | None = None
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


def prepare(env: dict[str, str]) -> None:
    """Migrate, seed, add the large goal and collect the static files."""
    steps = [
        ("migrate", "--noinput"),
        ("import_plan", str(SEED)),
        ("generate_data", "--large-goal", "--code", "stor", "--seed", "1"),
        ("collectstatic", "--noinput"),
    ]
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
    """(what, bytes transferred, encoding) of a page and the CSS and JS it loads."""
    page = fetch(port, path, headers=ACCEPT_COMPRESSED)
    rows = [("HTML as served", len(page.body), page.headers.get("Content-Encoding", "none"))]
    rows.append(("HTML gzip-compressed (by a proxy)", len(gzip.compress(page.body)), "gzip"))
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', page.text)
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
    base = f"http://127.0.0.1:{server.port}"
    scenarios = [
        ("static file (CSS, gzip)", static_file(server.port, pages.seed_goal), ACCEPT_COMPRESSED),
        ("trivial Django view", PING_PATH, {}),
        ("seed goal page, cached", pages.seed_goal, {}),
        ("seed goal page, uncached", pages.seed_goal, BYPASS),
        ("large goal page, cached", pages.large_goal, {}),
        ("large goal page, uncached", pages.large_goal, BYPASS),
    ]
    for name, path, headers in scenarios:
        say(f"load: {name} ({RATE_SECONDS} s, {RATE_CONNECTIONS} connections)")
        fetch(server.port, path, headers=headers)  # fills the cache for the cached runs
        results.rates[name] = run_load(wrk, base + path, RATE_SECONDS, RATE_CONNECTIONS, headers)
        server.wait_until_idle()  # slow pages stay queued after wrk has stopped


# --------------------------------------------------------------------------- report


def report(results: Results) -> bool:
    """Print the table and the targets; True when every target passes."""
    static = results.rates["static file (CSS, gzip)"].requests_per_second
    print(
        f"\nUppföljning bench: gunicorn {WORKERS} workers × {THREADS} threads, "
        f"{os.cpu_count()} CPUs, DEBUG off, database {results.database}, "
        f"page cache {results.cache}; load average before/after: {results.load_average}\n"
    )
    header = f"load ({RATE_SECONDS} s, {RATE_CONNECTIONS} connections)"
    print(f"{header:<34}{'req/s':>10}{'vs static':>11}{'p99':>10}{'errors':>8}")
    for name, load in results.rates.items():
        share = load.requests_per_second / static
        rate = load.requests_per_second
        print(f"{name:<34}{rate:>10.0f}{share:>10.0%}{load.latency_p99:>10}{load.errors:>8}")
    print(f"\n{'SQL queries per page (uncached)':<62}{'queries':>8}")
    for name, kind, count in results.queries:
        print(f"{name + ' [' + kind + ']':<62}{count:>8}")
    for page, rows in results.weights.items():
        print(f"\n{'transferred for ' + page:<62}{'bytes':>8}  encoding")
        for what, size, encoding in rows:
            print(f"{what[:60]:<62}{size:>8}  {encoding}")
    peaks = ", ".join(f"{kib / 1024:.0f} MiB" for kib in results.memory_kib)
    print(f"\npeak memory (VmHWM) of the gunicorn workers: {peaks}")
    robust = results.robustness
    print(
        f"robustness: {ROBUST_SECONDS} s at {ROBUST_CONNECTIONS} connections on the seed goal "
        f"page: {robust.requests} requests, {robust.requests_per_second:.0f} req/s, "
        f"p99 {robust.latency_p99}, {robust.errors} errors"
    )
    return print_targets(results, static)


def print_targets(results: Results, static: float) -> bool:
    cached = results.rates["seed goal page, cached"].requests_per_second
    most_queries = max(count for _, _, count in results.queries)
    rows = results.weights["the seed goal page"]
    served = sum(size for what, size, _ in rows if not what.startswith("HTML gzip"))
    errors = results.robustness.errors
    checks = [
        (
            f"cached goal page at {cached / static:.0%} of the static-file rate (>= 50%)",
            cached >= TARGET_CACHED_SHARE * static,
        ),
        (
            f"at most {most_queries} SQL queries on any public page (<= 10)",
            most_queries <= TARGET_MAX_QUERIES,
        ),
        (
            f"seed goal page, HTML as served + CSS + JS: {served / 1024:.1f} KB (< 60 KB)",
            served < TARGET_PAGE_BYTES,
        ),
        (f"robustness run: {errors} errors (0)", errors == 0),
    ]
    print("\ntargets")
    for text, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return all(passed for _, passed in checks)


# --------------------------------------------------------------------------- main


def benchmark(folder: Path, results: Results) -> bool:
    database = choose_database(folder)
    cache_env = choose_cache(folder)
    results.database = database.engine
    results.cache = "Redis" if "REDIS_URL" in cache_env else "files"
    env = portal_env(database.url, BENCH_STATIC_ROOT=str(folder / "static"), **cache_env)
    database.create()
    try:
        prepare(env)
        os.environ.update(env)
        import django

        django.setup()
        pages = find_pages()
        say("counting SQL queries")
        results.queries = count_queries(pages)
        wrk = wrk_command()
        say(f"gunicorn with {WORKERS} workers; load from {'wrk' if wrk else 'Python threads'}")
        with Server(env, workers=WORKERS, threads=THREADS) as server:
            results.weights["the seed goal page"] = page_weight(server.port, pages.seed_goal)
            results.weights["the large goal page"] = page_weight(server.port, pages.large_goal)
            before = load_average()
            measure_rates(wrk, server, pages, results)
            say(f"robustness: {ROBUST_SECONDS} s at {ROBUST_CONNECTIONS} connections")
            url = f"http://127.0.0.1:{server.port}{pages.seed_goal}"
            results.robustness = run_load(wrk, url, ROBUST_SECONDS, ROBUST_CONNECTIONS)
            results.memory_kib = server.peak_memory_kib()
            results.load_average = f"{before} / {load_average()}"
        return report(results)
    finally:
        close_connections()
        database.drop()
        if "CACHE_KEY_PREFIX" in cache_env:
            delete_redis_keys(cache_env["CACHE_KEY_PREFIX"])


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
    print(f"\n(bench took {time.monotonic() - started:.0f} s)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
