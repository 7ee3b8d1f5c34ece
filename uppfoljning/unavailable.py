"""The database cannot be reached: a clear Swedish 503 page, never a stack trace.

DatabaseUnavailableMiddleware turns a database connection error raised while a view
answers (or while its template renders) into the portal's 503 page with Retry-After.
Cached pages keep being served meanwhile (the page cache answers them before any view
runs), and the portal recovers by itself because Django opens a new connection for the
next request. The 503 page is rendered without the request's context, so it never needs
the database itself.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Answers the 503 page when a view fails because the database cannot be reached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable_response()
        return None


def database_unavailable_response() -> HttpResponse:
    """The 503 page, rendered without the database (no request context processors)."""
    try:
        html = render_to_string("503.html")
    except Exception:  # the page must never fail; plain text rather than a trace
        logger.exception("The 503 page could not be rendered")
        html = gettext("The service is temporarily unavailable. Please try again in a while.")
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response
