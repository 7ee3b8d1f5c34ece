from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Follow-up – administration")
admin.site.site_title = _("Follow-up")
admin.site.index_title = _("Plans, goals and assessments")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ansvariga/", include("assignments.urls")),
    path("", include("goals.urls")),
]
