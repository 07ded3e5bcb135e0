"""Emitting events: the one call a service makes when something a subscriber may want happened."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from masar.webhooks.models import SubscriptionState, WebhookDelivery, WebhookSubscription
from masar.webhooks.payloads import record_type_of


def emit(event_type: str, record: Model, *, key: str = "") -> list[WebhookDelivery]:
    """Record one pending delivery of this event to each active subscription that wants it; send after commit.

    The deliveries are written in the caller's transaction (an outbox): they exist if and only if the
    change they announce was committed, and a worker that dies before sending leaves them to the sweep
    (`webhook_deliveries_send_due`). Nothing is read of the record here: what a subscriber is sent is
    decided when it is sent, through its visibility then. A key makes an event sent at most once per
    subscription (a decision found falling due every night).
    """
    from masar.webhooks.services import delivery_enqueue

    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(state=SubscriptionState.ACTIVE, client__is_active=True)
        if event_type in s.event_types
    ]
    if key and subscriptions:
        done = set(
            WebhookDelivery.objects.filter(subscription__in=subscriptions, key=key).values_list(
                "subscription_id", flat=True
            )
        )
        subscriptions = [s for s in subscriptions if s.pk not in done]
    if not subscriptions:
        return []
    now = timezone.now()
    record_type = record_type_of(record)
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                subscription=subscription,
                event_type=event_type,
                record_type=record_type,
                record_id=record.pk,
                key=key,
                occurred_at=now,
            )
            for subscription in subscriptions
        )
    for delivery in deliveries:
        delivery_enqueue(delivery_id=delivery.pk)
    return deliveries
