"""The CMS snippet: a goal's or a body's follow-up as clean HTML for the municipality's own
web pages, and the content of the embeddable view.

    content = goal_content(goal, as_of=period)       # exports/content.py
    html = snippet_html(content)                     # the snippet, as pasted
    style_hashes(html)                               # its style attributes, for a CSP

The snippet is templates/exports/cms_snippet.html: semantic markup (article, h2, h3, ul,
p), no script, no event attribute, no class; inline styles only on the status badges
(a border and the colour of the text, which a CMS that keeps styles shows and one that
drops them loses harmlessly: the badge carries the status in words and a shape); every
address absolute, under settings.PORTAL_URL. The embed view shows the same with its links
opening outside the frame (`link_target`) and its badges styled by classes, so that its
page allows no inline style at all; the snippet's own page shows the snippet as it is, and
allows exactly its style attributes (style_hashes()).
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from assignments.models import AssessmentStatus
from exports.content import ExportContent

TEMPLATE = "exports/cms_snippet.html"


SNIPPET_LEVELS = {"article": 2, "section": 3, "item": 4}  # pasted under a page's own h1
PAGE_LEVELS = {"article": 1, "section": 2, "item": 3}  # a page of its own: the embed view


def snippet_html(
    content: ExportContent,
    *,
    link_target: str = "",
    levels: dict = SNIPPET_LEVELS,
    inline_styles: bool = True,
) -> SafeString:
    """The snippet of `content`, its blank lines dropped (what a template's tags leave
    behind); `link_target` gives every link that target (the embed view: "_top"), `levels`
    its headings' levels; without `inline_styles` its badges take classes (static/css/
    embed.css) instead of style attributes."""
    context = {
        "content": content,
        "link_target": link_target,
        "levels": levels,
        "inline_styles": inline_styles,
        "statuses": list(AssessmentStatus),
    }
    html = render_to_string(TEMPLATE, context)
    # The template escaped every text; dropping whitespace-only lines keeps it so.
    return mark_safe("\n".join(line for line in html.splitlines() if line.strip()) + "\n")


class _StyleAttributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.styles: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.styles.update(value for name, value in attrs if name == "style" and value)

    handle_startendtag = handle_starttag


def style_hashes(html: str) -> list[str]:
    """The CSP source expression ('sha256-...') of each distinct style attribute in `html`,
    in a fixed order: with 'unsafe-hashes' in style-src-attr a page shows these and no
    other inline style (the preview and the embed view, under the portal's CSP)."""
    parser = _StyleAttributes()
    parser.feed(html)
    parser.close()
    return sorted(
        f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'"
        for style in parser.styles
    )
