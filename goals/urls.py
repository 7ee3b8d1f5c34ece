from django.urls import path

from goals import views

app_name = "goals"

urlpatterns = [
    path("", views.home, name="home"),
    path("plan/<slug:plan>/", views.plan_detail, name="plan"),
    path("plan/<slug:plan>/mal/<int:number>-<slug:slug>/", views.goal_detail, name="goal"),
    path(
        "plan/<slug:plan>/mal/<int:number>-<slug:slug>/uppdrag/<int:assignment>/",
        views.assignment_detail,
        name="assignment",
    ),
]
