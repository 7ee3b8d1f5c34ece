"""The language of a page, read from its address alone: English under /en/, else Swedish.

The public pages have their own English addresses (i18n_patterns in uppfoljning/urls.py,
without a prefix for Swedish). Django's LocaleMiddleware would also read a language cookie
and the browser's Accept-Language, so that one address could answer in two languages (and
would have to say `Vary: Accept-Language`); here an address always answers in one language,
sets no cookie, and the page cache keys it by its path as it is. The staff pages have no
English address and stay Swedish.
"""

import functools

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_info


def language_of(path: str) -> str:
    """The language of the page at `path`: the prefix's ("/en/..."), else the default."""
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE and (path == f"/{code}" or path.startswith(f"/{code}/")):
            return code
    return settings.LANGUAGE_CODE


class PathLanguageMiddleware:
    """Activates the language of the request's path while the request is answered: before
    the page cache looks it up (resolving an /en/ address needs English active), and for
    the view and its templates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of(request.path_info)
        request.LANGUAGE_CODE = language
        # Only for this request: the thread's next one starts from the default again.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def languages(request):
    """Template context: the page's language and, for the switch and the alternate links,
    the same page's address in each other language, with the query the page read (its
    known parameters, as the page cache keyed it: never a visitor's junk, which a cached
    page would hand to everyone). No link where the address has no page in the other
    language (a 404 page's)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    query = request.GET.urlencode()
    path = request.path
    remembered = len(path) <= MAX_REMEMBERED_PATH
    others = []
    for code, name in _other_languages(current):
        url = (_address_in if remembered else _address_in.__wrapped__)(path, current, code)
        if url is not None:
            others.append({"code": code, "name": name, "url": f"{url}?{query}" if query else url})
    return {"page_language": current, "other_languages": others}


# Longer addresses (junk, as a rule) are translated each time, not remembered.
MAX_REMEMBERED_PATH = 300


@functools.lru_cache(maxsize=8)
def _other_languages(current: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (code, get_language_info(code)["name_local"])
        for code, _name in settings.LANGUAGES
        if code != current
    )


@functools.lru_cache(maxsize=4096)
def _address_in(path: str, current: str, code: str) -> str | None:
    """The page at `path` (in the language `current`) in the language `code`, or None when
    it has none there: Django's translate_url() (a resolve and a reverse, which answers
    the same path when it finds no page), remembered, as the address patterns do not
    change while the server runs."""
    translated = translate_url(path, code)
    return None if translated == path else translated
