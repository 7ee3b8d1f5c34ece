"""One template serves a page and, to htmx, the fragment it swaps."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page_or_fragment(request, template: str, context: dict, *, fragment: str):
    """The whole page, or only its `{% partialdef fragment %}` when htmx asks for it.

    The answer varies with the HX-Request header, so caches keep the two apart.
    """
    name = f"{template}#{fragment}" if request.htmx else template
    response = render(request, name, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
