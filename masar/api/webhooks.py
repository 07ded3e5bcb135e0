"""Webhook subscriptions through the API: a system subscribes itself to events, reads its delivery log
and asks for a delivery again, through the same webhook services as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from masar.api.paging import DEFAULT_LIMIT, expected_version, one, page_schema, paginate
from masar.api.problems import ERRORS
from masar.api.references import actor_of
from masar.api.schemas import Body
from masar.core import policy
from masar.exchange.models import ApiClient
from masar.webhooks.models import DeliveryStatus, EventType, SubscriptionState, WebhookDelivery, WebhookSubscription
from masar.webhooks.services import (
    delivery_redeliver,
    subscription_create,
    subscription_pause,
    subscription_resume,
    subscription_update,
)

router = Router(tags=["webhooks"])


class SubscriptionOut(Schema):
    id: int
    version: int
    target_url: str
    event_types: list[EventType]
    state: SubscriptionState
    consecutive_failures: int
    created_at: datetime.datetime


class CreatedSubscription(SubscriptionOut):
    secret: str = Field(..., description="The signing secret (whsec_…), shown this once: give it to the receiver")


class SubscriptionIn(Body):
    target_url: str = Field(..., max_length=500, description="https (http only to the loopback in development)")
    event_types: list[EventType] = Field(..., min_length=1)


class SubscriptionPatch(Body):
    target_url: str | None = Field(None, max_length=500)
    event_types: list[EventType] | None = Field(None, min_length=1)
    state: SubscriptionState | None = None


class DeliveryOut(Schema):
    id: int
    event_id: str = Field(..., description="The webhook-id: the same on every attempt")
    event_type: EventType
    record_type: str
    record_id: int
    occurred_at: datetime.datetime
    attempts: int
    status: DeliveryStatus
    next_attempt_at: datetime.datetime | None
    last_attempt_at: datetime.datetime | None
    response_status: int | None
    delivered_at: datetime.datetime | None


def _client(request: HttpRequest) -> ApiClient:
    """Return the system calling: webhooks are managed by a system for itself (people use the pages)."""
    client = request.api_token.client  # type: ignore[attr-defined]
    if client is None:
        raise PermissionDenied(_("Webhooks are subscribed by a system with its own token; people use the pages."))
    return client


def _subscription(request: HttpRequest, subscription_id: int) -> WebhookSubscription:
    found = WebhookSubscription.objects.filter(pk=subscription_id, client=_client(request)).first()
    if found is None or not policy.may_manage_subscription(actor_of(request), found):
        raise Http404
    return found


class Paging(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)
    cursor: str | None = None


@router.get("/webhooks/", response={200: page_schema(SubscriptionOut), **ERRORS}, summary="List your subscriptions")
def subscription_index(request: HttpRequest, query: Query[Paging]) -> Any:
    subscriptions = WebhookSubscription.objects.filter(client=_client(request))
    return paginate(request, subscriptions, limit=query.limit, cursor=query.cursor)


@router.post("/webhooks/", response={201: CreatedSubscription, **ERRORS}, summary="Subscribe to events")
def subscription_new(request: HttpRequest, body: SubscriptionIn) -> Any:
    """Subscribe the calling system; the answer carries the signing secret, shown once."""
    issued = subscription_create(
        actor=actor_of(request),
        client=_client(request),
        target_url=body.target_url,
        event_types=[str(e) for e in body.event_types],
    )
    answer = SubscriptionOut.from_orm(issued.subscription).model_dump()
    return Status(201, one(request, {**answer, "secret": issued.secret}))


@router.get("/webhooks/{subscription_id}/", response={200: SubscriptionOut, **ERRORS}, summary="Read a subscription")
def subscription_read(request: HttpRequest, subscription_id: int) -> Any:
    return one(request, _subscription(request, subscription_id))


@router.patch(
    "/webhooks/{subscription_id}/", response={200: SubscriptionOut, **ERRORS}, summary="Change a subscription"
)
def subscription_change(request: HttpRequest, subscription_id: int, body: SubscriptionPatch) -> Any:
    """Change the address or the events (with If-Match), or pause and resume it."""
    version = expected_version(request)
    subscription = _subscription(request, subscription_id)
    actor = actor_of(request)
    if body.target_url is not None or body.event_types is not None:
        subscription = subscription_update(
            subscription=subscription,
            actor=actor,
            expected_version=version,
            target_url=body.target_url if body.target_url is not None else subscription.target_url,
            event_types=[str(e) for e in body.event_types]
            if body.event_types is not None
            else subscription.event_types,
        )
    if body.state == SubscriptionState.PAUSED and subscription.state != SubscriptionState.PAUSED:
        subscription = subscription_pause(subscription=subscription, actor=actor)
    elif body.state == SubscriptionState.ACTIVE and subscription.state != SubscriptionState.ACTIVE:
        subscription = subscription_resume(subscription=subscription, actor=actor)
    return one(request, subscription)


@router.get(
    "/webhooks/{subscription_id}/deliveries/",
    response={200: page_schema(DeliveryOut), **ERRORS},
    summary="Read a subscription's delivery log",
)
def delivery_index(request: HttpRequest, subscription_id: int, query: Query[Paging]) -> Any:
    subscription = _subscription(request, subscription_id)
    return paginate(request, subscription.deliveries.all(), limit=query.limit, cursor=query.cursor)


@router.post(
    "/webhooks/{subscription_id}/deliveries/{delivery_id}/redeliver/",
    response={200: DeliveryOut, **ERRORS},
    summary="Deliver again",
)
def delivery_again(request: HttpRequest, subscription_id: int, delivery_id: int) -> Any:
    """Send a failed or withheld delivery once more, with the same webhook-id (visibility is checked again)."""
    subscription = _subscription(request, subscription_id)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, subscription=subscription).first()
    if delivery is None:
        raise Http404
    return one(request, delivery_redeliver(delivery=delivery, actor=actor_of(request)))
