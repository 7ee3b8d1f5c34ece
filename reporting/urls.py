"""The reporting round's staff pages, under /admin/rapportering/ (uppfoljning/urls.py):
Att rapportera and the coordinator's overview, each wrapped in the admin's login check and
never cached; and the spreadsheet round trip (reporting/spreadsheet_urls.py), whose views
are wrapped where they are written."""

from django.contrib import admin
from django.urls import include, path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", admin.site.admin_view(views.to_report), name="to_report"),
    path("oversikt/", admin.site.admin_view(views.overview), name="overview"),
    path("kalkylblad/", include("reporting.spreadsheet_urls")),
    path(
        "forhandsvisning/<slug:plan>/mal/<int:number>/",
        admin.site.admin_view(views.preview),
        name="preview",
    ),
]
