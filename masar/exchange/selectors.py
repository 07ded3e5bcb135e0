"""Reads of the data exchange: tokens, clients, agreements, the exchange map and who read whose data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from masar.core import policy
from masar.core.policy import Reader
from masar.exchange.models import (
    AgreementStatus,
    ApiClient,
    ApiToken,
    ExchangeLogEntry,
    SharingAgreement,
    SharingAgreementQuerySet,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from masar.accounts.models import User

TRAFFIC_DAYS = 30  # the window of the traffic figures on the exchange map


def personal_tokens(user: User) -> QuerySet[ApiToken]:
    """Return a person's own tokens (not those of the systems they manage), newest first."""
    return ApiToken.objects.filter(user=user, client__isnull=True).order_by("-created_at", "-pk")


def client_list(who: Any) -> QuerySet[ApiClient]:
    """Return the clients this reader sees (those they manage and their organization's), by organization."""
    return ApiClient.objects.visible_to(who).select_related("organization")


def client_tokens(client: ApiClient) -> QuerySet[ApiToken]:
    """Return a client's tokens, newest first."""
    return client.tokens.order_by("-created_at", "-pk")


def client_traffic(client: ApiClient, *, limit: int = 20) -> list[ExchangeLogEntry]:
    """Return a client's latest calls, newest first."""
    return list(ExchangeLogEntry.objects.filter(client=client).order_by("-id")[:limit])


def _agreements(who: Any) -> SharingAgreementQuerySet:
    return SharingAgreement.objects.visible_to(who).select_related("client__organization", "owner")


def agreements_awaiting_decision(who: Any) -> list[SharingAgreement]:
    """Return the requests this reader decides that wait for a decision, oldest first."""
    waiting = _agreements(who).filter(status=AgreementStatus.REQUESTED).order_by("requested_at", "pk")
    return list(waiting.filter(policy.managed_q(who, "owner")))


def agreements_requested_by(who: Any) -> list[SharingAgreement]:
    """Return the agreements asked for by the systems this reader manages, newest first."""
    return list(_agreements(who).filter(policy.managed_q(who, "client__organization")))


def data_readers(who: Any) -> QuerySet[ExchangeLogEntry]:
    """Return the calls that read data owned in this reader's subtree, newest first ("who read our data")."""
    return (
        ExchangeLogEntry.objects.about_data_of(who)
        .select_related("client__organization", "user")
        .order_by("-created_at", "-id")
    )


@dataclass
class Traffic:
    """The calls made under one agreement: in the window, and the last one ever."""

    requests: int = 0
    records: int = 0
    last_call: datetime.datetime | None = None


@dataclass(frozen=True)
class Flow:
    """One line of the exchange map: a client receiving a kind of record from an owner under an agreement."""

    agreement: SharingAgreement
    in_force: bool
    traffic: Traffic
    agreement_readable: bool  # whether the reader may open the agreement's page


def _traffic(agreements: list[SharingAgreement], now: datetime.datetime) -> dict[int, Traffic]:
    """Count each agreement's calls in the window and find its last call, in one walk back through the log.

    The walk stops once every agreement without a call in the window has been traced back to its
    approval (no call before it can have used it).
    """
    since = now - datetime.timedelta(days=TRAFFIC_DAYS)
    figures = {a.pk: Traffic() for a in agreements}
    started = {a.pk: a.decided_at or a.requested_at for a in agreements}
    pending = set(figures)
    entries = (
        ExchangeLogEntry.objects.filter(client_id__in={a.client_id for a in agreements}, created_at__lte=now)
        .order_by("-created_at", "-id")
        .values_list("agreements", "records", "created_at")
    )
    for used, records, at in entries.iterator(chunk_size=2000):
        if at < since and (not pending or at < min(started[pk] for pk in pending)):
            break
        for pk in used or ():
            figure = figures.get(pk)
            if figure is None:
                continue
            if at >= since:
                figure.requests += 1
                figure.records += records
            if figure.last_call is None:
                figure.last_call = at
                pending.discard(pk)
    return figures


def exchange_flows(who: Any, *, now: datetime.datetime | None = None) -> list[Flow]:
    """Return the exchange map as this reader sees it: every approved agreement concerning them, with its traffic.

    The national unit sees every flow; a coordinator the flows whose owner or receiver is in their
    subtree; another civil servant their organization's. An expired agreement shows, marked so.
    """
    reader = Reader.of(who)
    now = now or timezone.now()
    agreements = list(
        SharingAgreement.objects.concerning(reader)
        .filter(status=AgreementStatus.APPROVED)
        .select_related("client__organization", "owner")
        .order_by("client__organization__path", "client__name_ar", "owner__path", "record_type", "pk")
    )
    if not agreements:
        return []
    traffic = _traffic(agreements, now)
    readable = set(
        SharingAgreement.objects.visible_to(reader)
        .filter(pk__in=[a.pk for a in agreements])
        .values_list("pk", flat=True)
    )
    today = timezone.localdate(now)
    return [
        Flow(
            agreement=a,
            in_force=a.in_force_on(today),
            traffic=traffic[a.pk],
            agreement_readable=a.pk in readable,
        )
        for a in agreements
    ]
