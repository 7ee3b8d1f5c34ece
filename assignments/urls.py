from django.urls import path

from assignments import views

app_name = "assignments"

urlpatterns = [
    path("", views.body_list, name="bodies"),
    path("<slug:body>/", views.body_detail, name="body"),
]
