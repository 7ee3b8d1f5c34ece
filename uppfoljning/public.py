"""What makes a view a public page: GET and HEAD only, and the query parameters it reads.

    @public_page(query={"status": AssessmentStatus.values})
    def goal_detail(request, ...): ...

- Every public page answers GET and HEAD; any other method gets the portal's own 405 page
  (in Swedish) with an `Allow` header, never Django's empty one.
- `query` names the query parameters the page's answer depends on: a mapping from each
  name to the values the page knows, or a sequence of names whose values are free. The page
  cache keys a page on these alone (uppfoljning/pagecache.py reads
  `view.page_query_params`), so that junk parameters (?utm_source=..., ?x=1, ...) and
  values the page does not know (?status=nonsense, shown as no filter) all share one
  cached page.
"""

import functools
from collections.abc import Collection, Iterable, Mapping

from django.shortcuts import render

ALLOWED_METHODS = ("GET", "HEAD")


QueryParams = Mapping[str, Collection[str] | None] | Iterable[str]


def public_page(*, query: QueryParams = ()):
    known = (
        {name: frozenset(values) if values is not None else None for name, values in query.items()}
        if isinstance(query, Mapping)
        else dict.fromkeys(query)
    )

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ALLOWED_METHODS:
                return method_not_allowed(request)
            return view(request, *args, **kwargs)

        wrapper.page_query_params = known
        # A public page accepts no form, so the CSRF check has nothing to protect: without
        # this, a POST got the CSRF failure page (403) instead of the 405 that says why.
        wrapper.csrf_exempt = True
        return wrapper

    return decorator


def method_not_allowed(request):
    response = render(request, "405.html", status=405)
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response
