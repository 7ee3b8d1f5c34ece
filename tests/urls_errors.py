"""The project's URLs plus views that fail, for testing the error pages."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from uppfoljning.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("secret detail of a failure")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("test/broken/", broken),
    path("test/forbidden/", forbidden),
    *project_urlpatterns,
]
