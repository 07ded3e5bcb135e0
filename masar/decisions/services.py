"""Writes on decisions: the responsible organization's point-by-point follow-up, and closing a decision.

A decision is closed by a request with evidence from whoever follows it up (its line's coordinator)
that the national delivery unit accepts, or returns with a reason; it is done only once accepted.
The steps are `DECISION_WORKFLOW`; one request waits at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masar.accounts.models import User
from masar.core import policy
from masar.core.errors import Conflict, Invalid, NotPermitted
from masar.core.services import model_create
from masar.core.workflow import transition
from masar.decisions.models import (
    DECISION_WORKFLOW,
    ActionUpdate,
    ClosureAction,
    ClosureStatus,
    DecisionClosure,
)
from masar.delivery.models import Notification
from masar.delivery.notifications import notify

if TYPE_CHECKING:
    import datetime

    from masar.decisions.models import Decision


class ClosureConflict(Conflict):
    """The closure request is no longer where the action expects it: someone decided first."""

    default_message = _("This closure request has already been decided; reload the page to see where it stands.")


@transaction.atomic
def action_update_record(
    *,
    decision: Decision,
    actor: User | None,
    text: str,
    reported_on: datetime.date | None = None,
) -> ActionUpdate:
    """Record what was done on a decision; closing it is a separate request (`decision_closure_request`)."""
    if not policy.may_follow_up(actor, decision):
        raise PermissionDenied
    return model_create(
        model=ActionUpdate,
        actor=actor,
        data=dict(
            decision=decision,
            text=text,
            reported_on=reported_on or timezone.localdate(),
            author=actor,
        ),
    )


def closure_state(decision: Decision) -> str:
    """Return the state of the decision's latest closure request, `ClosureStatus.NONE` without one."""
    latest = decision.closures.order_by("-requested_at", "-pk").values_list("status", flat=True).first()
    return latest or ClosureStatus.NONE


def _link(decision):
    return reverse("decisions-meeting-detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}"


@transaction.atomic
def decision_closure_request(*, decision: Decision, actor: User | None, evidence: str) -> DecisionClosure:
    """Report a decision done, with the evidence; it awaits the national unit's validation."""
    if not policy.may_follow_up(actor, decision):
        raise NotPermitted()
    evidence = (evidence or "").strip()
    if not evidence:
        raise Invalid([("evidence", _("Give the evidence that the decision is carried out."))])
    state = closure_state(decision)
    if not DECISION_WORKFLOW.allows(state, ClosureAction.REQUEST):
        if state == ClosureStatus.ACCEPTED:
            raise Conflict(_("This decision is already closed."))
        raise Conflict(_("A closure of this decision already waits for validation."))
    data = dict(decision=decision, evidence=evidence, requested_by=actor, status=ClosureStatus.REQUESTED)
    try:
        with transaction.atomic():
            closure = model_create(model=DecisionClosure, actor=actor, data=data)
    except (IntegrityError, ValidationError):
        # Someone reported the same decision done between the check and this write.
        raise Conflict(_("A closure of this decision already waits for validation.")) from None
    notify(
        users=policy.national_unit(),
        kind=Notification.Kind.CLOSURE_REQUESTED,
        params={"decision_id": decision.pk},
        subject=decision,
        url=_link(decision),
    )
    return closure


def _decide(*, closure, actor, action, **fields):
    if not policy.may_validate_closure(actor, closure.decision):
        raise NotPermitted()
    return transition(
        workflow=DECISION_WORKFLOW,
        instance=closure,
        action=action,
        actor=actor,
        conflict=ClosureConflict(),
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        **fields,
    )


def _tell_requester(closure, kind, **params):
    if closure.requested_by_id:
        decision = closure.decision
        notify(
            users=User.objects.filter(pk=closure.requested_by_id),
            kind=kind,
            params={"decision_id": decision.pk, **params},
            subject=decision,
            url=_link(decision),
        )


@transaction.atomic
def decision_closure_accept(*, closure: DecisionClosure, actor: User | None) -> DecisionClosure:
    """Accept a decision reported done (national unit): the decision is done."""
    closure = _decide(closure=closure, actor=actor, action=ClosureAction.ACCEPT)
    _tell_requester(closure, Notification.Kind.CLOSURE_ACCEPTED)
    return closure


@transaction.atomic
def decision_closure_return(*, closure: DecisionClosure, actor: User | None, reason: str) -> DecisionClosure:
    """Return a decision reported done (national unit) with the reason its requester reads; it is open again."""
    if not policy.may_validate_closure(actor, closure.decision):
        raise NotPermitted()
    reason = (reason or "").strip()
    if not reason:
        raise Invalid([("reason", _("Say why the closure is returned."))])
    closure = _decide(closure=closure, actor=actor, action=ClosureAction.RETURN, return_reason=reason)
    _tell_requester(closure, Notification.Kind.CLOSURE_RETURNED, reason=reason)
    return closure
