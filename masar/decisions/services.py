"""Writes on decisions: the responsible organization's point-by-point follow-up."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from masar.core.policy import may_follow_up
from masar.core.services import model_create
from masar.decisions.models import ActionUpdate


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
