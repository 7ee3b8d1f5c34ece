"""The English interface: its own addresses under /en/, the language read from the address
alone (no cookie, no Accept-Language), a switch to the same page in the other language, and
the staff pages and documents that stay Swedish."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from tests.pages import ENGLISH, public_pages

pytestmark = pytest.mark.django_db


def english(url: str) -> str:
    return ENGLISH + url


def test_it_shows_the_interface_in_english_under_en(client, seed):
    portal = f.seed_portal()
    response = client.get(english(portal.goal.get_absolute_url()))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Responsible bodies" in html  # the menu, in English
    assert "Ansvariga nämnder" not in html
    # The municipality's own texts stay as written.
    assert portal.goal.title in html
    # A date in English.
    assert "August 2022" in html


def test_it_shows_swedish_at_the_plain_address_whatever_the_browser_asks(client, seed):
    portal = f.seed_portal()
    response = client.get(portal.goal.get_absolute_url(), headers={"Accept-Language": "en"})
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert response["Content-Language"] == "sv"
    assert "Accept-Language" not in response.get("Vary", "")
    assert "augusti 2022" in html


def test_it_links_each_page_to_itself_in_the_other_language(client, seed):
    portal = f.seed_portal()
    url = portal.goal.get_absolute_url() + "?status=delayed"
    swedish = client.get(url).content.decode()
    link = english(url).replace("&", "&amp;")
    assert f'href="{link}" hreflang="en" lang="en">English<' in swedish
    assert f'<link rel="alternate" hreflang="en" href="{english(url)}">' in swedish
    in_english = client.get(english(url)).content.decode()
    assert f'href="{url}" hreflang="sv" lang="sv">Svenska<' in in_english


def test_it_keeps_links_within_the_english_pages(client, seed):
    portal = f.seed_portal()
    html = client.get("/en/").content.decode()
    with translation.override("en"):
        goal_url = portal.goal.get_absolute_url()
        bodies_url = reverse("assignments:bodies")
    assert goal_url.startswith("/en/")
    assert f'href="{goal_url}"' in html
    assert f'href="{bodies_url}"' in html


def test_it_sets_no_cookie_in_either_language(client, seed):
    for url in public_pages(f.seed_portal()).values():
        addresses = [url] if url.startswith(ENGLISH + "/") else [url, english(url)]
        for address in addresses:
            response = client.get(address, headers={"Accept-Language": "en"})
            assert response.status_code == 200, address
            assert not response.cookies, address
            assert "Set-Cookie" not in response.headers, address


def test_it_has_no_english_address_for_the_staff_pages_and_documents(client, seed):
    portal = f.seed_portal()
    assert client.get("/en/admin/").status_code == 404
    assert client.get("/en/health/").status_code == 404
    assert client.get("/en/export/plan/" + portal.plan.slug + ".xlsx").status_code == 404
    response = client.get("/admin/login/", headers={"Accept-Language": "en"})
    assert '<html lang="sv"' in response.content.decode()


def test_it_answers_an_unknown_language_prefix_with_the_swedish_404(client, seed):
    response = client.get("/de/")
    assert response.status_code == 404
    assert '<html lang="sv">' in response.content.decode()
    response = client.get("/en/finns-inte/")
    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()


def test_it_keeps_only_the_pages_own_parameters_in_the_language_links(client, seed, page_cache):
    """The links are part of a cached page: a visitor's junk must not reach everyone."""
    url = f.seed_portal().goal.get_absolute_url()
    poisoned = client.get(url, {"utm_source": 'x"y', "status": "delayed"}).content.decode()
    clean = client.get(url, {"status": "delayed"}).content.decode()
    for html in (poisoned, clean):
        assert "utm_source" not in html
        assert f'href="{english(url)}?status=delayed" hreflang="en"' in html


def test_it_offers_no_language_link_where_the_other_language_has_no_page(client, seed):
    html = client.get("/finns-inte/alls/").content.decode()
    assert 'class="language-switch"' not in html
    assert 'rel="alternate" hreflang' not in html


def test_it_sends_the_language_link_along_with_an_htmx_fragment(client, seed):
    """htmx pushes the filtered address: the link to the other language follows it."""
    url = f.seed_portal().goal.get_absolute_url()
    html = client.get(url, {"status": "delayed"}, headers={"HX-Request": "true"}).content.decode()
    assert (
        f'<a id="language-switch-en" class="language-switch" href="{english(url)}?status=delayed"'
        in html
    )
    assert 'data-hx-swap-oob="true">English</a>' in html
    assert "data-hx-swap-oob" not in client.get(url).content.decode()
