"""The DCAT-AP catalogue as harvesters read it: every syntax parses back, pages link both ways, nothing hidden."""

import datetime
import hashlib
import warnings

import pytest
from django.test import override_settings
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from masar.core.models import Classification
from masar.opendata import dcat
from masar.opendata.models import ChangeAction, PublicationAction
from masar.opendata.services import (
    dataset_change_decide,
    dataset_change_request,
    publication_decide,
    publications_refresh,
)
from masar.organizations.models import RegionKind
from masar.organizations.services import organization_update, region_create
from tests.opendata.factories import make_dataset, make_publication, publish
from tests.portfolio.factories import make_project

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SITE = "https://data.example.tn"
CATALOG = URIRef(f"{SITE}/catalog")
FORMATS = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
}

pytestmark = pytest.mark.usefixtures("site_url")


@pytest.fixture
def site_url():
    with override_settings(SITE_URL=SITE + "/"):
        yield


def dataset_uri(name):
    return URIRef(f"{SITE}/catalog/datasets/{name}")


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def parse(response, syntax):
    graph = Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph.parse(data=response.content, format=syntax)
    return graph


@pytest.fixture
def many_published(gov, national, program, django_capture_on_commit_callbacks):
    """Return a function publishing n more datasets of the program's projects (their files generated)."""
    dataset = make_dataset("projects-many", gov, by=national, steward=national)
    made = []

    def more(n):
        for _ in range(n):
            name = f"projets-{len(made) + 1:03d}"
            with django_capture_on_commit_callbacks(execute=True):
                made.append(publish(make_publication(name, dataset, by=national, strategy=program), by=national))
        publications_refresh()
        return made

    return more


def test_the_catalogue_parses_back_in_every_syntax_with_the_dataset(open_projects, client):
    publication, *_ = open_projects
    for extension, (media_type, syntax) in FORMATS.items():
        response = fetch(client, f"/catalog.{extension}")
        assert response["Content-Type"].startswith(media_type)
        graph = parse(response, syntax)
        assert (CATALOG, RDF.type, DCAT.Catalog) in graph
        assert (CATALOG, DCAT.dataset, dataset_uri(publication.name)) in graph
        assert Literal(publication.title_ar, lang="ar") in set(
            graph.objects(dataset_uri(publication.name), DCTERMS.title)
        )
        assert len(set(graph.subjects(RDF.type, DCAT.Distribution))) == 3


def test_the_catalogue_answers_each_syntax_by_content_negotiation(open_projects, client):
    for media_type, syntax in FORMATS.values():
        assert fetch(client, "/catalog", Accept=media_type)["Content-Type"].startswith(media_type)
        response = fetch(client, "/catalog", Accept=f"text/html;q=0.5, {media_type}")
        assert response["Content-Type"].startswith(media_type)
        assert "Accept" in response["Vary"]
        assert (CATALOG, RDF.type, DCAT.Catalog) in parse(response, syntax)
    for accept in ("", "*/*", "text/html", "application/xml;q=0.1"):
        response = client.get("/catalog", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/turtle"), accept


def pages(client, extension):
    """Return the Hydra description of each page (1, 2, 3) as {term: values}."""
    described = []
    for number in (1, 2, 3):
        page = URIRef(f"{SITE}/catalog.{extension}?page={number}")
        graph = parse(fetch(client, f"/catalog.{extension}?page={number}"), FORMATS[extension][1])
        terms = {
            predicate.removeprefix(str(HYDRA)): {str(value) for value in graph.objects(page, predicate)}
            for predicate in set(graph.predicates(page, None))
            if predicate.startswith(str(HYDRA))
        }
        terms["types"] = {str(t) for t in graph.objects(page, RDF.type)}
        terms["datasets"] = set(graph.objects(CATALOG, DCAT.dataset))
        terms["collection total"] = {str(v) for v in graph.objects(CATALOG, HYDRA.totalItems)}
        terms["view"] = {str(v) for v in graph.objects(CATALOG, HYDRA.view)}
        described.append(terms)
    return described


def test_the_pages_link_to_each_other_in_both_hydra_vocabularies(many_published, client, monkeypatch):
    monkeypatch.setattr(dcat, "PAGE_SIZE", 2)
    made = many_published(5)
    for extension in FORMATS:
        first, middle, last = pages(client, extension)
        url = f"{SITE}/catalog.{extension}?page=%d"
        assert {str(HYDRA.PagedCollection), str(HYDRA.PartialCollectionView)} <= first["types"]
        for old, new, number in (("firstPage", "first", 1), ("lastPage", "last", 3), ("nextPage", "next", 2)):
            assert first[old] == first[new] == {url % number}, (extension, old, new)
        assert first["totalItems"] == first["collection total"] == {"5"}
        assert first["itemsPerPage"] == {"2"}
        assert first["view"] == {url % 1}
        assert "previous" not in first and "previousPage" not in first
        assert middle["previous"] == middle["previousPage"] == {url % 1}
        assert middle["next"] == middle["nextPage"] == {url % 3}
        assert last["previous"] == last["previousPage"] == {url % 2}
        assert "next" not in last and "nextPage" not in last
        assert last["last"] == last["lastPage"] == {url % 3}
        served = first["datasets"] | middle["datasets"] | last["datasets"]
        assert [len(p["datasets"]) for p in (first, middle, last)] == [2, 2, 1]
        assert served == {dataset_uri(p.name) for p in made}


def test_a_page_past_the_last_or_not_a_number_is_not_found(open_projects, client):
    assert client.get("/catalog.ttl?page=2").status_code == 404
    assert client.get("/catalog.ttl?page=0").status_code == 404
    assert client.get("/catalog.ttl?page=abc").status_code == 404
    assert client.get("/catalog.ttl?page=1").status_code == 200


def test_a_withdrawn_or_no_longer_public_dataset_is_in_no_syntax_and_has_no_uri(
    open_projects, many_published, gov, national, program, client
):
    publication, shown, restricted, hidden = open_projects
    kept, withdrawn = many_published(2)
    secret = make_dataset("projects-secret", gov, by=national, steward=national)
    reclassified = publish(make_publication("projets-secret", secret, by=national, strategy=program), by=national)
    served = parse(fetch(client, "/catalog.ttl"), "turtle")
    assert len(set(served.objects(CATALOG, DCAT.dataset))) == 4  # all served before the withdrawal and the change
    publication_decide(actor=national, publication=withdrawn, action=PublicationAction.WITHDRAW, reason="خطأ")
    change = dataset_change_request(
        actor=national, dataset=secret, reason="معطيات حساسة", classification=Classification.CONFIDENTIAL
    )
    dataset_change_decide(actor=national, change=change, action=ChangeAction.APPROVE)
    for extension, (_, syntax) in FORMATS.items():
        response = fetch(client, f"/catalog.{extension}")
        body = response.content.decode()
        datasets = set(parse(response, syntax).objects(CATALOG, DCAT.dataset))
        assert datasets == {dataset_uri(publication.name), dataset_uri(kept.name)}
        for absent in (withdrawn, reclassified):
            assert absent.name not in body and str(absent.uid) not in body
            assert client.get(f"/catalog/datasets/{absent.name}.{extension}").status_code == 404
        for project in (restricted, hidden):
            assert project.code not in body and project.name_ar not in body
        assert shown.code not in body  # the rows are in the files, never in the catalogue


def test_no_staff_name_or_email_is_published(open_projects, national, client):
    national.first_name, national.last_name, national.email = "Leila", "Ben Salah", "leila@gov.example"
    national.save()
    for extension in FORMATS:
        body = fetch(client, f"/catalog.{extension}").content.decode()
        for private in ("Leila", "Ben Salah", "leila@gov.example", national.username, "mailto:"):
            assert private not in body


def test_each_dataset_has_its_own_uri_describing_it_and_its_files(open_projects, client):
    publication, *_ = open_projects
    uri = dataset_uri(publication.name)
    catalogue = parse(fetch(client, "/catalog.ttl"), "turtle")
    for extension, (media_type, syntax) in FORMATS.items():
        graph = parse(fetch(client, f"/catalog/datasets/{publication.name}.{extension}"), syntax)
        negotiated = client.get(f"/catalog/datasets/{publication.name}", headers={"Accept": media_type})
        assert negotiated["Content-Type"].startswith(media_type)
        assert set(parse(negotiated, syntax).subjects(RDF.type, DCAT.Dataset)) == {uri}
        assert set(graph.subjects(RDF.type, DCAT.Dataset)) == {uri}
        assert set(graph.objects(uri, DCTERMS.title)) == set(catalogue.objects(uri, DCTERMS.title))
    downloads = {str(url) for url in graph.objects(None, DCAT.downloadURL)}
    assert downloads == {f"{SITE}/opendata/files/{publication.name}.{fmt}" for fmt in ("csv", "xlsx", "json")}
    for distribution in graph.objects(uri, DCAT.distribution):
        download = graph.value(distribution, DCAT.downloadURL)
        content = client.get(str(download).removeprefix(SITE)).getvalue()
        checksum = graph.value(distribution, SPDX.checksum)
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(content).hexdigest()
        assert int(graph.value(distribution, DCAT.byteSize)) == len(content)
    assert client.get("/catalog/datasets/nothing-here.ttl").status_code == 404


def test_dates_times_sizes_and_checksums_have_their_datatypes(open_projects, client, gov, national, program):
    country = region_create(actor=None, kind=RegionKind.COUNTRY, code="TN", name_ar="تونس", name_fr="Tunisie")
    dated = publish(
        make_publication(
            "mesures-2025", open_projects[0].dataset, by=national, strategy=program, spatial=country,
            temporal_start=datetime.date(2025, 1, 1), temporal_end=datetime.date(2026, 12, 31),
        ),
        by=national,
    )  # fmt: skip
    publications_refresh()
    graph = parse(fetch(client, "/catalog.ttl"), "turtle")
    uri = dataset_uri(dated.name)
    for predicate in (DCTERMS.issued, DCTERMS.modified):
        value = graph.value(uri, predicate)
        assert value.datatype == XSD.dateTime and isinstance(value.toPython(), datetime.datetime)
    assert graph.value(CATALOG, DCTERMS.modified).datatype == XSD.dateTime
    period = graph.value(uri, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal("2025-01-01", datatype=XSD.date)
    assert graph.value(period, DCAT.endDate) == Literal("2026-12-31", datatype=XSD.date)
    location = graph.value(uri, DCTERMS.spatial)
    assert Literal("Tunisie", lang="fr") in set(graph.objects(location, SKOS.prefLabel))
    distributions = list(graph.objects(uri, DCAT.distribution))
    assert len(distributions) == 3
    for distribution in distributions:
        assert graph.value(distribution, DCTERMS.modified).datatype == XSD.dateTime
        assert graph.value(distribution, DCAT.byteSize).datatype == XSD.nonNegativeInteger
        value = graph.value(graph.value(distribution, SPDX.checksum), SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary and len(str(value)) == 64 and not value.ill_typed
    assert graph.value(dataset_uri(open_projects[0].name), DCTERMS.temporal) is None  # none given, none said


def test_the_vocabularies_are_the_eu_authority_tables(open_projects, client):
    publication, *_ = open_projects
    graph = parse(fetch(client, f"/catalog/datasets/{publication.name}.ttl"), "turtle")
    uri = dataset_uri(publication.name)
    authority = "http://publications.europa.eu/resource/authority/"
    themes = {str(theme) for theme in graph.objects(uri, DCAT.theme)}
    assert themes == {
        f"{authority}data-theme/GOVE",
        f"{authority}data-theme/TECH",
        f"{SITE}/catalog/themes#digital-administration",
    }
    assert {str(v) for v in graph.objects(uri, DCTERMS.language)} == {
        f"{authority}language/{code}" for code in ("ARA", "FRA", "ENG")
    }
    assert str(graph.value(uri, DCTERMS.accrualPeriodicity)) == f"{authority}frequency/MONTHLY"
    formats = {str(graph.value(d, DCTERMS.format)) for d in graph.objects(uri, DCAT.distribution)}
    assert formats == {f"{authority}file-type/{code}" for code in ("CSV", "XLSX", "JSON")}
    assert str(graph.value(uri, DCAT.landingPage)) == f"{SITE}/ar/opendata/datasets/{publication.name}/"
    themes_scheme = parse(fetch(client, "/catalog/themes.ttl"), "turtle")
    assert (URIRef(f"{SITE}/catalog/themes#digital-administration"), RDF.type, SKOS.Concept) in themes_scheme


@pytest.mark.parametrize("extension", list(FORMATS))
def test_a_page_takes_a_fixed_number_of_queries_whatever_its_size(
    many_published, client, extension, django_assert_max_num_queries
):
    """Six queries to render a page, four to serve it again from the cache, for 2 datasets as for 10."""
    syntax = FORMATS[extension][1]
    many_published(2)
    with django_assert_max_num_queries(6) as rendered:
        fetch(client, f"/catalog.{extension}")
    with django_assert_max_num_queries(4):
        assert len(set(parse(fetch(client, f"/catalog.{extension}"), syntax).objects(CATALOG, DCAT.dataset))) == 2
    many_published(8)
    with django_assert_max_num_queries(len(rendered.captured_queries)):
        graph = parse(fetch(client, f"/catalog.{extension}"), syntax)
    assert len(set(graph.objects(CATALOG, DCAT.dataset))) == 10
    with django_assert_max_num_queries(4):
        assert parse(fetch(client, f"/catalog.{extension}"), syntax).isomorphic(graph)


def test_a_page_kept_in_the_cache_changes_with_its_datasets_owners_and_files(
    ministry_a, national, program, axis, client, django_capture_on_commit_callbacks
):
    make_project("OPEN-1", ministry_a, axis, strategy=program)
    dataset = make_dataset("projects-a", ministry_a, by=national, steward=national)
    with django_capture_on_commit_callbacks(execute=True):
        publication = publish(make_publication("projets-a", dataset, by=national, strategy=program), by=national)
    publications_refresh()
    uri = dataset_uri(publication.name)

    def said():
        graph = parse(fetch(client, "/catalog.ttl"), "turtle")
        agent = graph.value(uri, DCTERMS.publisher)
        checksums = {str(graph.value(c, SPDX.checksumValue)) for c in graph.objects(None, SPDX.checksum)}
        return set(graph.objects(agent, FOAF.name)), checksums

    names, checksums = said()
    assert len(checksums) == 3
    assert said() == (names, checksums)  # served again, from the cache
    organization_update(
        organization=ministry_a, actor=None, expected_version=ministry_a.version, name_fr="Ministère du numérique"
    )
    renamed, same_checksums = said()
    assert Literal("Ministère du numérique", lang="fr") in renamed - names
    assert same_checksums == checksums
    make_project("OPEN-2", ministry_a, axis, strategy=program)
    publications_refresh()
    assert said()[1].isdisjoint(checksums)


def test_the_worker_renders_the_catalogue_so_a_harvester_finds_it_ready(
    open_projects, client, django_assert_max_num_queries
):
    from django.core.cache import cache

    from masar.opendata.dcat import catalogue_warm

    cache.clear()
    assert catalogue_warm() == 4  # one page, at /catalog and its three syntaxes
    with django_assert_max_num_queries(4):  # the count, the fingerprints, the files', the publisher: no rendering
        response = client.get("/catalog.ttl")
    assert response.status_code == 200 and b"dcat:Catalog" in response.content
