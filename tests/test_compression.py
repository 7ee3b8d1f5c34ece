"""Compressed pages: citizens get Brotli or gzip as their Accept-Encoding allows, each
variant compressed once when the page is stored, with an ETag of its own; staff never."""

import gzip

import brotli
import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path

from goals.models import Goal
from uppfoljning import compression, pagecache
from uppfoljning.public import public_page
from uppfoljning.urls import urlpatterns as portal_urlpatterns

BOTH = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what a current browser sends
GZIP = {"Accept-Encoding": "gzip"}


def goal_url() -> str:
    return Goal.objects.get(number=5).get_absolute_url()


def decoded(response) -> bytes:
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.content)
    if encoding == "gzip":
        return gzip.decompress(response.content)
    assert encoding is None, encoding
    return response.content


# --------------------------------------------------------------------------- Accept-Encoding


@pytest.mark.parametrize(
    ("accept_encoding", "chosen"),
    [
        ("", "identity"),
        ("gzip", "gzip"),
        ("br", "br"),
        ("gzip, br", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("BR, GZIP", "br"),
        ("x-gzip", "gzip"),
        ("deflate", "identity"),
        ("zstd, deflate", "identity"),
        ("br;q=0, gzip", "gzip"),
        ("br; q=0, gzip ;q=0.5", "gzip"),
        ("gzip;q=0, br;q=0", "identity"),
        ("br;q=0.5, gzip;q=0.8", "gzip"),
        ("br;q=0.8, gzip;q=0.8", "br"),
        ("gzip;q=1.0, br;q=0.001", "gzip"),
        ("*", "br"),
        ("*;q=0", "identity"),
        ("gzip;q=0, *", "br"),
        ("br;q=0, *;q=0.5", "gzip"),
        ("identity", "identity"),
        ("identity, gzip", "gzip"),
        ("identity;q=1, gzip;q=0.5", "identity"),
        ("identity;q=0, gzip", "gzip"),
        ("br;q=x, gzip", "gzip"),  # a q-value that is none: not acceptable
        ("br;q=2, gzip", "gzip"),
        ("br;q=nan, gzip;q=-1", "identity"),
        ("br;level=3", "br"),  # other parameters mean nothing here
        (",, ; ,gzip", "gzip"),
    ],
)
def test_it_chooses_the_coding_by_the_clients_q_values(accept_encoding, chosen):
    assert compression.choose_encoding(accept_encoding) == chosen


def test_it_gives_each_variant_its_own_etag():
    assert compression.variant_etag('"abc"', "br") == '"abc-br"'
    assert compression.variant_etag('W/"abc"', "gzip") == 'W/"abc-gzip"'
    assert compression.variant_etag('"abc"', "identity") == '"abc"'


def test_it_compresses_to_the_same_bytes_every_time():
    text = "<p>Bedömningar per augusti 2022</p>".encode() * 200
    for encoding in compression.ENCODINGS:
        assert compression.compress(text, encoding) == compression.compress(text, encoding)
    assert gzip.decompress(compression.compress(text, "gzip")) == text
    assert brotli.decompress(compression.compress(text, "br")) == text


def test_it_leaves_small_and_binary_bodies_as_they_are():
    html = [("Content-Type", "text/html; charset=utf-8"), ("ETag", '"e"')]
    small = b"<p>kort</p>"
    assert compression.encoded(html, small, "br") == (html, small)
    png = [("Content-Type", "image/png")]
    picture = bytes(range(256)) * 10
    assert compression.encoded(png, picture, "gzip") == (png, picture)
    headers, body = compression.encoded(html, b"<p>lang sida</p>" * 100, "gzip")
    assert dict(headers)["Content-Encoding"] == "gzip"
    assert dict(headers)["ETag"] == '"e-gzip"'
    assert dict(headers)["Content-Length"] == str(len(body))


# --------------------------------------------------------------------------- cached pages


def test_it_serves_the_page_compressed_as_the_client_allows(client, seed, page_cache):
    plain = client.get(goal_url())
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain  # no Accept-Encoding: the plain page
    for headers, encoding in [(BOTH, "br"), (GZIP, "gzip"), ({}, None)]:
        for expected in ("hit", "hit"):
            response = client.get(goal_url(), headers=headers)
            assert response["X-Page-Cache"] == expected
            assert response.get("Content-Encoding") == encoding
            assert decoded(response) == plain.content
            assert int(response["Content-Length"]) == len(response.content)
            assert "Accept-Encoding" in response["Vary"]
            suffix = f"-{encoding}" if encoding else ""
            assert response["ETag"] == plain["ETag"][:-1] + suffix + '"'
    assert len(client.get(goal_url(), headers=BOTH).content) < len(plain.content) / 2


def test_it_compresses_each_variant_once_when_it_stores_the_page(
    client, seed, page_cache, monkeypatch, django_assert_num_queries
):
    calls = []
    compress = compression.compress

    def counting(body, encoding):
        calls.append(encoding)
        return compress(body, encoding)

    monkeypatch.setattr(compression, "compress", counting)
    first = client.get(goal_url(), headers=GZIP)
    assert first["X-Page-Cache"] == "miss"
    assert sorted(calls) == ["br", "gzip"]  # every variant, once
    url = goal_url()
    with django_assert_num_queries(0):
        for headers in (BOTH, GZIP, {}, BOTH):
            assert client.get(url, headers=headers)["X-Page-Cache"] == "hit"
    assert len(calls) == 2  # hits compress nothing

    page = pagecache.Page.of(client.get(url).wsgi_request)
    generation = pagecache.current_generation()
    stored = {e: cache.get(page.key(generation, e)) for e in ("identity", "gzip", "br")}
    assert all(stored.values())
    assert brotli.decompress(stored["br"][1]) == stored["identity"][1]


def test_it_answers_304_for_each_variant(client, seed, page_cache):
    etags = {}
    for headers in (BOTH, GZIP, {}):
        etags[headers.get("Accept-Encoding")] = client.get(goal_url(), headers=headers)["ETag"]
    assert len(set(etags.values())) == 3
    for cached in (False, True):
        if not cached:
            cache.clear()
        for headers in (BOTH, GZIP, {}):
            etag = etags[headers.get("Accept-Encoding")]
            response = client.get(goal_url(), headers=headers | {"If-None-Match": etag})
            assert response.status_code == 304, (headers, cached)
            assert response["ETag"] == etag
            assert "Accept-Encoding" in response["Vary"]
            assert response.content == b""
    # The gzip variant's ETag does not match the Brotli variant: the whole page again.
    other = client.get(goal_url(), headers=BOTH | {"If-None-Match": etags["gzip"]})
    assert other.status_code == 200
    assert other["Content-Encoding"] == "br"


def test_it_answers_head_with_the_headers_of_the_compressed_get(client, seed, page_cache):
    head = client.head(goal_url(), headers=BOTH)  # a miss, not stored
    assert head["X-Page-Cache"] == "miss"
    get = client.get(goal_url(), headers=BOTH)
    assert get["X-Page-Cache"] == "miss"
    again = client.head(goal_url(), headers=BOTH)
    assert again["X-Page-Cache"] == "hit"
    for response in (head, again):
        assert response.content == b""
        for name in ("Content-Encoding", "Content-Length", "ETag", "Vary", "Cache-Control"):
            assert response[name] == get[name], name


def test_it_compresses_the_open_data_document(client, seed, page_cache):
    plain = client.get("/oppna-data/uppfoljning.json")
    response = client.get("/oppna-data/uppfoljning.json", headers=BOTH)
    assert response["Content-Encoding"] == "br"
    assert response["Content-Type"].startswith("application/json")
    assert decoded(response) == plain.content


# --------------------------------------------------------------------------- uncached pages


def test_it_compresses_public_pages_also_with_the_page_cache_off(client, seed, settings):
    settings.PAGE_CACHE_SECONDS = 0
    plain = client.get(goal_url())
    response = client.get(goal_url(), headers=BOTH)
    assert "X-Page-Cache" not in response
    assert response["Content-Encoding"] == "br"
    assert decoded(response) == plain.content
    assert response["ETag"] == plain["ETag"][:-1] + '-br"'
    repeat = client.get(goal_url(), headers=BOTH | {"If-None-Match": response["ETag"]})
    assert repeat.status_code == 304


def test_it_compresses_a_page_that_skips_the_cache_to_the_stored_bytes(
    client, seed, page_cache, settings
):
    settings.PAGE_CACHE_BYPASS_HEADER = "X-Bench-Bypass-Cache"
    cached = client.get(goal_url(), headers=BOTH)
    uncached = client.get(goal_url(), headers=BOTH | {"X-Bench-Bypass-Cache": "1"})
    assert "X-Page-Cache" not in uncached
    assert uncached["Content-Encoding"] == "br"
    assert uncached.content == cached.content
    assert uncached["ETag"] == cached["ETag"]


def test_it_compresses_a_citizens_404_of_a_page_address(client, seed, page_cache):
    response = client.get("/plan/finns-inte/", headers=BOTH)
    assert response.status_code == 404
    assert response["Content-Encoding"] == "br"
    assert "Sidan kunde inte hittas" in decoded(response).decode()


# --------------------------------------------------------------------------- staff: never


def test_it_never_compresses_staff_pages(admin_client, client, seed, page_cache):
    for url in [goal_url(), "/admin/", "/admin/goals/goal/"]:
        response = admin_client.get(url, headers=BOTH)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url
    login = client.get("/admin/login/", headers=BOTH)  # holds a CSRF token
    assert login.status_code == 200
    assert "Content-Encoding" not in login
    assert "csrftoken" in login.cookies


@public_page()
def with_cookie(request):
    """A public page that sets a cookie (none of the portal's does): it is no public answer."""
    response = HttpResponse("<p>sida med kaka</p>" * 100)
    response.set_cookie("hemlig", "värde")
    return response


@public_page()
def private(request):
    response = HttpResponse("<p>privat sida</p>" * 100)
    response["Cache-Control"] = "private"
    return response


urlpatterns = [
    path("test/kaka/", with_cookie),
    path("test/privat/", private),
    *portal_urlpatterns,
]


def test_it_never_compresses_an_answer_that_sets_a_cookie_or_is_private(
    client, db, page_cache, settings
):
    settings.ROOT_URLCONF = __name__
    for url in ["/test/kaka/", "/test/privat/"]:
        for _ in range(2):
            response = client.get(url, headers=BOTH)
            assert response.status_code == 200, url
            assert "Content-Encoding" not in response, url
            assert "X-Page-Cache" not in response, url
            assert "s-maxage" not in response.get("Cache-Control", ""), url
