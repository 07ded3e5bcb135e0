"""Monthly updates: draft → submitted → approved or returned, locking, bad input, permissions."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from masar.audit.models import AuditEntry
from masar.core.errors import DomainError
from masar.delivery.models import Notification, ProgressUpdate, ProjectHealth, UpdateStatus
from masar.delivery.services import updates as update_services
from masar.portfolio.services import milestone_create
from tests.portfolio.factories import make_project

TODAY = datetime.date(2026, 5, 20)
MARCH = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)


@pytest.fixture
def project(ministry_a, axis, manager_a):
    project = make_project(
        "P-1",
        ministry_a,
        axis,
        manager=manager_a,
        status="in_progress",
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
        planned_budget=Decimal("365000"),
    )
    milestone_create(
        actor=None, project=project, order=1, name_ar="إطلاق طلب العروض", planned_date=datetime.date(2026, 2, 15)
    )
    milestone_create(
        actor=None, project=project, order=2, name_ar="إسناد الصفقة", planned_date=datetime.date(2026, 9, 1)
    )
    return project


def draft(project, actor, period=APRIL, **extra):
    data = dict(
        percent_complete=Decimal("30"), spend_to_date=Decimal("100000"), declared_confidence="green", narrative=""
    )
    data.update(extra)
    return update_services.update_save(project=project, actor=actor, period=period, today=TODAY, **data)


def test_a_project_manager_drafts_and_submits_and_the_coordinator_is_told(project, manager_a, coordinator_a):
    coordinator_a.email = "coord@example.org"
    coordinator_a.save()
    update = draft(project, manager_a)
    assert update.status == UpdateStatus.DRAFT
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED and update.submitted_by == manager_a
    assert Notification.objects.filter(user=coordinator_a, kind="update_submitted").exists()


def test_a_milestone_60_days_late_declared_green_is_rated_and_flagged_on_submission(project, manager_a):
    first = project.milestones.get(order=1)
    update = draft(project, manager_a, milestone_dates={first.pk: datetime.date(2026, 4, 16)})
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    health = ProjectHealth.objects.get(project=project)
    assert health.schedule_days == 60
    assert health.computed == "amber_red" and health.declared == "green" and health.flagged


def test_the_coordinator_returns_then_approves_and_the_period_locks(project, manager_a, coordinator_a):
    update = draft(project, manager_a)
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    with pytest.raises(ValidationError):
        update_services.update_return(update=update, actor=coordinator_a, reason="  ")
    update_services.update_return(update=update, actor=coordinator_a, reason="الإنفاق لا يطابق الدفاتر", today=TODAY)
    update.refresh_from_db()
    assert update.status == UpdateStatus.RETURNED and update.return_reason == "الإنفاق لا يطابق الدفاتر"
    assert Notification.objects.filter(user=manager_a, kind="update_returned").exists()
    update = update_services.update_save(
        project=project,
        actor=manager_a,
        update=update,
        expected_version=update.version,
        period=APRIL,
        percent_complete=Decimal("30"),
        spend_to_date=Decimal("90000"),
        declared_confidence="amber",
        today=TODAY,
    )
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    update_services.update_approve(update=update, actor=coordinator_a, today=TODAY)
    update.refresh_from_db()
    assert update.status == UpdateStatus.APPROVED and update.reviewed_by == coordinator_a
    with pytest.raises(update_services.LockedPeriodError):
        update_services.update_save(
            project=project,
            actor=manager_a,
            update=update,
            expected_version=update.version,
            period=APRIL,
            percent_complete=Decimal("31"),
            spend_to_date=Decimal("90000"),
            declared_confidence="amber",
            today=TODAY,
        )
    with pytest.raises(update_services.LockedPeriodError):
        draft(project, coordinator_a)
    assert ProgressUpdate.objects.get(pk=update.pk).percent_complete == Decimal("30")


def test_approval_applies_the_reported_milestone_dates(project, manager_a, coordinator_a):
    first = project.milestones.get(order=1)
    update = draft(project, manager_a, milestone_dates={first.pk: datetime.date(2026, 3, 1)})
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    first.refresh_from_db()
    assert first.actual_date is None
    update_services.update_approve(update=update, actor=coordinator_a, today=TODAY)
    first.refresh_from_db()
    assert first.actual_date == datetime.date(2026, 3, 1)
    assert AuditEntry.objects.for_object(first).filter(action="update").exists()


def test_only_the_coordinator_of_the_ministry_or_the_national_unit_reviews(
    project, manager_a, viewer_a, coordinator_b, national
):
    update = draft(project, manager_a)
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    for outsider in (viewer_a, coordinator_b, manager_a):
        with pytest.raises(PermissionDenied):
            update_services.update_approve(update=update, actor=outsider)
    update_services.update_approve(update=update, actor=national, today=TODAY)


def test_the_submitter_cannot_approve_their_own_update(project, coordinator_a):
    update = draft(project, coordinator_a)
    update_services.update_submit(update=update, actor=coordinator_a, today=TODAY)
    with pytest.raises(DomainError):
        update_services.update_approve(update=update, actor=coordinator_a)


def test_two_reviewers_at_once_one_wins_and_the_other_is_told(project, manager_a, coordinator_a, national):
    update = draft(project, manager_a)
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    seen_by_first = ProgressUpdate.objects.get(pk=update.pk)
    seen_by_second = ProgressUpdate.objects.get(pk=update.pk)
    update_services.update_approve(update=seen_by_first, actor=coordinator_a, today=TODAY)
    with pytest.raises(update_services.WorkflowError):
        update_services.update_return(update=seen_by_second, actor=national, reason="late", today=TODAY)
    assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.APPROVED


def test_people_outside_the_project_cannot_report_on_it(project, manager_b, viewer_a):
    for outsider in (manager_b, viewer_a):
        with pytest.raises(PermissionDenied):
            draft(project, outsider)
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("percent_complete", Decimal("101"), "percent_complete"),
        ("percent_complete", Decimal("-1"), "percent_complete"),
    ],
)
def test_a_percent_outside_0_100_is_refused(project, manager_a, field, value, message):
    with pytest.raises(ValidationError) as caught:
        draft(project, manager_a, **{field: value})
    assert message in caught.value.message_dict
    assert not ProgressUpdate.objects.exists()


def test_spend_below_the_previous_period_is_refused(project, manager_a, coordinator_a):
    update = draft(project, manager_a, period=MARCH, spend_to_date=Decimal("120000"))
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        draft(project, manager_a, period=APRIL, spend_to_date=Decimal("110000"))
    assert "spend_to_date" in caught.value.message_dict
    assert ProgressUpdate.objects.count() == 1


def test_an_actual_date_in_the_future_is_refused(project, manager_a):
    first = project.milestones.get(order=1)
    with pytest.raises(ValidationError) as caught:
        draft(project, manager_a, milestone_dates={first.pk: TODAY + datetime.timedelta(days=1)})
    assert "milestones" in caught.value.message_dict
    assert not ProgressUpdate.objects.exists()


def test_a_month_that_has_not_started_is_refused(project, manager_a):
    with pytest.raises(ValidationError) as caught:
        draft(project, manager_a, period=datetime.date(2026, 6, 1))
    assert "period" in caught.value.message_dict


def test_an_email_goes_out_in_the_readers_language_after_commit(
    project, manager_a, coordinator_a, django_capture_on_commit_callbacks
):
    manager_a.email = "pm@example.org"
    manager_a.language = "fr"
    manager_a.save()
    update = draft(project, manager_a)
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        update_services.update_approve(update=update, actor=coordinator_a, today=TODAY)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pm@example.org"]
    assert "P-1" in mail.outbox[0].body
