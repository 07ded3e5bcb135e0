"""Notifications that reach people: critical obstacles, overdue wording, one review item, daily digests."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from masar.accounts.models import EmailFrequency
from masar.core.models import Classification
from masar.decisions.models import MeetingKind
from masar.delivery.models import Notification, ObstacleCategory, Severity
from masar.delivery.notifications import notification_text, notifications_digest_send
from masar.delivery.reminders import reminders_send
from masar.delivery.services import obstacles as obstacle_services
from masar.delivery.services import updates as update_services
from tests.decisions.factories import make_decision, make_meeting
from tests.portfolio.factories import make_project

TODAY = datetime.date(2026, 5, 12)


@pytest.fixture
def project(ministry_a, axis, manager_a):
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


def report(project, actor, must_act, severity=Severity.CRITICAL, **extra):
    return obstacle_services.obstacle_report(
        project=project,
        actor=actor,
        category=ObstacleCategory.FUNDING,
        severity=severity,
        description="التمويل معطل",
        must_act=must_act,
        **extra,
    )


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_a_critical_obstacle_tells_the_reviewers_and_the_coordinators_of_who_must_act_at_once(
    project, manager_a, coordinator_a, coordinator_b, viewer_a, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator_b.email = "coord.b@example.org"
    coordinator_b.language = "fr"
    coordinator_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        report(project, manager_a, must_act=coordinator_b.organization)
    assert told(Notification.Kind.OBSTACLE_CRITICAL) == {"coord_a", "coord_b"}
    assert [m.to for m in mailoutbox] == [["coord.b@example.org"]]
    assert "P-1" in mailoutbox[0].body


def test_a_high_obstacle_tells_nobody(project, manager_a, coordinator_a, coordinator_b):
    report(project, manager_a, must_act=coordinator_b.organization, severity=Severity.HIGH)
    assert not Notification.objects.exists()


def test_a_critical_obstacle_is_told_only_to_those_who_may_read_it(
    ministry_a, axis, manager_a, coordinator_a, coordinator_b
):
    confidential = make_project("P-C", ministry_a, axis, manager=manager_a, classification=Classification.CONFIDENTIAL)
    report(confidential, manager_a, must_act=coordinator_b.organization, classification=Classification.CONFIDENTIAL)
    assert told(Notification.Kind.OBSTACLE_CRITICAL) == {"coord_a"}  # ministry B may not read it


@pytest.fixture
def decision(gov, ministry_a):
    meeting = make_meeting(kind=MeetingKind.COUNCIL_OF_MINISTERS, owner=gov)
    return make_decision(meeting=meeting, text_ar="سياسة البيانات المفتوحة", responsible=ministry_a, due_date=TODAY)


def test_a_decision_reminder_says_falls_due_until_its_day_then_overdue(decision, coordinator_a):
    reminders_send(today=TODAY - datetime.timedelta(days=3))
    notification = Notification.objects.get(user=coordinator_a, kind=Notification.Kind.DECISION_DUE)
    with translation.override("en"):
        assert "falls due on" in notification_text(notification, today=TODAY)
        assert "overdue" not in notification_text(notification, today=TODAY)
        later = notification_text(notification, today=TODAY + datetime.timedelta(days=1))
    assert "is overdue since" in later and "falls due" not in later


def test_an_update_reminder_for_a_month_whose_due_day_passed_says_overdue(project, manager_a):
    reminders_send(today=TODAY)
    notification = Notification.objects.get(user=manager_a, kind=Notification.Kind.UPDATE_DUE)
    with translation.override("en"):
        on_the_day = notification_text(notification, today=datetime.date(2026, 5, 10))
        after = notification_text(notification, today=TODAY)
    assert "is due on" in on_the_day and "overdue" not in on_the_day
    assert "is overdue since" in after


def test_a_resubmitted_update_leaves_one_review_item_in_the_inbox(project, manager_a, coordinator_a, client_for):
    update = update_services.update_save(
        project=project,
        actor=manager_a,
        period=datetime.date(2026, 4, 1),
        percent_complete=Decimal("30"),
        spend_to_date=Decimal("1000"),
        declared_confidence="green",
        today=TODAY,
    )
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    update_services.update_return(update=update, actor=coordinator_a, reason="أرقام ناقصة", today=TODAY)
    update.refresh_from_db()
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    waiting = coordinator_a.notifications.filter(kind=Notification.Kind.UPDATE_SUBMITTED, read_at__isnull=True)
    assert waiting.count() == 1
    assert coordinator_a.notifications.filter(kind=Notification.Kind.UPDATE_SUBMITTED).count() == 1
    page = client_for(coordinator_a).get("/en/delivery/inbox/").content.decode()
    assert page.count("waits for your review") == 1


def test_a_review_item_already_read_stays_in_the_inbox_history(project, manager_a, coordinator_a):
    update = update_services.update_save(
        project=project,
        actor=manager_a,
        period=datetime.date(2026, 4, 1),
        percent_complete=Decimal("30"),
        spend_to_date=Decimal("1000"),
        declared_confidence="green",
        today=TODAY,
    )
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    coordinator_a.notifications.update(read_at=datetime.datetime(2026, 5, 12, tzinfo=datetime.UTC))
    update_services.update_return(update=update, actor=coordinator_a, reason="أرقام ناقصة", today=TODAY)
    update.refresh_from_db()
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    items = coordinator_a.notifications.filter(kind=Notification.Kind.UPDATE_SUBMITTED)
    assert items.count() == 2 and items.filter(read_at__isnull=True).count() == 1


def test_the_daily_digest_sends_one_email_per_person_in_their_language_and_only_once(
    project, manager_a, coordinator_a, coordinator_b, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator_a.email = "coord.a@example.org"
    coordinator_a.language = "fr"
    coordinator_a.email_frequency = EmailFrequency.DAILY
    coordinator_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        report(project, manager_a, must_act=project.owner)
        report(project, manager_a, must_act=project.owner)
    assert mailoutbox == []  # a digest reader is not e-mailed at once
    read = coordinator_a.notifications.first()
    read.read_at = read.created_at
    read.save()
    other = coordinator_a.notifications.filter(read_at__isnull=True).get()
    assert notifications_digest_send() == 1
    (email,) = mailoutbox
    assert email.to == ["coord.a@example.org"]
    assert "Masar" in email.subject and "1" in email.subject
    with translation.override("fr"):
        assert notification_text(other) in email.body
    assert notifications_digest_send() == 0
    assert len(mailoutbox) == 1


def test_the_digest_command_and_the_nightly_job_send_it(
    project, manager_a, coordinator_a, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator_a.email = "coord.a@example.org"
    coordinator_a.email_frequency = EmailFrequency.DAILY
    coordinator_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        report(project, manager_a, must_act=project.owner)
    call_command("notifications_digest")
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        report(project, manager_a, must_act=project.owner)
    call_command("delivery_nightly")
    assert len(mailoutbox) == 2


def test_the_inbox_is_read_by_pages_newest_first_down_to_the_oldest(coordinator_a, client_for, settings):
    settings.PAGE_SIZE = 2
    for number in range(5):
        Notification.objects.create(
            user=coordinator_a,
            kind=Notification.Kind.UPDATE_APPROVED,
            params={"project": f"مشروع {number}", "period": "2026-04"},
        )
    client = client_for(coordinator_a)
    pages = [client.get(f"/en/delivery/inbox/?page={number}") for number in (1, 2, 3)]
    assert [response.status_code for response in pages] == [200, 200, 200]
    shown = [[n.pk for n in response.context["notifications"]] for response in pages]
    assert [len(ids) for ids in shown] == [2, 2, 1]
    every = [pk for ids in shown for pk in ids]
    assert every == list(coordinator_a.notifications.values_list("pk", flat=True))  # newest first, none twice
    assert 'rel="next"' in pages[0].content.decode() and 'rel="next"' not in pages[2].content.decode()
    assert client.get("/en/delivery/inbox/?page=4").status_code == 404
