"""The public pages render the same HTML as they did before the renderer was made fast,
apart from whitespace: every public page type (tests/pages.py) and the htmx fragments of
the goal and body pages, for the seed and for a generated portal, against the snapshots in
tests/snapshots/.

Each snapshot holds a page with every run of whitespace collapsed to one space, one tag per
line (the line breaks are not part of the page). Two comparisons are made:

- the markup, with the whitespace next to every tag dropped as well, so that templates
  may be laid out differently;
- the text a reader gets (tags removed: inline ones such as <a> and <span> without a
  trace, the others as a space), so that a space between two inline elements, which the
  first comparison cannot see, is not lost either ("5. Titel", never "5.Titel").

The snapshots were made from the templates as they were before the optimisation. When a
page is meant to change, regenerate them with

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_render_unchanged.py

and review the diff of tests/snapshots/. They are the same on SQLite and on PostgreSQL: no
primary key appears in a page.
"""

import difflib
import os
import re
from pathlib import Path

import pytest
from django.test import Client

from assignments.models import AssessmentStatus, ResponsibleBody
from tests import factories as f
from tests.pages import FILTER_STATUS, NOT_FOUND, OPEN_DATA, Portal, public_pages

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.getenv("UPDATE_SNAPSHOTS", "") == "1"
HTMX = {"HX-Request": "true"}
SEARCHED_PAGE = "assignments searched"

# Elements that flow within a line of text: removed without a trace when the text is read.
INLINE = r"a|abbr|b|code|em|i|small|span|strong|time|svg|circle|path|rect"


# --------------------------------------------------------------------------- normalising


def collapse(html: str) -> str:
    """Every run of whitespace as one space, none at the ends."""
    return re.sub(r"\s+", " ", html).strip()


def markup(collapsed: str) -> str:
    """The page with no whitespace between tags, nor between a tag and text."""
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", collapsed)


def reading(collapsed: str) -> str:
    """The text a reader gets: inline tags removed, other tags read as a space."""
    text = re.sub(rf"</?(?:{INLINE})\b[^>]*>", "", collapsed)
    text = re.sub(r"<[^>]+>", " ", text)
    return collapse(text)


def to_file(collapsed: str) -> str:
    """One tag per line: a line break before every tag that follows another tag (and
    before the space between them, if any)."""
    return re.sub(r">( ?)<", lambda m: f">\n{m.group(1)}<", collapsed) + "\n"


def from_file(text: str) -> str:
    return text.replace("\n", "")


# --------------------------------------------------------------------------- pages


def page_requests(portal: Portal) -> dict[str, tuple[str, dict]]:
    """Every public page type but the open-data document (JSON, not rendered by a template)
    and the searched assignments (ranked by PostgreSQL's full-text search, in display order
    on SQLite: tests/test_explore.py checks both), the htmx fragments of the goal and body
    pages, the 404 page, and the lists filtered by a status that nothing in the portal has,
    by a file name."""
    pages = {
        name.replace(" ", "-"): (url, {})
        for name, url in public_pages(portal).items()
        if name not in (OPEN_DATA, SEARCHED_PAGE)
    }
    goal, body = portal.goal.get_absolute_url(), portal.body.get_absolute_url()
    status = f"?status={FILTER_STATUS}"
    pages |= {
        "goal-fragment": (goal, HTMX),
        "goal-filtered-fragment": (goal + status, HTMX),
        "body-fragment": (body, HTMX),
        "body-filtered-fragment": (body + status, HTMX),
        "404": (NOT_FOUND, {}),
    }
    shown = {a.current_status for a in _public_assignments(portal)}
    missing = [s for s in AssessmentStatus if s not in shown]
    if missing:
        pages["goal-filtered-empty"] = (f"{goal}?status={missing[0].value}", {})
        pages["goal-filtered-empty-fragment"] = (f"{goal}?status={missing[0].value}", HTMX)
    return pages


def _public_assignments(portal: Portal):
    from assignments.models import Assignment

    return list(Assignment.objects.filter(goal=portal.goal).with_public_details(history=False))


def every_assignment_and_body(portal: Portal) -> dict[str, tuple[str, dict]]:
    """The page of every assignment of the portal's goal and of every body."""
    pages = {
        f"assignment-{a.number}": (a.get_absolute_url(), {})
        for a in portal.goal.assignments.order_by("number")
    }
    pages |= {
        f"body-{b.slug}": (b.get_absolute_url(), {})
        for b in ResponsibleBody.objects.order_by("slug")
    }
    return pages


def render_all(pages: dict[str, tuple[str, dict]]) -> dict[str, str]:
    client = Client()
    rendered = {}
    for name, (url, headers) in pages.items():
        response = client.get(url, headers=headers)
        assert response.status_code == (404 if url == NOT_FOUND else 200), (name, url)
        rendered[name] = collapse(response.content.decode())
    return rendered


# --------------------------------------------------------------------------- comparing


def check(folder: str, rendered: dict[str, str]) -> None:
    directory = SNAPSHOTS / folder
    if UPDATE:
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("*.html"):
            old.unlink()
        for name, page in rendered.items():
            (directory / f"{name}.html").write_text(to_file(page), encoding="utf-8")
    stored = {
        path.stem: from_file(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.html"))
    }
    assert sorted(stored) == sorted(rendered), f"snapshots of {folder} missing or left over"
    failures = []
    for name, page in rendered.items():
        before = stored[name]
        if markup(page) != markup(before):
            failures.append(f"{folder}/{name}: markup differs\n{_diff(before, page)}")
        elif reading(page) != reading(before):
            failures.append(
                f"{folder}/{name}: the text differs (a space between inline elements?)\n"
                + _diff(reading(before), reading(page), split=r"(?<=[.:]) ")
            )
    assert not failures, "\n\n".join(failures)


def _diff(before: str, after: str, split: str = r"(?=<)") -> str:
    lines = difflib.unified_diff(
        re.split(split, markup(before) if split == r"(?=<)" else before),
        re.split(split, markup(after) if split == r"(?=<)" else after),
        "snapshot",
        "now",
        n=2,
        lineterm="",
    )
    return "\n".join(list(lines)[:60])


# --------------------------------------------------------------------------- the tests


def test_the_seed_pages_render_as_before(seed):
    portal = f.seed_portal()
    check("seed", render_all(page_requests(portal) | every_assignment_and_body(portal)))


def test_the_pages_of_a_generated_portal_render_as_before(db):
    portal = f.build_portal(plans=2, goals=3, assignments=10, periods=4, bodies=14)
    pages = page_requests(portal) | every_assignment_and_body(portal)
    check("generated", render_all(pages))


def test_an_empty_portal_renders_as_before(db):
    check("empty", render_all({"start": ("/", {}), "bodies": ("/ansvariga/", {})}))


@pytest.mark.parametrize("folder", ["seed", "generated", "empty"])
def test_the_snapshots_hold_no_template_syntax(folder):
    for path in (SNAPSHOTS / folder).glob("*.html"):
        assert not re.search(r"\{%|%\}|\{\{|\}\}|\{#|#\}", path.read_text()), path
