"""Events reach subscribers signed, through their visibility at delivery time, with retries and pauses."""

import datetime

import pytest
from django.utils import translation
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from masar.core.models import Classification
from masar.delivery.models import Notification
from masar.delivery.notifications import notification_text
from masar.portfolio.services import project_update
from masar.webhooks import services
from masar.webhooks.models import DeliveryStatus, EventType, SubscriptionState, WebhookDelivery
from masar.webhooks.tasks import webhook_deliver
from tests.portfolio.factories import make_project
from tests.webhooks.factories import make_client, subscribe


def change(project, actor=None, **data):
    return project_update(project=project, actor=actor, expected_version=project.version, **data)


def test_a_project_change_is_delivered_signed_and_verifiable(
    ministry_a, axis, receiver, django_capture_on_commit_callbacks
):
    client = make_client(ministry_a)
    subscription, secret = subscribe(client, receiver, EventType.PROJECT_CHANGED)
    project = make_project("P-HOOK", ministry_a, axis, name_fr="Projet crochet")
    with django_capture_on_commit_callbacks(execute=True):
        project = change(project, name_en="Hooked project")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (DeliveryStatus.DELIVERED, 1, 204)
    [request] = receiver.requests
    assert request["headers"]["webhook-id"] == delivery.event_id and delivery.event_id.startswith("msg_")
    assert request["headers"]["content-type"] == "application/json"
    message = Webhook(secret).verify(request["body"], request["headers"])
    assert message["type"] == "project.changed"
    assert message["data"] == {
        "id": project.pk,
        "record_type": "projects",
        "url": f"/api/v1/projects/{project.pk}/",
        "version": 2,
        "code": "P-HOOK",
        "name": {"ar": "مشروع P-HOOK", "fr": "Projet crochet", "en": "Hooked project"},
        "status": project.status,
    }
    with pytest.raises(WebhookVerificationError):  # signed with this subscription's secret, not any other
        Webhook(secret[:-4] + "AAA=").verify(request["body"], request["headers"])


def test_an_event_reaches_only_the_subscriptions_that_want_it(
    ministry_a, axis, receiver, django_capture_on_commit_callbacks
):
    client = make_client(ministry_a, scopes=["projects:read", "obstacles:read"])
    wants, _ = subscribe(client, receiver, EventType.PROJECT_CHANGED)
    other, _ = subscribe(client, receiver, EventType.OBSTACLE_REPORTED)
    paused, _ = subscribe(client, receiver, EventType.PROJECT_CHANGED)
    services.subscription_pause(subscription=paused, actor=None)
    project = make_project("P-ONE", ministry_a, axis)
    with django_capture_on_commit_callbacks(execute=True):
        change(project, name_en="Changed")
    assert list(WebhookDelivery.objects.values_list("subscription", flat=True)) == [wants.pk]
    assert len(receiver.requests) == 1
    assert not other.deliveries.exists() and not paused.deliveries.exists()


def test_a_record_the_subscriber_may_not_read_is_withheld(
    ministry_a, ministry_b, axis, receiver, django_capture_on_commit_callbacks
):
    own, _ = subscribe(make_client(ministry_a), receiver, EventType.PROJECT_CHANGED)
    foreign, _ = subscribe(make_client(ministry_b), receiver, EventType.PROJECT_CHANGED)
    project = make_project("P-A", ministry_a, axis)
    with django_capture_on_commit_callbacks(execute=True):
        change(project, name_en="Changed")

    assert own.deliveries.get().status == DeliveryStatus.DELIVERED  # positive control
    withheld = foreign.deliveries.get()
    assert (withheld.status, withheld.attempts, withheld.response_status) == (DeliveryStatus.WITHHELD, 0, None)
    assert [m["data"]["id"] for m in receiver.messages()] == [project.pk]
    assert len(receiver.requests) == 1  # nothing went to ministry B's system


def test_visibility_is_judged_when_the_message_is_sent_not_when_the_event_happened(
    ministry_a, axis, receiver, django_capture_on_commit_callbacks
):
    client = make_client(ministry_a, clearance=Classification.RESTRICTED)
    subscription, _ = subscribe(client, receiver, EventType.PROJECT_CHANGED)
    project = make_project("P-LATER", ministry_a, axis)
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        project = change(project, name_en="Changed")
    delivery = subscription.deliveries.get()
    assert delivery.status == DeliveryStatus.PENDING
    change(project, classification=Classification.CONFIDENTIAL)  # raised above the client's clearance meanwhile
    webhook_deliver.call(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.WITHHELD
    assert receiver.requests == []


def test_an_inactive_client_is_sent_nothing(ministry_a, axis, receiver, django_capture_on_commit_callbacks):
    client = make_client(ministry_a)
    subscription, _ = subscribe(client, receiver, EventType.PROJECT_CHANGED)
    project = make_project("P-OFF", ministry_a, axis)
    with django_capture_on_commit_callbacks(execute=False):
        change(project, name_en="Changed")
    delivery = subscription.deliveries.get()
    type(client).objects.filter(pk=client.pk).update(is_active=False)
    webhook_deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.WITHHELD and receiver.requests == []


def test_a_failing_receiver_is_retried_with_growing_delays_then_the_subscription_is_paused_and_its_owner_told(
    ministry_a, axis, receiver, django_capture_on_commit_callbacks, coordinator_a, coordinator_b, national
):
    client = make_client(ministry_a)
    subscription, _ = subscribe(client, receiver, EventType.PROJECT_CHANGED, actor=national)
    project = make_project("P-DOWN", ministry_a, axis)
    receiver.fail_with = 503
    with django_capture_on_commit_callbacks(execute=True):
        project = change(project, name_en="Changed")
    delivery = subscription.deliveries.get()
    delays = []
    while delivery.status == DeliveryStatus.PENDING:
        delays.append(delivery.next_attempt_at - delivery.last_attempt_at)
        services.webhook_deliveries_send_due(now=delivery.next_attempt_at)
        delivery.refresh_from_db()

    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, services.MAX_ATTEMPTS)
    assert (delivery.response_status, delivery.response_excerpt) == (503, "receiver down")
    minutes = [d / datetime.timedelta(minutes=1) for d in delays]
    assert minutes == [0.5, 2, 8, 32, 128, 360, 360]  # fourfold, capped at six hours
    assert {r["headers"]["webhook-id"] for r in receiver.requests} == {delivery.event_id}  # one id for every try
    assert len(receiver.requests) == services.MAX_ATTEMPTS
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.ACTIVE  # not yet: eight failures in a row
    assert not Notification.objects.filter(kind=Notification.Kind.WEBHOOK_PAUSED).exists()

    with django_capture_on_commit_callbacks(execute=True):
        change(project, name_en="Changed again")
    second = subscription.deliveries.exclude(pk=delivery.pk).get()
    services.webhook_deliveries_send_due(now=second.next_attempt_at)

    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.PAUSED
    assert subscription.consecutive_failures == services.PAUSE_AFTER_FAILURES
    told = Notification.objects.filter(kind=Notification.Kind.WEBHOOK_PAUSED)
    assert sorted(n.user.username for n in told) == ["coord_a", "national"]
    assert told.first().params == {"subscription_id": subscription.pk, "client_id": client.pk}
    with translation.override("en"):
        assert notification_text(told.get(user=coordinator_a)) == (
            "The webhooks of the system System of MIN-A were paused: its receiver kept failing."
        )
    assert not coordinator_b.notifications.exists()

    sent = len(receiver.requests)
    receiver.fail_with = None
    assert services.webhook_deliveries_send_due(now=second.next_attempt_at + datetime.timedelta(days=1)) == 0
    assert len(receiver.requests) == sent  # a paused subscription is sent nothing

    with django_capture_on_commit_callbacks(execute=True):  # resuming sends what waits at once
        services.subscription_resume(subscription=subscription, actor=coordinator_a)
    second.refresh_from_db()
    subscription.refresh_from_db()
    assert second.status == DeliveryStatus.DELIVERED and subscription.consecutive_failures == 0


def test_deliver_again_resends_with_the_same_webhook_id_after_checking_visibility_again(
    ministry_a, axis, receiver, django_capture_on_commit_callbacks, coordinator_a
):
    client = make_client(ministry_a, scopes=[])  # may read no project yet
    subscription, secret = subscribe(client, receiver, EventType.PROJECT_CHANGED)
    project = make_project("P-AGAIN", ministry_a, axis)
    with django_capture_on_commit_callbacks(execute=True):
        change(project, name_en="Changed")
    delivery = subscription.deliveries.get()
    assert delivery.status == DeliveryStatus.WITHHELD and receiver.requests == []

    with django_capture_on_commit_callbacks(execute=True):  # still not readable: withheld again
        services.delivery_redeliver(delivery=delivery, actor=coordinator_a)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.WITHHELD and receiver.requests == []

    type(client).objects.filter(pk=client.pk).update(scopes=["projects:read"])
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_redeliver(delivery=delivery, actor=coordinator_a)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    [request] = receiver.requests
    assert request["headers"]["webhook-id"] == delivery.event_id
    assert Webhook(secret).verify(request["body"], request["headers"])["data"]["code"] == "P-AGAIN"


def test_a_decision_falling_due_is_announced_once(gov, ministry_a, receiver, django_capture_on_commit_callbacks):
    from masar.core.services import model_create
    from masar.decisions.models import Decision, Meeting, MeetingKind
    from masar.delivery.reminders import reminders_send

    client = make_client(ministry_a, scopes=["decisions:read"])
    subscription, secret = subscribe(client, receiver, EventType.DECISION_FALLING_DUE)
    meeting = model_create(
        model=Meeting,
        actor=None,
        data=dict(
            kind=MeetingKind.STOCKTAKE,
            name_ar="اجتماع",
            body_ar="هيئة",
            owner=gov,
            classification="public",
            decisions_published=True,
        ),
    )
    today = datetime.date.today()
    decision = model_create(
        model=Decision,
        actor=None,
        data=dict(
            meeting=meeting,
            order=1,
            text_ar="قرار",
            text_fr="Décision",
            responsible=ministry_a,
            classification="public",
            due_date=today + datetime.timedelta(days=3),
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=today)
        reminders_send(today=today + datetime.timedelta(days=1))  # the next night finds it again
    assert subscription.deliveries.count() == 1
    [message] = receiver.messages()
    assert message["type"] == "decision.falling_due"
    assert message["data"]["id"] == decision.pk and message["data"]["text"]["fr"] == "Décision"
    assert message["data"]["due_date"] == decision.due_date.isoformat()
