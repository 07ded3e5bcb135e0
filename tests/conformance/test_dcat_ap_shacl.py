"""The DCAT-AP catalogue against the official DCAT-AP 3.0.1 SHACL shapes (and 3.0.0's): zero violations."""

import datetime
import warnings

import pytest
from django.test import override_settings
from pyshacl import validate
from rdflib import Graph, Literal
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, XSD

from masar.core.models import Classification
from masar.opendata.models import Licence, NationalTheme, PublicationAction, UpdateFrequency
from masar.opendata.services import publication_decide, publications_refresh
from masar.organizations.models import RegionKind
from masar.organizations.services import region_create
from tests.opendata.factories import make_dataset, make_publication, publish

SYNTAXES = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


def quietly(function, *args, **kwargs):
    """Call rdflib or pyshacl, whose JSON-LD code uses rdflib's own deprecated ConjunctiveGraph."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return function(*args, **kwargs)


@pytest.fixture(scope="module")
def shapes_3_0_1(standards):
    """Return the 3.0.1 shapes with their ranges, without the sh:property links to shapes that are not defined.

    Five links of the official file name shapes it never defines; pyshacl refuses them (the README says so).
    """
    folder = standards / "dcat-ap" / "3.0.1" / "shacl"
    shapes = Graph()
    shapes.parse(folder / "dcat-ap-SHACL.ttl", format="turtle")
    shapes.parse(folder / "ranges.ttl", format="turtle")
    dangling = [
        (node, shape) for node, shape in shapes.subject_objects(SH.property) if (shape, SH.path, None) not in shapes
    ]
    assert 0 < len(dangling) <= 5, dangling  # the known defect of the official file, and nothing more
    for node, shape in dangling:
        shapes.remove((node, SH.property, shape))
    return shapes


@pytest.fixture(scope="module")
def shapes_3_0_0(standards):
    shapes = Graph()
    shapes.parse(standards / "dcat-ap" / "3.0.0" / "shacl" / "dcat-ap-SHACL.ttl", format="turtle")
    return shapes


@pytest.fixture
def published(gov, ministry_a, ministry_b, national, program, django_capture_on_commit_callbacks):
    """Publish several datasets of two owners, with every kind of coverage, licence and frequency."""
    country = region_create(actor=None, kind=RegionKind.COUNTRY, code="TN", name_ar="تونس", name_fr="Tunisie")
    governorate = region_create(actor=None, kind=RegionKind.GOVERNORATE, code="TN-11", name_ar="تونس", parent=country)
    specs = [
        ("projets-2025-2026", ministry_a, UpdateFrequency.MONTHLY, {"spatial": country}),
        (
            "projets-tunis",
            ministry_a,
            UpdateFrequency.WEEKLY,
            {
                "spatial": governorate,
                "temporal_start": datetime.date(2025, 1, 1),
                "temporal_end": datetime.date(2026, 12, 31),
                "licence": Licence.CC0,
            },
        ),
        ("projets-sante", ministry_b, UpdateFrequency.IRREGULAR, {"licence": Licence.ODBL, "themes": ["HEAL"]}),
        (
            "projets-economie",
            gov,
            UpdateFrequency.CONTINUOUS,
            {
                "temporal_start": datetime.date(2025, 1, 1),
                "national_themes": [NationalTheme.ECONOMY, NationalTheme.TRUST],
                "licence": Licence.CC_BY_SA_4,
            },
        ),
    ]
    publications = []
    for name, owner, frequency, extra in specs:
        dataset = make_dataset(f"ds-{name}", owner, by=national, steward=national, update_frequency=frequency)
        with django_capture_on_commit_callbacks(execute=True):
            publications.append(
                publish(make_publication(name, dataset, by=national, strategy=program, **extra), by=national)
            )
    withdrawn = publish(make_publication("projets-retires", dataset, by=national, strategy=program), by=national)
    publication_decide(actor=national, publication=withdrawn, action=PublicationAction.WITHDRAW, reason="خطأ")
    make_dataset("ds-secret", gov, by=national, classification=Classification.CONFIDENTIAL)
    publications_refresh()
    return publications


def fetch(client, url, syntax):
    response = client.get(url)
    assert response.status_code == 200, url
    graph = Graph()
    quietly(graph.parse, data=response.content, format=syntax)
    return graph


def violations(data, shapes, inference):
    conforms, results, text = quietly(
        validate, data, shacl_graph=shapes, inference=inference, advanced=True, allow_warnings=True
    )
    found = list(results.subjects(SH.resultSeverity, SH.Violation))
    assert conforms == (not found), text
    return found, text


def documents(client, published):
    """Yield (address, graph) of every DCAT document: the catalogue, each dataset, the national themes."""
    for extension, syntax in SYNTAXES.items():
        yield f"/catalog.{extension}", fetch(client, f"/catalog.{extension}", syntax)
        for publication in published:
            address = f"/catalog/datasets/{publication.name}.{extension}"
            yield address, fetch(client, address, syntax)
        yield f"/catalog/themes.{extension}", fetch(client, f"/catalog/themes.{extension}", syntax)


@override_settings(SITE_URL="https://data.example.tn")
@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_every_document_conforms_to_the_dcat_ap_3_0_1_shapes(published, client, shapes_3_0_1, inference):
    catalogue = fetch(client, "/catalog.ttl", "turtle")
    assert len(set(catalogue.subjects(RDF.type, DCAT.Dataset))) == len(published) == 4  # a catalogue worth checking
    assert len(set(catalogue.subjects(RDF.type, DCAT.Distribution))) == 12
    for address, graph in documents(client, published):
        found, text = violations(graph, shapes_3_0_1, inference)
        assert not found, f"{address}:\n{text}"


@override_settings(SITE_URL="https://data.example.tn")
def test_every_document_conforms_to_the_dcat_ap_3_0_0_shapes(published, client, shapes_3_0_0):
    for address, graph in documents(client, published):
        found, text = violations(graph, shapes_3_0_0, "rdfs")
        assert not found, f"{address}:\n{text}"


@override_settings(SITE_URL="https://data.example.tn")
@pytest.mark.parametrize("version", ["3.0.1", "3.0.0"])
def test_the_shapes_do_find_violations_in_a_broken_catalogue(published, client, shapes_3_0_1, shapes_3_0_0, version):
    """The positive control: the same catalogue without its publisher, a format as a literal, fails."""
    shapes, inference = (shapes_3_0_1, "none") if version == "3.0.1" else (shapes_3_0_0, "rdfs")
    graph = fetch(client, "/catalog.ttl", "turtle")
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))
    graph.remove((catalogue, DCTERMS.publisher, None))
    distribution = next(graph.subjects(RDF.type, DCAT.Distribution))
    graph.set((distribution, DCTERMS.format, Literal("CSV")))
    found, text = violations(graph, shapes, inference)
    assert len(found) >= 2, text


@override_settings(SITE_URL="https://data.example.tn")
def test_every_date_and_time_is_a_valid_typed_literal(published, client):
    """The shapes do not check dates (the README says so): every temporal value is a well-formed xsd literal."""
    dated = {XSD.date, XSD.dateTime}
    seen = set()
    for address, graph in documents(client, published):
        for _, predicate, value in graph:
            name = str(predicate).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            if name in ("issued", "modified", "startDate", "endDate"):
                assert isinstance(value, Literal) and value.datatype in dated, (address, predicate, value)
                assert value.ill_typed is False and isinstance(value.toPython(), datetime.date), (address, value)
                seen.add(name)
    assert seen == {"issued", "modified", "startDate", "endDate"}
