"""The exports' addresses, under /export/ (uppfoljning/urls.py includes them there):

    /export/plan/<plan>.<pdf|docx|xlsx>                 the whole plan
    /export/plan/<plan>/mal/<number>.<pdf|docx|xlsx>    a goal
    /export/ansvariga/<body>.<pdf|docx|xlsx>            a responsible body

each with ?per=<period code> for the follow-up as of an earlier published period.
"""

from django.urls import path, register_converter

from exports import views


class FormatConverter:
    """The file formats the exports make: an address with any other suffix is a 404."""

    regex = "|".join(views.FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "export_format")

app_name = "exports"

urlpatterns = [
    path("plan/<slug:plan>.<export_format:extension>", views.plan_export, name="plan"),
    path(
        "plan/<slug:plan>/mal/<int:number>.<export_format:extension>",
        views.goal_export,
        name="goal",
    ),
    path("ansvariga/<slug:body>.<export_format:extension>", views.body_export, name="body"),
]
