"""The RDF graphs of the DCAT-AP 3 catalogue: the catalogue's pages, one dataset, the national themes.

What is said follows DCAT-AP 3.0.1 and passes its SHACL shapes (tests/conformance): every value whose
range is a class is an IRI typed with that class (the EU authority tables for languages, themes,
frequencies and file types; IANA for media types), dates are xsd:date and times xsd:dateTime. Only public
metadata is written: names of organizations and regions, never a person's name or e-mail address.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD
from rdflib.term import Node

from masar.opendata.models import (
    LICENCE_URLS,
    EuTheme,
    Licence,
    NationalTheme,
    Publication,
    Resource,
    ResourceFormat,
    UpdateFrequency,
)
from masar.organizations.models import Organization, Region

__all__ = ["Graph", "Paging", "absolute", "catalogue_graph", "dataset_graph", "themes_graph"]

SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
TABLE_SCHEMA = URIRef("https://specs.frictionlessdata.io/table-schema/")  # the JSON files' "schema" member

LANGUAGES = ("ar", "fr", "en")
LANGUAGE_CODES = {"ar": "ARA", "fr": "FRA", "en": "ENG"}  # the EU language table's codes
FREQUENCY_CODES: dict[str, str] = {
    UpdateFrequency.CONTINUOUS: "CONT",
    UpdateFrequency.DAILY: "DAILY",
    UpdateFrequency.WEEKLY: "WEEKLY",
    UpdateFrequency.MONTHLY: "MONTHLY",
    UpdateFrequency.QUARTERLY: "QUARTERLY",
    UpdateFrequency.ANNUAL: "ANNUAL",
    UpdateFrequency.IRREGULAR: "IRREG",
}
FILE_TYPE_CODES: dict[str, str] = {ResourceFormat.CSV: "CSV", ResourceFormat.XLSX: "XLSX", ResourceFormat.JSON: "JSON"}
EU_THEME_CODES = frozenset(theme.value for theme in EuTheme)
NATIONAL_THEME_CODES = frozenset(theme.value for theme in NationalTheme)
CATALOGUE_LICENCE = Licence.CC_BY_4  # the licence of the catalogue's own metadata
EU_THEMES = URIRef(f"{AUTHORITY}data-theme")
PUBLIC_ACCESS = URIRef(f"{AUTHORITY}access-right/PUBLIC")
PLACEHOLDER = "name-placeholder"  # reversed once, then replaced by each name (slugs never hold it twice)
PORTAL_PAGE = "/ar/opendata/"  # the portal's catalogue (the catalogue's homepage)
PORTAL_DATASET_PAGE = "/ar/opendata/datasets/{name}/"  # a dataset's page on the portal (its landing page)

CATALOGUE_TITLE = _("Masar open data catalogue")
CATALOGUE_DESCRIPTION = _(
    "The datasets the government publishes on Masar, with their public rows only, in CSV, XLSX and JSON."
)
EU_THEMES_TITLE = _("Data themes of the European Union")
NATIONAL_THEMES_TITLE = _("National themes of the digital transformation")
PUBLISHER_FALLBACK = _("Masar")


@dataclass(frozen=True)
class Paging:
    """Where a page of the catalogue stands among the pages."""

    number: int
    last: int
    total: int  # datasets in the whole catalogue
    size: int
    modified: datetime.datetime | None  # the latest change of any dataset of the catalogue


def absolute(path: str) -> str:
    """Return the absolute address of a path of this site (its URI in the catalogue)."""
    return settings.SITE_URL.rstrip("/") + path


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("skos", SKOS),
        ("spdx", SPDX),
        ("hydra", HYDRA),
    ):
        graph.bind(prefix, namespace)
    return graph


def catalogue_uri() -> URIRef:
    return URIRef(absolute(reverse("opendata-catalog-rdf")))


def dataset_uri(name: str) -> URIRef:
    return URIRef(absolute(reverse("opendata-dataset-rdf", kwargs={"name": name})))


def national_themes_uri() -> URIRef:
    return URIRef(absolute(reverse("opendata-themes-rdf")))


class _Builder:
    """A graph being written, with what was already said about shared nodes (agents, themes, languages)."""

    def __init__(self) -> None:
        self.graph = new_graph()
        self._said: set[object] = set()
        self._labels: dict[int, list[tuple[str, str]]] = {}
        self._pages: dict[int, str] = {}
        self.themes = national_themes_uri()
        # The addresses of datasets and files, reversed once (a page names hundreds of them).
        self._dataset = str(dataset_uri(PLACEHOLDER))
        self._download = absolute(reverse("opendata-resource-download", kwargs={"name": PLACEHOLDER, "fmt": "csv"}))

    def dataset_uri(self, name: str) -> URIRef:
        return URIRef(self._dataset.replace(PLACEHOLDER, name))

    def download_url(self, name: str, fmt: str) -> URIRef:
        return URIRef(self._download.replace(f"{PLACEHOLDER}.csv", f"{name}.{fmt}"))

    def organization_page(self, organization: Organization) -> str:
        if organization.pk not in self._pages:
            self._pages[organization.pk] = _organization_page(organization)
        return self._pages[organization.pk]

    def first_time(self, key: object) -> bool:
        if key in self._said:
            return False
        self._said.add(key)
        return True

    def add(self, subject: Node, predicate: Node, value: Node) -> None:
        self.graph.add((subject, predicate, value))

    def typed(self, node: URIRef, cls: URIRef) -> URIRef:
        """Return node, said once to be of class cls (as the shapes' ranges want)."""
        if self.first_time((node, cls)):
            self.add(node, RDF.type, cls)
        return node

    def texts(self, subject: Node, predicate: Node, label: Promise) -> None:
        """Say a translatable text in Arabic, French and English."""
        # Keyed by the object: a lazy text's hash follows the active language, so it is no key across languages.
        key = id(label)
        if key not in self._labels:
            texts = []
            for language in LANGUAGES:
                with override(language):
                    texts.append((language, str(label)))
            self._labels[key] = texts
        for language, text in self._labels[key]:
            self.add(subject, predicate, Literal(text, lang=language))

    def fields(self, subject: Node, predicate: Node, obj: object, field: str) -> None:
        """Say a record's text typed in each language (field_ar, field_fr, field_en), where it is filled."""
        for language in LANGUAGES:
            text = getattr(obj, f"{field}_{language}", "")
            if text:
                self.add(subject, predicate, Literal(text, lang=language))

    def languages(self, subject: Node) -> None:
        for code in LANGUAGE_CODES.values():
            self.add(
                subject, DCTERMS.language, self.typed(URIRef(f"{AUTHORITY}language/{code}"), DCTERMS.LinguisticSystem)
            )

    def agent(self, organization: Organization | None) -> Node:
        """Return the foaf:Agent of an organization (its page's URI), described once."""
        if organization is None:
            node = URIRef(absolute(PORTAL_PAGE) + "#publisher")
            if self.first_time(node):
                self.add(node, RDF.type, FOAF.Agent)
                self.texts(node, FOAF.name, PUBLISHER_FALLBACK)
            return node
        page = self.organization_page(organization)
        node = URIRef(page + "#organization")
        if self.first_time(node):
            self.add(node, RDF.type, FOAF.Agent)
            self.fields(node, FOAF.name, organization, "name")
            self.add(node, FOAF.homepage, self.typed(URIRef(page), FOAF.Document))
        return node

    def contact(self, organization: Organization) -> Node:
        """Return the contact point of an organization: its name and page, no person's name or e-mail."""
        page = self.organization_page(organization)
        node = URIRef(page + "#contact")
        if self.first_time(node):
            self.add(node, RDF.type, VCARD.Organization)
            self.add(node, RDF.type, VCARD.Kind)
            self.fields(node, VCARD.fn, organization, "name")
            self.add(node, VCARD.hasURL, URIRef(page))
        return node

    def theme(self, code: str) -> Node | None:
        """Return the concept of an EU data theme or a national theme, described once; None for an unknown code."""
        if code in EU_THEME_CODES:
            node, scheme, label = URIRef(f"{AUTHORITY}data-theme/{code}"), EU_THEMES, EuTheme(code).label
        elif code in NATIONAL_THEME_CODES:
            node, scheme, label = URIRef(f"{self.themes}#{code}"), self.themes, NationalTheme(code).label
        else:
            return None
        if self.first_time(node):
            self.add(node, RDF.type, SKOS.Concept)
            self.texts(node, SKOS.prefLabel, label)
            self.add(node, SKOS.inScheme, scheme)
        return node

    def scheme(self, node: URIRef, title: Promise) -> URIRef:
        if self.first_time(node):
            self.add(node, RDF.type, SKOS.ConceptScheme)
            self.texts(node, DCTERMS.title, title)
        return node

    def licence(self, licence: str) -> URIRef:
        return self.typed(URIRef(LICENCE_URLS[Licence(licence)]), DCTERMS.LicenseDocument)


def _organization_page(organization: Organization) -> str:
    with override("ar"):
        return absolute(reverse("organizations-organization-detail", kwargs={"pk": organization.pk}))


def _date_time(value: datetime.datetime) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def _add_dataset(builder: _Builder, publication: Publication) -> URIRef:
    """Describe one published dataset and its distributions; return its URI."""
    node = builder.dataset_uri(publication.name)
    owner = publication.dataset.owner
    add = builder.add
    add(node, RDF.type, DCAT.Dataset)
    add(node, DCTERMS.identifier, Literal(str(publication.uid)))
    builder.fields(node, DCTERMS.title, publication, "title")
    builder.fields(node, DCTERMS.description, publication, "description")
    for keyword in publication.keywords:
        add(node, DCAT.keyword, Literal(keyword))
    for code in [*publication.themes, *publication.national_themes]:
        theme = builder.theme(code)
        if theme is not None:
            add(node, DCAT.theme, theme)
    add(node, DCTERMS.publisher, builder.agent(owner))
    add(node, DCAT.contactPoint, builder.contact(owner))
    builder.languages(node)
    add(node, DCTERMS.accessRights, builder.typed(PUBLIC_ACCESS, DCTERMS.RightsStatement))
    frequency = FREQUENCY_CODES.get(publication.dataset.update_frequency)
    if frequency:
        add(
            node,
            DCTERMS.accrualPeriodicity,
            builder.typed(URIRef(f"{AUTHORITY}frequency/{frequency}"), DCTERMS.Frequency),
        )
    _add_coverage(builder, node, publication)
    if publication.published_at:
        add(node, DCTERMS.issued, _date_time(publication.published_at))
    if publication.modified_at:
        add(node, DCTERMS.modified, _date_time(publication.modified_at))
    page = URIRef(absolute(PORTAL_DATASET_PAGE.format(name=publication.name)))
    add(node, DCAT.landingPage, builder.typed(page, FOAF.Document))
    for resource in publication.resources.all():
        add(node, DCAT.distribution, _add_distribution(builder, node, publication, resource))
    return node


def _add_coverage(builder: _Builder, node: URIRef, publication: Publication) -> None:
    if publication.temporal_start or publication.temporal_end:
        period = BNode()
        builder.add(node, DCTERMS.temporal, period)
        builder.add(period, RDF.type, DCTERMS.PeriodOfTime)
        if publication.temporal_start:
            builder.add(period, DCAT.startDate, Literal(publication.temporal_start.isoformat(), datatype=XSD.date))
        if publication.temporal_end:
            builder.add(period, DCAT.endDate, Literal(publication.temporal_end.isoformat(), datatype=XSD.date))
    region: Region | None = publication.spatial
    if region is not None:
        location = BNode()
        builder.add(node, DCTERMS.spatial, location)
        builder.add(location, RDF.type, DCTERMS.Location)
        builder.add(location, DCTERMS.identifier, Literal(region.code))
        builder.fields(location, SKOS.prefLabel, region, "name")


def _add_distribution(builder: _Builder, dataset: URIRef, publication: Publication, resource: Resource) -> URIRef:
    fmt = ResourceFormat(resource.format)
    node = URIRef(f"{dataset}#{fmt.value}")
    add = builder.add
    download = builder.download_url(publication.name, fmt.value)
    add(node, RDF.type, DCAT.Distribution)
    add(node, DCTERMS.identifier, Literal(str(resource.uid)))
    add(node, DCTERMS.title, Literal(f"{publication.name}.{fmt.value}"))
    add(node, DCAT.accessURL, download)
    add(node, DCAT.downloadURL, download)
    add(
        node,
        DCTERMS.format,
        builder.typed(URIRef(f"{AUTHORITY}file-type/{FILE_TYPE_CODES[fmt]}"), DCTERMS.MediaTypeOrExtent),
    )
    add(node, DCAT.mediaType, builder.typed(URIRef(IANA_MEDIA_TYPES + resource.media_type), DCTERMS.MediaType))
    add(node, DCAT.byteSize, Literal(str(resource.size), datatype=XSD.nonNegativeInteger))
    add(node, DCTERMS.license, builder.licence(publication.licence))
    add(node, DCTERMS.modified, _date_time(resource.modified_at))
    if resource.sha256:
        checksum = BNode()
        add(node, SPDX.checksum, checksum)
        add(checksum, RDF.type, SPDX.Checksum)
        add(checksum, SPDX.algorithm, builder.typed(SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm))
        add(checksum, SPDX.checksumValue, Literal(resource.sha256, datatype=XSD.hexBinary))
    if fmt == ResourceFormat.JSON:
        add(node, DCTERMS.conformsTo, builder.typed(TABLE_SCHEMA, DCTERMS.Standard))
        if builder.first_time(("title", TABLE_SCHEMA)):
            add(TABLE_SCHEMA, DCTERMS.title, Literal("Frictionless Table Schema"))
    return node


def _add_paging(builder: _Builder, catalogue: URIRef, paging: Paging, page_address: str) -> None:
    """Say where this page stands, in ckanext-dcat's Hydra terms and in the current ones, on one node."""

    def address(number: int) -> str:
        return f"{page_address}?page={number}"

    view = URIRef(address(paging.number))
    add = builder.add
    add(catalogue, RDF.type, HYDRA.Collection)
    add(catalogue, HYDRA.totalItems, Literal(paging.total))
    add(catalogue, HYDRA.view, view)
    add(view, RDF.type, HYDRA.PartialCollectionView)
    add(view, RDF.type, HYDRA.PagedCollection)
    add(view, HYDRA.totalItems, Literal(paging.total))
    add(view, HYDRA.itemsPerPage, Literal(paging.size))
    links = [("first", 1), ("last", paging.last)]
    if paging.number < paging.last:
        links.append(("next", paging.number + 1))
    if paging.number > 1:
        links.append(("previous", paging.number - 1))
    for term, number in links:
        add(view, HYDRA[term], URIRef(address(number)))
        add(view, HYDRA[f"{term}Page"], Literal(address(number)))  # ckanext-dcat writes its links as literals


def catalogue_graph(
    publications: Iterable[Publication], paging: Paging, *, publisher: Organization | None, page_address: str
) -> Graph:
    """Return the graph of one page of the catalogue: the catalogue, these datasets and the paging."""
    builder = _Builder()
    node = catalogue_uri()
    add = builder.add
    add(node, RDF.type, DCAT.Catalog)
    builder.texts(node, DCTERMS.title, CATALOGUE_TITLE)
    builder.texts(node, DCTERMS.description, CATALOGUE_DESCRIPTION)
    add(node, DCTERMS.publisher, builder.agent(publisher))
    builder.languages(node)
    add(node, FOAF.homepage, builder.typed(URIRef(absolute(PORTAL_PAGE)), FOAF.Document))
    add(node, DCTERMS.license, builder.licence(CATALOGUE_LICENCE))
    if paging.modified is not None:
        add(node, DCTERMS.modified, _date_time(paging.modified))
    add(node, DCAT.themeTaxonomy, builder.scheme(EU_THEMES, EU_THEMES_TITLE))
    add(node, DCAT.themeTaxonomy, builder.scheme(builder.themes, NATIONAL_THEMES_TITLE))
    for publication in publications:
        dataset = _add_dataset(builder, publication)
        add(node, DCAT.dataset, dataset)
        add(node, HYDRA.member, dataset)
    _add_paging(builder, node, paging, page_address)
    return builder.graph


def dataset_graph(publication: Publication) -> Graph:
    """Return the graph of one published dataset, its distributions and what they name."""
    builder = _Builder()
    _add_dataset(builder, publication)
    return builder.graph


def themes_graph() -> Graph:
    """Return the national themes as a SKOS concept scheme."""
    builder = _Builder()
    scheme = builder.scheme(builder.themes, NATIONAL_THEMES_TITLE)
    for code in NationalTheme.values:
        concept = builder.theme(code)
        assert concept is not None
        builder.add(scheme, SKOS.hasTopConcept, concept)
        builder.add(concept, SKOS.topConceptOf, scheme)
    return builder.graph
