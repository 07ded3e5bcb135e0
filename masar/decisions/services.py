"""Writes on decisions: the responsible organization's point-by-point follow-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from masar.accounts.models import Role
from masar.core.services import model_create
from masar.decisions.models import ActionUpdate

if TYPE_CHECKING:
    import datetime

    from masar.accounts.models import User
    from masar.decisions.models import Decision


def may_follow_up(user, decision):
    """Whether this user reports action taken on a decision.

    That is the coordinator of the responsible organization's subtree, or the national unit.
    """
    if not user.is_authenticated:
        return False
    if user.is_national:
        return True
    return (
        user.role == Role.SECTOR_COORDINATOR
        and user.organization is not None
        and decision.responsible.path.startswith(user.organization.path)
    )


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
