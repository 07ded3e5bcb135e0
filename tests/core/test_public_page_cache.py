"""Anonymous visitors' pages are served whole from the cache until the data changes; nobody else's ever are."""

import pytest
from django.test import Client

from masar.core.models import Classification
from masar.core.pagecache import CACHE_HEADER
from masar.portfolio.services import project_update
from tests.portfolio.factories import make_project


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def public_project(ministry_a, axis):
    return make_project("PUB-1", ministry_a, axis, classification=Classification.PUBLIC)


def test_a_second_anonymous_visit_is_served_whole_for_one_query(public_project, django_assert_num_queries):
    url = f"/ar/projects/{public_project.pk}/"
    first = Client().get(url)
    assert first.status_code == 200 and first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(1):  # the data version, nothing else
        second = Client().get(url)
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert "X-Request-ID" in second and second["X-Request-ID"] != first["X-Request-ID"]  # headers are the request's


def test_a_change_made_through_the_site_shows_at_once(public_project):
    url = f"/en/projects/{public_project.pk}/"
    assert "PUB-1" in Client().get(url).content.decode()
    project_update(project=public_project, actor=None, expected_version=public_project.version, name_en="Renamed")
    after = Client().get(url)
    assert after[CACHE_HEADER] == "miss"
    assert "Renamed" in after.content.decode()


def test_a_record_classified_later_leaves_the_public_pages_at_once(public_project):
    url = f"/en/projects/{public_project.pk}/"
    assert Client().get(url).status_code == 200
    project_update(
        project=public_project,
        actor=None,
        expected_version=public_project.version,
        classification=Classification.RESTRICTED,
    )
    assert Client().get(url).status_code == 404


def test_signed_in_people_never_read_or_fill_the_anonymous_cache(public_project, client_for, coordinator_a):
    url = f"/en/projects/{public_project.pk}/"
    anonymous = Client().get(url)
    assert anonymous[CACHE_HEADER] == "miss"
    signed_in = client_for(coordinator_a).get(url)
    assert CACHE_HEADER not in signed_in
    assert signed_in.content != anonymous.content  # their page has their name and their actions
    assert Client().get(url)[CACHE_HEADER] == "hit"  # positive control: the anonymous entry is still there


def test_pages_with_a_csrf_token_are_never_kept(db):
    first = Client().get("/ar/accounts/login/")
    assert first.status_code == 200 and CACHE_HEADER not in first
    second = Client().get("/ar/accounts/login/")
    assert CACHE_HEADER not in second
    assert "csrftoken" in second.cookies  # each visitor gets a token of their own


def test_htmx_fragments_and_api_calls_are_not_looked_up(public_project):
    url = f"/en/projects/{public_project.pk}/"
    Client().get(url)
    assert CACHE_HEADER not in Client().get(url, HTTP_HX_REQUEST="true")
    assert CACHE_HEADER not in Client().get("/api/v1/projects/")


def test_off_when_the_setting_is_zero(settings, public_project):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = f"/en/projects/{public_project.pk}/"
    Client().get(url)
    assert CACHE_HEADER not in Client().get(url)
