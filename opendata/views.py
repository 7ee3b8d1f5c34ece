"""The open data as public pages: the "Öppna data" page, the files, the feeds, DCAT.

    /oppna-data/                                    the page: what, licence, formats, columns
    /oppna-data/uppfoljning.json | .csv             the whole follow-up
    /oppna-data/plan/<plan code>/uppfoljning.json | .csv      one plan
    /oppna-data/period/<period code>/uppfoljning.json | .csv  the follow-up as of a period
    /oppna-data/uppfoljning-1.schema.json           the JSON files' schema
    /oppna-data/dcat.rdf                            DCAT-AP-SE metadata (RDF/XML)
    /oppna-data/flode.atom, .../plan/<plan code>/mal/<n>/flode.atom,
    .../ansvariga/<body code>/flode.atom            Atom feeds (opendata/feeds.py)
    /oppna-data/bedomning/<id>/                     an assessment's permanent address

Every one is a public page (GET and HEAD, no cookies, a fixed number of queries, cached by
the page cache, with an ETag and 304 for If-None-Match). The files, the schema, the feeds
and DCAT are also open to scripts on other sites: Access-Control-Allow-Origin: *, and an
answer to the CORS preflight (OPTIONS). An unknown plan, period, goal or body is the
portal's Swedish 404; query strings are ignored.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from assignments.models import Assessment, ResponsibleBody, ReviewState
from goals.models import Goal, Organisation
from opendata import catalogue, dcat, subsets
from opendata.csvfile import CONTENT_TYPE as CSV_CONTENT_TYPE
from opendata.csvfile import csv_text
from opendata.document import SCHEMA_PATH, OpenDataError, dumps
from opendata.export import export_document
from opendata.feeds import AssessmentFeed, BodyFeed, GoalFeed
from opendata.tabular import COLUMNS, assessment_rows
from uppfoljning.public import public_page

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
CORS_METHODS = "GET, HEAD"  # what a script on another site may do
MAX_CODE_LENGTH = 40  # the format's codes (opendata/uppfoljning-1.schema.json)


def open_data_file(view):
    """A public page that scripts on other sites may read (CORS): every answer says
    Access-Control-Allow-Origin: *, and a CORS preflight (OPTIONS with
    Access-Control-Request-Method, which a browser sends before a GET with If-None-Match)
    is answered; any other OPTIONS gets the 405 of every public page."""
    page = public_page()(view)

    @functools.wraps(page)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            return _preflight()
        response = page(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Content-Disposition"
        return response

    return wrapper


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = CORS_METHODS
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _file(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


def _code(value: str) -> str:
    """A code from an address; 404 for one that no record can have (longer than the
    format's 40 characters, or holding NUL), which a database would refuse to look up."""
    if len(value) > MAX_CODE_LENGTH or "\x00" in value:
        raise Http404
    return value


def _name(code: str, fallback: str) -> str:
    """A file name's part for a code: "mob-2022"."""
    return slugify(code) or fallback


# --------------------------------------------------------------------------- JSON


def _export() -> dict:
    try:
        return export_document()
    except OpenDataError:  # no organisation yet: nothing is published
        raise Http404 from None


def _json(document: dict | None, filename: str) -> HttpResponse:
    if document is None:
        raise Http404
    return _file(dumps(document), JSON_CONTENT_TYPE, filename)


@open_data_file
def document(request):
    """The whole published follow-up in the uppfoljning/1 open-data format."""
    return _json(_export(), "uppfoljning.json")


@open_data_file
def plan_document(request, plan):
    """One plan's part of the document (opendata/subsets.py)."""
    found = subsets.plan_document(_export(), _code(plan))
    return _json(found, f"uppfoljning-{_name(plan, 'plan')}.json")


@open_data_file
def period_document(request, period):
    """The document as of a reporting period (opendata/subsets.py)."""
    found = subsets.as_of_document(_export(), _code(period))
    return _json(found, f"uppfoljning-per-{_name(period, 'period')}.json")


@open_data_file
def schema(request):
    """The JSON schema of the uppfoljning/1 format."""
    return _file(SCHEMA_PATH.read_bytes(), "application/schema+json", SCHEMA_PATH.name)


# --------------------------------------------------------------------------- CSV


def _csv(goals, filename: str, *, as_of=None) -> HttpResponse:
    rows = assessment_rows(goals, as_of=as_of, base_url=settings.PORTAL_URL)
    return _file(csv_text(rows), CSV_CONTENT_TYPE, filename)


def _public_goals():
    return Goal.objects.published().select_related("plan")


@open_data_file
def csv_file(request):
    """The whole follow-up as CSV: one row per assignment and period."""
    return _csv(list(_public_goals()), "uppfoljning.csv")


@open_data_file
def plan_csv(request, plan):
    goals = list(_public_goals().filter(plan__code=_code(plan)))
    if not goals:
        raise Http404
    return _csv(goals, f"uppfoljning-{_name(plan, 'plan')}.csv")


@open_data_file
def period_csv(request, period):
    """The CSV as of a period: its rows up to the period, of the plans begun by then."""
    found = catalogue.published_periods().filter(code=_code(period)).first()
    if found is None:
        raise Http404
    goals = list(_public_goals().filter(plan__start_year__lte=found.date.year))
    return _csv(goals, f"uppfoljning-per-{_name(period, 'period')}.csv", as_of=found.date)


# --------------------------------------------------------------------------- metadata, feeds


@open_data_file
def dcat_catalogue(request):
    """The DCAT-AP-SE catalogue of the open data, for dataportal.se (opendata/dcat.py)."""
    organisation = Organisation.current()
    if organisation is None:
        raise Http404
    plans = catalogue.public_plans()
    modified = catalogue.last_changed(list(catalogue.published_periods()))
    content = dcat.catalogue_rdf(organisation, plans, modified)
    return _file(content, dcat.CONTENT_TYPE, "dcat.rdf")


@open_data_file
def portal_feed(request):
    return AssessmentFeed()(request)


@open_data_file
def goal_feed(request, plan, number):
    return GoalFeed()(request, plan=_code(plan), number=number)


@open_data_file
def body_feed(request, body):
    return BodyFeed()(request, body=_code(body))


@public_page()
def assessment(request, pk):
    """An assessment's permanent address: to the assignment page, at its period.

    Any version that has been public (a corrected one too: the page shows it under its
    correction) of an assignment the public sees; never one in review."""
    found = get_object_or_404(
        Assessment.objects.filter(
            state__in=ReviewState.permanent(),
            assignment__goal__is_published=True,
            assignment__goal__plan__is_published=True,
        ).select_related("assignment__goal__plan", "period"),
        pk=pk,
    )
    return redirect(catalogue.assessment_link(found))


# --------------------------------------------------------------------------- the page


@public_page()
def index(request):
    """The "Öppna data" page: what is published, the licence, the formats and where."""
    goals = list(_public_goals().order_by("plan__start_year", "plan__code", "number"))
    plans = list({goal.plan_id: goal.plan for goal in goals}.values())
    periods = list(catalogue.published_periods())
    context = {
        "portal_files": catalogue.portal_files(),
        "plans": [(plan, catalogue.plan_files(plan.code)) for plan in plans],
        "periods": [(period, catalogue.period_files(period.code)) for period in periods],
        "goals_by_plan": [
            (plan, [goal for goal in goals if goal.plan_id == plan.pk]) for plan in plans
        ],
        "bodies": list(ResponsibleBody.objects.order_by("kind", "name")),
        "columns": COLUMNS,
        "schema_url": reverse("opendata:schema"),
        "feed_url": reverse("opendata:feed"),
        "dcat_url": reverse("opendata:dcat"),
        "licence": catalogue.licence(),
        "last_changed": catalogue.last_changed(periods),
    }
    return render(request, "opendata/index.html", context)
