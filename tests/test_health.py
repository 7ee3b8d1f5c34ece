"""Running the portal on app servers: the health endpoint for the load balancer, gunicorn's
configuration (gunicorn.conf.py) and the PostgreSQL connection pool."""

import json
import re
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from tests.factories import SEED_FILE
from tests.live.servers import (
    GUNICORN_CONFIG,
    ROOT,
    Server,
    TemporaryDatabase,
    fetch,
    manage,
    portal_env,
    postgres_server_url,
)
from tests.test_database_down import database_down
from tests.test_project import run_settings

HEALTHY = {"status": "ok", "database": "ok", "cache": "ok"}


def health(client, method="get", **kwargs):
    response = getattr(client, method)("/health/", **kwargs)
    return response, (json.loads(response.content) if response.content else None)


# --------------------------------------------------------------------------- /health/


def test_it_reports_healthy_when_the_database_and_the_cache_answer(client, db):
    response, body = health(client)
    assert response.status_code == 200
    assert body == HEALTHY
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {}
    assert "Set-Cookie" not in response


def test_it_is_never_cached(client, seed, page_cache, settings):
    settings.CDN_MAX_AGE = 60
    for _ in range(3):
        response, body = health(client, headers={"Accept-Encoding": "gzip, br"})
        assert body == HEALTHY
        assert "X-Page-Cache" not in response
        assert "Content-Encoding" not in response
        assert "s-maxage" not in response["Cache-Control"]
    with database_down():  # what it said before is never served again
        assert health(client)[0].status_code == 503


def test_it_answers_head_and_refuses_other_methods_without_a_csrf_failure(db):
    client = Client(enforce_csrf_checks=True)
    head = client.head("/health/")
    assert head.status_code == 200
    for method in ("post", "put", "delete"):
        response = getattr(client, method)("/health/")
        assert response.status_code == 405, method  # not CSRF's 403
        assert response["Allow"] == "GET, HEAD"


def test_it_reports_503_naming_the_database_when_it_is_down(client, db):
    with database_down():
        response, body = health(client)
    assert response.status_code == 503
    assert body == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "could not connect" not in response.content.decode()  # logged, not shown
    assert health(client)[1] == HEALTHY  # and well again once it is back


def test_it_reports_503_naming_the_cache_when_it_is_down(client, db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache server is down")

    monkeypatch.setattr(cache, "set", unreachable)
    response, body = health(client)
    assert response.status_code == 503
    assert body == {"status": "unavailable", "database": "ok", "cache": "unavailable"}


def test_it_reports_a_cache_that_keeps_nothing(client, db, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response, body = health(client)
    assert response.status_code == 503
    assert body["cache"] == "unavailable"


def test_it_names_both_when_both_are_down(client, db, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    with database_down():
        response, body = health(client)
    assert response.status_code == 503
    assert body == {"status": "unavailable", "database": "unavailable", "cache": "unavailable"}


@override_settings(SECURE_SSL_REDIRECT=True)
def test_it_answers_the_load_balancer_over_plain_http(client, db):
    assert client.get("/health/").status_code == 200  # no redirect to HTTPS
    assert client.get("/ansvariga/").status_code == 301  # every other page is redirected


# --------------------------------------------------------------------------- gunicorn


def gunicorn_config(env: dict[str, str]) -> dict[str, str]:
    """The settings gunicorn reads from gunicorn.conf.py with `env`, as printed."""
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG), "--print-config"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 50, **env},  # it loads the portal
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.M))


def test_it_configures_gunicorn_for_production():
    config = gunicorn_config({})
    cpus = len(__import__("os").sched_getaffinity(0))
    assert config["wsgi_app"] == "uppfoljning.wsgi:application"
    assert config["workers"] == str(2 * cpus + 1)
    assert config["worker_class"] == "sync"
    assert config["timeout"] == "30"
    assert config["graceful_timeout"] == "20"
    assert config["max_requests"] == "10000"
    assert config["max_requests_jitter"] == "1000"
    assert config["preload_app"] == "True"
    assert config["accesslog"] == "-"
    assert config["forwarded_allow_ips"] == "['127.0.0.1', '::1']"
    assert config["bind"] == "['127.0.0.1:8000']"


def test_it_lets_the_environment_change_gunicorns_configuration():
    config = gunicorn_config(
        {
            "WEB_CONCURRENCY": "7",
            "GUNICORN_THREADS": "4",
            "GUNICORN_BIND": "0.0.0.0:8080",
            "FORWARDED_ALLOW_IPS": "10.0.0.5,10.0.0.6",
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_TIMEOUT": "60",
        }
    )
    assert config["workers"] == "7"
    assert config["threads"] == "4"
    assert config["worker_class"] == "gthread"
    assert config["bind"] == "['0.0.0.0:8080']"
    assert config["forwarded_allow_ips"] == "['10.0.0.5', '10.0.0.6']"
    assert config["max_requests"] == "0"
    assert config["accesslog"] == "None"
    assert config["timeout"] == "60"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A seeded database of its own for real server processes (see test_pagecache.py)."""
    folder = tmp_path_factory.mktemp("health")
    database = TemporaryDatabase(folder, postgres_server_url(), prefix="uppf_health")
    env = portal_env(database.url, CACHE_DIR=str(folder / "cache"))
    database.create()
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "import_plan", str(SEED_FILE))
        yield {"env": env, "folder": folder, "database": database}
    finally:
        database.drop()


def test_it_serves_health_and_logs_each_request_with_gunicorns_configuration(served):
    log = served["folder"] / "gunicorn.log"
    with log.open("w") as output, Server(served["env"], log=output) as server:
        reply = fetch(server.port, "/health/", headers={"X-Forwarded-For": "203.0.113.9"})
        assert reply.status == 200
        assert json.loads(reply.body) == HEALTHY
        assert "no-store" in reply.headers["Cache-Control"]
        assert reply.headers.get("Set-Cookie") is None
        goal = re.search(r'href="(/plan/[^"]+/mal/5-[^"/]+/)"', fetch(server.port, "/").text)[1]
        for _ in range(2):
            fetch(server.port, goal)
        assert fetch(server.port, "/health/", method="HEAD").status == 200
    lines = log.read_text().splitlines()
    # One access-log line a request: address, forwarded-for, request, status, bytes, time, cache.
    health_line = r'127\.0\.0\.1 "203\.0\.113\.9" "GET /health/ HTTP/1\.1" 200 \d+ \d+ms cache=-$'
    assert any(re.search(health_line, line) for line in lines), lines
    page_line = f'"GET {goal} HTTP/1.1" 200 '
    assert any(page_line in line and line.endswith("cache=hit") for line in lines), lines


# --------------------------------------------------------------------------- the pool


def test_it_pools_postgresql_connections_when_told_to():
    url = "postgres://portal@db.example:5432/uppfoljning"
    base = {"SECRET_KEY": "x" * 50, "DATABASE_URL": url}
    show = "settings.DATABASES['default']['CONN_MAX_AGE'], settings.DATABASES['default']['OPTIONS']"
    pooled = run_settings(
        {**base, "DB_POOL": "1", "DB_POOL_MAX_SIZE": "8", "DB_POOL_TIMEOUT": "2"}, show
    )
    assert pooled.returncode == 0, pooled.stderr
    assert pooled.stdout.strip() == (
        "0 {'pool': {'min_size': 1, 'max_size': 8, 'timeout': 2.0}}"
    )
    kept = run_settings(base, show)
    assert kept.stdout.strip() == "60 {}"  # persistent connections, no pool (the default)
    sqlite = run_settings({"SECRET_KEY": "x" * 50, "DB_POOL": "1"})
    assert sqlite.returncode != 0
    assert "DB_POOL=1 needs PostgreSQL" in sqlite.stderr


@pytest.mark.skipif(postgres_server_url() is None, reason="needs DATABASE_URL=postgres://…")
def test_it_serves_with_the_pool_and_reports_and_survives_an_outage(served):
    env = served["env"] | {"DB_POOL": "1", "DB_POOL_TIMEOUT": "1"}
    database = served["database"]
    with Server(env, workers=2) as server:
        goal = re.search(r'href="(/plan/[^"]+/mal/5-[^"/]+/)"', fetch(server.port, "/").text)[1]
        assert fetch(server.port, goal).status == 200
        assert json.loads(fetch(server.port, "/health/").body) == HEALTHY
        database.take_away()
        try:
            down = fetch(server.port, "/health/")
            assert down.status == 503
            assert json.loads(down.body)["database"] == "unavailable"
            cached = fetch(server.port, goal)
            assert cached.status == 200
            assert cached.headers["X-Page-Cache"] == "hit"
            assert fetch(server.port, "/ansvariga/").status == 503
        finally:
            database.bring_back()
        # Each worker's pool reconnects after a pause that grows with the outage (1, 2, 4...
        # s), each on its own schedule: wait until both workers answer (several requests
        # in a row succeed), within the same 30 s.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if all(fetch(server.port, "/health/").status == 200 for _ in range(6)):
                break
            time.sleep(0.5)
        for _ in range(4):
            assert json.loads(fetch(server.port, "/health/").body) == HEALTHY
            assert fetch(server.port, "/ansvariga/").status == 200
