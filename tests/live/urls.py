"""The portal's addresses plus PING_PATH, the cheapest possible Django view."""

from django.http import HttpResponse
from django.urls import path

from tests.live.servers import PING_PATH
from uppfoljning.urls import urlpatterns as portal_urlpatterns


def ping(request):
    """A trivial view: what a request costs through the middleware with no work."""
    return HttpResponse(b"pong", content_type="text/plain")


urlpatterns = [path(PING_PATH.lstrip("/"), ping), *portal_urlpatterns]
