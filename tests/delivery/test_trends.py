"""Ratings over time: kept month by month by the refresh, shown on the project page and the heat map."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masar.core.models import Classification
from masar.decisions.models import MeetingKind
from masar.delivery.models import (
    Confidence,
    Obstacle,
    ObstacleCategory,
    ProjectHealth,
    ProjectRatingHistory,
    Severity,
)
from masar.delivery.services.ratings import health_refresh_all, project_health_refresh
from masar.delivery.trends import changes_since, changes_since_last_council, last_council
from masar.portfolio.models import Project
from masar.portfolio.services import milestone_create
from tests.decisions.factories import make_meeting
from tests.delivery.factories import make_health
from tests.portfolio.factories import make_project

JAN_10 = datetime.date(2026, 1, 10)


def history(project):
    return list(ProjectRatingHistory.objects.filter(project=project).values_list("month", "computed"))


@pytest.fixture
def project(ministry_a, axis):
    project = make_project(
        "P-1",
        ministry_a,
        axis,
        name_en="Road to the south",
        planned_start=datetime.date(2025, 6, 1),
        planned_end=datetime.date(2026, 12, 31),
    )
    milestone_create(actor=None, project=project, order=1, name_ar="إطلاق", planned_date=datetime.date(2026, 1, 1))
    return project


def test_the_refresh_keeps_one_rating_per_project_per_month_updated_in_place(project):
    project_health_refresh(project=project, today=JAN_10)  # 9 days late: green
    assert history(project) == [(datetime.date(2026, 1, 1), Confidence.GREEN)]
    health_refresh_all(today=datetime.date(2026, 1, 25))  # 24 days late: amber/green, same month
    assert history(project) == [(datetime.date(2026, 1, 1), Confidence.AMBER_GREEN)]
    health_refresh_all(today=datetime.date(2026, 2, 15))  # 45 days late: amber, a new month
    assert history(project) == [
        (datetime.date(2026, 1, 1), Confidence.AMBER_GREEN),
        (datetime.date(2026, 2, 1), Confidence.AMBER),
    ]


def test_the_nightly_refresh_writes_the_history_in_one_query_per_chunk(ministry_a, axis):
    for n in range(6):
        make_project(f"P-{n}", ministry_a, axis)
    with CaptureQueriesContext(connection) as queries:
        assert health_refresh_all(today=JAN_10) == 6
    writes = [q["sql"] for q in queries if "delivery_projectratinghistory" in q["sql"].lower()]
    assert len(writes) == 1
    assert ProjectRatingHistory.objects.filter(month=datetime.date(2026, 1, 1)).count() == 6


def test_the_project_page_shows_the_rating_month_by_month_in_words(project, national, client_for):
    ProjectRatingHistory.objects.create(project=project, month=datetime.date(2026, 1, 1), computed=Confidence.RED)
    project_health_refresh(project=project)
    html = client_for(national).get(f"/en/projects/{project.pk}/").content.decode()
    assert "Rating month by month" in html
    assert 'class="rating rating-red">Red</span>' in html


def test_the_heat_map_draws_the_list_s_projects_without_writing(
    project, ministry_b, axis, national, viewer_a, client_for
):
    hidden = make_project("P-HID", ministry_b, axis, name_en="Hidden works", classification=Classification.CONFIDENTIAL)
    other = make_project("P-2", ministry_b, axis, name_en="Harbour upgrade")
    for p in (project, hidden, other):
        ProjectRatingHistory.objects.create(project=p, month=datetime.date(2026, 1, 1), computed=Confidence.AMBER_RED)
    before = ProjectRatingHistory.objects.count()
    html = client_for(viewer_a).get("/en/delivery/heatmap/").content.decode()
    assert "Road to the south" in html and "Harbour upgrade" in html and "Hidden works" not in html
    assert "2 projects" in html
    filtered = client_for(national).get("/en/delivery/heatmap/", {"organization": project.owner_id})
    text = filtered.content.decode()
    assert "Road to the south" in text and "Harbour upgrade" not in text and "1 project" in text
    assert ProjectRatingHistory.objects.count() == before
    assert client_for(national).get("/en/delivery/heatmap/", {"rating": "purple"}).status_code == 400


@pytest.fixture
def council(gov):
    return make_meeting(
        kind=MeetingKind.COUNCIL_OF_MINISTERS, owner=gov, name_ar="مجلس الوزراء", date=datetime.date(2026, 3, 12)
    )


def test_changes_since_a_day_names_new_reds_recoveries_missed_milestones_and_new_obstacles(
    ministry_a, ministry_b, axis, viewer_a, council
):
    turned_red = make_project("P-RED", ministry_a, axis)
    recovered = make_project("P-OK", ministry_a, axis)
    still_red = make_project("P-STILL", ministry_a, axis)
    never_rated = make_project("P-NEW", ministry_a, axis)
    hidden = make_project("P-HID", ministry_b, axis, classification=Classification.CONFIDENTIAL)
    february = datetime.date(2026, 2, 1)
    for p, then, now in [
        (turned_red, Confidence.AMBER, Confidence.RED),
        (recovered, Confidence.RED, Confidence.AMBER),
        (still_red, Confidence.RED, Confidence.RED),
        (hidden, Confidence.GREEN, Confidence.RED),
    ]:
        ProjectRatingHistory.objects.create(project=p, month=february, computed=then)
        make_health(p, now)
    make_health(never_rated, Confidence.RED)
    missed = milestone_create(
        actor=None, project=turned_red, order=1, name_ar="تسليم", planned_date=datetime.date(2026, 4, 1)
    )
    milestone_create(  # reached on time: not a slip
        actor=None,
        project=recovered,
        order=1,
        name_ar="تسليم",
        planned_date=datetime.date(2026, 4, 1),
        actual_date=datetime.date(2026, 3, 30),
    )
    milestone_create(  # fell due before the council: not new
        actor=None, project=still_red, order=1, name_ar="تسليم", planned_date=datetime.date(2026, 3, 1)
    )
    obstacle = Obstacle.objects.create(
        project=turned_red,
        category=ObstacleCategory.FUNDING,
        severity=Severity.HIGH,
        description="اعتمادات غير مفرج عنها",
        must_act=ministry_a,
        classification=Classification.RESTRICTED,
    )
    Obstacle.objects.filter(pk=obstacle.pk).update(reported_at=datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC))
    today = datetime.date(2026, 5, 1)
    assert last_council(viewer_a, today) == council
    changes = changes_since_last_council(viewer_a, today=today)
    assert changes is not None and changes.since == council.date
    assert list(changes.new_reds) == [turned_red]
    assert list(changes.recovered) == [recovered]
    assert list(changes.slipped_milestones) == [missed]
    assert list(changes.new_obstacles) == [obstacle]
    # Reported before the day: not new; the public sees no obstacle (internal material).
    assert not changes_since(viewer_a, datetime.date(2026, 4, 15), today=today).new_obstacles.exists()
    assert not changes_since(None, council.date, today=today).new_obstacles.exists()
    assert Project.objects.filter(pk=hidden.pk, health__computed=Confidence.RED).exists()


def test_without_an_earlier_council_there_is_nothing_to_compare(viewer_a, gov):
    make_meeting(kind=MeetingKind.COUNCIL_OF_MINISTERS, owner=gov, date=datetime.date(2026, 6, 1))
    make_meeting(kind=MeetingKind.STOCKTAKE, owner=gov, date=datetime.date(2026, 3, 1))
    assert changes_since_last_council(viewer_a, today=datetime.date(2026, 5, 1)) is None


def test_the_dashboard_shows_what_changed_since_the_last_council(ministry_a, axis, national, council, client_for):
    turned_red = make_project("P-RED", ministry_a, axis, name_en="Digital ID")
    ProjectRatingHistory.objects.create(project=turned_red, month=datetime.date(2026, 2, 1), computed=Confidence.GREEN)
    make_health(turned_red, Confidence.RED)
    html = client_for(national).get("/en/dashboards/").content.decode()
    assert "What changed since the last council" in html
    assert 'data-change="new_reds" data-count="1"' in html and "Digital ID" in html
    assert ProjectHealth.objects.count() == 1
