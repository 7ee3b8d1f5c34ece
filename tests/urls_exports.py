"""The portal's addresses with the exports' (/export/...), for tests/test_exports.py until
uppfoljning/urls.py includes them itself."""

from django.urls import include, path

from uppfoljning.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("export/", include("exports.urls")),
    *portal_urlpatterns,
]
