"""The portal's addresses plus /bench/ping/, the cheapest possible Django view."""

from django.http import HttpResponse
from django.urls import path

from uppfoljning.urls import urlpatterns as portal_urlpatterns


def ping(request):
    """A trivial view: what a request costs through the middleware with no work."""
    return HttpResponse(b"pong", content_type="text/plain")


urlpatterns = [path("bench/ping/", ping), *portal_urlpatterns]
