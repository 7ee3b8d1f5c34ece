"""/health/: whether this server process can reach the database and the cache.

For the load balancer in front of several app servers (and for monitoring): 200 with
{"status": "ok", "database": "ok", "cache": "ok"} when both answer, 503 naming what failed
otherwise, e.g. {"status": "unavailable", "database": "unavailable", "cache": "ok"}. The
database is asked a trivial query; the cache gets a key set and read back (the "default"
cache: Redis or the cache folder, where the pages and the content generation live).

The answer is never stored anywhere (no-store; it is no public page, so the page cache
passes it by), sets no cookie, and answers GET and HEAD only. It reads no session, no user
and no CSRF token, and it is exempt from the HTTPS redirect (the load balancer asks each
server over plain HTTP; settings.SECURE_REDIRECT_EXEMPT). What failed is logged, not shown.
"""

from __future__ import annotations

import logging
import secrets

from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)

OK, UNAVAILABLE = "ok", "unavailable"


def database_reachable(alias: str = "default") -> bool:
    """Whether the database answers a trivial query."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as error:
        logger.error("Health check: the database cannot be reached: %r", error)
        return False


def cache_reachable(alias: str = "default") -> bool:
    """Whether the cache keeps a key: set, read back and removed (a key of this check's own,
    so that simultaneous checks of several processes never read each other's)."""
    key, token = f"health:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache = caches[alias]
        cache.set(key, token, timeout=10)
        kept = cache.get(key) == token
        cache.delete(key)
    except Exception as error:
        logger.error("Health check: the cache cannot be reached: %r", error)
        return False
    if not kept:
        logger.error("Health check: the cache did not keep a key")
    return kept


@csrf_exempt
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405, content_type="text/plain")
        response["Allow"] = "GET, HEAD"
        return response
    checks = {
        "database": OK if database_reachable() else UNAVAILABLE,
        "cache": OK if cache_reachable() else UNAVAILABLE,
    }
    healthy = all(result == OK for result in checks.values())
    return JsonResponse(
        {"status": OK if healthy else UNAVAILABLE, **checks}, status=200 if healthy else 503
    )
