"""Reads of webhooks: the subscriptions a person manages and their delivery logs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from masar.core import policy
from masar.exchange.services import clients_managed_by
from masar.webhooks import payloads
from masar.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription


def subscription_list(who: Any) -> QuerySet[WebhookSubscription]:
    """Return the subscriptions of the clients this reader manages."""
    return WebhookSubscription.objects.filter(client__in=clients_managed_by(who)).select_related("client__organization")


def subscription_for(who: Any, pk: Any) -> WebhookSubscription:
    """Return one subscription this reader manages; any other is a 404 (its existence is not told)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    subscription = subscription_list(who).filter(pk=pk).first()
    if subscription is None:
        raise Http404
    return subscription


def delivery_for(who: Any, pk: Any) -> WebhookDelivery:
    """Return one delivery of a subscription this reader manages; any other is a 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    delivery = (
        WebhookDelivery.objects.filter(pk=pk, subscription__client__in=clients_managed_by(who))
        .select_related("subscription__client")
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery


def delivery_log(subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    """Return a subscription's deliveries, newest first."""
    return subscription.deliveries.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class DeliveryRow:
    """One line of a delivery log: the record named only if the person reading the log may read it."""

    delivery: WebhookDelivery
    record_label: str
    may_deliver_again: bool


_LABELS: dict[str, tuple[str, str, Any]] = {
    payloads.PROJECTS: ("portfolio", "Project", lambda r: f"{r.code} · {r.name}"),
    payloads.PROGRESS_UPDATES: ("delivery", "ProgressUpdate", lambda r: f"{r.project.code} · {r.period:%Y-%m}"),
    payloads.OBSTACLES: ("delivery", "Obstacle", lambda r: f"{r.project.code} · {r.description[:80]}"),
    payloads.DECISIONS: ("decisions", "Decision", lambda r: r.text[:80]),
    payloads.ACTION_UPDATES: ("decisions", "ActionUpdate", lambda r: r.text[:80]),
    payloads.MEASUREMENTS: ("indicators", "Measurement", lambda r: f"{r.indicator.code} · {r.period:%Y-%m}"),
}
_RELATED: dict[str, tuple[str, ...]] = {
    payloads.PROGRESS_UPDATES: ("project",),
    payloads.OBSTACLES: ("project",),
    payloads.MEASUREMENTS: ("indicator",),
}


def delivery_rows(who: Any, deliveries: Iterable[WebhookDelivery]) -> list[DeliveryRow]:
    """Return the log lines of these deliveries, naming each record through this reader's visibility.

    One query per kind of record: a delivery withheld from the client may be about a record its
    manager may not read either; the log then says "(withheld)" and names nothing.
    """
    from django.apps import apps

    deliveries = list(deliveries)
    wanted: dict[str, set[int]] = defaultdict(set)
    for delivery in deliveries:
        wanted[delivery.record_type].add(delivery.record_id)
    labels: dict[tuple[str, int], str] = {}
    for record_type, ids in wanted.items():
        if record_type not in _LABELS:
            continue
        app, model_name, label = _LABELS[record_type]
        model = apps.get_model(app, model_name)
        records = (
            model._default_manager.visible_to(who).filter(pk__in=ids).select_related(*_RELATED.get(record_type, ()))
        )
        labels.update({(record_type, r.pk): label(r) for r in records})
    retry = {DeliveryStatus.FAILED, DeliveryStatus.WITHHELD}
    return [
        DeliveryRow(
            delivery=d,
            record_label=labels.get((d.record_type, d.record_id), str(policy.WITHHELD)),
            may_deliver_again=d.status in retry and d.subscription.is_active,
        )
        for d in deliveries
    ]
