"""Atom feeds of newly published assessments (Django's syndication framework).

    /oppna-data/flode.atom                                  the whole portal
    /oppna-data/plan/<plan code>/mal/<number>/flode.atom    one goal's assignments
    /oppna-data/ansvariga/<body code>/flode.atom            the assignments a body answers for

An entry is one published version of an assessment of an assignment (a body's part, or
the municipality's own), newest publication first, the FEED_ITEMS newest: titled "Uppdrag
3: Enligt plan (per augusti 2022)" (in the portal's and a body's feed with the goal in
front), linked to the assignment page at the assessment's period
(catalogue.assessment_link), identified by its permanent address
(/oppna-data/bedomning/<id>/), updated when it was published, its text as the content
(plain text: the XML writer escapes it). A correction's content starts "Rättad: <reason>";
a version that a correction superseded leaves the feed, as it leaves the pages. Drafts
and versions in review never appear, nor anything of an unpublished goal or plan.

Every address in a feed is absolute under settings.PORTAL_URL, never the host a request
named: feeds are cached like pages. Two queries for the portal's feed, three for a goal's
or a body's, at any size.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from assignments.models import AssessmentStatus, Assignment, ResponsibleBody
from goals.models import Goal, Organisation
from opendata import catalogue
from opendata.xmltext import xml_text


class TextContentAtomFeed(Atom1Feed):
    """Atom with each entry's text as <content type="text">."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "text"})


class AssessmentFeed(Feed):
    """The portal's feed; a subclass narrows the assessments to a goal's or a body's.

    Made anew for each request (the views do), so that what get_object() found may be kept
    on the instance."""

    feed_type = TextContentAtomFeed
    # No `language`: Django's Feed takes the page's (sv, or en under /en/).
    goal_in_title = True

    def get_object(self, request, *args, **kwargs):
        self.organisation = Organisation.current()
        self.feed_path = request.path
        return None

    # -- the feed

    def organisation_name(self) -> str:
        return self.organisation.name if self.organisation else _("Follow-up")

    def title(self, obj):
        return xml_text(
            _("New assessments – %(organisation)s") % {"organisation": self.organisation_name()}
        )

    def subtitle(self, obj):
        return _("Each newly published assessment of an assignment, the newest first.")

    def link(self, obj):
        return catalogue.absolute(reverse("goals:home"))

    def feed_url(self, obj):
        return catalogue.absolute(self.feed_path)

    def author_name(self, obj):
        return xml_text(self.organisation_name())

    def feed_copyright(self, obj):
        return xml_text(catalogue.licence()["name"])

    def assessments(self, obj):
        return catalogue.public_assessments()

    def items(self, obj):
        return list(
            self.assessments(obj)
            .select_related("assignment__goal__plan", "period", "body")
            .order_by("-published_at", "-pk")[: catalogue.FEED_ITEMS]
        )

    # -- an entry

    def item_title(self, item):
        values = {
            "goal": item.assignment.goal.number,
            "number": item.assignment.number,
            "status": AssessmentStatus(item.status).label,
            "period": date_format(item.period.date, "F Y"),
        }
        if self.goal_in_title:
            title = _("Goal %(goal)s, assignment %(number)s: %(status)s (as of %(period)s)")
        else:
            title = _("Assignment %(number)s: %(status)s (as of %(period)s)")
        title = title % values
        if item.body_id:
            title = _("%(title)s – %(body)s") % {"title": title, "body": item.body.name}
        if item.corrects_id:
            title = _("%(title)s (corrected)") % {"title": title}
        return xml_text(title)

    def item_link(self, item):
        return catalogue.absolute(catalogue.assessment_link(item))

    def item_guid(self, item):
        return catalogue.absolute(reverse("opendata:assessment", kwargs={"pk": item.pk}))

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_description(self, item):
        """The summary: the assignment's text (Atom's type="html", hence escaped)."""
        return escape(xml_text(item.assignment.title))

    def item_author_name(self, item):
        return xml_text(item.body.name if item.body_id else self.organisation_name())

    def item_categories(self, item):
        return [xml_text(item.assignment.goal.plan.name)]

    def item_extra_kwargs(self, item):
        text = item.text
        if item.corrects_id:
            text = _("Corrected: %(reason)s") % {"reason": item.correction_reason} + "\n\n" + text
        return {"content": xml_text(text)}


class GoalFeed(AssessmentFeed):
    goal_in_title = False

    def get_object(self, request, plan, number):
        super().get_object(request)
        return Goal.objects.published().select_related("plan").get(plan__code=plan, number=number)

    def title(self, goal):
        return xml_text(
            _("New assessments of goal %(number)s. %(title)s")
            % {"number": goal.number, "title": goal.title}
        )

    def subtitle(self, goal):
        return xml_text(
            _("Each newly published assessment of an assignment of the goal (%(plan)s).")
            % {"plan": goal.plan.name}
        )

    def link(self, goal):
        return catalogue.absolute(goal.get_absolute_url())

    def assessments(self, goal):
        return catalogue.public_assessments().filter(assignment__goal=goal)


class BodyFeed(AssessmentFeed):
    def get_object(self, request, body):
        super().get_object(request)
        return ResponsibleBody.objects.get(code=body)

    def title(self, body):
        return xml_text(_("New assessments of the assignments of %(body)s") % {"body": body.name})

    def subtitle(self, body):
        return xml_text(
            _("Each newly published assessment of an assignment that %(body)s answers for.")
            % {"body": body.name}
        )

    def link(self, body):
        return catalogue.absolute(body.get_absolute_url())

    def assessments(self, body):
        return catalogue.public_assessments().filter(
            assignment__in=Assignment.objects.for_body(body).values("pk")
        )
