"""Resetting a forgotten password by e-mail: how often it may be asked, and the audited change."""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

from masar.audit.models import Action
from masar.audit.services import audit_record

if TYPE_CHECKING:
    from django.contrib.auth.forms import SetPasswordForm

WINDOW_SECONDS = 3600


class ResetRequestVerdict(models.TextChoices):
    SEND = "send"
    ADDRESS_OVER_LIMIT = "address_over_limit"  # refused, and told so: it says nothing about any account
    EMAIL_OVER_LIMIT = "email_over_limit"  # answered as usual but nothing is sent: the answer never tells


def _count_within_limit(key: str, limit: int) -> bool:
    """Count one request under key in the current hour; return whether it stays within limit."""
    key = f"password-reset-{key}-{int(time.time() // WINDOW_SECONDS)}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        calls = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
        calls = 1
    return calls <= limit


def password_reset_request_verdict(*, address: str, email: str) -> ResetRequestVerdict:
    """Say whether a reset link is sent for this request: a few an hour per address and per e-mail address.

    The per-address limit stops a script; the per-e-mail one stops anyone from flooding a person's mailbox.
    """
    if not _count_within_limit(f"address-{address}", settings.PASSWORD_RESET_ADDRESS_LIMIT):
        return ResetRequestVerdict.ADDRESS_OVER_LIMIT
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    if not _count_within_limit(f"email-{digest}", settings.PASSWORD_RESET_EMAIL_LIMIT):
        return ResetRequestVerdict.EMAIL_OVER_LIMIT
    return ResetRequestVerdict.SEND


@transaction.atomic
def user_password_reset(*, form: SetPasswordForm) -> Any:
    """Set the new password chosen through an e-mailed link, and write it to the audit trail.

    The person's other sessions end with it: their session hash no longer matches the password.
    """
    user = form.save()
    audit_record(actor=user, action=Action.UPDATE, instance=user, changes={"password_reset": [None, "by_email"]})
    return user
