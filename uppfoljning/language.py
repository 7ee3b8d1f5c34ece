"""The language of a page, read from its address alone: English under /en/, else Swedish.

The public pages have their own English addresses (i18n_patterns in uppfoljning/urls.py,
without a prefix for Swedish). Django's LocaleMiddleware would also read a language cookie
and the browser's Accept-Language, so that one address could answer in two languages (and
would have to say `Vary: Accept-Language`); here an address always answers in one language,
sets no cookie, and the page cache keys it by its path as it is. The staff pages have no
English address and stay Swedish.
"""

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
    the same page's address in each other language (with its query string)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    others = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        url = translate_url(path, code)
        info = get_language_info(code)
        others.append({"code": code, "name": info["name_local"], "url": url})
    return {"page_language": current, "other_languages": others}
