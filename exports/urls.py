"""The exports' addresses, under /export/ (uppfoljning/urls.py includes them there):

    /export/plan/<plan>.<pdf|docx|xlsx>                 the whole plan
    /export/plan/<plan>/mal/<number>.<pdf|docx|xlsx>    a goal
    /export/ansvariga/<body>.<pdf|docx|xlsx>            a responsible body

    /export/plan/<plan>/mal/<number>/cms/               a goal's CMS snippet: preview, code
    /export/plan/<plan>/mal/<number>/cms.html           the snippet as a file
    /export/plan/<plan>/mal/<number>/inbaddning/        the embeddable view
    /export/ansvariga/<body>/cms/, cms.html, inbaddning/  the same of a body

each with ?per=<period code> for the follow-up as of an earlier published period.
"""

from django.urls import path, register_converter

from exports import cms_views, views


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

# The CMS snippet (its page and its file) and the embeddable view of a goal and of a body
# (exports/cms_views.py), each with ?per=<period code> too.
urlpatterns += [
    path("plan/<slug:plan>/mal/<int:number>/cms/", cms_views.goal_cms, name="goal_cms"),
    path(
        "plan/<slug:plan>/mal/<int:number>/cms.html",
        cms_views.goal_cms_file,
        name="goal_cms_file",
    ),
    path(
        "plan/<slug:plan>/mal/<int:number>/inbaddning/",
        cms_views.goal_embed,
        name="goal_embed",
    ),
    path("ansvariga/<slug:body>/cms/", cms_views.body_cms, name="body_cms"),
    path("ansvariga/<slug:body>/cms.html", cms_views.body_cms_file, name="body_cms_file"),
    path("ansvariga/<slug:body>/inbaddning/", cms_views.body_embed, name="body_embed"),
]
