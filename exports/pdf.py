"""A page as a PDF: A4, print quality, tagged and accessible (PDF/UA-1), fonts embedded.

    pdf_bytes = render_pdf(content)   # content: exports.content.ExportContent

The HTML is templates/exports/pdf_document.html, rendered (and escaped) by Django's template
engine, laid out by WeasyPrint with exports/static/exports/export-pdf.css: the page's
sections and status badges (a shape, a colour and the status's text), a running header
(the organisation, the title) and footer (the date the data speaks for, the page's
permanent address, "Sida 3 av 12"), the document's language (sv) and title in its metadata.

WeasyPrint needs the system's Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0,
libharfbuzz-subset0) and a font (fonts-dejavu-core). It is imported on first use: where it
cannot load, render_pdf() raises PdfUnavailable, the PDF view answers with a Swedish 503
page, and everything else of the portal works as before.

Nothing is fetched while rendering: the template refers to no image, stylesheet or font by
address (the font comes from the system's fontconfig), and the URL fetcher refuses every
address should one ever appear. No script is written into the PDF.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from assignments.models import AssessmentStatus
from exports.content import ExportContent

logger = logging.getLogger(__name__)

STYLESHEET = Path(__file__).resolve().parent / "static" / "exports" / "export-pdf.css"
TEMPLATE = "exports/pdf_document.html"
PDF_VARIANT = "pdf/ua-1"
CONTENT_TYPE = "application/pdf"
# Where the footer's "Sida 3 av 12" shows the numbers (export-pdf.css's counters).
PAGE_NUMBER = mark_safe('<span class="page-number"></span>')
PAGE_COUNT = mark_safe('<span class="page-count"></span>')


class PdfUnavailable(Exception):
    """WeasyPrint (or the system libraries it needs) cannot be loaded on this server."""


def weasyprint_module():
    """The weasyprint module, imported now; PdfUnavailable when it cannot load (not
    installed, or Pango missing: WeasyPrint raises OSError when it cannot open it)."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        logger.warning("PDF exports are unavailable: WeasyPrint cannot load (%s)", error)
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def is_available() -> bool:
    """Whether a PDF can be made on this server."""
    try:
        weasyprint_module()
    except PdfUnavailable:
        return False
    return True


def render_html(content: ExportContent) -> str:
    """The document's HTML, as WeasyPrint lays it out."""
    context = {
        "content": content,
        "statuses": list(AssessmentStatus),
        "page_number": PAGE_NUMBER,
        "page_count": PAGE_COUNT,
    }
    return render_to_string(TEMPLATE, context)


def render_pdf(content: ExportContent) -> bytes:
    """The document as PDF/UA-1 bytes; PdfUnavailable when WeasyPrint cannot load."""
    weasyprint = weasyprint_module()
    html = weasyprint.HTML(string=render_html(content), url_fetcher=_url_fetcher(weasyprint))
    return html.write_pdf(stylesheets=[_stylesheet(weasyprint)], pdf_variant=PDF_VARIANT)


@functools.cache
def _stylesheet(weasyprint):
    """The stylesheet, parsed once per process."""
    return weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=_url_fetcher(weasyprint))


def _url_fetcher(weasyprint):
    """A URL fetcher that fetches nothing: the documents refer to nothing outside them."""
    fetcher_class = getattr(weasyprint, "URLFetcher", None)
    if fetcher_class is not None:  # WeasyPrint 68 and later
        return fetcher_class(allowed_protocols=(), fail_on_errors=False)

    def refuse(url, *args, **kwargs):
        raise ValueError(f"exports fetch nothing: {url}")

    return refuse
