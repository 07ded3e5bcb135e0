"""Webhooks: other administrations' systems told when something happens to a record they may read.

A subscription belongs to an API client and names the events it wants and where to send them. Each
event makes one delivery per subscription; the worker sends it, signed per the Standard Webhooks
specification, after building the payload through the client's visibility at the time it is sent.
"""

from __future__ import annotations

import secrets
from base64 import b64encode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SECRET_PREFIX = "whsec_"  # the Standard Webhooks form of a signing secret: whsec_<base64 of the key>
EVENT_ID_PREFIX = "msg_"


def new_signing_secret() -> str:
    """Return a new signing secret in Standard Webhooks form (a 32-byte key, base64)."""
    return SECRET_PREFIX + b64encode(secrets.token_bytes(32)).decode("ascii")


def new_event_id() -> str:
    """Return a new event id (`webhook-id`): kept by every attempt and every "deliver again"."""
    return EVENT_ID_PREFIX + secrets.token_urlsafe(18)


class EventType(models.TextChoices):
    PROJECT_CHANGED = "project.changed", _("A project changed")
    PROGRESS_UPDATE_SUBMITTED = "progress_update.submitted", _("A progress update was submitted")
    PROGRESS_UPDATE_APPROVED = "progress_update.approved", _("A progress update was approved")
    OBSTACLE_REPORTED = "obstacle.reported", _("An obstacle was reported")
    OBSTACLE_ESCALATED = "obstacle.escalated", _("An obstacle was escalated to a meeting")
    DECISION_FALLING_DUE = "decision.falling_due", _("A decision falls due")
    MEASUREMENT_APPROVED = "measurement.approved", _("An indicator value was approved")
    ACTION_UPDATE_REPORTED = "action_update.reported", _("Action taken on a decision was reported")


class SubscriptionState(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")


class WebhookSubscription(models.Model):
    """Where an API client wants to be told of some events, and the secret its messages are signed with."""

    client = models.ForeignKey(
        "exchange.ApiClient", verbose_name=_("API client"), on_delete=models.CASCADE, related_name="webhooks"
    )
    target_url = models.URLField(_("target address"), max_length=500)
    event_types = models.JSONField(_("events"), default=list)
    # Kept as it is, not hashed: unlike a token, which is only compared, a signing secret is the HMAC key
    # every message is signed with, so the worker must read it. It is never shown again after creation or
    # rotation, and the audit trail records only its fingerprint (see `audit_redacted`).
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=SubscriptionState.choices, default=SubscriptionState.ACTIVE, db_index=True
    )
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0, editable=False)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_redacted = ("secret",)

    class Meta:
        ordering = ["client_id", "pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return f"{self.client} → {self.target_url}"

    @property
    def is_active(self) -> bool:
        return self.state == SubscriptionState.ACTIVE

    def event_labels(self) -> list[str]:
        """Return the names of the events it wants, in the active language."""
        return [str(EventType(value).label) for value in self.event_types if value in EventType.values]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", pgettext_lazy("a webhook delivery", "Failed")
    WITHHELD = "withheld", _("Withheld")


class WebhookDelivery(models.Model):
    """One event sent (or to send) to one subscription, with the outcome of its latest attempt."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(_("event id"), max_length=40, unique=True, default=new_event_id, editable=False)
    event_type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    record_type = models.CharField(_("record type"), max_length=32)
    record_id = models.PositiveBigIntegerField(_("record id"))
    # Makes an event sent at most once per subscription (a decision falling due is found every night).
    key = models.CharField(max_length=120, blank=True, editable=False)
    occurred_at = models.DateTimeField(_("occurred at"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("last response"), null=True, blank=True)
    response_excerpt = models.CharField(_("response excerpt"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["subscription", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "key"], condition=~models.Q(key=""), name="webhook_delivery_key_once"
            )
        ]

    def __str__(self):
        return f"{self.event_id} {self.event_type} {self.status}"

    @property
    def retry_at(self):
        """Return when it is tried next, if it still waits to be sent."""
        return self.next_attempt_at if self.status == DeliveryStatus.PENDING else None
