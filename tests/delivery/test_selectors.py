"""Delivery reads with arithmetic: baseline variances and the roadmap's geometry."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from masar.core.timeline import Bar
from masar.delivery.selectors import baseline_variances, roadmap_phases, roadmap_rows
from masar.delivery.services import baselines as baseline_services
from masar.portfolio.models import Project
from masar.portfolio.services import milestone_create
from tests.portfolio.factories import make_project

D = datetime.date
TODAY = D(2025, 6, 1)


@pytest.fixture
def planned(ministry_a, axis, manager_a):
    project = make_project(
        "V-1",
        ministry_a,
        axis,
        manager=manager_a,
        planned_start=D(2025, 1, 1),
        planned_end=D(2025, 12, 31),
        planned_budget=Decimal("1000"),
    )
    first = milestone_create(actor=None, project=project, order=1, name_ar="أول", planned_date=D(2025, 3, 1))
    second = milestone_create(actor=None, project=project, order=2, name_ar="ثان", planned_date=D(2025, 9, 1))
    return project, first, second


def rebaseline(project, manager, national, *, end, budget, dates):
    baseline = baseline_services.baseline_request(
        project=project,
        actor=manager,
        planned_start=project.planned_start,
        planned_end=end,
        planned_budget=budget,
        reason="x",
        milestone_dates=dates,
    )
    baseline_services.baseline_decide(baseline=baseline, actor=national, approve=True, note="accord")
    return Project.objects.get(pk=project.pk)


def test_without_a_baseline_only_the_current_plan_is_measured(planned):
    project, first, second = planned
    variances = baseline_variances(project, [], TODAY)
    assert variances.original is None and variances.end_shift == 0 and variances.budget_shift is None
    rows = {row.milestone.pk: row for row in variances.milestones}
    assert (rows[first.pk].original, rows[first.pk].current) == (None, (TODAY - D(2025, 3, 1)).days)
    assert rows[second.pk].current is None  # not due yet: not late


def test_variances_count_against_the_original_plan_and_the_current_one(planned, manager_a, national):
    project, first, second = planned
    project = rebaseline(
        project, manager_a, national, end=D(2026, 3, 31), budget=Decimal("1500"), dates={first.pk: D(2025, 5, 1)}
    )
    baselines = list(project.baselines.all())
    variances = baseline_variances(project, baselines, TODAY)
    assert variances.original.number == 1
    assert variances.end_shift == (D(2026, 3, 31) - D(2025, 12, 31)).days
    assert variances.budget_shift == Decimal("500")
    rows = {row.milestone.pk: row for row in variances.milestones}
    assert rows[first.pk].original == (TODAY - D(2025, 3, 1)).days
    assert rows[first.pk].current == (TODAY - D(2025, 5, 1)).days
    assert rows[second.pk].original is None and rows[second.pk].current is None


def test_a_reached_milestone_counts_to_its_actual_date(planned):
    project, first, _second = planned
    type(first).objects.filter(pk=first.pk).update(actual_date=D(2025, 3, 11))
    variances = baseline_variances(project, [], TODAY)
    assert {row.milestone.pk: row.current for row in variances.milestones}[first.pk] == 10


def test_the_roadmap_places_each_bar_on_one_axis_of_whole_years(planned, manager_a, national):
    project, first, _second = planned
    rebaseline(project, manager_a, national, end=D(2026, 6, 30), budget=Decimal("1000"), dates={})
    data = roadmap_rows(Project.objects.filter(pk=project.pk), today=TODAY)
    axis = data["timeline"]
    row = data["rows"][0]
    last = max(D(2026, 6, 30), row["forecast_end"])  # the forecast carries the rating's slip
    assert (axis.start, axis.end) == (D(2025, 1, 1), D(last.year, 12, 31))
    days = (axis.end - axis.start).days
    assert row["plan"] == Bar(at=0, width=round(100 * (D(2026, 6, 30) - D(2025, 1, 1)).days / days, 3))
    assert row["baseline"] == Bar(at=0, width=round(100 * (D(2025, 12, 31) - D(2025, 1, 1)).days / days, 3))
    assert row["marks"][0]["at"] == round(100 * (D(2025, 3, 1) - D(2025, 1, 1)).days / days, 3)
    forecast = row["forecast"]
    assert forecast.at == row["plan"].width
    assert forecast.width == round(max(axis.at(row["forecast_end"]) - forecast.at, 0), 3)
    assert [year["year"] for year in data["years"]] == list(range(2025, last.year + 1))
    assert data["today"] == axis.at(TODAY)


def test_phases_are_cut_to_the_roadmap_and_those_off_it_are_left_out(planned):
    project, _first, _second = planned
    axis = roadmap_rows(Project.objects.filter(pk=project.pk), today=TODAY)["timeline"]
    before = SimpleNamespace(start=D(2020, 1, 1), end=D(2024, 12, 31))
    across = SimpleNamespace(start=D(2024, 1, 1), end=D(2025, 7, 2))
    bands = roadmap_phases([before, across], axis)
    assert [band["phase"] for band in bands] == [across]
    assert bands[0]["bar"] == Bar(at=0, width=round(100 * 182 / 364, 3))
