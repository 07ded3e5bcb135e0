"""Throttling of the public's submissions (ratings, complaints) per address, with nothing personal kept.

Each count is keyed by an HMAC of the address, the kind of submission, what it is about and the window: the key
names no one, cannot be followed from one window to the next, and `submission_counts_purge` deletes the rows of
windows that are over. The count is claimed in the database, so several app servers share it.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from masar.catalogue.models import SubmissionCount


def _window_start(now: datetime.datetime, seconds: int) -> datetime.datetime:
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.UTC)


def _key(address: str, scope: str, start: datetime.datetime) -> str:
    message = f"{scope}|{address}|{start.isoformat()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def submission_allow(*, address: str, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one submission of scope from address; return whether it is within limit for the current window."""
    start = _window_start(timezone.now(), window_seconds)
    key = _key(address or "-", scope, start)
    with transaction.atomic():
        claimed = SubmissionCount.objects.filter(key=key, count__lt=limit).update(count=F("count") + 1)
        if claimed:
            return True
        if SubmissionCount.objects.filter(key=key).exists():
            return False
        try:
            with transaction.atomic():
                SubmissionCount.objects.create(key=key, window_start=start, count=1)
        except IntegrityError:  # another request from the same address created it first
            return bool(SubmissionCount.objects.filter(key=key, count__lt=limit).update(count=F("count") + 1))
    return limit >= 1


def submission_counts_purge(*, older_than_seconds: int = 2 * 24 * 3600) -> int:
    """Delete the counts of windows over for longer than older_than_seconds; return how many."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    deleted, _ = SubmissionCount.objects.filter(window_start__lt=cutoff).delete()
    return deleted
