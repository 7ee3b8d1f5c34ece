"""One template serves a page and, to htmx, the fragment it swaps."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page_or_fragment(request, template: str, context: dict, *, fragment: str):
    """The whole page, or only its `{% partialdef fragment %}` when htmx asks for it.

    A history restore (htmx re-fetching a page for the back button) gets the whole page. The
    answer varies with the HX-Request header, so caches keep the two apart.
    """
    wants_fragment = request.htmx and not request.htmx.history_restore_request
    name = f"{template}#{fragment}" if wants_fragment else template
    response = render(request, name, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
