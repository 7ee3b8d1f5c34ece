"""The CMS snippet and the embeddable view of a goal and of a body, as public pages:

    /export/plan/<plan>/mal/<n>/cms/          the snippet: a preview, the code to copy, the
    /export/ansvariga/<body>/cms/             embed code, and a choice of period
    .../cms.html                              the snippet as a file to download
    .../inbaddning/                           the embeddable view, for the municipality's
                                              own websites to frame

each with ?per=<period code> as of an earlier published period (exports.views.period_asked:
a code that names no published period is the Swedish 404 page). GET and HEAD only, no
cookies, cached by the page cache like every public page.

Security headers. The portal's Content-Security-Policy allows no inline style; the
snippet's page shows the snippet as pasted, badges with their inline styles, so it allows
exactly those style attributes ('unsafe-hashes' and each one's hash) and no other. The
embed view styles its badges by classes (static/css/embed.css) and allows no inline style,
no script, no form and no connection.
Framing is denied everywhere (CSP frame-ancestors 'none', X-Frame-Options DENY) except on
the embed view when settings.FRAME_ANCESTORS names the sites that may frame it: then its
frame-ancestors are 'self' and those origins, and it sends no X-Frame-Options (which
cannot name sites). Each policy is written into the response's own header, not only set
as django.views.decorators.csp.csp_override() sets it (an attribute of the response that
ContentSecurityPolicyMiddleware reads): the page cache stores a page's headers, not its
attributes, and the middleware keeps a header it finds, so a page served from the cache
carries its own policy too.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.csp import CSP, build_policy
from django.utils.translation import gettext

from assignments.models import ResponsibleBody
from exports.cms import PAGE_LEVELS, snippet_html, style_hashes
from exports.content import ExportContent, body_content, goal_content, portal_url
from exports.views import PERIOD_PARAMETER, attachment, period_asked
from goals.models import Goal, PeriodState, ReportingPeriod
from uppfoljning.public import public_page

EMBED_TARGET = "_top"  # a link in the frame opens the portal's page instead of the CMS page


# --------------------------------------------------------------------------- the policies


def policy_with_styles(html: str, **directives) -> dict:
    """The portal's CSP (settings.SECURE_CSP), with `directives` replaced, that also allows
    the style attributes of `html` and no other inline style."""
    return {
        **settings.SECURE_CSP,
        "style-src-attr": [CSP.UNSAFE_HASHES, *style_hashes(html)],
        **directives,
    }


def embed_frame_ancestors() -> list[str]:
    """Who may frame the embed view: the portal itself and the sites FRAME_ANCESTORS names;
    nobody ('none') when it names none."""
    sites = list(settings.FRAME_ANCESTORS)
    return [CSP.SELF, *sites] if sites else [CSP.NONE]


def with_policy(response: HttpResponse, policy: dict) -> HttpResponse:
    """`policy` as the response's CSP: as csp_override() sets it, and in the header itself
    (kept by the page cache, which stores headers; see the module)."""
    response._csp_config = policy
    response[str(CSP.HEADER_ENFORCE)] = build_policy(policy)
    return response


def frameable_by_own_sites(view):
    """For the embed view: no X-Frame-Options when FRAME_ANCESTORS names sites (CSP
    frame-ancestors names them; X-Frame-Options could only deny them); DENY, as everywhere,
    when it names none."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if settings.FRAME_ANCESTORS:
            response.xframe_options_exempt = True  # as @xframe_options_exempt does
        return response

    return wrapper


# --------------------------------------------------------------------------- the views


def _goal(plan: str, number: int) -> Goal:
    return get_object_or_404(
        Goal.objects.published().select_related("plan"), plan__slug=plan, number=number
    )


def _goal_page(request, plan, number) -> tuple[ExportContent, list]:
    period = period_asked(request)
    goal = _goal(plan, number)
    breadcrumbs = [
        (goal.plan.name, goal.plan.get_absolute_url()),
        (gettext("Goal %(number)s") % {"number": goal.number}, goal.get_absolute_url()),
    ]
    return goal_content(goal, as_of=period), breadcrumbs


def _body_page(request, body) -> tuple[ExportContent, list]:
    period = period_asked(request)
    body = get_object_or_404(ResponsibleBody, slug=body)
    breadcrumbs = [
        (gettext("Responsible bodies"), reverse("assignments:bodies")),
        (body.name, body.get_absolute_url()),
    ]
    return body_content(body, as_of=period), breadcrumbs


@public_page(query=[PERIOD_PARAMETER])
def goal_cms(request, plan, number):
    return cms_page(request, *_goal_page(request, plan, number))


@public_page(query=[PERIOD_PARAMETER])
def body_cms(request, body):
    return cms_page(request, *_body_page(request, body))


@public_page(query=[PERIOD_PARAMETER])
def goal_cms_file(request, plan, number):
    return cms_file(_goal_page(request, plan, number)[0])


@public_page(query=[PERIOD_PARAMETER])
def body_cms_file(request, body):
    return cms_file(_body_page(request, body)[0])


@public_page(query=[PERIOD_PARAMETER])
@frameable_by_own_sites
def goal_embed(request, plan, number):
    return embed_page(request, _goal_page(request, plan, number)[0])


@public_page(query=[PERIOD_PARAMETER])
@frameable_by_own_sites
def body_embed(request, body):
    return embed_page(request, _body_page(request, body)[0])


# --------------------------------------------------------------------------- the answers


def _sibling(request, kind: str, *, absolute: bool = False) -> str:
    """The address of this page's `kind` ("cms", "cms_file", "embed") for the same goal or
    body and period."""
    match = request.resolver_match
    owner = match.url_name.split("_", 1)[0]  # "goal" or "body"
    url = reverse(f"exports:{owner}_{kind}", kwargs=match.kwargs)
    code = request.GET.get(PERIOD_PARAMETER)
    if code:
        url += "?" + urlencode({PERIOD_PARAMETER: code})
    return portal_url(url) if absolute else url


def cms_page(request, content: ExportContent, breadcrumbs: list) -> HttpResponse:
    """The snippet's page: its preview, its code and the embed code to copy, a period to
    choose."""
    snippet = snippet_html(content)
    embed_url = _sibling(request, "embed", absolute=True)
    title = gettext("Code for the website: %(title)s") % {"title": content.title}
    context = {
        "content": content,
        "snippet": snippet,
        "file_url": _sibling(request, "cms_file"),
        "embed_url": embed_url,
        "iframe_code": render_to_string(
            "exports/cms_iframe.html", {"embed_url": embed_url, "title": content.title}
        ).strip(),
        "frame_ancestors": settings.FRAME_ANCESTORS,
        "period": content.period,
        "periods": list(
            ReportingPeriod.objects.filter(state=PeriodState.PUBLISHED).order_by("-date")
        ),
        "breadcrumbs": [*breadcrumbs, (gettext("Code for the website"), request.path)],
        "cms_title": title,
        "share_title": title,
        "meta_description": gettext(
            "HTML code and an embeddable view of %(title)s, to show the follow-up on the "
            "municipality's own website."
        )
        % {"title": content.title},
    }
    response = render(request, "exports/cms_page.html", context)
    return with_policy(response, policy_with_styles(snippet))


def cms_file(content: ExportContent) -> HttpResponse:
    """The snippet as an HTML file to download, with a Swedish name."""
    response = HttpResponse(snippet_html(content), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = attachment(
        content.file_name("html"), content.ascii_file_name("html")
    )
    return response


def embed_page(request, content: ExportContent) -> HttpResponse:
    """The embed view: the snippet as a compact page of its own, without script, inline
    style or cookie, that the sites FRAME_ANCESTORS names may frame."""
    snippet = snippet_html(
        content, link_target=EMBED_TARGET, levels=PAGE_LEVELS, inline_styles=False
    )
    response = render(
        request,
        "exports/embed_page.html",
        {"content": content, "snippet": snippet, "link_target": EMBED_TARGET},
    )
    policy = {
        **settings.SECURE_CSP,
        "script-src": [CSP.NONE],
        "connect-src": [CSP.NONE],
        "form-action": [CSP.NONE],
        "frame-ancestors": embed_frame_ancestors(),
    }
    return with_policy(response, policy)
