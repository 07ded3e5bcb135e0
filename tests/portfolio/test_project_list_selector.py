"""One project list: the page, the export, the dashboard and the council pack count the same rows."""

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache

from masar.core.models import Classification
from masar.core.policy import Reader
from masar.delivery.models import Confidence, ProgressUpdate, ProjectHealth, UpdateStatus
from masar.exports.models import Export
from masar.organizations.models import Region
from masar.portfolio.models import Project
from masar.portfolio.rows import project_row, with_row_data
from masar.portfolio.selectors import NOT_RATED, ProjectFilters, project_list
from masar.reports.models import CouncilPack
from masar.reports.services import pack_context
from tests.portfolio.factories import make_project

FIGURE = re.compile(r'<a class="drill" href="([^"]+)" data-figure="(\d+)">')


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(ministry_a, directorate_a, ministry_b, axis, manager_a):
    country = Region.objects.create(kind="country", code="TN", name_ar="تونس")
    north = Region.objects.create(kind="region", code="TN-N", name_ar="الشمال", parent=country)
    made = {
        "A-PUB": make_project("A-PUB", ministry_a, axis, status="in_progress"),
        "A-RES": make_project("A-RES", directorate_a, axis, classification=Classification.RESTRICTED),
        "A-CONF": make_project(
            "A-CONF", directorate_a, axis, classification=Classification.CONFIDENTIAL, manager=manager_a
        ),
        "B-PUB": make_project("B-PUB", ministry_b, axis),
        "B-CONF": make_project("B-CONF", ministry_b, axis, classification=Classification.CONFIDENTIAL),
    }
    for code in ("A-PUB", "A-CONF", "B-PUB"):
        made[code].regions.add(north)
    ProjectHealth.objects.create(project=made["A-RES"], computed=Confidence.RED, computed_on="2026-01-01")
    return {"north": north, **made}


def csv_count(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return len(rows) - 1


def page_count(client, params):
    response = client.get("/en/projects/", params)
    assert response.status_code == 200
    return int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))


def dashboard_total(client, params):
    response = client.get("/en/dashboards/", params)
    assert response.status_code == 200
    url, n = FIGURE.findall(response.content.decode())[0]
    assert url.startswith("/en/projects/")
    return int(n)


@pytest.mark.parametrize("who", ["public", "coordinator_a", "national"])
@pytest.mark.parametrize("by", ["organization", "region"])
def test_the_page_the_export_the_dashboard_and_the_pack_count_the_same_projects(
    world, ministry_a, client_for, request, who, by
):
    user = None if who == "public" else request.getfixturevalue(who)
    reader = Reader.of(user)
    target = ministry_a if by == "organization" else world["north"]
    params = {by: target.pk}
    expected = project_list(reader, ProjectFilters(**{by: target})).count()
    client = client_for(user)
    assert page_count(client, params) == expected
    assert csv_count(client, "/en/exports/projects.csv", params) == expected
    assert dashboard_total(client, params) == expected
    if user is not None and by == "organization":
        pack = CouncilPack.objects.create(
            requested_by=user, organization=ministry_a, language="en", classification=Classification.CONFIDENTIAL
        )
        assert pack_context(pack)["project_count"] == expected
    # Positive control: the filter narrows, and what the reader may see matters.
    assert expected < project_list(Reader.system()).count()
    assert (
        expected
        == {
            "public": {"organization": 1, "region": 2},
            "coordinator_a": {"organization": 3, "region": 3},
            "national": {"organization": 3, "region": 3},
        }[who][by]
    )


@pytest.mark.parametrize("who", ["public", "coordinator_a", "national"])
@pytest.mark.parametrize(
    "params",
    [
        {"organization": 999999},
        {"rating": "purple"},
        {"status": "forgotten"},
        {"region": "abc"},
    ],
)
def test_a_bad_filter_value_is_refused_and_changes_nothing(world, client_for, request, who, params):
    user = None if who == "public" else request.getfixturevalue(who)
    client = client_for(user)
    before = (Project.objects.count(), Export.objects.count())
    response = client.get("/en/projects/", params)
    assert response.status_code == 400
    assert 'data-count="0"' in response.content.decode()
    assert client.get("/en/exports/projects.csv", params).status_code == 400
    if "organization" in params or "region" in params:
        assert client.get("/en/dashboards/", params).status_code == 400
    assert (Project.objects.count(), Export.objects.count()) == before
    # Positive control: the same page without the bad value lists projects.
    assert client.get("/en/projects/").status_code == 200


def test_a_confidential_strategy_the_reader_may_not_see_is_a_400(world, client_for, ministry_b, coordinator_a):
    from masar.core.services import model_create
    from masar.strategy.models import Strategy, StrategyKind

    hidden = model_create(
        model=Strategy,
        actor=None,
        data=dict(
            kind=StrategyKind.PROGRAM,
            code="HIDDEN",
            name_ar="سري",
            owner=ministry_b,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            classification=Classification.CONFIDENTIAL,
        ),
    )
    assert client_for(coordinator_a).get("/en/projects/", {"strategy": hidden.pk}).status_code == 400
    assert client_for(coordinator_a).get("/en/dashboards/", {"strategy": hidden.pk}).status_code == 400


def test_my_projects_are_those_the_reader_manages(world, client_for, manager_a, coordinator_a):
    mine = project_list(manager_a, ProjectFilters(manager=manager_a.pk))
    assert [p.code for p in mine] == ["A-CONF"]
    assert page_count(client_for(manager_a), {"mine": "on"}) == 1
    assert page_count(client_for(manager_a), {}) > 1
    assert page_count(client_for(coordinator_a), {"mine": "on"}) == 0


def test_not_rated_and_rating_filters_partition_the_list(world, national):
    everything = project_list(national).count()
    red = project_list(national, ProjectFilters(rating=Confidence.RED)).count()
    unrated = project_list(national, ProjectFilters(rating=NOT_RATED)).count()
    assert (red, unrated) == (1, everything - 1)


def test_the_project_row_carries_progress_spend_regions_manager_and_program(
    world, national, sub_program, manager_a, django_assert_max_num_queries
):
    project = world["A-CONF"]
    Project.objects.filter(pk=project.pk).update(program=sub_program)
    manager_a.first_name, manager_a.last_name = "Amina", "Ben Salah"
    manager_a.save()
    for period, percent, spend, status in (
        ("2026-01-01", 10, 100, UpdateStatus.APPROVED),
        ("2026-02-01", 25, 300, UpdateStatus.SUBMITTED),
        ("2026-03-01", 90, 900, UpdateStatus.DRAFT),
    ):
        ProgressUpdate.objects.create(
            project=project,
            period=period,
            percent_complete=percent,
            spend_to_date=spend,
            declared_confidence="green",
            status=status,
        )
    reader = Reader.of(national)
    with django_assert_max_num_queries(3):
        rows = [project_row(p, reader) for p in with_row_data(project_list(reader), reader)]
    row = next(r for r in rows if r.code == "A-CONF")
    assert (row.percent_complete, row.spend_to_date, row.last_update_period) == (25, 300, datetime.date(2026, 2, 1))
    assert row.regions == "الشمال"
    assert row.manager == "Amina Ben Salah"
    assert row.program == sub_program.name
    # The public never reads staff names.
    public_rows = [
        project_row(p, Reader.public()) for p in with_row_data(project_list(Reader.public()), Reader.public())
    ]
    assert public_rows and all(r.manager is None for r in public_rows)


def test_a_row_shows_only_the_latest_update_its_reader_may_read(world, national, coordinator_b, client_for):
    """An update has a classification of its own: a public project's confidential update stays out of another
    ministry's export, which shows the latest update that ministry may read instead."""
    project = world["A-PUB"]
    for period, percent, spend, level in (
        ("2026-01-01", 10, 100, Classification.RESTRICTED),
        ("2026-02-01", 42, 4242, Classification.CONFIDENTIAL),
    ):
        ProgressUpdate.objects.create(
            project=project,
            period=period,
            percent_complete=percent,
            spend_to_date=spend,
            declared_confidence="green",
            status=UpdateStatus.APPROVED,
            classification=level,
        )

    def row_of(reader):
        rows = with_row_data(project_list(reader), reader)
        return next(project_row(p, reader) for p in rows if p.code == "A-PUB")

    assert row_of(Reader.of(national)).spend_to_date == 4242  # positive control: the owner's line reads it
    other = row_of(Reader.of(coordinator_b))
    assert (other.percent_complete, other.spend_to_date) == (10, 100)
    assert row_of(Reader.public()).spend_to_date is None  # no public update at all
    response = client_for(coordinator_b).get("/fr/exports/projects.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "A-PUB" in body and "4242" not in body
