"""One obstacle list: the export and the selector count the same obstacles, for every reader."""

import csv
import io

import pytest

from masar.core.models import Classification
from masar.core.policy import Reader
from masar.core.services import model_create
from masar.delivery.models import Obstacle
from masar.delivery.rows import obstacle_row
from masar.delivery.selectors import ObstacleFilters, obstacle_list
from tests.portfolio.factories import make_project

READERS = ["public", "coordinator_a", "national"]


@pytest.fixture
def obstacles(ministry_a, directorate_a, ministry_b, axis):
    projects = {
        "A-PUB": make_project("A-PUB", ministry_a, axis),
        "A-CONF": make_project("A-CONF", directorate_a, axis, classification=Classification.CONFIDENTIAL),
        "B-PUB": make_project("B-PUB", ministry_b, axis),
        "B-CONF": make_project("B-CONF", ministry_b, axis, classification=Classification.CONFIDENTIAL),
    }

    def report(code, category, severity):
        return model_create(
            model=Obstacle,
            actor=None,
            data=dict(
                project=projects[code],
                category=category,
                severity=severity,
                description=code,
                must_act=ministry_a,
                # Published, so that the public reads them too; their project's classification still applies.
                classification=Classification.PUBLIC,
            ),
        )

    return [
        report("A-PUB", "legal", "high"),
        report("A-PUB", "technical", "low"),
        report("A-CONF", "legal", "critical"),
        report("B-PUB", "legal", "high"),
        report("B-CONF", "funding", "high"),
    ]


def csv_rows(client, params):
    response = client.get("/en/exports/obstacles.csv", params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))[1:]


@pytest.mark.parametrize("who", READERS)
def test_the_export_and_the_selector_count_the_same_obstacles(obstacles, ministry_a, client_for, request, who):
    user = None if who == "public" else request.getfixturevalue(who)
    reader = Reader.of(user)
    client = client_for(user)
    for params, filters in (
        ({}, ObstacleFilters()),
        ({"category": "legal"}, ObstacleFilters(category="legal")),
        (
            {"severity": "high", "organization": ministry_a.pk},
            ObstacleFilters(severity="high", organization=ministry_a),
        ),
    ):
        rows = csv_rows(client, params)
        expected = [
            obstacle_row(o, reader) for o in obstacle_list(reader, filters).select_related("project", "must_act")
        ]
        assert [(row[0], row[2], row[3]) for row in rows] == [
            (r.project_code, r.category, r.severity) for r in expected
        ]
    assert obstacle_list(reader).count() == {"public": 3, "coordinator_a": 4, "national": 5}[who]


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("params", [{"category": "weather"}, {"severity": "mild"}, {"organization": "abc"}])
def test_a_bad_obstacle_filter_is_refused_and_changes_nothing(obstacles, client_for, request, who, params):
    client = client_for(None if who == "public" else request.getfixturevalue(who))
    before = list(Obstacle.objects.order_by("pk").values_list("pk", "version"))
    assert client.get("/en/exports/obstacles.csv", params).status_code == 400
    assert list(Obstacle.objects.order_by("pk").values_list("pk", "version")) == before
    assert csv_rows(client, {})  # positive control
