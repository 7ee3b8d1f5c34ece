"""The page cache: anonymous public pages served from Django's cache, never stale.

A citizen's GET or HEAD of a public page (no session cookie; not under /admin/ or the static
files) is answered from the cache when it can be, without touching the database. A public
page is a view marked with uppfoljning.public.public_page, which names the query parameters
the page reads (`view.page_query_params`); any other address is never cached.

A cached page is stored under a key that holds

- the *content generation*: a token replaced by content_changed() whenever the content
  changes. Every server process that shares the cache (Redis, or the cache folder on one
  machine) reads the new token on its next request, so a save handled by one process
  orphans the pages of every process at once. The token lives in the cache alias
  "pagecache-generation" when CACHES defines one (the file cache does: a folder of its own
  that holds nothing else, so culling pages never drops it), else in the "default" cache
  beside the pages (Redis: one round trip reads both; Redis never culls, and evicts a key
  without an expiry only under an allkeys-* policy, and then this most-read key last);
- the *release*: a digest of the portal's code, templates and translations, so that a
  deploy never serves pages rendered by the previous release;
- the page's normalised address: its path and only the query parameters the page reads,
  in a fixed order, each with the one value the page reads (the last one given). Host,
  port and scheme are left out (pages hold no absolute address), and so is every other
  parameter: ?utm_source=... and friends share the page without them. The view sees the
  query exactly as the key holds it. A value the page does not know (?status=nonsense,
  shown as no filter) is left out like an unknown parameter; of a parameter whose values
  are free, a value longer than MAX_QUERY_VALUE_LENGTH is never cached;
- what htmx asked for: the HX-Request and HX-History-Restore-Request headers, on which the
  answers vary (a fragment for a filter click, the whole page for a history restore).

The generation changes after every successful unsafe request (POST, PUT, PATCH, DELETE) of
a staff user, which covers every admin save, delete and bulk action, except the admin's
login, logout and password change, and a request whose view called leave_pages_cached()
(a write that touches no published content, such as saving a draft). Management commands
and services call content_changed() after writing (import_plan, generate_data). A change
made in any other way (a shell, SQL) shows within PAGE_CACHE_SECONDS, or at once after
calling content_changed().

Anonymous pages carry an ETag and answer If-None-Match with 304, cached or not; HEAD gets
the headers of the GET without a body, and a page rendered for a HEAD is never stored.

Settings: PAGE_CACHE_SECONDS (0 turns the page cache off), PAGE_CACHE_EXCLUDED_PATHS, and,
for the benchmark only, PAGE_CACHE_BYPASS_HEADER (a request header that skips the cache).
The pages live in Django's "default" cache (uppfoljning/rediscache.py with REDIS_URL). The
503 page for an unreachable database is uppfoljning/unavailable.py's.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

from uppfoljning.htmx import VARY_HEADERS  # what htmx's requests differ in; part of the key

logger = logging.getLogger(__name__)

PAGES_CACHE = "default"
GENERATION_CACHE = "pagecache-generation"  # used when settings.CACHES defines it
GENERATION_KEY = "pagecache:generation"
STATUS_HEADER = "X-Page-Cache"  # "hit" or "miss", on the pages the cache considers
READ_METHODS = ("GET", "HEAD")
MAX_QUERY_VALUE_LENGTH = 32  # longer values of a page's query parameters are not cached
MAX_REMEMBERED_PATH_LENGTH = 200  # which paths' views are remembered (page_query_params)
# Staff requests that change no content although they succeed as POSTs (view names).
NOT_CONTENT_CHANGES = frozenset({"admin:login", "admin:logout", "admin:password_change"})
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".svg", ".mo", ".json"}
_LEAVE_PAGES_CACHED = "_pagecache_leave_pages_cached"


# --------------------------------------------------------------------------- generation


def content_changed() -> None:
    """Make every cached page stale at once, in every process that shares the cache.

    Call it after writing content outside a staff request (management commands, services
    run elsewhere). It never raises: a cache that cannot be reached is logged, as the write
    itself has succeeded.
    """
    try:
        generation_cache().set(GENERATION_KEY, _new_generation(), timeout=None)
    except Exception:
        logger.exception("Page cache: the content generation could not be replaced")


def leave_pages_cached(request: HttpRequest) -> None:
    """Say that this request's write touched no published content (a draft, a preference).

    A view calls it so that its successful unsafe staff request keeps citizens' cached
    pages; without it, any such request makes every cached page stale (the safe default).
    """
    setattr(request, _LEAVE_PAGES_CACHED, True)


def current_generation() -> str:
    """The content generation that cached pages are stored under now.

    A generation that is missing (never set, evicted, or the cache restarted) is created
    anew: a fresh token that no page was ever stored under, so a lost generation never
    revives old pages.
    """
    store = generation_cache()
    generation = store.get(GENERATION_KEY)
    if generation is None:
        fresh = _new_generation()
        store.add(GENERATION_KEY, fresh, timeout=None)
        generation = store.get(GENERATION_KEY) or fresh  # another process may have won
    return str(generation)


def generation_cache():
    """Where the generation lives: a cache of its own when configured, else the pages'."""
    return caches[GENERATION_CACHE if GENERATION_CACHE in settings.CACHES else PAGES_CACHE]


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
    """Serves anonymous public pages from the cache, and notices content changes.

    Belongs right after WhiteNoiseMiddleware: before the session, authentication and
    every other middleware that may touch the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # The generation this process saw last: a hit then costs a single cache round trip
        # that reads the generation and the page together (see _lookup).
        self.generation_seen: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        page = Page.of(request) if is_cacheable_request(request) else None
        if page is not None:
            return self._public_page(request, page)
        response = self.get_response(request)
        if is_content_change(request, response):
            content_changed()
        return response

    def _public_page(self, request: HttpRequest, page: Page) -> HttpResponse:
        request.get_host()  # DisallowedHost (400) for a host not in ALLOWED_HOSTS, as uncached
        try:
            generation, response = self._lookup(page)
        except Exception:
            logger.warning("Page cache unreachable; serving without it", exc_info=True)
            generation, response = None, None
        if response is not None:
            response[STATUS_HEADER] = "hit"
        else:
            request.GET = page.query  # the view reads exactly what the key holds
            response = self.get_response(request)
            if is_cacheable_response(response):
                patch_vary_headers(response, VARY_HEADERS)
                patch_cache_control(response, no_cache=True)  # browsers revalidate: 304
                set_response_etag(response)
                if generation and request.method == "GET":
                    _store(page.key(generation), response)
                response[STATUS_HEADER] = "miss"
        response = get_conditional_response(request, etag=response.get("ETag"), response=response)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""  # the GET's headers (Content-Length too), no body
        return response

    def _lookup(self, page: Page) -> tuple[str, HttpResponse | None]:
        """The current generation and the page stored under it, if any.

        With the generation beside the pages, the generation and the page under the
        generation seen last are read in one round trip; only when the generation has
        changed since is the page read again.
        """
        pages, generations = caches[PAGES_CACHE], generation_cache()
        if generations is not pages:
            generation = generations.get(GENERATION_KEY) or current_generation()
            return generation, _response(pages.get(page.key(generation)))
        seen = self.generation_seen
        found = pages.get_many([GENERATION_KEY, page.key(seen)] if seen else [GENERATION_KEY])
        generation = found.get(GENERATION_KEY) or current_generation()
        if generation == seen:
            return generation, _response(found.get(page.key(generation)))
        self.generation_seen = generation
        return generation, _response(pages.get(page.key(generation)))


def is_cacheable_request(request: HttpRequest) -> bool:
    """A citizen's read, while the page cache is on (Page.of decides if it is a page)."""
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
    """A successful unsafe request by a staff user: an admin save, delete or action.

    Not the admin's login, logout or password change, and not a request whose view called
    leave_pages_cached().
    """
    if request.method in (*READ_METHODS, "OPTIONS", "TRACE") or response.status_code >= 400:
        return False
    if getattr(request, _LEAVE_PAGES_CACHED, False):
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in NOT_CONTENT_CHANGES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


# --------------------------------------------------------------------------- storage


class Page:
    """A request for a public page, by what its answer depends on; stored per generation."""

    def __init__(self, path: str, query: str, htmx: str):
        self.query = QueryDict(query)
        address = hashlib.md5(f"{path}?{query}".encode(), usedforsecurity=False)
        self.suffix = f"{htmx}:{address.hexdigest()}"

    @classmethod
    def of(cls, request: HttpRequest) -> Page | None:
        """The page a request asks for; None when its address is not a public page."""
        names = page_query_params(request.path_info)
        if names is None:
            return None
        pairs = []
        for name, known in names:  # sorted
            value = request.GET.get(name)  # the last value given, as the page reads it
            if value is None or (known is not None and value not in known):
                continue
            if known is None and len(value) > MAX_QUERY_VALUE_LENGTH:
                return None
            pairs.append((name, value))
        # Each htmx header is "true" or not (django-htmx reads them so): "00" to "11".
        htmx = "".join("1" if request.headers.get(h) == "true" else "0" for h in VARY_HEADERS)
        return cls(request.path, urlencode(pairs), htmx)

    def key(self, generation: str) -> str:
        return f"pagecache:{release()}:{generation}:{self.suffix}"


def page_query_params(path_info: str) -> tuple[tuple[str, frozenset | None], ...] | None:
    """The query parameters the page at `path_info` reads, sorted by name, each with the
    values the page knows (None: any value); None when the address is not a public page.

    The answer for a short path is remembered (resolving costs some 30 µs, a tenth of
    serving a cached page); the memory stays bounded whatever addresses are asked for.
    """
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    if len(path_info) > MAX_REMEMBERED_PATH_LENGTH:
        return _page_query_params.__wrapped__(path_info, urlconf)
    return _page_query_params(path_info, urlconf)


@functools.lru_cache(maxsize=2048)
def _page_query_params(path_info: str, urlconf: str):
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    names = getattr(match.func, "page_query_params", None)
    return None if names is None else tuple(sorted(names.items()))


def _response(stored) -> HttpResponse | None:
    if stored is None:
        return None
    headers, content = stored
    return HttpResponse(content, headers=dict(headers))


def _store(key: str, response: HttpResponse) -> None:
    headers = [(k, v) for k, v in response.items() if k != STATUS_HEADER]
    try:
        caches[PAGES_CACHE].set(
            key, (headers, response.content), timeout=settings.PAGE_CACHE_SECONDS
        )
    except Exception:
        logger.warning("Page cache unreachable; page not stored", exc_info=True)
