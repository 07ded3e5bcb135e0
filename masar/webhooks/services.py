"""Writes of webhooks: subscriptions (managed by the client's managers) and the sending of deliveries."""

from __future__ import annotations

import datetime
import ipaddress
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from standardwebhooks.webhooks import Webhook

from masar.core import policy
from masar.core.errors import Conflict, Invalid, NotPermitted
from masar.core.jobs import task_enqueue_on_commit
from masar.core.services import model_create, model_update
from masar.exchange.models import ApiClient
from masar.webhooks import payloads
from masar.webhooks.models import (
    DeliveryStatus,
    EventType,
    SubscriptionState,
    WebhookDelivery,
    WebhookSubscription,
    new_signing_secret,
)

if TYPE_CHECKING:
    from masar.accounts.models import User

MAX_ATTEMPTS = 8  # attempts of one delivery before it is marked failed
PAUSE_AFTER_FAILURES = 10  # failed attempts in a row, across deliveries, before a subscription is paused
FIRST_DELAY = datetime.timedelta(seconds=30)
BACKOFF_FACTOR = 4  # 30 s, 2 min, 8 min, 32 min, ~2 h, then the cap
MAX_DELAY = datetime.timedelta(hours=6)
TIMEOUT_SECONDS = 10
# While a worker sends, the delivery is claimed for this long; a worker that dies leaves it to the sweep after.
CLAIM = datetime.timedelta(minutes=5)
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def retry_delay(attempts: int) -> datetime.timedelta:
    """Return how long to wait after the attempt number `attempts` failed: growing fourfold, capped."""
    return min(FIRST_DELAY * BACKOFF_FACTOR ** max(attempts - 1, 0), MAX_DELAY)


# Subscriptions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedSecret:
    """A subscription with its signing secret, shown once (at creation or rotation)."""

    subscription: WebhookSubscription
    secret: str


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_target_url(url: str) -> str:
    """Return the address if messages may be sent to it: https; http only to this machine where allowed.

    Plain http would let anyone on the way read what the payload says of a record; it is accepted only
    for a receiver on this machine, under DEBUG or with `WEBHOOKS_ALLOW_LOOPBACK` (the tests' receiver).
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and host and _is_loopback(host) and settings.WEBHOOKS_ALLOW_LOOPBACK:
        return url
    raise Invalid(errors=[("target_url", _("Give an https address."))])


def _check_events(event_types: list[str]) -> list[str]:
    chosen = sorted(set(event_types))
    if not chosen:
        raise Invalid(errors=[("event_types", _("Choose at least one event."))])
    if any(value not in EventType.values for value in chosen):
        raise Invalid(errors=[("event_types", _("Choose events from the list."))])
    return chosen


def _check_manages(actor: Any, client: ApiClient) -> None:
    if actor is not None and not (policy.may_manage_client(actor, client) or policy.is_the_client(actor, client)):
        raise NotPermitted(_("The coordinator of the system's organization manages its webhooks."))


@transaction.atomic
def subscription_create(
    *, actor: User | None, client: ApiClient, target_url: str, event_types: list[str]
) -> IssuedSecret:
    """Subscribe a client to events; the signing secret is returned once, to be given to the receiver."""
    _check_manages(actor, client)
    secret = new_signing_secret()

    def prepare(subscription: Any) -> None:
        subscription.secret = secret
        subscription.created_by = actor if getattr(actor, "pk", None) else None

    subscription = model_create(
        model=WebhookSubscription,
        actor=actor,
        data={"client": client, "target_url": check_target_url(target_url), "event_types": _check_events(event_types)},
        prepare=prepare,
    )
    return IssuedSecret(subscription=subscription, secret=secret)


@transaction.atomic
def subscription_update(
    *,
    subscription: WebhookSubscription,
    actor: User | None,
    expected_version: int | None,
    target_url: str,
    event_types: list[str],
) -> WebhookSubscription:
    """Change where a subscription sends and which events it wants (StaleEditError on a stale version)."""
    _check_manages(actor, subscription.client)
    data = {"target_url": check_target_url(target_url), "event_types": _check_events(event_types)}
    return model_update(instance=subscription, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def subscription_rotate_secret(*, subscription: WebhookSubscription, actor: User | None) -> IssuedSecret:
    """Give a subscription a new signing secret at once (returned once); the old one signs nothing more."""
    _check_manages(actor, subscription.client)
    secret = new_signing_secret()
    subscription = model_update(
        instance=subscription,
        actor=actor,
        data={},
        expected_version=subscription.version,
        prepare=lambda s: setattr(s, "secret", secret),
    )
    return IssuedSecret(subscription=subscription, secret=secret)


def _set_state(subscription: WebhookSubscription, actor: Any, state: str) -> WebhookSubscription:
    current = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if current.state == state:
        raise Conflict()

    def prepare(changed: Any) -> None:
        paused = state == SubscriptionState.PAUSED
        changed.paused_at = timezone.now() if paused else None
        if not paused:
            changed.consecutive_failures = 0

    return model_update(
        instance=current, actor=actor, data={"state": state}, expected_version=current.version, prepare=prepare
    )


@transaction.atomic
def subscription_pause(*, subscription: WebhookSubscription, actor: User | None) -> WebhookSubscription:
    """Stop sending to a subscription; its pending deliveries wait until it is resumed."""
    _check_manages(actor, subscription.client)
    return _set_state(subscription, actor, SubscriptionState.PAUSED)


@transaction.atomic
def subscription_resume(*, subscription: WebhookSubscription, actor: User | None) -> WebhookSubscription:
    """Send to a subscription again, starting with its pending deliveries; the failure count starts over."""
    _check_manages(actor, subscription.client)
    subscription = _set_state(subscription, actor, SubscriptionState.ACTIVE)
    pending = subscription.deliveries.filter(status=DeliveryStatus.PENDING)
    pending.update(next_attempt_at=None)
    for pk in pending.values_list("pk", flat=True):
        delivery_enqueue(delivery_id=pk)
    return subscription


# Deliveries --------------------------------------------------------------------------------------


def delivery_enqueue(*, delivery_id: int, run_after: datetime.datetime | None = None) -> None:
    """Queue the sending of a delivery once the transaction commits (at run_after if the backend defers).

    A backend that cannot defer (the immediate one) is not asked to: the sweep sends the delivery when due.
    """
    from masar.webhooks.tasks import webhook_deliver

    task = webhook_deliver
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    task_enqueue_on_commit(task, delivery_id)  # a queue that is away leaves it pending, for the sweep


def _claim(delivery: WebhookDelivery, now: datetime.datetime) -> bool:
    """Take a pending, due delivery of an active subscription for one attempt; False if someone else has it."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        WebhookDelivery.objects.filter(
            due, pk=delivery.pk, status=DeliveryStatus.PENDING, subscription__state=SubscriptionState.ACTIVE
        ).update(next_attempt_at=now + CLAIM, last_attempt_at=now)
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A receiver answers; it does not send the message elsewhere (a redirect is a failure)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST a message; return (HTTP status or None on a network error, a short excerpt of the answer)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(200).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        excerpt = error.read(200).decode("utf-8", "replace") if error.fp is not None else ""
        return error.code, excerpt or str(error.reason)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        return None, str(reason)


def signed_headers(*, secret: str, event_id: str, sent_at: datetime.datetime, body: str) -> dict[str, str]:
    """Return the Standard Webhooks headers of a message."""
    sent_at = sent_at.astimezone(datetime.UTC)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(event_id, sent_at, body),
        "content-type": "application/json",
        "user-agent": "Masar-Webhooks/1",
    }


def webhook_delivery_send(*, delivery: WebhookDelivery, now: datetime.datetime | None = None) -> WebhookDelivery:
    """Send one delivery now if it is pending and due, through its client's visibility at this moment.

    A record the client may no longer read (or a client switched off) is withheld: nothing is sent. A 2xx
    answer delivers it; anything else is a failed attempt, retried later with a growing delay.
    """
    now = now or timezone.now()
    if not _claim(delivery, now):
        return WebhookDelivery.objects.get(pk=delivery.pk)
    delivery = WebhookDelivery.objects.select_related("subscription__client__account__organization").get(pk=delivery.pk)
    subscription = delivery.subscription
    client = subscription.client
    data = None
    if client.is_active and client.account.is_active:
        reader = policy.Reader.of(client.account)
        data = payloads.record_data(reader, delivery.record_type, delivery.record_id)
    if data is None:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.WITHHELD, next_attempt_at=None, response_status=None, response_excerpt=""
        )
        return WebhookDelivery.objects.get(pk=delivery.pk)
    message = payloads.message(event_type=delivery.event_type, occurred_at=delivery.occurred_at, data=data)
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    headers = signed_headers(secret=subscription.secret, event_id=delivery.event_id, sent_at=now, body=body)
    status, excerpt = _post(subscription.target_url, body.encode("utf-8"), headers)
    return _record_attempt(delivery, now=now, status=status, excerpt=excerpt)


def _record_attempt(
    delivery: WebhookDelivery, *, now: datetime.datetime, status: int | None, excerpt: str
) -> WebhookDelivery:
    attempts = delivery.attempts + 1
    outcome: dict[str, Any] = {"attempts": attempts, "response_status": status, "response_excerpt": excerpt[:200]}
    subscriptions = WebhookSubscription.objects.filter(pk=delivery.subscription_id)
    if status is not None and 200 <= status < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.DELIVERED, next_attempt_at=None, delivered_at=now, **outcome
        )
        subscriptions.update(consecutive_failures=0)
        return WebhookDelivery.objects.get(pk=delivery.pk)
    if attempts >= MAX_ATTEMPTS:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, next_attempt_at=None, **outcome
        )
    else:
        retry_at = now + retry_delay(attempts)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=retry_at, **outcome)
        delivery_enqueue(delivery_id=delivery.pk, run_after=retry_at)
    subscriptions.update(consecutive_failures=F("consecutive_failures") + 1)
    if subscriptions.filter(state=SubscriptionState.ACTIVE, consecutive_failures__gte=PAUSE_AFTER_FAILURES).exists():
        _pause_failing(delivery.subscription)
    return WebhookDelivery.objects.get(pk=delivery.pk)


@transaction.atomic
def _pause_failing(subscription: WebhookSubscription) -> None:
    """Pause a subscription that keeps failing, and tell its client's coordinators and its creator."""
    from masar.delivery.models import Notification
    from masar.delivery.notifications import notify

    try:
        subscription = _set_state(subscription, None, SubscriptionState.PAUSED)
    except Conflict:
        return  # paused meanwhile: already told
    client = subscription.client
    told = list(policy.coordinators_of(client.organization))
    if subscription.created_by is not None and subscription.created_by.is_active:
        told.append(subscription.created_by)
    notify(
        users=told,
        kind=Notification.Kind.WEBHOOK_PAUSED,
        params={"subscription_id": subscription.pk, "client_id": client.pk},
        url=reverse("webhooks-subscription-detail", args=[subscription.pk]),
        key=f"webhook-paused:{subscription.pk}:{subscription.version}",
    )


def webhook_deliveries_send_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Send the pending deliveries whose time came (the safety net of the queue); return how many were tried."""
    now = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, subscription__state=SubscriptionState.ACTIVE)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "pk")[:limit]
    )
    count = 0
    for delivery in due:
        webhook_delivery_send(delivery=delivery, now=now)
        count += 1
    return count


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery, actor: User | None) -> WebhookDelivery:
    """Send a failed or withheld delivery once more, with the same `webhook-id`; visibility is checked again."""
    subscription = delivery.subscription
    _check_manages(actor, subscription.client)
    if not subscription.is_active:
        raise Invalid(message=_("Resume the subscription before delivering again."))
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.FAILED, DeliveryStatus.WITHHELD]
    ).update(status=DeliveryStatus.PENDING, next_attempt_at=None)
    if not claimed:
        raise Conflict(_("Only a failed or withheld delivery is delivered again."))
    delivery_enqueue(delivery_id=delivery.pk)
    return WebhookDelivery.objects.get(pk=delivery.pk)
