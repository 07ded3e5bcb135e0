"""Writes on decisions: the responsible organization's point-by-point follow-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from masar.core.policy import may_follow_up
from masar.core.services import model_create
from masar.decisions.models import ActionUpdate

if TYPE_CHECKING:
    import datetime

    from masar.accounts.models import User
    from masar.decisions.models import Decision


@transaction.atomic
def action_update_record(
    *,
    decision: Decision,
    actor: User | None,
    text: str,
    reported_on: datetime.date | None = None,
    completes: bool = False,
) -> ActionUpdate:
    """Record what was done on a decision; the decision's status follows from these reports."""
    if not may_follow_up(actor, decision):
        raise PermissionDenied
    return model_create(
        model=ActionUpdate,
        actor=actor,
        data=dict(
            decision=decision,
            text=text,
            reported_on=reported_on or timezone.localdate(),
            completes=completes,
            author=actor,
        ),
    )
