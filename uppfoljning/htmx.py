"""One template serves a page and, to htmx, the fragment it swaps."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers

# The request headers an answer of render_page_or_fragment depends on.
VARY_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def render_page_or_fragment(request, template: str, context: dict, *, fragment: str):
    """The whole page, or only its `{% partialdef fragment %}` when htmx asks for it.

    A history restore (htmx re-fetching a page for the back button) gets the whole page. The
    answer varies with both htmx headers, so caches keep the three kinds of answer apart.
    The template learns which it renders from `is_fragment` (a fragment sends its
    out-of-band parts along; the whole page has them in place already). The pages rendered
    here are the ones that use htmx: base.html loads htmx (`uses_htmx`) on them only.
    """
    wants_fragment = bool(request.htmx and not request.htmx.history_restore_request)
    name = f"{template}#{fragment}" if wants_fragment else template
    response = render(request, name, {**context, "is_fragment": wants_fragment, "uses_htmx": True})
    patch_vary_headers(response, VARY_HEADERS)
    return response
