"""The dashboards kept in the cache: a fixed number of queries cold and warm, and never one reader's page for another.

A warm hit reads the rendered filters and figures from the cache; the filters list what the reader
may see (the organizations, regions, and only the strategies, axes and phases visible to them), so
the rendering is kept per reader scope (policy.cache_scope).
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masar.core.models import Classification
from masar.core.services import model_create
from masar.organizations.models import Organization, OrganizationKind
from masar.organizations.services import organization_create, region_create
from masar.strategy.models import Axis, Phase, Strategy, StrategyKind
from tests.delivery.factories import make_health
from tests.portfolio.factories import make_project

PAGES = ["national", "sectoral", "public"]
OPTION = re.compile(r'<option value="(\d*)"( selected)?>([^<]*)</option>')


def address(page, ministry):
    return {
        "national": "/en/dashboards/",
        "sectoral": f"/en/dashboards/organizations/{ministry.pk}/",
        "public": "/en/dashboards/public/",
    }[page]


def choices(html, name):
    """Return the (value, selected, label) of the options of the filter named name."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    return [(value, bool(selected), label) for value, selected, label in OPTION.findall(select.group(1))]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def grow(gov, axis, country, start, count):
    """Add count projects, each owned by an organization of its own (every third a ministry) in a region of its own."""
    for i in range(start, start + count):
        kind = OrganizationKind.MINISTRY if i % 3 == 0 else OrganizationKind.DIRECTORATE
        owner = organization_create(actor=None, kind=kind, code=f"ORG-{i}", name_ar=f"هيكل {i}", parent=gov)
        place = region_create(actor=None, kind="governorate", code=f"R-{i}", name_ar=f"ولاية {i}", parent=country)
        project = make_project(f"GROW-{i}", owner, axis, classification=Classification.PUBLIC)
        project.regions.add(place)
        if i % 2:
            make_health(project, "green")


@pytest.mark.parametrize("page", PAGES)
def test_the_queries_of_a_cold_and_a_warm_dashboard_do_not_grow_with_the_data(
    page, client_for, national, gov, ministry_a, axis
):
    country = region_create(actor=None, kind="country", code="TN", name_ar="تونس")
    client = client_for(national)
    url = address(page, ministry_a)
    grow(gov, axis, country, 0, 3)
    make_project("A-1", ministry_a, axis)
    client.get(url)  # the session's first request writes it
    cache.clear()
    cold, warm = queries(client, url), queries(client, url)
    grow(gov, axis, country, 3, 27)  # 30 projects, 30 more organizations and regions: a new data version
    assert Organization.objects.count() > 30
    assert len(queries(client, url)) == len(cold)
    assert len(queries(client, url)) == len(warm)
    # A warm hit: the session, its user and their organization, the data version, the reader's inbox, and on a
    # sectoral dashboard the sector.
    assert len(warm) <= (6 if page == "sectoral" else 5) < len(cold)


def test_a_warm_hit_reads_neither_the_filters_choices_nor_any_figure(client_for, national, ministry_a, axis):
    make_project("A-1", ministry_a, axis)
    client = client_for(national)
    url = f"/en/dashboards/?organization={ministry_a.pk}"
    cold, warm = queries(client, url), queries(client, url)
    tables = ("organizations_organization", "organizations_region", "strategy_", "portfolio_project")
    assert any(table in sql for sql in cold for table in tables)  # positive control
    own = f'"organizations_organization"."id" = {national.organization_id} LIMIT'  # the reader's organization
    assert not [sql for sql in warm if any(table in sql for table in tables) and own not in sql]


def test_a_warm_hit_shows_the_filters_with_the_choice_made(client_for, national, gov, ministry_a, ministry_b, axis):
    make_project("A-1", ministry_a, axis)
    client = client_for(national)
    url = f"/en/dashboards/?organization={ministry_b.pk}&axis={axis.pk}"
    cold = client.get(url).content.decode()
    warm = client.get(url).content.decode()
    assert warm.split('<main id="main">')[1] == cold.split('<main id="main">')[1]  # the page around has a new token
    organizations = choices(warm, "organization")
    # Every organization, in the tree's order, after the empty choice; the one asked for is selected.
    assert [value for value, _, _ in organizations] == [""] + [str(o.pk) for o in Organization.objects.all()]
    assert [value for value, selected, _ in organizations if selected] == [str(ministry_b.pk)]
    assert (str(axis.pk), True, axis.name_ar) in choices(warm, "axis")
    # Another choice is another page: nothing selected but the empty choice.
    other = client.get("/en/dashboards/").content.decode()
    assert [value for value, selected, _ in choices(other, "organization") if selected] == [""]


@pytest.fixture
def secret_strategy(ministry_b):
    """A confidential strategy of ministry B, its axis and its phase: B's coordinator and the national unit see them."""
    strategy = model_create(
        model=Strategy,
        actor=None,
        data=dict(
            kind=StrategyKind.PROGRAM,
            code="SECRET",
            name_ar="استراتيجية SECRETMARK",
            owner=ministry_b,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            classification=Classification.CONFIDENTIAL,
        ),
    )
    model_create(model=Axis, actor=None, data=dict(strategy=strategy, order=1, name_ar="محور SECRETMARK"))
    Phase.objects.create(strategy=strategy, order=1, name_ar="مرحلة SECRETMARK", start="2025-01-01", end="2025-12-31")
    return strategy


@pytest.mark.parametrize("page", PAGES)
def test_the_filters_kept_for_one_reader_never_show_another_what_they_may_not_see(
    page, secret_strategy, client_for, national, coordinator_a, coordinator_b, viewer_a, ministry_a, axis
):
    make_project("A-1", ministry_a, axis)
    url = address(page, ministry_a)
    # Those who may see the confidential strategy render the page first, so their filters are in the cache.
    for user in (national, coordinator_b):
        for _hit in ("cold", "warm"):
            html = client_for(user).get(url).content.decode()
            names = [label for name in ("strategy", "axis", "phase") for _, _, label in choices(html, name)]
            seen = [label for label in names if "SECRETMARK" in label]
            assert len(seen) == (0 if page == "public" else 3), (user, page)  # positive control
    for user in (coordinator_a, viewer_a, None):
        for _hit in ("cold", "warm"):
            html = client_for(user).get(url).content.decode()
            assert choices(html, "strategy")  # the filters are there ...
            assert "SECRETMARK" not in html, (user, page)  # ... without what this reader may not see


def test_an_invisible_choice_is_refused_even_once_another_reader_kept_the_page(
    secret_strategy, client_for, coordinator_a, coordinator_b, ministry_a, axis
):
    make_project("A-1", ministry_a, axis)
    url = f"/en/dashboards/?strategy={secret_strategy.pk}"
    assert client_for(coordinator_b).get(url).status_code == 200
    assert client_for(coordinator_b).get(url).status_code == 200  # kept for B ...
    response = client_for(coordinator_a).get(url)
    assert response.status_code == 400  # ... and refused to A
    assert "SECRETMARK" not in response.content.decode()
