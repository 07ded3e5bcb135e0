"""Honest numbers: re-baselining never hides slippage, and the gap flag works both ways."""

import datetime
from decimal import Decimal

import pytest

from masar.delivery.models import Confidence, FlagKind, ProgressUpdate, ProjectHealth, UpdateStatus
from masar.delivery.rating import MilestoneFact, ProjectFacts, RatingRules, rate
from masar.delivery.services import baselines as baseline_services
from masar.delivery.services.ratings import project_health_refresh
from masar.portfolio.selectors import ProjectFilters, project_list
from masar.portfolio.services import milestone_create
from tests.delivery.factories import make_health
from tests.html import without_isolates
from tests.portfolio.factories import make_project

TODAY = datetime.date(2026, 5, 1)


def facts(**overrides):
    base = dict(
        today=TODAY,
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
        planned_budget=None,
    )
    base.update(overrides)
    return ProjectFacts(**base)


def test_a_project_re_baselined_more_than_the_cap_is_at_best_amber():
    within = rate(facts(rebaselines=2))
    assert within.computed == Confidence.GREEN and not [r for r in within.reasons if r["rule"] == "rebaselines"]
    beyond = rate(facts(rebaselines=3))
    assert beyond.computed == Confidence.AMBER
    assert {"rule": "rebaselines", "level": Confidence.AMBER, "count": 3, "cap": 2} in beyond.reasons
    assert rate(facts(rebaselines=3), RatingRules(rebaseline_cap=3)).computed == Confidence.GREEN


def test_the_slip_against_the_original_plan_is_kept_while_the_rating_follows_the_current_plan():
    original = MilestoneFact(planned=datetime.date(2026, 3, 1), actual=None)
    current = MilestoneFact(planned=datetime.date(2026, 6, 1), actual=None)
    rating = rate(
        facts(
            milestones=[current],
            original_milestones=[original],
            original_end=datetime.date(2026, 11, 30),
            rebaselines=1,
        )
    )
    assert rating.computed == Confidence.GREEN and rating.schedule_days == 0
    assert rating.original_slip_days == (TODAY - datetime.date(2026, 3, 1)).days
    # The end moved further than any milestone: the larger counts.
    moved = rate(facts(original_end=datetime.date(2026, 6, 30), original_milestones=[original]))
    assert moved.original_slip_days == (datetime.date(2026, 12, 31) - datetime.date(2026, 6, 30)).days
    assert rate(facts()).original_slip_days is None  # no original plan, nothing to measure against


@pytest.mark.parametrize(
    "declared,late_days,kind",
    [
        (Confidence.GREEN, 70, FlagKind.OPTIMISTIC),  # computed amber/red, declared green
        (Confidence.RED, 0, FlagKind.PESSIMISTIC),  # computed green, declared red
        (Confidence.AMBER, 0, FlagKind.PESSIMISTIC),  # two steps worse
        (Confidence.AMBER_GREEN, 0, ""),  # one step worse: not flagged
        (Confidence.GREEN, 20, ""),  # one step better: not flagged
    ],
)
def test_the_gap_is_flagged_both_ways_and_apart(declared, late_days, kind):
    planned = TODAY - datetime.timedelta(days=late_days + 5)
    milestone = MilestoneFact(planned=planned, actual=planned + datetime.timedelta(days=late_days))
    rating = rate(facts(declared=declared, milestones=[milestone]))
    assert rating.flag_kind == kind
    assert rating.flagged is (kind == FlagKind.OPTIMISTIC)  # "flagged" keeps meaning over-optimism


def test_the_list_filters_optimistic_and_pessimistic_gaps_apart(ministry_a, axis, national):
    optimistic = make_project("P-OPT", ministry_a, axis)
    pessimistic = make_project("P-PES", ministry_a, axis)
    plain = make_project("P-OK", ministry_a, axis)
    make_health(optimistic, Confidence.RED, declared=Confidence.GREEN, flagged=True, flag_kind=FlagKind.OPTIMISTIC)
    make_health(pessimistic, Confidence.GREEN, declared=Confidence.RED, flag_kind=FlagKind.PESSIMISTIC)
    make_health(plain, Confidence.GREEN, declared=Confidence.GREEN)
    assert list(project_list(national, ProjectFilters(flagged=True))) == [optimistic]
    assert list(project_list(national, ProjectFilters(pessimistic=True))) == [pessimistic]
    assert ProjectFilters(pessimistic=True).query() == {"pessimistic": "on"}


def test_the_project_list_page_filters_pessimistic_gaps(ministry_a, axis, national, client_for):
    pessimistic = make_project("P-PES", ministry_a, axis, name_fr="Projet pessimiste")
    other = make_project("P-OK", ministry_a, axis, name_fr="Projet honnête")
    make_health(pessimistic, Confidence.GREEN, declared=Confidence.RED, flag_kind=FlagKind.PESSIMISTIC)
    make_health(other, Confidence.GREEN, declared=Confidence.GREEN)
    html = without_isolates(client_for(national).get("/fr/projects/", {"pessimistic": "on"}).content.decode())
    assert "Projet pessimiste" in html and "Projet honnête" not in html


@pytest.fixture
def late_project(ministry_a, axis, manager_a):
    project = make_project(
        "P-LATE",
        ministry_a,
        axis,
        manager=manager_a,
        name_fr="Projet en retard",
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
        planned_budget=Decimal("100000"),
    )
    milestone_create(actor=None, project=project, order=1, name_ar="إطلاق", planned_date=datetime.date(2026, 3, 1))
    return project


def rebaseline(project, manager, national, *, milestone_day, end):
    milestone = project.milestones.get()
    baseline = baseline_services.baseline_request(
        project=project,
        actor=manager,
        planned_start=project.planned_start,
        planned_end=end,
        planned_budget=project.planned_budget,
        reason="تأخر الصفقة",
        milestone_dates={milestone.pk: milestone_day},
    )
    baseline_services.baseline_decide(baseline=baseline, actor=national, approve=True, note="accord", today=TODAY)
    project.refresh_from_db()


def test_an_approved_re_baseline_keeps_the_slip_against_the_original_plan(
    late_project, manager_a, national, client_for
):
    rebaseline(
        late_project, manager_a, national, milestone_day=datetime.date(2026, 6, 1), end=datetime.date(2027, 1, 31)
    )
    health = ProjectHealth.objects.get(project=late_project)
    assert health.computed == Confidence.GREEN and health.schedule_days == 0
    assert health.original_slip_days == (TODAY - datetime.date(2026, 3, 1)).days == 61
    assert health.rebaselines == 1
    html = without_isolates(client_for(national).get(f"/en/projects/{late_project.pk}/").content.decode())
    assert "slip against the original plan: 61 days" in html and "re-baselined 1 time" in html
    listing = without_isolates(client_for(national).get("/en/projects/").content.decode())
    assert "slip against the original plan: 61 days" in listing


def test_a_third_approved_re_baseline_caps_the_rating_at_amber(late_project, manager_a, national, client_for):
    for month in (6, 7, 8):
        rebaseline(
            late_project,
            manager_a,
            national,
            milestone_day=datetime.date(2026, month, 1),
            end=datetime.date(2027, 1, 31),
        )
    health = ProjectHealth.objects.get(project=late_project)
    assert health.rebaselines == 3 and health.computed == Confidence.AMBER
    html = without_isolates(client_for(national).get(f"/en/projects/{late_project.pk}/").content.decode())
    assert "Re-baselines: re-baselined 3 times, more than the 2 allowed" in html


def test_a_refresh_stores_a_pessimistic_gap_apart_from_the_optimistic_flag(late_project, national, client_for):
    ProgressUpdate.objects.create(
        project=late_project,
        period=datetime.date(2026, 2, 1),
        percent_complete=Decimal("20"),
        spend_to_date=Decimal("0"),
        declared_confidence=Confidence.RED,
        status=UpdateStatus.SUBMITTED,
    )
    project_health_refresh(project=late_project, today=datetime.date(2026, 3, 5))  # 4 days late: green
    health = ProjectHealth.objects.get(project=late_project)
    assert health.computed == Confidence.GREEN and health.gap == -4
    assert health.flag_kind == FlagKind.PESSIMISTIC and not health.flagged
    html = without_isolates(client_for(national).get(f"/en/projects/{late_project.pk}/").content.decode())
    assert "flag-pessimistic" in html and "Declared worse than computed" in html


def test_a_project_never_re_baselined_is_measured_against_its_current_plan_as_the_original(late_project):
    project_health_refresh(project=late_project, today=TODAY)
    health = ProjectHealth.objects.get(project=late_project)
    assert health.original_slip_days == 61 and health.rebaselines == 0
