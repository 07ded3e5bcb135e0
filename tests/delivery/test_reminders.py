import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from masar.decisions.models import MeetingKind
from masar.delivery.models import Notification, ProjectHealth
from masar.delivery.reminders import reminders_send
from tests.decisions.factories import make_decision, make_meeting
from tests.portfolio.factories import make_project

TODAY = datetime.date(2026, 5, 12)


@pytest.fixture
def late_reporter(ministry_a, axis, manager_a):
    return make_project(
        "P-1",
        ministry_a,
        axis,
        manager=manager_a,
        status="in_progress",
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
        planned_budget=Decimal("100000"),
    )


@pytest.fixture
def decision(gov, ministry_a):
    meeting = make_meeting(kind=MeetingKind.COUNCIL_OF_MINISTERS, owner=gov)
    return make_decision(
        meeting=meeting,
        text_ar="سياسة البيانات المفتوحة",
        responsible=ministry_a,
        due_date=TODAY + datetime.timedelta(days=10),
    )


def test_a_missing_update_reminds_its_manager_once(late_reporter, manager_a, coordinator_a):
    assert reminders_send(today=datetime.date(2026, 5, 5)) == (0, 0)  # not due before the 10th
    assert reminders_send(today=TODAY) == (1, 0)
    assert reminders_send(today=TODAY) == (0, 0)
    reminder = Notification.objects.get(user=manager_a)
    assert reminder.kind == "update_due" and reminder.params == {"project": "P-1", "period": "2026-04"}


def test_a_decision_falling_due_reminds_the_responsible_coordinator_and_the_national_unit(
    decision, coordinator_a, coordinator_b, national
):
    reminders_send(today=TODAY - datetime.timedelta(days=20))
    assert not Notification.objects.exists()  # more than 14 days ahead
    assert reminders_send(today=TODAY) == (0, 2)
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"coord_a", "national"}


@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_runs_on_the_database_worker(late_reporter, decision, manager_a, settings):
    call_command("delivery_nightly", "--enqueue")
    assert not ProjectHealth.objects.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert ProjectHealth.objects.filter(project=late_reporter).exists()
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
