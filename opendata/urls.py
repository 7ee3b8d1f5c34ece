from django.urls import path

from opendata import views

app_name = "opendata"

# Plans, periods and bodies are named by the format's codes, which may hold any character
# but none is empty: hence <path:...> (a code with "/" stays addressable).
urlpatterns = [
    path("", views.index, name="index"),
    path("uppfoljning.json", views.document, name="document"),
    path("uppfoljning.csv", views.csv_file, name="csv"),
    path("uppfoljning-1.schema.json", views.schema, name="schema"),
    path("dcat.rdf", views.dcat_catalogue, name="dcat"),
    path("flode.atom", views.portal_feed, name="feed"),
    path("bedomning/<int:pk>/", views.assessment, name="assessment"),
    path("plan/<path:plan>/uppfoljning.json", views.plan_document, name="plan_document"),
    path("plan/<path:plan>/uppfoljning.csv", views.plan_csv, name="plan_csv"),
    path("plan/<path:plan>/mal/<int:number>/flode.atom", views.goal_feed, name="goal_feed"),
    path("period/<path:period>/uppfoljning.json", views.period_document, name="period_document"),
    path("period/<path:period>/uppfoljning.csv", views.period_csv, name="period_csv"),
    path("ansvariga/<path:body>/flode.atom", views.body_feed, name="body_feed"),
]
