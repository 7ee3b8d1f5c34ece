"""The exports as public pages: a goal, a body or a whole plan as PDF, Word or Excel.

GET and HEAD only, no cookies, cached like every public page (uppfoljning.public): the page
cache keys an export on its address and `?per=`, and a content change replaces it. What
each holds is exports/content.py's; each format is a module of its own. An unknown plan,
goal, body or period, an unpublished goal or plan, and a `?per=` that names no published
period are the portal's Swedish 404 page; a PDF where WeasyPrint cannot load is a Swedish
503 page that offers the other formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from assignments.models import ResponsibleBody
from exports import docx, pdf, xlsx
from exports.content import ExportContent, body_content, goal_content, plan_content
from goals.models import Goal, Plan

# `?per=`: the one rule of which published period a page or a file shows.
from goals.periods import PARAMETER as PERIOD_PARAMETER
from goals.periods import period_asked
from uppfoljning.public import public_page


@dataclass(frozen=True)
class Format:
    render: Callable[[ExportContent], bytes]
    content_type: str


FORMATS = {
    "pdf": Format(pdf.render_pdf, pdf.CONTENT_TYPE),
    "docx": Format(docx.render_docx, docx.CONTENT_TYPE),
    "xlsx": Format(xlsx.render_xlsx, xlsx.CONTENT_TYPE),
}


@public_page(query=[PERIOD_PARAMETER])
def goal_export(request, plan, number, extension):
    period = period_asked(request)
    goal = get_object_or_404(
        Goal.objects.published().select_related("plan"), plan__slug=plan, number=number
    )
    return export_response(request, goal_content(goal, as_of=period), extension)


@public_page(query=[PERIOD_PARAMETER])
def plan_export(request, plan, extension):
    period = period_asked(request)
    plan = get_object_or_404(Plan.objects.published(), slug=plan)
    return export_response(request, plan_content(plan, as_of=period), extension)


@public_page(query=[PERIOD_PARAMETER])
def body_export(request, body, extension):
    period = period_asked(request)
    body = get_object_or_404(ResponsibleBody, slug=body)
    return export_response(request, body_content(body, as_of=period), extension)


def export_response(request, content: ExportContent, extension: str) -> HttpResponse:
    """The file, as a download with a Swedish name; the 503 page when the PDF cannot be
    made on this server."""
    chosen = FORMATS[extension]
    try:
        body = chosen.render(content)
    except pdf.PdfUnavailable:
        return pdf_unavailable(request, content)
    response = HttpResponse(body, content_type=chosen.content_type)
    response["Content-Disposition"] = attachment(
        content.file_name(extension), content.ascii_file_name(extension)
    )
    return response


def pdf_unavailable(request, content: ExportContent) -> HttpResponse:
    """The Swedish 503 page: no PDF here now, but the same as Word or Excel."""
    name = request.resolver_match.url_name
    kwargs = {**request.resolver_match.kwargs}
    query = request.META.get("QUERY_STRING", "")
    others = []
    for extension in ("docx", "xlsx"):
        url = reverse(f"exports:{name}", kwargs={**kwargs, "extension": extension})
        others.append((extension, f"{url}?{query}" if query else url))
    response = render(
        request,
        "exports/pdf_unavailable.html",
        {"content": content, "others": others},
        status=503,
    )
    response["Retry-After"] = "3600"
    return response


def attachment(name: str, ascii_name: str) -> str:
    """Content-Disposition of a download: the ASCII name for every client, and the
    Swedish name (RFC 6266's filename*) for those that read it."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
