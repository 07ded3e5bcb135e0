"""The open-data portal as anonymous visitors read it: catalogue with search and facets, dataset pages."""

import datetime
import json
import re

import pytest
from django.utils import translation

from masar.core.models import Classification
from masar.opendata.models import EuTheme, Licence, PublicationAction, PublicView, ResourceFormat
from masar.opendata.selectors import data_dictionary
from masar.opendata.services import publication_decide, publications_refresh
from tests.html import without_isolates
from tests.indicators.factories import approved, make_indicator
from tests.opendata.factories import make_dataset, make_publication, publish


def facet_counts(body, name):
    """Return {label: count} of one facet of the catalogue page."""
    section = re.search(rf'<section class="facet facet-{name}">(.*?)</section>', body, re.S)
    assert section, f"no facet {name}"
    pairs = re.findall(
        r'<(?:a href="[^"]*"|strong aria-current="true")>([^<]*)</(?:a|strong)>.*?data-count="(\d+)"',
        section.group(1),
        re.S,
    )
    return {label.strip(): int(count) for label, count in pairs}


def listed_count(body):
    return int(re.search(r'id="catalogue-count" class="count" data-count="(\d+)"', body).group(1))


@pytest.fixture
def two_published(open_projects, national, ministry_a, django_capture_on_commit_callbacks):
    """Return the projects publication of the government and a second one of ministry A under CC0."""
    first = open_projects[0]
    dataset = make_dataset("decisions-a", ministry_a, by=national, record_type="decisions")
    with django_capture_on_commit_callbacks(execute=True):
        second = publish(
            make_publication(
                "council-decisions",
                dataset,
                by=national,
                view=PublicView.DECISIONS,
                title_ar="قرارات المجلس",
                title_fr="Décisions du conseil",
                title_en="Council decisions",
                licence=Licence.CC0,
                themes=[EuTheme.ECON],
                national_themes=[],
                keywords=["مجلس", "conseil"],
            ),
            by=national,
        )
    publications_refresh()
    return first, second


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_catalogue_lists_published_datasets_with_facet_counts(two_published, client, language):
    first, second = two_published
    response = client.get(f"/{language}/opendata/")
    assert response.status_code == 200
    body = without_isolates(response.content.decode())
    assert listed_count(body) == 2
    with translation.override(language):
        assert first.title in body and second.title in body
        assert facet_counts(body, "licence") == {str(Licence.CC_BY_4.label): 1, str(Licence.CC0.label): 1}
        themes = facet_counts(body, "theme")
        assert themes[str(EuTheme.GOVE.label)] == 1 and themes[str(EuTheme.ECON.label)] == 1
        assert facet_counts(body, "format") == {"CSV": 2, "JSON": 2, "XLSX": 2}
        organizations = facet_counts(body, "organization")
        assert sorted(organizations.values()) == [1, 1]
        assert first.dataset.owner.name in organizations and second.dataset.owner.name in organizations
    assert f'href="/{language}/opendata/datasets/council-decisions/"' in body


def test_a_facet_and_the_search_narrow_the_catalogue(two_published, client):
    first, second = two_published
    body = client.get("/fr/opendata/", {"licence": Licence.CC0}).content.decode()
    assert listed_count(body) == 1 and second.title_ar not in body  # the page speaks French
    assert "Décisions du conseil" in body and first.title_fr not in body
    searched = client.get("/ar/opendata/", {"q": "مجلس"}).content.decode()
    assert listed_count(searched) == 1 and "قرارات المجلس" in searched and first.title_ar not in searched
    # The facet counts follow the search: only the matching dataset is counted.
    assert facet_counts(searched, "format") == {"CSV": 1, "JSON": 1, "XLSX": 1}
    nothing = client.get("/ar/opendata/", {"q": "لاشيءيطابق"}).content.decode()
    assert listed_count(nothing) == 0


def test_an_unknown_facet_value_is_a_400(two_published, client):
    assert client.get("/ar/opendata/", {"licence": "proprietary"}).status_code == 400
    assert client.get("/ar/opendata/", {"organization": "NOPE"}).status_code == 400
    assert client.get("/ar/opendata/", {"page": "999"}).status_code == 404


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_dataset_page_shows_metadata_dictionary_preview_and_links(open_projects, client, language):
    publication, shown, restricted, hidden = open_projects
    response = client.get(f"/{language}/opendata/datasets/{publication.name}/")
    assert response.status_code == 200
    body = without_isolates(response.content.decode())
    with translation.override(language):
        assert publication.title in body and publication.description in body
        assert publication.dataset.owner.name in body
        for entry in data_dictionary(publication):
            assert f'<code dir="ltr">{entry.name}</code>' in body
            assert entry.meaning[language].replace("'", "&#x27;") in body
        assert str(Licence.CC_BY_4.label) in body
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in body
    for fmt in ResourceFormat.values:
        assert f'href="/opendata/files/{publication.name}.{fmt}"' in body
    assert f'href="/api/3/action/package_show?id={publication.name}"' in body
    assert f'href="/catalog/datasets/{publication.name}.ttl"' in body
    citation = re.search(r'<p class="citation"[^>]*>(.*?)</p>', body, re.S).group(1)
    assert publication.dataset.owner.name in citation and str(publication.published_at.year) in citation
    assert f"http://testserver/{language}/opendata/datasets/{publication.name}/" in citation
    # The preview is the published file's rows: the public project, never the others.
    preview = re.search(r'<table class="list preview">(.*?)</table>', body, re.S).group(1)
    assert shown.code in preview
    assert restricted.code not in body and hidden.code not in body


def test_the_dataset_page_charts_projects_per_status(open_projects, client):
    publication, *_ = open_projects
    body = client.get(f"/fr/opendata/datasets/{publication.name}/").content.decode()
    spec = json.loads(
        re.search(r'<script id="dataset-chart-spec" type="application/json">(.*?)</script>', body).group(1)
    )
    assert spec["mark"]["type"] == "bar"
    assert [value["n"] for value in spec["data"]["values"]] == [1]  # the public project only
    assert 'src="/fr/indicators/assets/vega-' in body


def test_an_indicator_dataset_is_charted_by_period(
    ministry_a, national, coordinator_a, client, django_capture_on_commit_callbacks
):
    indicator = make_indicator("OD-IND", ministry_a)
    for year, value in ((2023, 10), (2024, 14)):
        approved(indicator, datetime.date(year, 1, 1), value, by=coordinator_a, approver=national)
    dataset = make_dataset("indicator-values", ministry_a, by=national, record_type="measurements")
    with django_capture_on_commit_callbacks(execute=True):
        publication = publish(
            make_publication("od-ind", dataset, by=national, view=PublicView.INDICATOR_VALUES, indicator=indicator),
            by=national,
        )
    publications_refresh()
    body = client.get(f"/en/opendata/datasets/{publication.name}/").content.decode()
    spec = json.loads(
        re.search(r'<script id="dataset-chart-spec" type="application/json">(.*?)</script>', body).group(1)
    )
    assert spec["mark"]["type"] == "line"
    assert sorted(value["y"] for value in spec["data"]["values"]) == [10, 14]


def test_a_withdrawn_dataset_is_a_404_and_leaves_the_catalogue(open_projects, national, client):
    publication, *_ = open_projects
    assert client.get(f"/ar/opendata/datasets/{publication.name}/").status_code == 200  # positive control
    publication_decide(actor=national, publication=publication, action=PublicationAction.WITHDRAW, reason="خطأ")
    assert client.get(f"/ar/opendata/datasets/{publication.name}/").status_code == 404
    assert listed_count(client.get("/ar/opendata/").content.decode()) == 0
    assert client.get("/fr/opendata/datasets/no-such-dataset/").status_code == 404


def test_a_dataset_classified_later_leaves_the_portal_at_once(open_projects, national, client):
    from masar.opendata.services import dataset_change_decide, dataset_change_request

    publication, *_ = open_projects
    change = dataset_change_request(
        actor=national, dataset=publication.dataset, reason="x", classification=Classification.RESTRICTED
    )
    dataset_change_decide(actor=national, change=change, action="approve")
    assert client.get(f"/ar/opendata/datasets/{publication.name}/").status_code == 404


def test_no_portal_page_names_a_project_the_public_may_not_read(open_projects, client):
    publication, shown, restricted, hidden = open_projects
    pages = [
        "/ar/opendata/",
        f"/fr/opendata/datasets/{publication.name}/",
        f"/en/opendata/datasets/{publication.name}/",
        "/ar/opendata/inventory/",
        f"/ar/opendata/inventory/{publication.dataset.code}/",
    ]
    bodies = [client.get(page).content.decode() for page in pages]
    assert shown.code in bodies[1]  # positive control: the public project is there
    for page, body in zip(pages, bodies, strict=True):
        assert hidden.code not in body and restricted.code not in body, page
        assert hidden.name_ar not in body, page
    # Its search finds nothing (the words searched are echoed back in the form, so only the count tells).
    assert listed_count(client.get("/ar/opendata/", {"q": hidden.code}).content.decode()) == 0


def test_the_catalogue_costs_a_bounded_number_of_queries(
    open_projects, national, ministry_a, client, settings, django_assert_max_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # measure the page itself, not the cache
    with django_assert_max_num_queries(10):
        assert client.get("/ar/opendata/").status_code == 200
    for index in range(12):
        dataset = make_dataset(f"more-{index}", ministry_a, by=national)
        publish(make_publication(f"more-{index}", dataset, by=national, themes=[EuTheme.TECH]), by=national)
    publications_refresh()
    with django_assert_max_num_queries(10):
        response = client.get("/ar/opendata/", {"theme": EuTheme.TECH, "q": "more"})
    assert response.status_code == 200
    assert listed_count(response.content.decode()) == 13 - 1  # "more" matches the twelve, not the first


def test_the_catalogue_is_kept_for_anonymous_visitors(open_projects, client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    first = client.get("/ar/opendata/")
    second = client.get("/ar/opendata/")
    assert first["X-Masar-Page-Cache"] == "miss" and second["X-Masar-Page-Cache"] == "hit"


def test_the_dataset_page_reads_its_file_once_per_version(open_projects, national, client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masar.portfolio.services import project_update

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # measure the page itself, not the page cache
    publication, shown, *_ = open_projects
    url = f"/ar/opendata/datasets/{publication.name}/"
    assert shown.code in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as read:
        assert client.get(url).status_code == 200
    assert len(read) <= 3 and not any('"content"' in query["sql"] for query in read.captured_queries)
    project_update(
        actor=national, project=shown, classification=Classification.RESTRICTED, expected_version=shown.version
    )
    publications_refresh()
    assert shown.code not in client.get(url).content.decode()  # a new file is a new preview
