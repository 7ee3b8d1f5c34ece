"""Compressed public pages: Brotli or gzip, as the client's Accept-Encoding allows.

The page cache (uppfoljning/pagecache.py) stores every cached page three times, compressed
once when it is stored: plain ("identity"), gzip and Brotli, each with its own ETag (the
plain page's with the coding as a suffix: "abc" gives "abc-br"). A hit reads only the
variant the client takes. A public page that is not cached (the cache off, a HEAD, a
404) is compressed on the way out, in the one coding the client takes, to the same bytes.

Only citizens' public pages are ever compressed: they hold no secret, so BREACH has
nothing to find. Staff pages (the admin, anything with a session) never reach this module.

choose_encoding() reads Accept-Encoding with its q-values: of br and gzip the one with the
higher q (br when equal, so br whenever the client allows it as much as gzip), gzip's old
name x-gzip and `*` included; nothing acceptable, or identity asked for more strongly,
gives the plain page. A client that sends no Accept-Encoding gets the plain page.
"""

from __future__ import annotations

import functools
import gzip

import brotli
from django.http import HttpResponse

IDENTITY, GZIP, BROTLI = "identity", "gzip", "br"
ENCODINGS = (BROTLI, GZIP)  # the server's preference when the client's q-values are equal
# Brotli at a moderate quality: no slower than gzip at its default level, and about a
# quarter smaller (the large goal page, 330 KB: 15.5 KB against 20 KB, some 3 ms each).
# Qualities from 7 up take 3 to 150 times as long for another 3 to 10 %: too slow for the
# pages that are compressed per request (not cached); a cached page is compressed once.
BROTLI_QUALITY = 6
GZIP_LEVEL = 6
MIN_SIZE = 256  # bytes: smaller bodies are sent as they are
COMPRESSIBLE_TYPES = frozenset(
    {"application/json", "application/xml", "application/javascript", "image/svg+xml"}
)

Headers = list[tuple[str, str]]


@functools.lru_cache(maxsize=256)
def choose_encoding(accept_encoding: str) -> str:
    """The content coding to send for this Accept-Encoding: "br", "gzip" or "identity"."""
    qualities: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, _, parameters = item.partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        coding = GZIP if coding == "x-gzip" else coding
        quality = _quality(parameters)
        qualities[coding] = min(quality, qualities.get(coding, quality))
    anything = qualities.get("*", 0.0)
    best, best_quality = IDENTITY, 0.0
    for coding in ENCODINGS:
        quality = qualities.get(coding, anything)
        if quality > best_quality:
            best, best_quality = coding, quality
    if qualities.get(IDENTITY, 0.0) > best_quality:  # asked for more than any coding
        return IDENTITY
    return best


def _quality(parameters: str) -> float:
    """The q-value among a coding's parameters: 1 when absent, 0 when not a valid one."""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value.strip())
            except ValueError:
                return 0.0
            return quality if 0.0 <= quality <= 1.0 else 0.0  # NaN fails both
    return 1.0


def compress(body: bytes, encoding: str) -> bytes:
    """`body` compressed with `encoding` ("br" or "gzip"), always to the same bytes."""
    if encoding == BROTLI:
        return brotli.compress(body, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    if encoding == GZIP:
        return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    raise ValueError(f"unknown content coding {encoding!r}")


def is_compressible(content_type: str, body: bytes) -> bool:
    """Text worth compressing: HTML, JSON and other text of MIN_SIZE bytes or more."""
    media_type = content_type.partition(";")[0].strip().lower()
    text = (
        media_type.startswith("text/")
        or media_type in COMPRESSIBLE_TYPES
        or media_type.endswith(("+json", "+xml"))
    )
    return text and len(body) >= MIN_SIZE


def variant_etag(etag: str, encoding: str) -> str:
    """The ETag of the `encoding` variant of a page whose plain ETag is `etag`."""
    if encoding == IDENTITY or not etag.endswith('"'):
        return etag
    return f'{etag[:-1]}-{encoding}"'


def encoded(headers: Headers, body: bytes, encoding: str) -> tuple[Headers, bytes]:
    """The `encoding` variant of a plain response given as its headers and body.

    The plain response itself when the coding is identity, when the body is no text worth
    compressing, or when compressing would not make it smaller.
    """
    names = {name.lower(): value for name, value in headers}
    if (
        encoding == IDENTITY
        or "content-encoding" in names
        or not is_compressible(names.get("content-type", ""), body)
    ):
        return headers, body
    compressed = compress(body, encoding)
    if len(compressed) >= len(body):
        return headers, body
    changed = {"content-length": str(len(compressed))}
    if "etag" in names:
        changed["etag"] = variant_etag(names["etag"], encoding)
    variant = [(name, changed.get(name.lower(), value)) for name, value in headers]
    if "content-length" not in names:
        variant.append(("Content-Length", changed["content-length"]))
    variant.append(("Content-Encoding", encoding))
    return variant, compressed


def variants(headers: Headers, body: bytes) -> dict[str, tuple[Headers, bytes]]:
    """Every variant of a plain response: identity, br and gzip, each compressed once."""
    found = {IDENTITY: (headers, body)}
    for encoding in ENCODINGS:
        found[encoding] = encoded(headers, body, encoding)
    return found


def encode(response: HttpResponse, encoding: str) -> HttpResponse:
    """Compress a plain, complete response in place with `encoding` (when worth it)."""
    if encoding == IDENTITY or response.streaming:
        return response
    plain = response.content
    headers, body = encoded(list(response.items()), plain, encoding)
    if body is not plain:
        response.content = body
        for name, value in headers:
            response[name] = value
    return response
