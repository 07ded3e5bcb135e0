"""Sign-in throttling (django-axes): who is locked out after repeated failures, what they read, what the trail keeps.

Two counts within the cool-off: failures of one username from one address (`AXES_FAILURE_LIMIT`) and failures from
one address over any usernames (`SIGNIN_ADDRESS_FAILURE_LIMIT`). Never the username alone: whoever guesses from
elsewhere must not lock the real person out, and a lock-out never touches sessions already signed in.
"""

from __future__ import annotations

import datetime
import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from masar.audit.models import Action
from masar.audit.services import audit_record


class LockoutScope:
    """What a lock-out closes: one username from one address, or an address for every username."""

    ACCOUNT = "account_from_address"
    ADDRESS = "address"


def client_address(request: HttpRequest) -> str:
    """Return the address a request comes from: the connection's own, or the one named by trusted proxies.

    Each of the `SIGNIN_TRUSTED_PROXY_COUNT` proxies appends the address it was reached from to
    X-Forwarded-For; entries to the left of theirs were written by the client and are never believed.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.SIGNIN_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # the request did not pass through every proxy: the connection is the client
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def failure_counts(request: HttpRequest, credentials: dict | None) -> tuple[int, int]:
    """Return (failures of this username from this address, failures from this address) within the cool-off."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)  # type: ignore[attr-defined]
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    username = get_client_username(request, credentials)
    totals = attempts.aggregate(
        pair=Sum("failures_since_start", filter=Q(username=username)), address=Sum("failures_since_start")
    )
    return totals["pair"] or 0, totals["address"] or 0


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler with the address's own, higher limit, and lock-outs written to the audit trail."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Return the failures that count against this sign-in: an address past its limit counts as locked."""
        pair, address = failure_counts(request, credentials)
        if address >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """On success forget this username's failures from this address only, never the address's whole count.

        Otherwise anyone with an account could wipe their address's count by signing in between guesses.
        """
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return deleted

    def user_login_failed(self, sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # A refusal during a lock-out is not counted (axes_failures_since_start stays None): only the
        # failure that closes the lock is recorded, once per cool-off, however long the flood goes on.
        if request is not None and request.axes_locked_out and request.axes_failures_since_start is not None:
            sign_in_lockout_record(request=request, credentials=credentials)


@transaction.atomic
def sign_in_lockout_record(*, request: HttpRequest, credentials: dict | None) -> None:
    """Write a lock-out to the audit trail, on the account when the username names one."""
    username = (get_client_username(request, credentials) or "")[:150]
    pair, address = failure_counts(request, credentials)
    scope = LockoutScope.ACCOUNT if pair >= get_failure_limit(request, credentials) else LockoutScope.ADDRESS
    User = get_user_model()
    account = User.objects.filter(username=username).first() if username else None
    changes = {
        "sign_in": [None, "locked_out"],
        "lockout_scope": [None, scope],
        "address": [None, request.axes_ip_address],  # type: ignore[attr-defined]
        "failures": [None, pair if scope == LockoutScope.ACCOUNT else address],
        "username_tried": [None, username],
    }
    if account is not None:
        audit_record(actor=None, action=Action.UPDATE, instance=account, changes=changes)
    else:
        # No account by that name: the entry names the model only (audit_record takes no instance then).
        audit_record(
            actor=None,
            action=Action.UPDATE,
            instance=None,  # type: ignore[arg-type]
            model=User,
            object_id="",
            changes=changes,
        )


def retry_time(request: HttpRequest) -> datetime.datetime | None:
    """Return when a locked-out sign-in may be tried again (the cool-off runs from the last counted failure)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    last = (
        AccessAttempt.objects.filter(ip_address=request.axes_ip_address)  # type: ignore[attr-defined]
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return (last or timezone.now()) + cool_off


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: dict | None = None) -> Any:
    """Return the translated page a locked-out sign-in reads (429), saying when to try again."""
    retry_at = retry_time(request)
    response: HttpResponse = render(
        request,
        "accounts/locked_out.html",
        {"retry_at": retry_at, "minutes": int((get_cool_off(request) or datetime.timedelta()).total_seconds() // 60)},
        status=429,
    )
    if retry_at is not None:
        response["Retry-After"] = str(max(1, int((retry_at - timezone.now()).total_seconds())))
    return response


def username_tried(request, credentials=None):
    """The username an attempt gave, as axes counts it (AXES_USERNAME_CALLABLE): what the form field holds, without
    the characters no database column keeps (NUL, unpaired surrogates), cut to a username's length — so a crafted
    username is counted like any other instead of failing the count."""
    if credentials:
        value = credentials.get("username")
    else:
        value = getattr(request, "data", request.POST).get("username")
    if value is None:
        return None
    value = str(value).replace("\x00", "")
    return value.encode("utf-8", "ignore").decode("utf-8")[:150]
