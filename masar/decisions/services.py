"""Writes on decisions: the responsible organization's point-by-point follow-up."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from masar.accounts.models import Role
from masar.core.services import model_create
from masar.decisions.models import ActionUpdate


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
def action_update_record(*, decision, actor, text, reported_on=None, completes=False):
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
