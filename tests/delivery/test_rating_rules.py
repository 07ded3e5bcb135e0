"""The computed rating, rule by rule (masar.delivery.rating)."""

import datetime
from decimal import Decimal

import pytest

from masar.delivery.rating import MilestoneFact, ProjectFacts, rate, schedule_slip

TODAY = datetime.date(2026, 6, 15)


def facts(**overrides):
    base = dict(
        today=TODAY,
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
        planned_budget=Decimal("365000"),
        declared="green",
    )
    base.update(overrides)
    return ProjectFacts(**base)


def late(days, due_days_ago=10):
    planned = TODAY - datetime.timedelta(days=due_days_ago + days)
    return MilestoneFact(planned=planned, actual=planned + datetime.timedelta(days=days))


def test_a_project_on_time_on_budget_fresh_and_unobstructed_is_green():
    rating = rate(
        facts(
            milestones=[late(0)], spend_to_date=Decimal("150000"), last_approved_on=TODAY - datetime.timedelta(days=20)
        )
    )
    assert rating.computed == "green" and not rating.flagged


@pytest.mark.parametrize(
    "days,level",
    [
        (14, "green"),
        (15, "amber_green"),
        (29, "amber_green"),
        (30, "amber"),
        (59, "amber"),
        (60, "amber_red"),
        (89, "amber_red"),
        (90, "red"),
        (200, "red"),
    ],
)
def test_schedule_bands(days, level):
    assert rate(facts(milestones=[late(days)])).computed == level


def test_an_unreached_milestone_is_late_until_today():
    milestone = MilestoneFact(planned=TODAY - datetime.timedelta(days=40), actual=None)
    assert schedule_slip([milestone], TODAY) == 40
    assert schedule_slip([MilestoneFact(planned=TODAY + datetime.timedelta(days=5), actual=None)], TODAY) == 0


def test_old_slips_weigh_less_than_recent_ones():
    old = MilestoneFact(planned=TODAY - datetime.timedelta(days=730), actual=TODAY - datetime.timedelta(days=630))
    recent = MilestoneFact(planned=TODAY - datetime.timedelta(days=100), actual=TODAY - datetime.timedelta(days=0))
    # the old one slipped 100 days two years ago: it counts half (one year beyond the first)
    assert schedule_slip([old], TODAY) == 50
    assert schedule_slip([recent], TODAY) == 100
    assert rate(facts(milestones=[old])).computed == "amber"


def test_the_worst_milestone_sets_the_schedule_judgement():
    assert schedule_slip([late(0), late(3), late(61)], TODAY) == 61


@pytest.mark.parametrize(
    "spend,level",
    [("172000", "green"), ("180000", "amber_green"), ("195000", "amber"), ("220000", "amber_red"), ("240000", "red")],
)
def test_cost_bands_against_planned_spend_to_date(spend, level):
    # 165 of 364 days elapsed: the planned spend to date is 165/364 of 365,000 = 165,453.30
    rating = rate(facts(spend_to_date=Decimal(spend)))
    assert rating.computed == level


def test_no_budget_means_no_cost_judgement():
    rating = rate(facts(planned_budget=None, spend_to_date=Decimal("999999")))
    assert rating.computed == "green" and rating.cost_ratio is None


@pytest.mark.parametrize("age,level", [(45, "green"), (46, "amber_green"), (90, "amber_green"), (91, "amber")])
def test_freshness_caps(age, level):
    assert rate(facts(last_approved_on=TODAY - datetime.timedelta(days=age))).computed == level


def test_a_project_in_progress_that_never_reported_is_not_fresh():
    assert rate(facts(reporting_since=TODAY - datetime.timedelta(days=60))).computed == "amber_green"


@pytest.mark.parametrize(
    "severities,level",
    [(["low"], "green"), (["medium"], "amber_green"), (["high", "low"], "amber"), (["critical", "high"], "amber_red")],
)
def test_obstacle_caps(severities, level):
    assert rate(facts(open_obstacle_severities=severities)).computed == level


def test_the_rating_is_the_worst_of_the_judgements():
    rating = rate(facts(milestones=[late(20)], spend_to_date=Decimal("195000"), open_obstacle_severities=["medium"]))
    assert rating.computed == "amber"
    assert {r["rule"] for r in rating.reasons} == {"schedule", "cost", "obstacles"}


@pytest.mark.parametrize(
    "declared,computed_days,flagged",
    [("green", 60, True), ("green", 30, True), ("green", 20, False), ("amber_green", 30, False), ("red", 0, False)],
)
def test_a_declared_confidence_two_steps_better_than_computed_is_flagged(declared, computed_days, flagged):
    rating = rate(facts(declared=declared, milestones=[late(computed_days)]))
    assert rating.flagged is flagged
