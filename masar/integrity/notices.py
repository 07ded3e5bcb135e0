"""Telling the inspectorate that a run raised new alerts (a count only: the alerts are read on their pages)."""

from __future__ import annotations

from django.utils import timezone

from masar.core import policy
from masar.delivery.models import Notification
from masar.delivery.notifications import notify


def alerts_raised_notify(*, count: int, run_id: int) -> int:
    """Tell each inspector how many new alerts wait for triage; return how many were told.

    The notification names a count and no record: who and what is under suspicion is read on the
    alert pages, through the policy.
    """
    if count <= 0:
        return 0
    told = notify(
        users=policy.alert_readers(),
        kind=Notification.Kind.ALERTS_RAISED,
        params={"count": count},
        url="/integrity/alerts/",
        key=f"alerts-raised:{run_id}:{timezone.localdate()}",
    )
    return len(told)
