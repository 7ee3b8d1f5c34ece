"""DCAT-AP-SE 3 metadata of the open data, as RDF/XML for dataportal.se to harvest.

One dcat:Catalog, published by the organisation, with one dcat:Dataset for the whole
follow-up and one for each public plan, each with two dcat:Distribution (the JSON file in
the uppfoljning/1 format, and the CSV file). What DCAT-AP-SE 3.0.1 makes mandatory is
there, and most of what it recommends:

- catalog: dct:title, dct:description (Swedish), dct:publisher, dct:license, dcat:dataset;
  and dct:language, dct:modified, foaf:homepage (the "Öppna data" page), dcat:themeTaxonomy;
- dataset: dct:title, dct:description, dct:publisher; and dcat:contactPoint (when the
  portal has a contact address), dcat:theme (GOVE), dcat:keyword, dct:accessRights
  (PUBLIC), dct:temporal (the plans' years), dct:language, dcat:landingPage, and for the
  whole follow-up dct:modified;
- distribution: dcat:accessURL and dct:format (the EU file-type vocabulary, which
  DCAT-AP-SE 3 accepts beside its own literal media types), dcat:mediaType (IANA),
  dcat:downloadURL, dct:license, dct:conformsTo (the JSON schema), dcatap:availability,
  dct:title, dct:description;
- publisher: a foaf:Organization with foaf:name and dct:type (LocalAuthority); contact
  point: a vcard:Organization with vcard:fn and vcard:hasEmail.

Catalog, datasets, distributions, publisher and contact point are named by absolute IRIs
under settings.PORTAL_URL, never blank nodes (dataportal.se's harvesting rules). Built as an
element tree, so every text and address is escaped by the XML writer; no string is pasted
into markup.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext as _

from goals.models import Organisation, Plan
from opendata import catalogue
from opendata.document import FORMAT
from opendata.xmltext import xml_text

CONTENT_TYPE = "application/rdf+xml; charset=utf-8"

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcatap": "http://data.europa.eu/r5r/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

EU = "http://publications.europa.eu/resource/authority/"
THEME_TAXONOMY = EU + "data-theme"
THEME_GOVERNMENT = EU + "data-theme/GOVE"
LANGUAGE_SWEDISH = EU + "language/SWE"
ACCESS_PUBLIC = EU + "access-right/PUBLIC"
AVAILABILITY_STABLE = EU + "planned-availability/STABLE"
LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class FileFormat:
    key: str  # in the distribution's IRI
    file_type: str  # the EU file-type vocabulary's code
    media_type: str  # IANA


JSON = FileFormat("json", "JSON", "application/json")
CSV = FileFormat("csv", "CSV", "text/csv")


def _name(qualified: str) -> str:
    prefix, local = qualified.split(":")
    return f"{{{NS[prefix]}}}{local}"


class _Graph:
    """An RDF/XML document: one element per named resource, its properties inside."""

    def __init__(self):
        self.root = ET.Element(_name("rdf:RDF"))

    def resource(self, kind: str, iri: str) -> ET.Element:
        return ET.SubElement(self.root, _name(kind), {_name("rdf:about"): iri})


def _literal(node: ET.Element, prop: str, text: object, *, lang: str | None = "sv") -> None:
    element = ET.SubElement(node, _name(prop))
    if lang:
        element.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    element.text = xml_text(text)


def _typed(node: ET.Element, prop: str, value: datetime.date | datetime.datetime) -> None:
    datatype = "dateTime" if isinstance(value, datetime.datetime) else "date"
    element = ET.SubElement(node, _name(prop), {_name("rdf:datatype"): NS["xsd"] + datatype})
    if isinstance(value, datetime.datetime):
        value = value.replace(microsecond=0)
    element.text = value.isoformat()


def _link(node: ET.Element, prop: str, iri: str) -> None:
    ET.SubElement(node, _name(prop), {_name("rdf:resource"): iri})


def _period_of_time(node: ET.Element, start_year: int, end_year: int) -> None:
    temporal = ET.SubElement(node, _name("dcterms:temporal"))
    period = ET.SubElement(temporal, _name("dcterms:PeriodOfTime"))
    _typed(period, "dcat:startDate", datetime.date(start_year, 1, 1))
    _typed(period, "dcat:endDate", datetime.date(end_year, 12, 31))


def catalogue_rdf(
    organisation: Organisation, plans: list[Plan], modified: datetime.datetime | None
) -> bytes:
    """The DCAT-AP-SE catalogue of the open data (RDF/XML, UTF-8) of `organisation`, whose
    public plans are `plans` (catalogue.public_plans()) and whose data last changed at
    `modified` (catalogue.last_changed(); None: never)."""
    here = catalogue.absolute(reverse("opendata:dcat"))
    ids = {
        "catalog": here + "#katalog",
        "publisher": here + "#utgivare",
        "contact": here + "#kontakt",
    }
    licence = catalogue.licence()
    email = catalogue.contact_email()
    graph = _Graph()

    catalog = graph.resource("dcat:Catalog", ids["catalog"])
    _literal(
        catalog,
        "dcterms:title",
        _("Follow-up – %(organisation)s") % {"organisation": organisation.name},
    )
    _literal(
        catalog,
        "dcterms:description",
        _(
            "%(organisation)s publishes the follow-up of its plan here: the goals, the "
            "assignments, the committees and companies responsible for them, and every "
            "published assessment."
        )
        % {"organisation": organisation.name},
    )
    _link(catalog, "dcterms:publisher", ids["publisher"])
    _link(catalog, "dcterms:license", licence["url"])
    _link(catalog, "dcterms:language", LANGUAGE_SWEDISH)
    _link(catalog, "foaf:homepage", catalogue.absolute(reverse("opendata:index")))
    _link(catalog, "dcat:themeTaxonomy", THEME_TAXONOMY)
    if modified is not None:
        _typed(catalog, "dcterms:modified", modified)

    datasets = [
        _Dataset(
            iri=here + "#uppfoljning",
            title=_("Follow-up of goals and assignments – %(organisation)s")
            % {"organisation": organisation.name},
            description=_(
                "Every published plan with its goals and assignments, the committees and "
                "companies responsible, and every published assessment of the goals and "
                "assignments, with its status (green, yellow or red) and text, per "
                "reporting period."
            ),
            files=catalogue.portal_files(),
            landing_page=catalogue.absolute(reverse("opendata:index")),
            years=(min(p.start_year for p in plans), max(p.end_year for p in plans))
            if plans
            else None,
            modified=modified,
        )
    ] + [
        _Dataset(
            iri=here + "#plan-" + quote(plan.code, safe=""),
            title=_("Follow-up of %(plan)s – %(organisation)s")
            % {"plan": plan.name, "organisation": organisation.name},
            description=_(
                "The goals and assignments of %(plan)s (%(start)s–%(end)s), the committees "
                "and companies responsible, and every published assessment per reporting "
                "period."
            )
            % {"plan": plan.name, "start": plan.start_year, "end": plan.end_year},
            files=catalogue.plan_files(plan.code),
            landing_page=catalogue.absolute(plan.get_absolute_url()),
            years=(plan.start_year, plan.end_year),
            modified=None,
        )
        for plan in plans
    ]
    for dataset in datasets:
        _link(catalog, "dcat:dataset", dataset.iri)
    for dataset in datasets:
        dataset.write(graph, ids["publisher"], ids["contact"] if email else None, licence["url"])

    publisher = graph.resource("foaf:Organization", ids["publisher"])
    _literal(publisher, "foaf:name", organisation.name)
    _link(publisher, "dcterms:type", LOCAL_AUTHORITY)
    if organisation.website:
        _link(publisher, "foaf:homepage", organisation.website)

    if email:
        contact = graph.resource("vcard:Organization", ids["contact"])
        _literal(contact, "vcard:fn", organisation.name, lang=None)
        _link(contact, "vcard:hasEmail", "mailto:" + quote(email, safe="@"))
        if organisation.website:
            _link(contact, "vcard:hasURL", organisation.website)

    licence_document = graph.resource("dcterms:LicenseDocument", licence["url"])
    _literal(licence_document, "rdfs:label", licence["name"], lang=None)

    schema = graph.resource("dcterms:Standard", catalogue.absolute(reverse("opendata:schema")))
    _literal(schema, "dcterms:title", FORMAT, lang=None)

    return ET.tostring(graph.root, encoding="utf-8", xml_declaration=True)


@dataclass
class _Dataset:
    iri: str
    title: str
    description: str
    files: catalogue.Files
    landing_page: str
    years: tuple[int, int] | None
    modified: datetime.datetime | None

    def write(self, graph: _Graph, publisher: str, contact: str | None, licence: str) -> None:
        node = graph.resource("dcat:Dataset", self.iri)
        _literal(node, "dcterms:title", self.title)
        _literal(node, "dcterms:description", self.description)
        _link(node, "dcterms:publisher", publisher)
        if contact:
            _link(node, "dcat:contactPoint", contact)
        _link(node, "dcat:theme", THEME_GOVERNMENT)
        for keyword in (_("follow-up"), _("goals"), _("assignments"), _("assessments")):
            _literal(node, "dcat:keyword", keyword)
        _link(node, "dcterms:accessRights", ACCESS_PUBLIC)
        _link(node, "dcterms:language", LANGUAGE_SWEDISH)
        _link(node, "dcat:landingPage", self.landing_page)
        if self.years:
            _period_of_time(node, *self.years)
        if self.modified is not None:
            _typed(node, "dcterms:modified", self.modified)
        for file_format, path in ((JSON, self.files.json), (CSV, self.files.csv)):
            distribution = f"{self.iri}-{file_format.key}"
            _link(node, "dcat:distribution", distribution)
            self._distribution(graph, distribution, file_format, path, licence)

    def _distribution(
        self, graph: _Graph, iri: str, file_format: FileFormat, path: str, licence: str
    ) -> None:
        node = graph.resource("dcat:Distribution", iri)
        url = catalogue.absolute(path)
        if file_format is JSON:
            _literal(node, "dcterms:title", _("JSON (%(format)s)") % {"format": FORMAT})
            _literal(
                node,
                "dcterms:description",
                _("The data set in the %(format)s format, described by a JSON schema.")
                % {"format": FORMAT},
            )
        else:
            _literal(node, "dcterms:title", _("CSV"))
            _literal(
                node,
                "dcterms:description",
                _(
                    "One row per assignment and reporting period (UTF-8, comma-separated, "
                    "a header row); the columns are described on the open data page."
                ),
            )
        _link(node, "dcat:accessURL", url)
        _link(node, "dcat:downloadURL", url)
        _link(node, "dcterms:format", EU + "file-type/" + file_format.file_type)
        _link(node, "dcat:mediaType", IANA_MEDIA_TYPES + file_format.media_type)
        _link(node, "dcterms:license", licence)
        _link(node, "dcatap:availability", AVAILABILITY_STABLE)
        if file_format is JSON:
            _link(node, "dcterms:conformsTo", catalogue.absolute(reverse("opendata:schema")))
