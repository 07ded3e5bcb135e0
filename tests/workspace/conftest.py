"""A month of work for every role: updates to review, values to decide, reports due, escalations."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from masar.core.months import month_start, previous_month
from masar.decisions.models import MeetingKind
from masar.delivery.models import ObstacleCategory, ObstacleStatus, Severity
from masar.delivery.services import baselines as baseline_services
from masar.delivery.services import obstacles as obstacle_services
from masar.delivery.services import updates as update_services
from masar.indicators.services import measurement_record
from masar.portfolio.models import ProjectStatus
from tests.decisions.factories import make_decision, make_meeting
from tests.indicators.factories import approved, entry, make_indicator, set_baseline, year
from tests.portfolio.factories import make_project


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users of these tests never sign in with a password: hash them cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Month:
    today: datetime.date
    due: datetime.date  # the month whose update is due
    earlier: datetime.date
    projects: dict[str, Any]
    updates: dict[str, Any]
    values: dict[str, Any]
    indicator: Any


def _project(code, owner, axis, manager):
    today = timezone.localdate()
    return make_project(
        code,
        owner,
        axis,
        manager=manager,
        status=ProjectStatus.IN_PROGRESS,
        planned_start=today - datetime.timedelta(days=400),
        planned_end=today + datetime.timedelta(days=400),
        planned_budget=Decimal("1000000"),
    )


def _update(project, actor, period, percent, today):
    return update_services.update_save(
        project=project,
        actor=actor,
        period=period,
        percent_complete=Decimal(percent),
        spend_to_date=Decimal(percent) * 1000,
        declared_confidence="green",
        today=today,
    )


@pytest.fixture
def month(ministry_a, ministry_b, axis, gov, manager_a, manager_b, coordinator_a, national):
    """In ministry A: P-A1 submitted for the due month (20 % approved before), P-A2 returned (so its report is due).
    In ministry B: P-B1 without any update. Values of IND-A: 2023 approved, 2024 and 2025 submitted by the
    national unit, 2022 submitted by coordinator A. An obstacle of P-A1 on a coming council's agenda, a
    re-baseline of P-A2 proposed, one decision overdue."""
    today = timezone.localdate()
    due = month_start(previous_month(today))
    earlier = month_start(previous_month(due))
    p_a1 = _project("P-A1", ministry_a, axis, manager_a)
    p_a2 = _project("P-A2", ministry_a, axis, manager_a)
    p_b1 = _project("P-B1", ministry_b, axis, manager_b)
    first = _update(p_a1, manager_a, earlier, 20, today)
    update_services.update_submit(update=first, actor=manager_a, today=today)
    update_services.update_approve(update=first, actor=coordinator_a, today=today)
    submitted = _update(p_a1, manager_a, due, 35, today)
    update_services.update_submit(update=submitted, actor=manager_a, today=today)
    returned = _update(p_a2, manager_a, due, 10, today)
    update_services.update_submit(update=returned, actor=manager_a, today=today)
    update_services.update_return(update=returned, actor=coordinator_a, reason="أرقام ناقصة", today=today)

    indicator = make_indicator("IND-A", ministry_a)
    set_baseline(indicator, datetime.date(2020, 1, 1), 100)
    approved(indicator, year(2023), 120, by=national, approver=coordinator_a)
    values = {
        "2024": measurement_record(actor=national, indicator=indicator, entry=entry(year(2024), 130), submit=True),
        "2025": measurement_record(actor=national, indicator=indicator, entry=entry(year(2025), 140), submit=True),
        "own": measurement_record(actor=coordinator_a, indicator=indicator, entry=entry(year(2022), 110), submit=True),
    }

    obstacle = obstacle_services.obstacle_report(
        project=p_a1,
        actor=manager_a,
        category=ObstacleCategory.COORDINATION,
        severity=Severity.CRITICAL,
        description="عائق",
        must_act=ministry_b,
        status=ObstacleStatus.OPEN,
    )
    council = make_meeting(kind=MeetingKind.COUNCIL_OF_MINISTERS, owner=gov, date=today + datetime.timedelta(days=7))
    obstacle_services.obstacle_escalate(obstacle=obstacle, meeting=council, actor=coordinator_a)
    baseline_services.baseline_request(
        project=p_a2,
        actor=manager_a,
        planned_start=p_a2.planned_start,
        planned_end=p_a2.planned_end + datetime.timedelta(days=90),
        planned_budget=p_a2.planned_budget,
        reason="تأخر التمويل",
    )
    past = make_meeting(owner=gov, date=today - datetime.timedelta(days=60))
    make_decision(meeting=past, responsible=ministry_a, due_date=today - datetime.timedelta(days=1))
    make_decision(meeting=past, responsible=ministry_a, order=2, due_date=today + datetime.timedelta(days=30))
    return Month(
        today=today,
        due=due,
        earlier=earlier,
        projects={"a1": p_a1, "a2": p_a2, "b1": p_b1},
        updates={"first": first, "submitted": submitted, "returned": returned},
        values=values,
        indicator=indicator,
    )
