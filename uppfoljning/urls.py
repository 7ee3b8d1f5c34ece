from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from uppfoljning import health, views

admin.site.site_header = _("Follow-up – administration")
admin.site.site_title = _("Follow-up")
admin.site.index_title = _("Plans, goals and assessments")

urlpatterns = [
    path("admin/rapportering/", include("reporting.urls")),
    path("admin/", admin.site.urls),
    path("health/", health.health, name="health"),
    path("ansvariga/", include("assignments.urls")),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("om-kakor/", views.cookies, name="cookies"),
    path("oppna-data/", include("opendata.urls")),
    path("", include("goals.urls")),
]
