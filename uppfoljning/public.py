"""What makes a view a public page: GET and HEAD only, and the query parameters it reads.

    @public_page(query=("status",))
    def goal_detail(request, ...): ...

- Every public page answers GET and HEAD; any other method gets the portal's own 405 page
  (in Swedish) with an `Allow` header, never Django's empty one.
- `query` names the query parameters the page's answer depends on. The page cache keys a
  page on these alone (uppfoljning/pagecache.py reads `view.page_query_params`), so that
  junk parameters (?utm_source=..., ?x=1, ?x=2, ...) all share one cached page.
"""

import functools

from django.shortcuts import render

ALLOWED_METHODS = ("GET", "HEAD")


def public_page(*, query: tuple[str, ...] = ()):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ALLOWED_METHODS:
                return method_not_allowed(request)
            return view(request, *args, **kwargs)

        wrapper.page_query_params = tuple(query)
        return wrapper

    return decorator


def method_not_allowed(request):
    response = render(request, "405.html", status=405)
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response
