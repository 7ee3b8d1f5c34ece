from django.urls import path

from goals import changes, explore, views

app_name = "goals"

urlpatterns = [
    path("", views.home, name="home"),
    path("uppdrag/", explore.assignment_list, name="assignments"),
    path("plan/<slug:plan>/", views.plan_detail, name="plan"),
    path("plan/<slug:plan>/andringar/", changes.plan_changes, name="changes"),
    path("plan/<slug:plan>/mal/<int:number>-<slug:slug>/", views.goal_detail, name="goal"),
    path(
        "plan/<slug:plan>/mal/<int:number>-<slug:slug>/uppdrag/<int:assignment>/",
        views.assignment_detail,
        name="assignment",
    ),
]
