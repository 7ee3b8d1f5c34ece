"""Template tags of templates/exports/_share_meta.html: what a page says when it is shared.

    {% load exports_share %}
    {% share_summary goal share_assignments as summary %}  "12 uppdrag: 8 enligt plan, ..."
    {% portal_url goal.get_absolute_url as url %}          the page's permanent address

A tag library, not an import: the pages' own rooms (goals, assignments) never import
exports; their templates load this.
"""

from django import template

from exports import content, share

register = template.Library()


@register.simple_tag
def share_summary(goal, assignments=None) -> str:
    """exports.share.share_summary(): from `assignments` when the page gives them (a missing
    context variable arrives as ""), else from what the goal has prefetched, else one query."""
    return share.share_summary(goal, None if assignments in (None, "") else assignments)


@register.simple_tag
def portal_url(path: str) -> str:
    """The absolute address of a path of the portal, under settings.PORTAL_URL (never the
    host a request named: the page cache keeps pages without it)."""
    return content.portal_url(path)
