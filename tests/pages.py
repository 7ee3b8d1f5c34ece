"""The public page types of the portal: the one list that the page, security, browser and
HTML tests, the generated-data tests and `make bench` all go through.

    portal = build_portal()              # tests/factories.py; or seed_portal() for the seed
    for name, url in public_pages(portal).items(): ...
    for name, url in browser_pages(portal).items(): ...  # the HTML pages, and the 404 page

A new public page type is added here, and every check then covers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from assignments.models import Assignment, ResponsibleBody
    from goals.models import Goal, Plan

# The status the filtered pages ask for; its label is "Inte helt enligt plan".
FILTER_STATUS = "delayed"
# The page type of the open-data document: JSON, not a page a browser shows.
OPEN_DATA = "open data"
# A word the searched assignments page looks for: found in the seed and in every test portal.
SEARCHED = "arbete"
# The prefix of the English pages' addresses.
ENGLISH = "/en"
# An address no page has: the portal's own 404 page.
NOT_FOUND = "/plan/finns-inte/"


@dataclass
class Portal:
    """The objects a portal's pages show: one of each, and what must never be shown.

    `hidden_texts` are texts of unpublished content (an unpublished plan and goal, draft
    assessments) that no public page and no open data may contain.
    """

    plan: Plan
    goal: Goal  # a goal of `plan`
    assignment: Assignment  # an assignment of `goal`
    body: ResponsibleBody  # a committee that answers for assignments of `goal`
    hidden_texts: tuple[str, ...] = ()
    period: str = ""  # the code of a published period of `plan`: the pages as of it


def public_pages(portal: Portal) -> dict[str, str]:
    """Every public page type by name, with the address of its page for `portal`'s objects.

    `portal` is a Portal or anything with the attributes plan, goal, assignment and body.
    """
    status = f"?status={FILTER_STATUS}"
    assignments = reverse("goals:assignments")
    changes = reverse("goals:changes", kwargs={"plan": portal.plan.slug})
    pages = {
        "start": reverse("goals:home"),
        "plan": portal.plan.get_absolute_url(),
        "goal": portal.goal.get_absolute_url(),
        "goal filtered": portal.goal.get_absolute_url() + status,
        "assignment": portal.assignment.get_absolute_url(),
        "bodies": reverse("assignments:bodies"),
        "body": portal.body.get_absolute_url(),
        "body filtered": portal.body.get_absolute_url() + status,
        "open data page": reverse("opendata:index"),
        OPEN_DATA: reverse("opendata:document"),
        "accessibility statement": reverse("accessibility"),
        "cookies": reverse("cookies"),
        # The English interface (uppfoljning/language.py): the same pages under /en/.
        "start in English": ENGLISH + reverse("goals:home"),
        "goal in English": ENGLISH + portal.goal.get_absolute_url(),
        # Explore (goals/explore.py, goals/changes.py): search and filters, what changed.
        "assignments": assignments,
        "assignments searched": assignments + f"?q={SEARCHED}",
        "assignments filtered": assignments + status,
        "changes": changes,
        "changes for a body": changes + f"?ansvarig={portal.body.slug}",
    }
    period = getattr(portal, "period", "")
    if period:  # every page as of a period (goals/periods.py)
        per = f"?per={period}"
        pages |= {
            "start as of a period": reverse("goals:home") + per,
            "plan as of a period": portal.plan.get_absolute_url() + per,
            "goal as of a period": portal.goal.get_absolute_url() + per,
            "goal filtered as of a period": portal.goal.get_absolute_url()
            + per
            + f"&status={FILTER_STATUS}",
            "assignment as of a period": portal.assignment.get_absolute_url() + per,
            "bodies as of a period": reverse("assignments:bodies") + per,
            "body as of a period": portal.body.get_absolute_url() + per,
            "body filtered as of a period": portal.body.get_absolute_url()
            + per
            + f"&status={FILTER_STATUS}",
        }
    return pages


def browser_pages(portal: Portal) -> dict[str, str]:
    """What a browser shows: every public page but the open-data document, and "404", the
    portal's own page for an address that does not exist."""
    pages = {name: url for name, url in public_pages(portal).items() if name != OPEN_DATA}
    return pages | {"404": NOT_FOUND}
