"""The page cache: anonymous public pages served from Django's cache, never stale.

A citizen's GET or HEAD of a public page (no session cookie; not under /admin/ or the static
files) is answered from the cache when it can be, without touching the database. A cached
page is stored under a key that holds

- the *content generation*: a token kept in the same cache, replaced by content_changed()
  whenever the content changes. Every server process that shares the cache (Redis, or the
  cache folder on one machine) reads the new token on its next request, so a save handled
  by one process orphans the pages of every process at once;
- the *release*: a digest of the portal's code, templates and translations, so that a
  deploy never serves pages rendered by the previous release;
- the page's full address and whether htmx asked for a fragment (answers vary on
  HX-Request).

The generation changes after every successful unsafe request (POST, PUT, PATCH, DELETE) of
a staff user, which covers every admin save, delete and bulk action, and when a management
command calls content_changed() after writing (import_plan, generate_data). A change made
in any other way (a shell, SQL) shows within PAGE_CACHE_SECONDS, or at once after calling
content_changed().

Anonymous pages carry an ETag and answer If-None-Match with 304, cached or not.

The same middleware answers a clear Swedish 503 page, never a stack trace, when the
database cannot be reached; cached pages keep being served meanwhile, and the portal
recovers by itself because Django opens a new connection for the next request.

Settings: PAGE_CACHE_SECONDS (0 turns the page cache off), PAGE_CACHE_EXCLUDED_PATHS, and,
for the benchmark only, PAGE_CACHE_BYPASS_HEADER (a request header that skips the cache).
The cache itself is Django's "default" cache; RedisCache below is Django's Redis backend
made cheaper per call.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import time
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import redis as django_redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
STATUS_HEADER = "X-Page-Cache"  # "hit" or "miss", on the pages the cache considers
READ_METHODS = ("GET", "HEAD")
RETRY_AFTER_SECONDS = 30
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".svg", ".mo", ".json"}


# --------------------------------------------------------------------------- generation


def content_changed() -> None:
    """Make every cached page stale at once, in every process that shares the cache.

    Call it after writing content outside a staff request (management commands). It never
    raises: a cache that cannot be reached is logged, as the write itself has succeeded.
    """
    try:
        cache.set(GENERATION_KEY, _new_generation(), timeout=None)
    except Exception:
        logger.exception("Page cache: the content generation could not be replaced")


def current_generation() -> str:
    """The content generation that cached pages are stored under now.

    A generation that is missing (never set, evicted or culled) is created anew: a fresh
    token that no page was ever stored under, so a lost generation never revives old pages.
    """
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        fresh = _new_generation()
        cache.add(GENERATION_KEY, fresh, timeout=None)
        generation = cache.get(GENERATION_KEY) or fresh  # another process may have won
    return str(generation)


def _new_generation() -> str:
    """A token never used before: the time, plus randomness for simultaneous changes."""
    return f"{time.time_ns():x}-{secrets.token_hex(4)}"


@functools.cache
def release() -> str:
    """A digest of the portal's own code, templates and translations (read once)."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(django.get_version().encode())
    for path in _source_files():
        name = path.relative_to(base) if path.is_relative_to(base) else path.name
        digest.update(str(name).encode())  # the same on every machine of a deployment
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _source_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    folders = {Path(a.path) for a in apps.get_app_configs() if Path(a.path).parent == base}
    folders |= {Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])}
    folders |= {Path(p) for p in settings.LOCALE_PATHS}
    folders.add(base / settings.ROOT_URLCONF.split(".")[0])
    files = {
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.suffix in SOURCE_SUFFIXES and path.is_file()
    }
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        files.add(manifest)
    return sorted(files)


# --------------------------------------------------------------------------- the middleware


class PageCacheMiddleware:
    """Serves anonymous public pages from the cache; answers 503 without a database.

    Belongs right after WhiteNoiseMiddleware: before the session, authentication and
    every other middleware that may touch the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # The generation this process saw last: a hit then costs a single cache round trip
        # that reads the generation and the page together (see _lookup).
        self.generation_seen: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_cacheable_request(request):
            return self._public_page(request)
        response = self.get_response(request)
        if is_content_change(request, response):
            content_changed()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        """The database cannot be reached: a 503 page instead of a 500 with a trace."""
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable_response()
        return None

    def _public_page(self, request: HttpRequest) -> HttpResponse:
        page = PageKey(request)
        try:
            generation, response = self._lookup(page)
        except Exception:
            logger.warning("Page cache unreachable; serving without it", exc_info=True)
            generation, response = None, None
        if response is not None:
            response[STATUS_HEADER] = "hit"
        else:
            response = self.get_response(request)
            if is_cacheable_response(response):
                patch_vary_headers(response, ["HX-Request"])
                patch_cache_control(response, no_cache=True)  # browsers revalidate: 304
                set_response_etag(response)
                if generation and request.method == "GET":
                    _store(page.key(generation), response)
                response[STATUS_HEADER] = "miss"
        return get_conditional_response(request, etag=response.get("ETag"), response=response)

    def _lookup(self, page: PageKey) -> tuple[str, HttpResponse | None]:
        """The current generation and the page stored under it, if any.

        The generation and the page under the generation seen last are read in one
        round trip; only when the generation has changed since is the page read again.
        """
        seen = self.generation_seen
        found = cache.get_many([GENERATION_KEY, page.key(seen)] if seen else [GENERATION_KEY])
        generation = found.get(GENERATION_KEY) or current_generation()
        if generation == seen:
            return generation, _response(found.get(page.key(generation)))
        self.generation_seen = generation
        return generation, _response(cache.get(page.key(generation)))


def is_cacheable_request(request: HttpRequest) -> bool:
    """A citizen's read of a public page, while the page cache is on."""
    excluded = [*settings.PAGE_CACHE_EXCLUDED_PATHS, settings.STATIC_URL]
    bypass = getattr(settings, "PAGE_CACHE_BYPASS_HEADER", None)
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in READ_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "authorization" not in request.headers
        and not request.path.startswith(tuple(p for p in excluded if p))
        and not (bypass and bypass in request.headers)
    )


def is_cacheable_response(response: HttpResponse) -> bool:
    """A complete 200 page that is the same for every citizen."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def is_content_change(request: HttpRequest, response: HttpResponse) -> bool:
    """A successful unsafe request by a staff user: an admin save, delete or action."""
    if request.method in (*READ_METHODS, "OPTIONS", "TRACE") or response.status_code >= 400:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def database_unavailable_response() -> HttpResponse:
    """The 503 page, rendered without the database (no request context processors)."""
    try:
        html = render_to_string("503.html")
    except Exception:  # the page must never fail; plain text rather than a trace
        logger.exception("The 503 page could not be rendered")
        html = "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund."
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


# --------------------------------------------------------------------------- storage


class PageKey:
    """Where a request's page is stored, for any generation."""

    def __init__(self, request: HttpRequest):
        address = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False)
        htmx = int(request.headers.get("HX-Request") == "true")
        self.suffix = f"{htmx}:{address.hexdigest()}"

    def key(self, generation: str) -> str:
        return f"pagecache:{release()}:{generation}:{self.suffix}"


def _response(stored) -> HttpResponse | None:
    if stored is None:
        return None
    headers, content = stored
    return HttpResponse(content, headers=dict(headers))


def _store(key: str, response: HttpResponse) -> None:
    headers = [(k, v) for k, v in response.items() if k != STATUS_HEADER]
    try:
        cache.set(key, (headers, response.content), timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Page cache unreachable; page not stored", exc_info=True)


# --------------------------------------------------------------------------- Redis


class RedisCache(django_redis.RedisCache):
    """Django's RedisCache, with one redis-py client per connection pool instead of one
    per operation.

    Django builds a new redis.Redis object for every cache call; with redis-py 8 that
    object registers some 170 response callbacks, which takes about 0.2 ms: as much as the
    rest of serving a cached page. Connections, pools and everything else stay Django's.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _RedisClientReuse


class _RedisClientReuse(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client
