from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from reporting.views import admin_start
from uppfoljning import health, views

admin.site.site_header = _("Follow-up – administration")
admin.site.site_title = _("Follow-up")
admin.site.index_title = _("Plans, goals and assessments")

urlpatterns = [
    path("admin/rapportering/", include("reporting.urls")),
    # An official starts on Att rapportera; the rest of the admin is admin.site's.
    path("admin/", admin.site.admin_view(admin_start)),
    path("admin/", admin.site.urls),
    path("health/", health.health, name="health"),
    # The documents for the council and the CMS are Swedish: they have no English address.
    path("export/", include("exports.urls")),
]

# The public pages: Swedish at their own addresses, English under /en/ (the interface only;
# the municipality's texts stay as written). uppfoljning/language.py reads the language
# from the address alone: no cookie, no Accept-Language.
urlpatterns += i18n_patterns(
    path("ansvariga/", include("assignments.urls")),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("om-kakor/", views.cookies, name="cookies"),
    path("oppna-data/", include("opendata.urls")),
    path("", include("goals.urls")),
    prefix_default_language=False,
)
