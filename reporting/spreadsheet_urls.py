"""The spreadsheet round trip's addresses, included in the "reporting" namespace (at
kalkylblad/ by reporting/urls.py): reverse("reporting:spreadsheet") and so on."""

from django.urls import path

from reporting import spreadsheet_views as views

urlpatterns = [
    path("", views.spreadsheet_page, name="spreadsheet"),
    path("ladda-ner/", views.download, name="spreadsheet-download"),
    path("ladda-upp/", views.upload, name="spreadsheet-upload"),
    path("spara/", views.apply, name="spreadsheet-apply"),
]
