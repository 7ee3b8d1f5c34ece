"""The database cannot be reached: cached pages still serve, the rest answer a Swedish 503.

The first test breaks the database connection inside this process (every query fails as
the driver fails when its server is gone). The second, on PostgreSQL only, runs a real
server process and takes its database away under it, then brings it back.
"""

import contextlib
import re

import pytest
from django.db import connections

from goals.models import Goal
from tests.factories import SEED_FILE
from tests.live.servers import (
    Server,
    TemporaryDatabase,
    fetch,
    manage,
    portal_env,
    postgres_server_url,
)
from uppfoljning import unavailable

HEADLINE = "Sidan kan inte visas just nu"




@contextlib.contextmanager
def database_down():
    """Every new query fails inside the block, as the driver fails when its server is gone."""
    connection = connections["default"]

    def unreachable(*args, **kwargs):
        raise connection.Database.OperationalError("could not connect to server")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "create_cursor", unreachable)
        yield


def assert_unavailable_page(status: int, retry_after: str | None, html: str) -> None:
    assert status == 503
    assert retry_after is not None and int(retry_after) > 0
    assert HEADLINE in html
    assert '<html lang="sv">' in html
    for leak in ("Traceback", "OperationalError", "could not connect", "does not exist"):
        assert leak not in html


def test_it_serves_cached_pages_and_a_swedish_503_while_the_database_is_down(
    client, admin_client, seed, page_cache
):
    goal_url = Goal.objects.get(number=5).get_absolute_url()
    cached = client.get(goal_url)
    assert cached.status_code == 200

    with database_down():
        during = client.get(goal_url)
        assert during.status_code == 200
        assert during.content == cached.content
        for response in (client.get("/ansvariga/"), admin_client.get("/admin/")):
            assert_unavailable_page(
                response.status_code, response.get("Retry-After"), response.content.decode()
            )

    back = client.get("/ansvariga/")
    assert back.status_code == 200
    assert "Kommunstyrelsen" in back.content.decode()


def test_it_answers_503_also_with_the_page_cache_off(client, admin_client, seed, settings):
    settings.PAGE_CACHE_SECONDS = 0
    goal_url = Goal.objects.get(number=5).get_absolute_url()
    with database_down():
        for response in (client.get(goal_url), admin_client.get("/admin/")):
            assert_unavailable_page(
                response.status_code, response.get("Retry-After"), response.content.decode()
            )


def test_it_answers_503_in_plain_text_if_even_its_page_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template gone")

    monkeypatch.setattr(unavailable, "render_to_string", broken)
    response = unavailable.database_unavailable_response()
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert html and "template gone" not in html and "Traceback" not in html


@pytest.mark.skipif(postgres_server_url() is None, reason="needs DATABASE_URL=postgres://…")
def test_it_recovers_by_itself_when_a_real_database_comes_back(tmp_path):
    database = TemporaryDatabase(tmp_path, postgres_server_url(), prefix="uppf_outage")
    env = portal_env(database.url, CACHE_DIR=str(tmp_path / "cache"))
    database.create()
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "import_plan", str(SEED_FILE))
        with Server(env) as server:
            goal = seed_goal_path(server.port)
            assert fetch(server.port, goal).status == 200
            database.take_away()
            try:
                during = fetch(server.port, goal)
                assert during.status == 200
                assert during.headers["X-Page-Cache"] == "hit"
                down = fetch(server.port, "/ansvariga/")
                assert_unavailable_page(down.status, down.headers["Retry-After"], down.text)
            finally:
                database.bring_back()
            back = fetch(server.port, "/ansvariga/")
            assert back.status == 200
            assert "Kommunstyrelsen" in back.text
    finally:
        database.drop()


def seed_goal_path(port: int) -> str:
    home = fetch(port, "/").text
    return re.search(r'href="(/plan/[^"]+/mal/5-[^"/]+/)"', home).group(1)
