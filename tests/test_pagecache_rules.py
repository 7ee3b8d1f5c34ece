"""The page cache's rules, with views of this module's own: which addresses are pages, and
which staff writes leave citizens' pages cached (tests/test_pagecache.py has the portal's).
"""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path

from uppfoljning import pagecache
from uppfoljning.public import public_page
from uppfoljning.urls import urlpatterns as portal_urlpatterns


def plain(request):
    """A view that is no public page (not marked with public_page)."""
    return HttpResponse(f"vanlig vy {request.GET.urlencode()}")


@public_page(query=("vy", "sida"))
def listing(request):
    """A public page that reads two query parameters, and shows what it was given."""
    return HttpResponse(f"lista {request.GET.urlencode()}")


def save_draft(request):
    """A staff write that touches no published content."""
    pagecache.leave_pages_cached(request)
    return HttpResponse("utkast sparat")


def save(request):
    """A staff write that says nothing: it may have changed published content."""
    return HttpResponse("sparat")


urlpatterns = [
    path("test/vanlig/", plain),
    path("test/lista/", listing),
    path("test/utkast/", save_draft),
    path("test/spara/", save),
    *portal_urlpatterns,
]


@pytest.fixture
def test_views(settings, page_cache):
    settings.ROOT_URLCONF = __name__


def test_it_caches_only_the_addresses_of_public_pages(client, db, test_views):
    for url in ["/test/vanlig/", "/test/vanlig/?a=1", "/test/finns-inte/"]:
        for _ in range(2):
            assert "X-Page-Cache" not in client.get(url), url
    assert client.get("/test/lista/")["X-Page-Cache"] == "miss"
    assert client.get("/test/lista/")["X-Page-Cache"] == "hit"


def test_it_gives_the_page_only_the_query_its_key_holds(client, db, test_views):
    first = client.get("/test/lista/?utm_source=x&vy=karta&sida=2&sida=3")
    assert first["X-Page-Cache"] == "miss"
    assert first.content == b"lista sida=3&vy=karta"  # known parameters, last value, sorted
    for same in ["/test/lista/?sida=3&vy=karta", "/test/lista/?vy=karta&sida=1&sida=3&z=9"]:
        response = client.get(same)
        assert response["X-Page-Cache"] == "hit", same
        assert response.content == first.content, same
    assert client.get("/test/lista/?vy=lista&sida=3")["X-Page-Cache"] == "miss"


def test_it_keeps_pages_cached_after_a_write_that_leaves_them(client, admin_client, test_views):
    assert client.get("/test/lista/")["X-Page-Cache"] == "miss"
    assert admin_client.post("/test/utkast/").status_code == 200
    assert client.get("/test/lista/")["X-Page-Cache"] == "hit"

    assert admin_client.post("/test/spara/").status_code == 200  # the safe default
    assert client.get("/test/lista/")["X-Page-Cache"] == "miss"


def test_it_leaves_pages_cached_when_a_request_says_so(rf, admin_user, page_cache):
    request = rf.post("/admin/assignments/assessment/1/change/")
    request.user = admin_user
    response = HttpResponse(status=302)
    assert pagecache.is_content_change(request, response)
    pagecache.leave_pages_cached(request)
    assert not pagecache.is_content_change(request, response)
    cache.clear()


def test_it_never_caches_an_overlong_free_value(client, db, test_views):
    url = "/test/lista/?vy=" + "x" * (pagecache.MAX_QUERY_VALUE_LENGTH + 1)
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


def test_it_answers_an_overlong_free_value_as_a_public_page_all_the_same(client, db, test_views):
    """Not stored, but with a public page's headers, compressed, and htmx's answer kept
    apart: a long search is still a page anyone may get."""
    url = "/test/lista/?vy=" + "x" * (pagecache.MAX_QUERY_VALUE_LENGTH + 1)
    response = client.get(url)
    assert response.status_code == 200
    assert "Accept-Encoding" in response["Vary"]
    assert response["ETag"]
    assert response["Cache-Control"] == pagecache.public_cache_control(200)
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment["Cache-Control"] == pagecache.public_cache_control(200, shared=False)
