"""The nightly rating refresh, set-based: the same ratings as one project at a time, a fixed number of queries
whatever the number of projects, and a re-rating that moves the dashboards' data version."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masar.audit.models import AuditEntry
from masar.core.months import month_end
from masar.dashboards.selectors import data_version
from masar.delivery.configuration import rules_in_force
from masar.delivery.models import (
    Baseline,
    BaselineStatus,
    Confidence,
    MilestoneReport,
    Obstacle,
    ObstacleCategory,
    ObstacleStatus,
    ProgressUpdate,
    ProjectHealth,
    ProjectRatingHistory,
    Severity,
    UpdateStatus,
)
from masar.delivery.rating import MilestoneFact, ProjectFacts, rate
from masar.delivery.services import ratings
from masar.delivery.services.ratings import health_refresh_all, project_facts, project_health_refresh
from masar.portfolio.models import ProjectStatus
from masar.portfolio.services import milestone_create
from tests.portfolio.factories import make_project

TODAY = datetime.date(2026, 5, 20)
KINDS = 8  # the kinds of project `varied_project` makes


def month(year, number):
    return datetime.date(year, number, 1)


def add_update(project, period, status, *, spend="100000", declared=Confidence.GREEN):
    return ProgressUpdate.objects.create(
        project=project,
        period=period,
        percent_complete=Decimal("40"),
        spend_to_date=Decimal(spend),
        declared_confidence=declared,
        status=status,
    )


def add_baseline(project, number, status, *, end, dates=None):
    return Baseline.objects.create(
        project=project,
        number=number,
        planned_start=project.planned_start,
        planned_end=end,
        milestone_dates=dates or {},
        reason="" if number == 1 else "moved",
        status=status,
    )


def add_obstacle(project, severity, status):
    return Obstacle.objects.create(
        project=project,
        category=ObstacleCategory.FUNDING,
        severity=severity,
        description="obstacle",
        must_act=project.owner,
        status=status,
    )


def varied_project(n, owner, axis):
    """Make project n of one of KINDS kinds (by n modulo KINDS), each exercising other facts of the rating."""
    kind = n % KINDS
    status = {3: ProjectStatus.SUSPENDED, 5: ProjectStatus.PLANNED, 7: ProjectStatus.COMPLETED}
    project = make_project(
        f"P-{n}",
        owner,
        axis,
        status=status.get(kind, ProjectStatus.IN_PROGRESS),
        planned_start=month(2027, 1) if kind == 5 else month(2025, 1),
        planned_end=datetime.date(2027, 12, 31) if kind == 5 else datetime.date(2026, 12, 31),
        planned_budget=None if kind == 5 else Decimal("1000000") + n,
    )
    first = milestone_create(actor=None, project=project, order=1, name_ar="أ", planned_date=datetime.date(2026, 1, 15))
    second = milestone_create(actor=None, project=project, order=2, name_ar="ب", planned_date=datetime.date(2026, 4, 1))
    if kind == 0:  # approved months, then a submitted one that reports a milestone reached late
        add_update(project, month(2026, 2), UpdateStatus.APPROVED, spend="300000")
        add_update(project, month(2026, 3), UpdateStatus.APPROVED, spend="400000", declared=Confidence.AMBER)
        latest = add_update(project, month(2026, 4), UpdateStatus.SUBMITTED, spend=str(500000 + n * 1000))
        MilestoneReport.objects.create(update=latest, milestone=first, actual_date=datetime.date(2026, 3, 20))
        older = ProgressUpdate.objects.get(project=project, period=month(2026, 3))
        MilestoneReport.objects.create(update=older, milestone=second, actual_date=datetime.date(2026, 3, 1))
    elif kind == 1:  # re-baselined beyond the cap, with a proposal pending that counts for nothing
        dates = {str(first.pk): "2025-11-01", str(second.pk): "2026-02-01"}
        add_baseline(project, 1, BaselineStatus.APPROVED, end=datetime.date(2026, 6, 30), dates=dates)
        for number in (2, 3, 4):
            add_baseline(project, number, BaselineStatus.APPROVED, end=datetime.date(2026, 12, 31))
        add_baseline(project, 5, BaselineStatus.PROPOSED, end=datetime.date(2027, 6, 30))
        add_update(project, month(2026, 4), UpdateStatus.APPROVED, declared=Confidence.GREEN)
    elif kind == 2:  # obstacles: a critical one resolved, a high and a low one not
        add_obstacle(project, Severity.CRITICAL, ObstacleStatus.RESOLVED)
        add_obstacle(project, Severity.HIGH, ObstacleStatus.IN_PROGRESS)
        add_obstacle(project, Severity.LOW, ObstacleStatus.OPEN)
        add_update(project, month(2026, 4), UpdateStatus.APPROVED)
    elif kind == 3:  # suspended: an old approved update, a draft and a returned one that count for nothing
        add_update(project, month(2025, 11), UpdateStatus.APPROVED, declared=Confidence.AMBER_RED)
        add_update(project, month(2026, 3), UpdateStatus.RETURNED, declared=Confidence.GREEN)
        add_update(project, month(2026, 4), UpdateStatus.DRAFT, spend="900000")
    elif kind == 6:  # the original plan rejected: a later approved plan is a re-baseline with no original
        add_baseline(project, 1, BaselineStatus.REJECTED, end=datetime.date(2026, 3, 31))
        add_baseline(project, 2, BaselineStatus.APPROVED, end=datetime.date(2026, 12, 31))
        add_obstacle(project, Severity.MEDIUM, ObstacleStatus.OPEN)
    elif kind == 7:  # completed, both milestones reached
        add_update(project, month(2026, 4), UpdateStatus.APPROVED, declared=Confidence.RED)
        MilestoneReport.objects.create(
            update=ProgressUpdate.objects.get(project=project), milestone=second, actual_date=datetime.date(2026, 4, 9)
        )
        first.actual_date = datetime.date(2026, 1, 10)
        first.save()
    # kind 4: in progress with no update at all; kind 5: planned, not started, no budget
    return project


def facts_one_by_one(project, today):
    """The facts of one project read query by query, as the refresh read them before it was set-based."""
    reported_updates = project.updates.filter(status__in=[UpdateStatus.SUBMITTED, UpdateStatus.APPROVED])
    latest = reported_updates.order_by("-period").first()
    approved = project.updates.filter(status=UpdateStatus.APPROVED).order_by("-period").first()
    reported = {r.milestone_id: r.actual_date for r in latest.milestone_reports.all()} if latest else {}
    milestones = list(project.milestones.all())
    current = [MilestoneFact(planned=m.planned_date, actual=reported.get(m.pk, m.actual_date)) for m in milestones]
    plans = list(project.baselines.filter(status=BaselineStatus.APPROVED).order_by("number"))
    original = plans[0] if plans and plans[0].number == 1 else None
    original_milestones = current
    if original is not None:
        original_milestones = [
            MilestoneFact(
                planned=datetime.date.fromisoformat(original.milestone_dates[str(m.pk)]),
                actual=reported.get(m.pk, m.actual_date),
            )
            for m in milestones
            if str(m.pk) in original.milestone_dates
        ]
    running = project.planned_start <= today and project.status == ProjectStatus.IN_PROGRESS
    return ProjectFacts(
        today=today,
        planned_start=project.planned_start,
        planned_end=project.planned_end,
        planned_budget=project.planned_budget,
        milestones=current,
        spend_to_date=latest.spend_to_date if latest else None,
        last_approved_period=approved.period if approved else None,
        last_approved_on=month_end(approved.period) if approved else None,
        open_obstacle_severities=sorted(project.obstacles.unresolved().values_list("severity", flat=True)),
        declared=latest.declared_confidence if latest else None,
        reporting_since=project.planned_start if running else None,
        original_end=original.planned_end if original else project.planned_end,
        original_milestones=original_milestones,
        rebaselines=sum(1 for b in plans if b.number > 1),
    )


def stored(project):
    h = ProjectHealth.objects.get(project=project)
    return (h.computed, h.declared, h.gap, h.flag_kind, h.schedule_days, h.original_slip_days, h.rebaselines,
            h.cost_ratio, h.reasons, h.last_approved_period, h.computed_on)  # fmt: skip


def expected(rating, facts):
    return (rating.computed, rating.declared or "", rating.gap, rating.flag_kind, rating.schedule_days,
            rating.original_slip_days, rating.rebaselines, rating.cost_ratio, rating.reasons,
            facts.last_approved_period, facts.today)  # fmt: skip


@pytest.fixture
def varied(ministry_a, axis):
    return [varied_project(n, ministry_a, axis) for n in range(2 * KINDS)]


def test_the_nightly_refresh_rates_every_kind_of_project_as_its_facts_read_one_by_one(varied):
    assert health_refresh_all(today=TODAY) == len(varied)
    rules = rules_in_force()
    for project in varied:
        facts = facts_one_by_one(project, TODAY)
        assert stored(project) == expected(rate(facts, rules), facts), project.code
        read = project_facts(project, TODAY)
        assert replace(read, open_obstacle_severities=sorted(read.open_obstacle_severities)) == facts, project.code
    # The kinds are told apart (positive controls: the comparison above is not between empty ratings).
    reasons = {r["rule"] for project in varied for r in ProjectHealth.objects.get(project=project).reasons}
    assert reasons == {"schedule", "cost", "freshness", "obstacles", "rebaselines"}
    computed = set(ProjectHealth.objects.values_list("computed", flat=True))
    assert len(computed) >= 3
    assert ProjectHealth.objects.exclude(original_slip_days=None).exists()
    assert ProjectHealth.objects.filter(rebaselines=3).count() == 2


def test_the_one_project_refresh_stores_what_the_nightly_refresh_stores(varied):
    one_by_one = {}
    for project in varied:
        project_health_refresh(project=project, today=TODAY)
        one_by_one[project.pk] = stored(project)
    ProjectHealth.objects.all().delete()
    ProjectRatingHistory.objects.all().delete()
    health_refresh_all(today=TODAY)
    assert {project.pk: stored(project) for project in varied} == one_by_one
    assert ProjectRatingHistory.objects.filter(month=month(2026, 5)).count() == len(varied)


def test_a_chunked_refresh_rates_each_project_of_a_sparse_selection_once(varied, monkeypatch):
    monkeypatch.setattr(ratings, "CHUNK", 3)
    chosen = [p for n, p in enumerate(varied) if n % 3 != 1]  # every chunk spans ids it leaves aside
    queryset = type(varied[0]).objects.filter(pk__in=[p.pk for p in chosen])
    assert health_refresh_all(today=TODAY, queryset=queryset) == len(chosen)
    assert set(ProjectHealth.objects.values_list("project_id", flat=True)) == {p.pk for p in chosen}
    rules = rules_in_force()
    for project in chosen:
        facts = facts_one_by_one(project, TODAY)
        assert stored(project) == expected(rate(facts, rules), facts), project.code


def refresh_queries(today):
    with CaptureQueriesContext(connection) as queries:
        health_refresh_all(today=today)
    return len(queries)


def test_the_nightly_refresh_costs_the_same_queries_for_3_and_for_30_projects(ministry_a, axis):
    ContentType.objects.get_for_model(ProjectHealth)  # cached, as in a running worker
    for n in range(3):
        varied_project(n, ministry_a, axis)
    few = refresh_queries(TODAY)
    for n in range(3, 30):
        varied_project(n, ministry_a, axis)
    many = refresh_queries(TODAY + datetime.timedelta(days=40))  # other ratings: both runs record an entry
    assert ProjectHealth.objects.count() == 30
    assert few == many
    # The settings, then for the chunk: its projects, five reads of facts, its stored health, two writes
    # (and the savepoint around them, in a test), then the run's audit entry.
    assert many <= 20


def test_each_chunk_costs_the_same_queries_and_a_full_last_chunk_one_read_more(varied, monkeypatch):
    health_refresh_all(today=TODAY)  # the runs below change no rating: none records an audit entry
    counts = {}
    for size in (len(varied) // 2, len(varied), len(varied) + 1):
        monkeypatch.setattr(ratings, "CHUNK", size)
        counts[size] = refresh_queries(TODAY)
    two_full, one_full, one_part = counts.values()
    assert one_full == one_part + 1  # the read that finds no project left
    per_chunk = two_full - one_full
    assert per_chunk == 9 + 2  # projects, five reads of facts, stored health, two writes; a savepoint in a test
    assert AuditEntry.objects.filter(model_label="delivery.projecthealth").count() == 1


def test_a_refresh_that_changes_a_rating_moves_the_dashboards_data_version(ministry_a, axis):
    project = make_project("P-LATE", ministry_a, axis)
    milestone_create(actor=None, project=project, order=1, name_ar="أ", planned_date=datetime.date(2026, 1, 1))
    health_refresh_all(today=datetime.date(2026, 1, 10))  # 9 days late: green
    assert ProjectHealth.objects.get(project=project).computed == Confidence.GREEN
    before = data_version()
    health_refresh_all(today=datetime.date(2026, 1, 10))  # nothing changed: the version stays
    assert data_version() == before
    health_refresh_all(today=datetime.date(2026, 3, 10))  # 68 days late: amber/red
    assert ProjectHealth.objects.get(project=project).computed == Confidence.AMBER_RED
    assert data_version() != before
    entry = AuditEntry.objects.latest("seq")
    assert entry.model_label == "delivery.projecthealth"
    assert entry.changes == {"rated": 1, "changed": 1, "computed_on": "2026-03-10"}
