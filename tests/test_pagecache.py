"""The page cache: citizens get cached pages, and never a stale one after a save.

The first tests use the test client in this process; the last ones run two real gunicorn
processes that share one database and one cache (files, then Redis), as production does.
"""

import json
import re
import secrets
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache, caches
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from assignments.models import Assessment, ResponsibleBody
from goals.models import Goal
from tests.factories import SEED_FILE, make_assignment
from tests.live.servers import (
    REDIS_URL,
    Browser,
    Server,
    TemporaryDatabase,
    delete_redis_keys,
    fetch,
    manage,
    portal_env,
    postgres_server_url,
    redis_available,
)
from tests.test_database_down import database_down
from tests.test_project import run_settings
from uppfoljning import pagecache

PUBLIC_PAGES = ["/", "/ansvariga/", "/oppna-data/uppfoljning.json"]




def goal_url() -> str:
    return Goal.objects.get(number=5).get_absolute_url()


def first_assessment() -> Assessment:
    """The current assessment of the seed goal's first assignment, shown on the goal page."""
    return Assessment.objects.get(assignment__goal__number=5, assignment__number=1)


def first_body() -> ResponsibleBody:
    """A body named on the seed goal page."""
    goal = first_assessment().assignment.goal
    return ResponsibleBody.objects.filter(assignments__goal=goal).order_by("name").first()


def body_form(body: ResponsibleBody, **changes) -> dict:
    """The fields the admin change form of a body posts, with `changes`. (A published
    assessment is never changed in place; a body's name is, and the goal page shows it.)"""
    fields = {
        "code": body.code,
        "slug": body.slug,
        "name": body.name,
        "kind": body.kind,
        "position": body.position,
        "_save": "Spara",
    }
    return fields | changes


# --------------------------------------------------------------------------- one process


def test_it_serves_a_second_anonymous_visit_from_the_cache_without_sql(
    client, seed, page_cache, django_assert_num_queries
):
    first = client.get(goal_url())
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    url = goal_url()
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_it_shows_an_admin_save_on_the_next_anonymous_visit(client, admin_client, seed, page_cache):
    body = first_body()
    assert body.name in client.get(goal_url()).content.decode()
    assert client.get(goal_url())["X-Page-Cache"] == "hit"

    change = reverse("admin:assignments_responsiblebody_change", args=[body.pk])
    response = admin_client.post(change, body_form(body, name="Helt ny nämnd"))
    assert response.status_code == 302

    html = client.get(goal_url()).content.decode()
    assert "Helt ny nämnd" in html


def test_it_shows_an_admin_delete_on_the_next_anonymous_visit(
    client, admin_client, seed, page_cache
):
    # An assignment not yet assessed can be deleted (a published assessment never is).
    goal = first_assessment().assignment.goal
    assignment = make_assignment(goal, title="Ett uppdrag som tas bort.")
    assert assignment.title in client.get(goal_url()).content.decode()
    delete = reverse("admin:assignments_assignment_delete", args=[assignment.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert assignment.title not in client.get(goal_url()).content.decode()


def test_it_shows_an_import_on_the_next_anonymous_visit(client, seed, page_cache, tmp_path):
    old_text = first_assessment().text
    assert old_text in client.get(goal_url()).content.decode()
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(seed_with_text("Ändrad genom import.")), encoding="utf-8")

    call_command("import_plan", str(changed), verbosity=0)

    html = client.get(goal_url()).content.decode()
    assert "Ändrad genom import." in html
    assert old_text not in html


def test_it_never_serves_cached_pages_to_logged_in_staff(client, admin_client, seed, page_cache):
    old_text = first_assessment().text
    client.get(goal_url())
    Assessment.objects.filter(text=old_text).update(text="Ändrat utan att cachen vet.")

    assert old_text in client.get(goal_url()).content.decode()  # the citizen: cached
    staff = admin_client.get(goal_url())
    assert "Ändrat utan att cachen vet." in staff.content.decode()
    assert "X-Page-Cache" not in staff
    assert old_text in client.get(goal_url()).content.decode()  # staff's page was not stored


def test_it_never_revives_old_pages_when_the_generation_is_lost(client, seed, page_cache):
    old_text = first_assessment().text
    client.get(goal_url())
    Assessment.objects.filter(text=old_text).update(text="Ny text efter förlorad generation.")
    cache.delete(pagecache.GENERATION_KEY)  # evicted, culled, or the cache restarted

    assert "Ny text efter förlorad generation." in client.get(goal_url()).content.decode()


def test_it_ignores_posts_of_visitors_who_are_not_staff(client, seed, page_cache):
    old_text = first_assessment().text
    client.get(goal_url())
    Assessment.objects.filter(text=old_text).update(text="Ändrat utan att cachen vet.")
    login = client.post("/admin/login/", {"username": "x", "password": "fel lösenord"})
    assert login.status_code == 200  # the form again, with an error

    assert old_text in client.get(goal_url()).content.decode()  # nothing was thrown away


def test_it_never_serves_pages_of_an_earlier_release(client, seed, page_cache, monkeypatch):
    old_text = first_assessment().text
    client.get(goal_url())
    Assessment.objects.filter(text=old_text).update(text="Visas av den nya versionen.")
    monkeypatch.setattr(pagecache, "release", lambda: "a-new-deploy")

    assert "Visas av den nya versionen." in client.get(goal_url()).content.decode()


def test_it_answers_head_from_the_cache(client, seed, page_cache):
    client.get(goal_url())
    response = client.head(goal_url())
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_it_answers_a_conditional_get_with_304(client, seed, page_cache):
    first = client.get(goal_url())
    etag = first["ETag"]
    for cached in (False, True):  # the stored page, then a hit
        response = client.get(goal_url(), headers={"If-None-Match": etag})
        assert response.status_code == 304, cached
        assert response.content == b""
        assert response["ETag"] == etag
    assert client.get(goal_url(), headers={"If-None-Match": '"other"'}).status_code == 200
    assert "max-age=0" in first["Cache-Control"]  # browsers ask again, and get a 304


def test_it_answers_with_a_new_etag_after_a_save(client, admin_client, seed, page_cache):
    etag = client.get(goal_url())["ETag"]
    body = first_body()
    change = reverse("admin:assignments_responsiblebody_change", args=[body.pk])
    admin_client.post(change, body_form(body, name="Ännu en ny nämnd"))

    response = client.get(goal_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Ännu en ny nämnd" in response.content.decode()


def test_it_caches_htmx_fragments_apart_from_full_pages(client, seed, page_cache):
    htmx = {"HX-Request": "true"}
    full = client.get(goal_url())
    fragment = client.get(goal_url(), headers=htmx)
    assert fragment["X-Page-Cache"] == "miss"
    assert fragment.content.decode().lstrip().startswith('<div id="assignment-list"')

    assert client.get(goal_url(), headers=htmx).content == fragment.content
    again = client.get(goal_url())
    assert again["X-Page-Cache"] == "hit"
    assert again.content == full.content
    for response in (full, fragment, again):
        assert "HX-Request" in response["Vary"]
        assert "HX-History-Restore-Request" in response["Vary"]


def test_it_keeps_history_restores_apart_from_fragments(client, seed, page_cache):
    fragment_headers = {"HX-Request": "true"}
    restore_headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    for first, second in [(restore_headers, fragment_headers), (fragment_headers, restore_headers)]:
        cache.clear()
        client.get(goal_url(), headers=first)  # stored first
        for headers in (first, second):
            html = client.get(goal_url(), headers=headers).content.decode().lstrip()
            if headers is restore_headers:  # the back button: the whole page
                assert html.startswith("<!doctype html>"), html[:60]
            else:  # a filter click: only the list
                assert html.startswith('<div id="assignment-list"'), html[:60]


def test_it_keys_pages_on_the_query_parameters_the_page_reads(client, seed, page_cache):
    url = goal_url()
    plain = client.get(url)
    assert plain["X-Page-Cache"] == "miss"
    for junk in ["?utm_source=nyhetsbrev", "?x=1", "?x=2&y=3", "?fbclid=abc"]:
        response = client.get(url + junk)
        assert response["X-Page-Cache"] == "hit", junk
        assert response.content == plain.content, junk

    delayed = client.get(url + "?status=delayed")
    assert delayed["X-Page-Cache"] == "miss"
    assert delayed.content != plain.content
    for same in ["?utm_source=x&status=delayed", "?status=on_track&status=delayed"]:
        response = client.get(url + same)  # the page reads the last value given
        assert response["X-Page-Cache"] == "hit", same
        assert response.content == delayed.content, same


def test_it_keys_pages_without_the_host_or_its_port(client, seed, page_cache, settings):
    settings.ALLOWED_HOSTS = ["testserver", "uppfoljning.example.se"]
    url = goal_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    for host in ["testserver:8000", "testserver:8080", "uppfoljning.example.se"]:
        assert client.get(url, headers={"Host": host})["X-Page-Cache"] == "hit", host
    refused = client.get(url, headers={"Host": "angripare.example"})  # cached, yet refused
    assert refused.status_code == 400
    assert "X-Page-Cache" not in refused


def test_it_keys_a_value_the_page_does_not_know_as_no_value(client, seed, page_cache):
    assert client.get(goal_url())["X-Page-Cache"] == "miss"
    for junk in ["nonsense", "x" * 500, "on_track2", ""]:
        response = client.get(goal_url(), {"status": junk})
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit", junk
    assert client.get(goal_url(), {"status": "delayed"})["X-Page-Cache"] == "miss"


def test_it_keeps_the_generation_when_the_file_cache_culls_pages(
    client, seed, page_cache, settings, tmp_path
):
    files = "django.core.cache.backends.filebased.FileBasedCache"
    settings.CACHES = {
        # culling drops every entry (CULL_FREQUENCY 1) once three are stored
        "default": {
            "BACKEND": files,
            "LOCATION": str(tmp_path / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 1},
        },
        "pagecache-generation": {"BACKEND": files, "LOCATION": str(tmp_path / "generation")},
    }
    url = goal_url()
    client.get(url)
    generation = pagecache.current_generation()
    for status in ["", "completed", "on_track", "delayed", "not_carried_out"]:
        client.get(f"{url}?status={status}")
    for page in PUBLIC_PAGES:
        client.get(page)

    assert pagecache.current_generation() == generation  # pages stored before are found
    assert caches["default"].get(pagecache.GENERATION_KEY) is None  # not among the pages
    assert client.get(PUBLIC_PAGES[-1])["X-Page-Cache"] == "hit"  # stored after the cull


def test_it_keeps_the_generation_in_a_folder_of_its_own_in_production(tmp_path):
    shown = run_settings(
        {"SECRET_KEY": "x" * 50, "CACHE_DIR": str(tmp_path)},
        "settings.CACHES['default']['LOCATION'], "
        "settings.CACHES['pagecache-generation']['LOCATION']",
    )
    assert shown.stdout.split() == [str(tmp_path), str(tmp_path / "generation")], shown.stderr
    redis = run_settings(
        {"SECRET_KEY": "x" * 50, "REDIS_URL": "redis://127.0.0.1:6379/0"},
        "settings.CACHES['default']['BACKEND'], sorted(settings.CACHES)",
    )
    assert redis.stdout.split() == ["uppfoljning.rediscache.RedisCache", "['default']"]


def test_it_keeps_pages_cached_when_staff_log_in_change_password_and_log_out(
    client, seed, page_cache
):
    User.objects.create_superuser("redaktor", password="rätt-lösenord-123")
    old_text = first_assessment().text
    client.get(goal_url())
    Assessment.objects.filter(text=old_text).update(text="Ändrat utan att cachen vet.")

    staff = Client()
    login = {"username": "redaktor", "password": "rätt-lösenord-123"}
    assert staff.post("/admin/login/", login).status_code == 302
    new_password = "ett-annat-lösenord-456"
    change = {
        "old_password": "rätt-lösenord-123",
        "new_password1": new_password,
        "new_password2": new_password,
    }
    assert staff.post("/admin/password_change/", change).status_code == 302
    assert staff.post("/admin/logout/").status_code == 200

    assert old_text in client.get(goal_url()).content.decode()  # nothing was thrown away


def test_it_answers_head_on_a_miss_with_the_headers_and_no_body(client, seed, page_cache):
    head = client.head(goal_url())
    assert head.status_code == 200
    assert head["X-Page-Cache"] == "miss"
    assert head.content == b""
    get = client.get(goal_url())
    assert get["X-Page-Cache"] == "miss"  # the HEAD stored nothing
    for name in ("Content-Type", "Content-Length", "ETag", "Vary", "Cache-Control"):
        assert head[name] == get[name], name
    assert int(get["Content-Length"]) == len(get.content) > 0
    again = client.head(goal_url())
    assert again["X-Page-Cache"] == "hit"
    assert again.content == b""
    assert again["Content-Length"] == get["Content-Length"]


def test_it_sends_no_body_for_head_whatever_the_server_does(page_cache, rf):
    """The middleware itself drops the body: the test client and gunicorn would hide it."""
    page = b"<p>Hela sidan</p>"

    def view(request):
        return HttpResponse(page, headers={"Content-Length": str(len(page))})

    middleware = pagecache.PageCacheMiddleware(view)
    head = middleware(rf.head("/ansvariga/"))
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(page))
    get = middleware(rf.get("/ansvariga/"))
    assert get["X-Page-Cache"] == "miss"  # nothing bodyless was stored
    assert get.content == page
    assert get["ETag"] == head["ETag"]
    cached_head = middleware(rf.head("/ansvariga/"))
    assert cached_head["X-Page-Cache"] == "hit"
    assert cached_head.content == b""


def test_it_sets_no_cookie_on_anonymous_pages(client, seed, page_cache):
    pages = [*PUBLIC_PAGES, goal_url(), first_assessment().assignment.get_absolute_url()]
    for url in pages:
        for expected in ("miss", "hit"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["X-Page-Cache"] == expected, url
            assert response.cookies == {}, url
            assert "Set-Cookie" not in response, url


def test_it_keeps_the_admin_and_error_pages_out_of_the_cache(client, seed, page_cache):
    for url in ["/admin/login/", "/plan/finns-inte/"]:
        for _ in range(2):
            assert "X-Page-Cache" not in client.get(url), url


def test_it_serves_pages_without_the_cache_when_the_cache_fails(
    client, seed, page_cache, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache server is down")

    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "get_many", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)
    for _ in range(2):
        response = client.get(goal_url())
        assert response.status_code == 200
        assert first_assessment().text in response.content.decode()


def test_it_reads_only_the_generation_for_a_page_this_process_has(
    client, seed, page_cache, monkeypatch
):
    reads = []
    get_many = pagecache._get_many

    def recording(cache, keys):
        reads.append(len(keys))
        return get_many(cache, keys)

    monkeypatch.setattr(pagecache, "_get_many", recording)
    client.get(goal_url())  # a miss: stored, and kept by this process
    for _ in range(3):
        assert client.get(goal_url())["X-Page-Cache"] == "hit"
    assert reads[-3:] == [1, 1, 1]  # the generation alone, in one round trip


def test_it_never_keeps_a_page_past_its_expiry(client, seed, page_cache, monkeypatch):
    old_text = first_assessment().text
    client.get(goal_url())
    assert client.get(goal_url())["X-Page-Cache"] == "hit"
    Assessment.objects.filter(text=old_text).update(text="Ändrat i databasen direkt.")
    now = pagecache.time.time()
    monkeypatch.setattr(pagecache.time, "time", lambda: now + 601)  # PAGE_CACHE_SECONDS on
    response = client.get(goal_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Ändrat i databasen direkt." in response.content.decode()


def test_it_keeps_a_bounded_number_of_pages_in_each_process(monkeypatch):
    monkeypatch.setattr(pagecache.LocalPages, "MAX_BYTES", 4000)
    local = pagecache.LocalPages()
    later = pagecache.time.time() + 600
    for n in range(10):
        local.put(f"sida-{n}", ([("ETag", '"e"')], b"x" * 900, later))
    assert local.size <= 4000
    assert local.get("sida-0") is None  # the oldest went first
    assert local.get("sida-9") is not None
    local.put("stor", ([], b"x" * 2000, later))  # more than a quarter: never kept
    assert local.get("stor") is None
    local.put("gammal", ([], b"x", pagecache.time.time() - 1))
    assert local.get("gammal") is None


def test_it_reads_redis_on_a_connection_of_its_own_and_reconnects(settings):
    if not redis_available():
        pytest.skip("Redis at 127.0.0.1:6379 is unreachable")
    import redis

    prefix = f"uppfoljning-test-{secrets.token_hex(6)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "uppfoljning.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    store = caches["default"]
    try:
        store.set("sida", ([("ETag", '"e"')], b"<p>sida</p>", 1.5))
        store.set("antal", 7)
        expected = {"sida": ([("ETag", '"e"')], b"<p>sida</p>", 1.5), "antal": 7}
        assert pagecache._get_many(store, ["sida", "antal", "saknas"]) == expected
        # Redis drops the connection (a restart, a timeout): the next read gets a new one.
        pool = store._cache._get_connection_pool(False)
        connection = pagecache._connection(pool)
        connection.send_command("CLIENT", "ID")
        redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=connection.read_response())
        assert pagecache._get_many(store, ["sida", "antal"]) == expected
        assert pagecache._connection(pool) is not connection
    finally:
        delete_redis_keys(prefix)


def test_it_caches_nothing_when_turned_off(client, seed, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(goal_url())
    assert "X-Page-Cache" not in client.get(goal_url())


# --------------------------------------------------------------------------- a CDN in front


def directives(response) -> dict[str, str | bool]:
    """The Cache-Control directives of a response: {"max-age": "0", "public": True, ...}."""
    found = {}
    for item in response.get("Cache-Control", "").split(","):
        name, _, value = item.strip().partition("=")
        if name:
            found[name.lower()] = value or True
    return found


@pytest.fixture
def cdn(settings):
    settings.CDN_MAX_AGE = 60
    settings.CDN_STALE_SECONDS = 300


def test_it_lets_a_cdn_keep_public_pages_briefly_while_browsers_revalidate(
    client, seed, page_cache, cdn
):
    urls = [*PUBLIC_PAGES, goal_url(), goal_url() + "?status=delayed"]
    for url in urls:
        for expected in ("miss", "hit"):
            response = client.get(url)
            assert response["X-Page-Cache"] == expected, url
            assert directives(response) == {
                "public": True,
                "max-age": "0",  # browsers: ask every time (If-None-Match, 304)
                "s-maxage": "60",  # a CDN: keep it a minute
                "stale-while-revalidate": "300",
                "stale-if-error": "300",
            }, url
            assert "ETag" in response
            assert "Cookie" not in response.get("Vary", "")
            assert "Accept-Language" not in response.get("Vary", "")  # one language only


def test_it_says_no_cache_without_a_cdn(client, seed, page_cache, settings):
    settings.CDN_MAX_AGE = 0
    response = client.get(goal_url())
    assert directives(response) == {"no-cache": True}
    assert client.get(goal_url(), headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_it_keeps_htmx_answers_out_of_a_cdn(client, seed, page_cache, cdn):
    for headers in (
        {"HX-Request": "true"},
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
    ):
        for _ in range(2):
            response = client.get(goal_url(), headers=headers)
            assert directives(response) == {"no-cache": True}, headers


def test_it_lets_a_cdn_keep_a_citizens_404_only_briefly(client, seed, page_cache, cdn):
    for url in ["/plan/finns-inte/", "/finns-inte/", "/ansvariga/finns-inte/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert directives(response) == {"public": True, "max-age": "0", "s-maxage": "60"}, url
        assert "X-Page-Cache" not in response, url


@override_settings(ROOT_URLCONF="tests.urls_errors", DEBUG=False)
def test_it_keeps_errors_out_of_every_cache(db, page_cache, cdn):
    client = Client(raise_request_exception=False)
    for url, status in [("/test/broken/", 500), ("/test/forbidden/", 403)]:
        response = client.get(url)
        assert response.status_code == status, url
        assert directives(response) == {"no-store": True}, url


def test_it_keeps_the_503_page_out_of_every_cache(client, seed, page_cache, cdn):
    with database_down():
        response = client.get("/ansvariga/")
    assert response.status_code == 503
    assert directives(response) == {"no-store": True}


def test_it_keeps_what_staff_see_private(admin_client, client, seed, page_cache, cdn):
    for url in [goal_url(), "/ansvariga/", "/finns-inte/"]:
        response = admin_client.get(url)
        assert "private" in directives(response), url
        assert "s-maxage" not in directives(response), url
        assert "X-Page-Cache" not in response, url
    admin = directives(admin_client.get("/admin/"))
    assert admin["private"] and admin["no-store"]  # Django's own, unchanged
    login = directives(client.get("/admin/login/"))
    assert login["private"] and login["no-store"]


def test_it_reads_the_cdn_settings_from_the_environment():
    shown = run_settings(
        {"SECRET_KEY": "x" * 50, "CDN_MAX_AGE": "30", "CDN_STALE_SECONDS": "120"},
        "settings.CDN_MAX_AGE, settings.CDN_STALE_SECONDS",
    )
    assert shown.stdout.split() == ["30", "120"], shown.stderr
    defaults = run_settings({"SECRET_KEY": "x" * 50}, "settings.CDN_MAX_AGE")
    assert defaults.stdout.strip() == "60"
    debugging = run_settings({"DEBUG": "1"}, "settings.CDN_MAX_AGE")
    assert debugging.stdout.strip() == "0"


def seed_with_text(text: str) -> dict:
    """The seed document with the first assignment's assessment text replaced."""
    document = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    assignment = document["plans"][0]["goals"][0]["assignments"][0]
    assert assignment["number"] == 1
    assignment["assessments"][0]["text"] = text
    return document


# --------------------------------------------------------------------------- two processes


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A database of its own for server processes: migrated, seeded, with an admin.

    pytest's test database is invisible to other processes, so this is a temporary SQLite
    file, or a uniquely named PostgreSQL database when DATABASE_URL names PostgreSQL.
    """
    folder = tmp_path_factory.mktemp("served")
    database = TemporaryDatabase(folder, postgres_server_url(), prefix="uppf_pagecache")
    password = secrets.token_urlsafe(16)
    env = portal_env(database.url, DJANGO_SUPERUSER_PASSWORD=password)
    database.create()
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "import_plan", str(SEED_FILE))
        manage(env, "createsuperuser", "--noinput", "--username", "admin", "--email", "a@b.se")
        yield {"env": env, "password": password, "folder": folder}
    finally:
        database.drop()


def shared_cache(kind: str, folder: Path) -> dict[str, str]:
    """The environment that points server processes at one shared cache."""
    if kind == "files":
        return {"CACHE_DIR": str(folder / f"cache-{secrets.token_hex(4)}")}
    if not redis_available():
        pytest.skip("Redis at 127.0.0.1:6379 is unreachable")
    return {
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CACHE_KEY_PREFIX": f"uppfoljning-test-{secrets.token_hex(6)}",
    }


def seed_goal_path(port: int) -> str:
    home = fetch(port, "/").text
    return re.search(r'href="(/plan/[^"]+/mal/5-[^"/]+/)"', home).group(1)


def body_form_of(env: dict[str, str]) -> tuple[int, dict]:
    """The primary key and admin form fields of a body named on the seed goal page."""
    code = (
        "from assignments.models import ResponsibleBody as R;"
        "b = R.objects.filter(assignments__goal__number=5).order_by('name').first();"
        "print(b.pk, b.code, b.slug, b.kind, b.position)"
    )
    output = manage(env, "shell", "--no-imports", "-c", code)
    pk, code, slug, kind, position = output.splitlines()[-1].split()
    fields = {"code": code, "slug": slug, "kind": kind, "position": position}
    return int(pk), fields | {"_save": "Spara"}


@pytest.mark.parametrize("kind", ["files", "redis"])
def test_it_shows_a_save_in_one_server_process_at_once_in_another(served, kind):
    cache_env = shared_cache(kind, served["folder"])
    env = served["env"] | cache_env
    marker = secrets.token_hex(4)
    try:
        with Server(env) as a, Server(env) as b:
            goal = seed_goal_path(a.port)
            assert fetch(a.port, goal).headers["X-Page-Cache"] == "miss"
            cached = fetch(a.port, goal)
            assert cached.headers["X-Page-Cache"] == "hit"

            pk, fields = body_form_of(env)
            admin = Browser(b.port)
            admin.login("admin", served["password"])
            change = f"/admin/assignments/responsiblebody/{pk}/change/"
            saved = admin.post(change, fields | {"name": f"Sparad i process B {marker}"})
            assert saved.status == 302, saved.text[:2000]

            after = fetch(a.port, goal)
            assert after.status == 200
            assert f"Sparad i process B {marker}" in after.text

            changed = served["folder"] / f"import-{marker}.json"
            changed.write_text(json.dumps(seed_with_text(f"Importerad {marker}.")), "utf-8")
            manage(env, "import_plan", "--overwrite", str(changed))
            for server in (a, b):
                assert f"Importerad {marker}." in fetch(server.port, goal).text
    finally:
        if "CACHE_KEY_PREFIX" in cache_env:
            delete_redis_keys(cache_env["CACHE_KEY_PREFIX"])
