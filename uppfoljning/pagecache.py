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

A page is stored compressed: once plain, once gzip and once Brotli, each variant under a key
of its own (the key above plus the coding), compressed once when it is stored
(uppfoljning/compression.py). A hit reads the generation and the one variant the client's
Accept-Encoding takes, in one round trip; each server process also keeps the variants it
served lately (LocalPages, a few MB, never past their expiry), and for those the round
trip carries the generation alone. Public pages that are not cached are compressed too, on
the way out; staff pages (the admin, anything with a session) never are (BREACH).

Anonymous pages carry an ETag (one per variant: the plain page's with the coding as a
suffix) and answer If-None-Match with 304, cached or not; HEAD gets the headers of the GET
without a body, and a page rendered for a HEAD is never stored. They vary on
Accept-Encoding and the htmx headers (not on Accept-Language: the portal has one language).

Their Cache-Control lets a CDN or caching proxy in front keep a page for CDN_MAX_AGE
seconds (s-maxage) and serve it stale for CDN_STALE_SECONDS more while it asks again
(stale-while-revalidate), or while the portal fails (stale-if-error); browsers keep
nothing (max-age=0) and ask again each time, getting a 304 while the ETag holds. htmx's
requests get no-cache (a cache that ignored Vary must never hand a fragment to a browser
that asked for the page). A citizen's 404 may be kept CDN_MAX_AGE seconds, without going
stale; any other error is no-store. Staff reads that say nothing get private; the admin
keeps Django's private, no-store. With CDN_MAX_AGE 0 pages say no-cache.

Settings: PAGE_CACHE_SECONDS (0 turns the page cache off; pages are still compressed and
answer 304), PAGE_CACHE_EXCLUDED_PATHS, CDN_MAX_AGE, CDN_STALE_SECONDS and, for the
benchmark only, PAGE_CACHE_BYPASS_HEADER (a request header that skips the cache). The pages
live in Django's "default" cache (uppfoljning/rediscache.py with REDIS_URL). The 503 page
for an unreachable database is uppfoljning/unavailable.py's.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import secrets
import threading
import time
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlencode

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_vary_headers,
    set_response_etag,
)
from redis.exceptions import ConnectionError as RedisConnectionError

from uppfoljning import compression
from uppfoljning.htmx import VARY_HEADERS  # what htmx's requests differ in; part of the key

logger = logging.getLogger(__name__)

PAGES_CACHE = "default"
# Headers of a page's own that its 304 must repeat: else the site-wide ones are added to it,
# and a browser or CDN keeps those with the page.
PAGE_POLICY_HEADERS = (
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "X-Frame-Options",
)
GENERATION_CACHE = "pagecache-generation"  # used when settings.CACHES defines it
GENERATION_KEY = "pagecache:generation"
STATUS_HEADER = "X-Page-Cache"  # "hit" or "miss", on the pages the cache considers
READ_METHODS = ("GET", "HEAD")
MAX_QUERY_VALUE_LENGTH = 32  # longer values of a page's query parameters are not cached
MAX_REMEMBERED_PATH_LENGTH = 200  # which paths' views are remembered (page_query_params)
# Staff requests that change no content although they succeed as POSTs (view names).
NOT_CONTENT_CHANGES = frozenset({"admin:login", "admin:logout", "admin:password_change"})
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".svg", ".mo", ".json"}
MAX_REMEMBERED_PAGES = 4096  # requests remembered by Page.of (then forgotten all at once)
_LEAVE_PAGES_CACHED = "_pagecache_leave_pages_cached"
# The META names of the htmx headers (VARY_HEADERS): HX-Request is HTTP_HX_REQUEST.
_HTMX_META = tuple(f"HTTP_{header.upper().replace('-', '_')}" for header in VARY_HEADERS)
_REMEMBERED_PAGES: dict[tuple, Page | None] = {}
_UNKNOWN = object()


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
        # The pages this process served lately, under their keys (see LocalPages).
        self.local = LocalPages()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        page = Page.of(request) if is_citizen_read(request) else None
        if page is not None:
            return self._public_page(request, page)
        response = self.get_response(request)
        if is_content_change(request, response):
            content_changed()
        set_default_cache_control(request, response)
        return response

    def _public_page(self, request: HttpRequest, page: Page) -> HttpResponse:
        request.get_host()  # DisallowedHost (400) for a host not in ALLOWED_HOSTS, as uncached
        use_cache = page.storable and is_cache_used(request)
        generation = response = None
        if use_cache:
            try:
                generation, response = self._lookup(page)
            except Exception:
                logger.warning("Page cache unreachable; serving without it", exc_info=True)
        if response is not None:
            response[STATUS_HEADER] = "hit"
        else:
            response = self._render(request, page, generation if use_cache else None)
        full = response
        response = get_conditional_response(request, etag=response.get("ETag"), response=response)
        if response is not full:  # a 304 keeps the page's own policies (an embed's framing)
            for header in PAGE_POLICY_HEADERS:
                if header in full:
                    response[header] = full[header]
        if request.method == "HEAD" and not response.streaming:
            response.content = b""  # the GET's headers (Content-Length too), no body
        return response

    def _render(self, request: HttpRequest, page: Page, generation: str | None) -> HttpResponse:
        """The view's answer: made public (headers, compression) and stored if it may be.

        `generation` is None when the cache is not used for this request.
        """
        request.GET = page.query  # the view reads exactly what the key holds
        response = self.get_response(request)
        if not is_public_response(response):
            set_default_cache_control(request, response)
            return response
        add_public_headers(response, page)
        if generation is None or not is_cacheable_response(response):
            return compression.encode(response, page.encoding)
        if request.method == "GET":
            expires = time.time() + settings.PAGE_CACHE_SECONDS
            stored = {
                encoding: (headers, body, expires)
                for encoding, (headers, body) in compression.variants(
                    _headers(response), response.content
                ).items()
            }
            _store(page, generation, stored)
            self.local.put(page.key(generation), stored[page.encoding])
            response = _response(stored[page.encoding])
        else:
            response = compression.encode(response, page.encoding)
        response[STATUS_HEADER] = "miss"
        return response

    def _lookup(self, page: Page) -> tuple[str, HttpResponse | None]:
        """The current generation and the page stored under it, if any.

        The generation is read on every request, so that a change in any process shows at
        once. With the generation beside the pages (Redis), the page under the generation
        seen last is read in the same round trip, unless this process has it already
        (then the round trip carries the generation alone); only when the generation has
        changed since is the page read again.
        """
        pages, generations = caches[PAGES_CACHE], generation_cache()
        if generations is not pages:
            generation = generations.get(GENERATION_KEY) or current_generation()
            self._see(generation)
            return generation, self._page(pages, page.key(generation))
        seen = self.generation_seen
        key = page.key(seen) if seen else None
        local = self.local.get(key) if key else None
        found = _get_many(pages, [GENERATION_KEY] if local or not key else [GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or current_generation()
        if generation == seen:
            if local is None and found.get(key) is not None:
                local = found[key]
                self.local.put(key, local)
            return generation, _response(local)
        self._see(generation)
        return generation, self._page(pages, page.key(generation))

    def _see(self, generation: str) -> None:
        if generation != self.generation_seen:
            self.local.clear()  # the pages of an earlier generation are never asked again
            self.generation_seen = generation

    def _page(self, pages, key: str) -> HttpResponse | None:
        stored = self.local.get(key)
        if stored is None:
            stored = pages.get(key)
            if stored is not None:
                self.local.put(key, stored)
        return _response(stored)


class LocalPages:
    """The pages one server process served lately: (headers, body, expiry) by cache key.

    A hit still reads the content generation from the shared cache (every key holds it,
    so a change anywhere shows at once), but not the page again: the round trip to Redis
    carries a few bytes instead of the page. A copy never outlives the page's expiry in the
    shared cache (PAGE_CACHE_SECONDS from when it was stored). Bounded by MAX_BYTES, the
    least recently used copies go first.
    """

    MAX_BYTES = 8 * 1024 * 1024

    def __init__(self):
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()  # gthread workers share a process

    def get(self, key: str):
        with self.lock:
            stored = self.entries.get(key)
            if stored is None:
                return None
            if stored[2] <= time.time():
                self._remove(key)
                return None
            self.entries.move_to_end(key)
            return stored

    def put(self, key: str, stored) -> None:
        size = _size(stored)
        if size > self.MAX_BYTES // 4:
            return
        with self.lock:
            if key in self.entries:
                self._remove(key)
            self.entries[key] = stored
            self.size += size
            while self.size > self.MAX_BYTES:
                self._remove(next(iter(self.entries)))

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _remove(self, key: str) -> None:
        self.size -= _size(self.entries.pop(key))


def _size(stored) -> int:
    headers, body, _ = stored
    return len(body) + sum(len(name) + len(value) for name, value in headers)


def is_citizen_read(request: HttpRequest) -> bool:
    """A GET or HEAD without a session or credentials, outside the admin and static files."""
    excluded = [*settings.PAGE_CACHE_EXCLUDED_PATHS, settings.STATIC_URL]
    return (
        request.method in READ_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(tuple(p for p in excluded if p))
    )


def is_cache_used(request: HttpRequest) -> bool:
    """Whether the page cache is on, and this request does not ask to skip it."""
    bypass = getattr(settings, "PAGE_CACHE_BYPASS_HEADER", None)
    return settings.PAGE_CACHE_SECONDS > 0 and not (bypass and _meta_name(bypass) in request.META)


@functools.cache
def _meta_name(header: str) -> str:
    """Where request.META holds a request header (cheaper than building request.headers)."""
    return f"HTTP_{header.upper().replace('-', '_')}"


def is_public_response(response: HttpResponse) -> bool:
    """A complete answer that is the same for every citizen: it may be shared and
    compressed (it holds no secret)."""
    cache_control = response.get("Cache-Control", "")
    return (
        not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def is_cacheable_response(response: HttpResponse) -> bool:
    """A complete 200 page that is the same for every citizen."""
    return response.status_code == 200 and is_public_response(response)


def add_public_headers(response: HttpResponse, page: Page) -> None:
    """What a citizen's public page says to caches: Vary, Cache-Control and, for a 200,
    its ETag (of the plain page; compression.encoded() gives each variant its own)."""
    patch_vary_headers(response, (*VARY_HEADERS, "Accept-Encoding"))
    if len(settings.LANGUAGES) == 1:  # LocaleMiddleware's Vary would only split caches
        _drop_vary(response, "Accept-Language")
    if "Cache-Control" not in response:
        shared = page.htmx == "0" * len(VARY_HEADERS)  # htmx's requests: never shared
        directives = public_cache_control(response.status_code, shared=shared)
        if directives:
            response["Cache-Control"] = directives
    if response.status_code == 200:
        set_response_etag(response)


def public_cache_control(status: int, *, shared: bool = True) -> str | None:
    """The Cache-Control of a citizen's answer with `status` (None: leave it unsaid).

    A page: a CDN may keep it CDN_MAX_AGE seconds and serve it stale CDN_STALE_SECONDS
    more while it asks again or while the portal fails; browsers ask again every time
    (max-age=0, answered with 304). A 404 (410) only CDN_MAX_AGE seconds; other errors
    never. Not `shared`, or with CDN_MAX_AGE 0: no-cache, every cache asks again.
    """
    max_age = settings.CDN_MAX_AGE if shared else 0
    if 200 <= status < 300:
        if max_age <= 0:
            return "no-cache"
        directives = f"public, max-age=0, s-maxage={max_age}"
        stale = settings.CDN_STALE_SECONDS
        if stale > 0:
            directives += f", stale-while-revalidate={stale}, stale-if-error={stale}"
        return directives
    if status in (404, 410):
        return f"public, max-age=0, s-maxage={max_age}" if max_age > 0 else "no-cache"
    if status >= 400:
        return "no-store"
    return None  # a redirect keeps whatever its view says


def set_default_cache_control(request: HttpRequest, response: HttpResponse) -> None:
    """Cache-Control for a read that is no public page, when its view said none.

    A citizen's 404 (an address that does not exist: scanners, old links) may be kept by
    a CDN briefly, unless it set a cookie; another error is no-store. A staff read
    (session or credentials) is private: no CDN keeps what staff see. The admin's pages
    and the static files have their own.
    """
    if request.method not in READ_METHODS or "Cache-Control" in response:
        return
    if is_citizen_read(request):
        shared = response.status_code in (404, 410) and is_public_response(response)
        directives = public_cache_control(response.status_code, shared=shared)
        if response.status_code >= 400 and directives:
            response["Cache-Control"] = directives
        if shared and len(settings.LANGUAGES) == 1:
            _drop_vary(response, "Accept-Language")
    elif settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        response["Cache-Control"] = "private"


def _drop_vary(response: HttpResponse, name: str) -> None:
    values = [v.strip() for v in response.get("Vary", "").split(",")]
    kept = [v for v in values if v and v.lower() != name.lower()]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif "Vary" in response:
        del response["Vary"]


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

    def __init__(
        self,
        path: str,
        query: str,
        htmx: str,
        encoding: str = compression.IDENTITY,
        *,
        storable: bool = True,
    ):
        self.query = QueryDict(query)
        # A page asked with a free value longer than MAX_QUERY_VALUE_LENGTH (a long search)
        # is answered as a public page (its headers, compressed) but never stored: such
        # values would let anyone fill the cache.
        self.storable = storable
        self.htmx = htmx
        self.encoding = encoding  # the variant this request takes
        address = hashlib.md5(f"{path}?{query}".encode(), usedforsecurity=False)
        self.suffix = f"{htmx}:{address.hexdigest()}"

    @classmethod
    def of(cls, request: HttpRequest) -> Page | None:
        """The page a request asks for; None when its address is not a public page.

        Remembered for short addresses (as page_query_params is, and as boundedly): a hit
        then costs no parsing of the query and no digest.
        """
        meta = request.META
        query = meta.get("QUERY_STRING", "")
        # Each htmx header is "true" or not (django-htmx reads them so): "00" to "11".
        htmx = "".join("1" if meta.get(h) == "true" else "0" for h in _HTMX_META)
        encoding = compression.choose_encoding(meta.get("HTTP_ACCEPT_ENCODING", ""))
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        address = (request.path, query, htmx, encoding, urlconf)
        page = _REMEMBERED_PAGES.get(address, _UNKNOWN)
        if page is _UNKNOWN:
            page = cls._of(request, htmx, encoding)
            if len(request.path) + len(query) <= MAX_REMEMBERED_PATH_LENGTH:
                if len(_REMEMBERED_PAGES) >= MAX_REMEMBERED_PAGES:
                    _REMEMBERED_PAGES.clear()
                _REMEMBERED_PAGES[address] = page
        return page

    @classmethod
    def _of(cls, request: HttpRequest, htmx: str, encoding: str) -> Page | None:
        names = page_query_params(request.path_info)
        if names is None:
            return None
        pairs = []
        storable = True
        for name, known in names:  # sorted
            value = request.GET.get(name)  # the last value given, as the page reads it
            if value is None or (known is not None and value not in known):
                continue
            if known is None and len(value) > MAX_QUERY_VALUE_LENGTH:
                storable = False
            pairs.append((name, value))
        return cls(request.path, urlencode(pairs), htmx, encoding, storable=storable)

    def key(self, generation: str, encoding: str | None = None) -> str:
        """Where the page's variant in `encoding` (this request's) is stored."""
        return f"pagecache:{release()}:{generation}:{self.suffix}:{encoding or self.encoding}"


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


def _get_many(cache, keys: list[str]) -> dict:
    """cache.get_many(keys); with Django's Redis cache, one MGET on a connection that this
    thread keeps for it.

    redis-py's command machinery (the pool's checks, retries and bookkeeping) costs more
    than the rest of a hit: this is the same MGET without it, through the same connection
    settings, keys and serializer as Django's cache. A connection that fails is dropped
    and the MGET tried once more on a new one (Redis restarted); a second failure raises.
    """
    if not isinstance(cache, RedisCache):
        return cache.get_many(keys)
    try:
        client = cache._cache  # Django's RedisCacheClient
        pool, loads = client._get_connection_pool(False), client._serializer.loads
    except AttributeError:  # pragma: no cover - another Django version's internals
        return cache.get_many(keys)
    command = ["MGET", *(cache.make_and_validate_key(key) for key in keys)]
    for attempt in (1, 2):
        connection = _connection(pool)
        try:
            connection.send_command(*command)
            values = connection.read_response()
            break
        except (RedisConnectionError, OSError):
            _drop_connection(pool)
            if attempt == 2:
                raise
        except BaseException:
            _drop_connection(pool)
            raise
    return {key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None}


_connections = threading.local()  # this thread's Redis connection of each pool


def _connection(pool):
    held = getattr(_connections, "held", None)
    if held is None:
        held = _connections.held = {}
    owner, pid, connection = held.get(id(pool), (None, None, None))
    if owner is not pool or pid != os.getpid():  # never a parent process's connection
        connection = pool.make_connection()
        held[id(pool)] = (pool, os.getpid(), connection)
    return connection


def _drop_connection(pool) -> None:
    owner, pid, connection = getattr(_connections, "held", {}).pop(id(pool), (None, None, None))
    if owner is pool and pid == os.getpid():
        connection.disconnect()


def _response(stored) -> HttpResponse | None:
    """The response of a stored page: (headers, body, expiry)."""
    if stored is None:
        return None
    headers, content, _ = stored
    return HttpResponse(content, headers=dict(headers))


def _headers(response: HttpResponse) -> list[tuple[str, str]]:
    return [(k, v) for k, v in response.items() if k != STATUS_HEADER]


def _store(page: Page, generation: str, variants: dict) -> None:
    """Every variant of a page, (headers, body, expiry), under its own key, in one round
    trip (Redis)."""
    try:
        caches[PAGES_CACHE].set_many(
            {page.key(generation, encoding): stored for encoding, stored in variants.items()},
            timeout=settings.PAGE_CACHE_SECONDS,
        )
    except Exception:
        logger.warning("Page cache unreachable; page not stored", exc_info=True)
