"""The pages bench.pages times run a number of queries that does not grow with the data.

Each page is requested by the national administrator and a ministry's coordinator with N records
of every kind, then with five times as many: the count of queries must be the same (an N+1, a
query per row, would add one per record). Times are measured by `python -m bench.pages`, never here.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masar.core.models import Classification
from masar.core.months import previous_month
from masar.delivery.models import (
    Confidence,
    Notification,
    Obstacle,
    ObstacleCategory,
    ProgressUpdate,
    Severity,
    UpdateStatus,
)
from masar.portfolio.services import milestone_create
from tests.decisions.factories import make_decision, make_meeting
from tests.delivery.factories import make_health
from tests.portfolio.factories import make_project

N = 2
RATINGS = [Confidence.GREEN, Confidence.AMBER, Confidence.RED]


def months_back(count):
    month = previous_month(timezone.localdate())
    months = []
    for _ in range(count):
        months.append(month)
        month = previous_month(month)
    return list(reversed(months))


class Portfolio:
    """A ministry's portfolio that grows by whole projects, each with what the pages show about it."""

    def __init__(self, ministry, axis, manager, coordinator):
        self.ministry, self.axis, self.manager, self.coordinator = ministry, axis, manager, coordinator
        self.meeting = make_meeting(owner=ministry, date=timezone.localdate() - datetime.timedelta(days=20))
        self.projects = []

    def grow(self, count):
        """Add count projects, each with a rating, a milestone, updates (the last one submitted), an obstacle,
        a decision and a notification; the first project also gets each new obstacle and decision."""
        today = timezone.localdate()
        for _ in range(count):
            number = len(self.projects)
            project = make_project(
                f"P-{number:03d}",
                self.ministry,
                self.axis,
                manager=self.manager,
                status="in_progress",
                planned_start=today - datetime.timedelta(days=400),
                planned_end=today + datetime.timedelta(days=200),
                planned_budget=Decimal("400000"),
                classification=Classification.RESTRICTED,
            )
            self.projects.append(project)
            make_health(project, RATINGS[number % len(RATINGS)])
            milestone_create(
                actor=None, project=project, order=1, name_ar="إطلاق", planned_date=today - datetime.timedelta(days=90)
            )
            for index, period in enumerate(months_back(3)):
                last = index == 2
                ProgressUpdate.objects.create(
                    project=project,
                    period=period,
                    percent_complete=Decimal(10 * (index + 1)),
                    spend_to_date=Decimal(1000 * (index + 1)),
                    declared_confidence=Confidence.GREEN,
                    status=UpdateStatus.SUBMITTED if last else UpdateStatus.APPROVED,
                    created_by=self.manager,
                    submitted_by=self.manager,
                    submitted_at=timezone.now(),
                )
            for subject in {project, self.projects[0]}:
                Obstacle.objects.create(
                    project=subject,
                    category=ObstacleCategory.FUNDING,
                    severity=Severity.HIGH,
                    description=f"عقبة {number}",
                    must_act=self.ministry,
                )
            decision = make_decision(
                meeting=self.meeting,
                responsible=self.ministry,
                order=number + 1,
                due_date=today + datetime.timedelta(days=10),
                classification=Classification.RESTRICTED,
            )
            decision.projects.add(project, self.projects[0])
            Notification.objects.create(
                user=self.coordinator,
                kind=Notification.Kind.UPDATE_SUBMITTED,
                params={"project": project.code, "period": months_back(1)[0].strftime("%Y-%m")},
                url="/",
            )


@pytest.fixture
def portfolio(ministry_a, axis, manager_a, coordinator_a, national):
    return Portfolio(ministry_a, axis, manager_a, coordinator_a)


def pages(portfolio):
    first = portfolio.projects[0]
    return {
        "home": "/en/",
        "projects": "/en/projects/",
        "projects_filtered": f"/en/projects/?organization={portfolio.ministry.pk}&status=in_progress&rating=green",
        "projects_sorted": "/en/projects/?sort=-rating",
        "project": f"/en/projects/{first.pk}/",
        "strategy": f"/en/strategies/{portfolio.axis.strategy_id}/",
        "roadmap_axis": f"/en/delivery/roadmap/?axis={portfolio.axis.pk}",
        "obstacles": "/en/delivery/blocked/",
        "decisions": "/en/meetings/decisions/",
        "review": "/en/my-work/",
        "inbox": "/en/delivery/inbox/",
        "export_projects": "/en/exports/projects.csv",
        "export_obstacles": "/en/exports/obstacles.csv",
        "export_decisions": "/en/exports/decisions.csv",
    }


def count_queries(client, url):
    client.get(url)  # what a process reads once (settings in force, content types) is not the page's
    cache.clear()  # the cold request: every read the page makes
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), response


@pytest.mark.parametrize("who", ["national", "coordinator_a"])
def test_no_page_runs_more_queries_with_five_times_the_data(portfolio, client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    portfolio.grow(N)
    small = {name: count_queries(client, url) for name, url in pages(portfolio).items()}
    portfolio.grow(4 * N)
    large = {name: count_queries(client, url) for name, url in pages(portfolio).items()}
    # Positive control: the larger pages do show the added records.
    assert portfolio.projects[-1].code.encode() in large["projects_sorted"][1].content
    assert large["review"][1].content.count(b"P-0") > small["review"][1].content.count(b"P-0")
    grown = {name: (small[name][0], large[name][0]) for name in small if small[name][0] != large[name][0]}
    assert grown == {}, f"queries (with {N}, with {5 * N} projects): {grown}"
