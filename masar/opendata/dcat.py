"""The DCAT-AP 3 catalogue of the published datasets, as harvesters read it (no language prefix, no session).

The catalogue is at `/catalog` (Turtle, JSON-LD or RDF/XML by the Accept header) and `/catalog.ttl`,
`/catalog.jsonld`, `/catalog.rdf`, in pages of `PAGE_SIZE` datasets described with both Hydra
vocabularies: the one ckanext-dcat writes and reads (`hydra:PagedCollection`, `hydra:nextPage`, ...) and
the current one (`hydra:PartialCollectionView`, `hydra:next`, ...). Each dataset is at its own address,
`/catalog/datasets/<name>`, which is also its URI; the national themes are at `/catalog/themes`. Everything
is read through the open-data selectors, so the catalogue serves exactly what every other door serves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, register_converter, reverse
from django.views.decorators.http import require_safe

from masar.opendata import dcat_graph as rdf
from masar.opendata.models import Publication
from masar.opendata.selectors import (
    catalogue,
    catalogue_publisher,
    publication_get,
    record_fingerprints,
    record_fingerprints_of,
    with_record_data,
)
from masar.organizations.models import Organization

PAGE_SIZE = 100  # datasets per page of the catalogue (ckanext-dcat's default too)
CACHE_SECONDS = 300  # what harvesters and proxies may keep (Cache-Control)
PAGE_CACHE_SECONDS = 3600  # a rendered page in our cache; its key changes with its content anyway
KEY_VERSION = 1  # raised when what a page says changes shape, so pages rendered before are not served


@dataclass(frozen=True)
class Serialization:
    """One RDF syntax the catalogue is served in."""

    extension: str
    media_type: str
    rdflib_format: str


TURTLE = Serialization("ttl", "text/turtle", "turtle")
JSON_LD = Serialization("jsonld", "application/ld+json", "json-ld")
RDF_XML = Serialization("rdf", "application/rdf+xml", "xml")
SERIALIZATIONS = {serialization.extension: serialization for serialization in (TURTLE, JSON_LD, RDF_XML)}


class ExtensionConverter:
    regex = "|".join(SERIALIZATIONS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExtensionConverter, "rdfext")


def _serialization(request: HttpRequest, extension: str | None) -> Serialization:
    """Return the syntax the address names, else the one the Accept header prefers, Turtle by default."""
    if extension:
        return SERIALIZATIONS[extension]
    preferred = request.get_preferred_type([s.media_type for s in SERIALIZATIONS.values()])
    return next((s for s in SERIALIZATIONS.values() if s.media_type == preferred), TURTLE)


def _serialize(graph: rdf.Graph, serialization: Serialization) -> bytes:
    if serialization is JSON_LD:
        return graph.serialize(format=serialization.rdflib_format, encoding="utf-8", auto_compact=True)
    return graph.serialize(format=serialization.rdflib_format, encoding="utf-8")


def _response(body: bytes, serialization: Serialization, *, negotiated: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{serialization.media_type}; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    if negotiated:
        response["Vary"] = "Accept"
    return response


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    if not value.isdigit() or int(value) < 1:
        raise Http404
    return int(value)


def page_of(publications: QuerySet[Publication], number: int) -> tuple[QuerySet[Publication], rdf.Paging]:
    """Return the publications of one page of the catalogue (not read yet), and its place among the pages."""
    figures = publications.order_by().aggregate(total=Count("pk", distinct=True), latest=Max("modified_at"))
    total = figures["total"]
    last = max(1, -(-total // PAGE_SIZE))
    if number > last:
        raise Http404
    start = (number - 1) * PAGE_SIZE
    page = publications[start : start + PAGE_SIZE]
    return page, rdf.Paging(number=number, last=last, total=total, size=PAGE_SIZE, modified=figures["latest"])


def page_key(
    fingerprints: list[tuple[Any, ...]], paging: rdf.Paging, publisher: Organization | None, *parts: str
) -> str:
    """Return the cache key of a rendered page: it changes with anything the page says.

    The fingerprints are read through the catalogue selector at each request, so a dataset withdrawn or
    classified later is off the page at once (the list changes); an edit raises a record's version.
    """
    publisher_facts = publisher and (publisher.pk, publisher.version, publisher.updated_at)
    facts = [KEY_VERSION, settings.SITE_URL, *parts, paging, publisher_facts, *fingerprints]
    return "opendata:dcat:" + hashlib.sha256(repr(facts).encode()).hexdigest()


def _page_body(page: QuerySet[Publication], paging: rdf.Paging, address: str, serialization: Serialization) -> bytes:
    """Return one page of the catalogue rendered in one syntax, from the cache when nothing on it changed."""
    publisher = catalogue_publisher()
    parts = (address, serialization.extension)
    body = cache.get(page_key(record_fingerprints(page), paging, publisher, *parts))
    if body is None:
        publications = list(with_record_data(page))
        graph = rdf.catalogue_graph(publications, paging, publisher=publisher, page_address=address)
        body = _serialize(graph, serialization)
        # Kept under what was rendered, should a record have changed since the fingerprints were read.
        cache.set(page_key(record_fingerprints_of(publications), paging, publisher, *parts), body, PAGE_CACHE_SECONDS)
    return body


@require_safe
def catalog(request: HttpRequest, extension: str | None = None) -> HttpResponse:
    """Return one page of the DCAT-AP catalogue in the syntax asked for (kept in the cache until it changes).

    A page kept in the cache costs four queries (the count, the page's fingerprints and its files', the
    publisher); one rendered costs two more (the page's records and their files), whatever the page size.
    The worker renders the pages after each refresh of the open data (`catalogue_warm`), so a harvester
    finds them ready; a page whose records changed since is rendered on the request.
    """
    serialization = _serialization(request, extension)
    page, paging = page_of(catalogue(), _page_number(request))
    body = _page_body(page, paging, rdf.absolute(request.path), serialization)
    return _response(body, serialization, negotiated=extension is None)


def catalogue_warm() -> int:
    """Render every page of the catalogue at each of its addresses into the cache; return how many pages."""
    publications = catalogue()
    _first, paging = page_of(publications, 1)
    addresses = [(reverse("opendata-catalog-rdf"), TURTLE)] + [
        (reverse("opendata-catalog-rdf-as", kwargs={"extension": s.extension}), s) for s in SERIALIZATIONS.values()
    ]
    count = 0
    for number in range(1, paging.last + 1):
        page, paging = page_of(publications, number)
        for address, serialization in addresses:
            _page_body(page, paging, rdf.absolute(address), serialization)
            count += 1
    return count


@require_safe
def dataset(request: HttpRequest, name: str, extension: str | None = None) -> HttpResponse:
    """Return the DCAT-AP description of one published dataset (404 when it is not served)."""
    serialization = _serialization(request, extension)
    body = _serialize(rdf.dataset_graph(publication_get(name)), serialization)
    return _response(body, serialization, negotiated=extension is None)


@require_safe
def themes(request: HttpRequest, extension: str | None = None) -> HttpResponse:
    """Return the national themes as a SKOS concept scheme (the URIs of the catalogue's national themes)."""
    serialization = _serialization(request, extension)
    return _response(_serialize(rdf.themes_graph(), serialization), serialization, negotiated=extension is None)


urlpatterns = [
    path("catalog", catalog, name="opendata-catalog-rdf"),
    path("catalog.<rdfext:extension>", catalog, name="opendata-catalog-rdf-as"),
    path("catalog/datasets/<slug:name>", dataset, name="opendata-dataset-rdf"),
    path("catalog/datasets/<slug:name>.<rdfext:extension>", dataset, name="opendata-dataset-rdf-as"),
    path("catalog/themes", themes, name="opendata-themes-rdf"),
    path("catalog/themes.<rdfext:extension>", themes, name="opendata-themes-rdf-as"),
]
