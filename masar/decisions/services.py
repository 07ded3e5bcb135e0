"""Writes on the council: meetings, their decisions, agenda, attendance and minutes (the national unit);
the responsible organization's point-by-point follow-up, and closing a decision.

A decision is closed by a request with evidence from whoever follows it up (its line's coordinator)
that the national delivery unit accepts, or returns with a reason; it is done only once accepted.
The steps are `DECISION_WORKFLOW`; one request waits at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masar.accounts.models import User
from masar.audit.models import Action
from masar.audit.services import audit_record, diff, snapshot
from masar.core import policy
from masar.core.errors import Conflict, Invalid, NotPermitted
from masar.core.models import Classification
from masar.core.services import model_create, model_delete, model_update
from masar.core.workflow import transition
from masar.decisions.models import (
    DECISION_WORKFLOW,
    ActionUpdate,
    AgendaItem,
    Attendance,
    ClosureAction,
    ClosureStatus,
    Decision,
    DecisionClosure,
    Meeting,
)
from masar.delivery.models import Notification, Obstacle
from masar.delivery.notifications import notify
from masar.indicators.models import Indicator
from masar.portfolio.models import Project
from masar.webhooks.events import emit
from masar.webhooks.models import EventType

if TYPE_CHECKING:
    import datetime


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
    update = model_create(
        model=ActionUpdate,
        actor=actor,
        data=dict(
            decision=decision,
            text=text,
            reported_on=reported_on or timezone.localdate(),
            author=actor,
        ),
    )
    emit(EventType.ACTION_UPDATE_REPORTED, update)
    return update


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


# Running the council (the national unit) ---------------------------------------------------------


def _check_manages(actor: User | None) -> None:
    if not policy.may_manage_meetings(actor):
        raise NotPermitted()


def _check_not_below_meeting(meeting: Meeting, level: str | None) -> None:
    """Refuse a decision less classified than its meeting: it would show the meeting to fewer readers' eyes."""
    if level and level in Classification.values and policy.rank(level) < policy.rank(meeting.classification):
        message = _("A decision is never less classified than its meeting, which is %(level)s.") % {
            "level": Classification(meeting.classification).label
        }
        raise Invalid([("classification", message)])


def _check_readable(actor: User | None, model: Any, records: Iterable[Any] | None, field: str) -> None:
    """Refuse links to records the actor may not read (a form offers only readable ones; this guards the rest)."""
    ids = {record.pk for record in records or ()}
    if ids and model.objects.visible_to(actor).filter(pk__in=ids).count() != len(ids):
        raise Invalid([(field, _("Choose only records you may read."))])


@transaction.atomic
def meeting_create(*, actor: User | None, **data: Any) -> Meeting:
    """Create a meeting (national unit); its decisions list stays unpublished until published."""
    _check_manages(actor)
    return model_create(model=Meeting, actor=actor, data=data)


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: User | None, expected_version: int | None, **data: Any) -> Meeting:
    """Change a meeting unless someone changed it since expected_version (StaleEditError then).

    Its classification is never raised above one of its decisions': a decision is never less
    classified than its meeting.
    """
    _check_manages(actor)
    level = data.get("classification")
    if level in Classification.values:
        policy.check_classification(actor, meeting, level)
        below = [
            d for d in meeting.decisions.values_list("classification", flat=True) if policy.rank(d) < policy.rank(level)
        ]
        if below:
            raise Invalid(
                [("classification", _("Some decisions of this meeting are less classified: raise theirs first."))]
            )
    return model_update(instance=meeting, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def decision_create(*, meeting: Meeting, actor: User | None, **data: Any) -> Decision:
    """Add a decision to a meeting (national unit), numbered after its last one."""
    _check_manages(actor)
    _check_not_below_meeting(meeting, data.get("classification"))
    _check_readable(actor, Project, data.get("projects"), "projects")
    _check_readable(actor, Indicator, data.get("indicators"), "indicators")
    # Lock the meeting row (no join: PostgreSQL refuses FOR UPDATE on an outer join), then number after the last.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True).first()
    last = Decision.objects.filter(meeting=meeting).aggregate(last=Max("order"))["last"]
    order = (last or 0) + 1
    return model_create(model=Decision, actor=actor, data=dict(meeting=meeting, order=order, **data))


@transaction.atomic
def decision_update(*, decision: Decision, actor: User | None, expected_version: int | None, **data: Any) -> Decision:
    """Change a decision unless someone changed it since expected_version (StaleEditError then)."""
    _check_manages(actor)
    _check_not_below_meeting(decision.meeting, data.get("classification"))
    _check_readable(actor, Project, data.get("projects"), "projects")
    _check_readable(actor, Indicator, data.get("indicators"), "indicators")
    policy.check_classification(actor, decision, data.get("classification"))
    return model_update(instance=decision, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def meeting_decisions_publish(*, meeting: Meeting, actor: User | None) -> Meeting:
    """Publish a meeting's decisions list (national unit): from now on its readers read its decisions.

    One conditional update: of two people publishing at once, the second is told it is done already.
    """
    if not policy.may_publish_decisions(actor, meeting):
        raise NotPermitted()
    before = snapshot(meeting)
    published = Meeting.objects.filter(pk=meeting.pk, decisions_published=False).update(
        decisions_published=True, decisions_published_at=timezone.now(), version=F("version") + 1
    )
    if not published:
        raise Conflict(_("The decisions of this meeting are already published."))
    meeting.refresh_from_db()
    audit_record(actor=actor, action=Action.UPDATE, instance=meeting, changes=diff(before, snapshot(meeting)))
    return meeting


def _next_agenda_order(meeting: Meeting) -> int:
    return (
        AgendaItem.objects.filter(meeting=meeting).order_by("-order").values_list("order", flat=True).first() or 0
    ) + 1


@transaction.atomic
def agenda_build(
    *,
    meeting: Meeting,
    actor: User | None,
    obstacles: Iterable[Obstacle] = (),
    decisions: Iterable[Decision] = (),
) -> list[AgendaItem]:
    """Add the chosen obstacles, then the chosen decisions, to a meeting's agenda after its last item.

    Only records the actor reads are added; an obstacle or decision already on this meeting's agenda
    means someone added it meanwhile (Conflict), and nothing is added then.
    """
    _check_manages(actor)
    obstacles, decisions = list(obstacles), list(decisions)
    _check_readable(actor, Obstacle, obstacles, "obstacles")
    _check_readable(actor, Decision, decisions, "decisions")
    already = AgendaItem.objects.filter(meeting=meeting)
    if already.filter(obstacle__in=obstacles).exists() or already.filter(decision__in=decisions).exists():
        raise Conflict(_("Some of these items are already on this meeting's agenda; reload the page."))
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    order = _next_agenda_order(meeting)
    items = []
    for obstacle in obstacles:
        data = dict(meeting=meeting, order=order, obstacle=obstacle, project=obstacle.project)
        items.append(model_create(model=AgendaItem, actor=actor, data=data | {"title_ar": obstacle.description[:400]}))
        order += 1
    for decision in decisions:
        titles = {f"title_{code}": getattr(decision, f"text_{code}")[:400] for code in ("ar", "fr", "en")}
        items.append(
            model_create(
                model=AgendaItem, actor=actor, data=dict(meeting=meeting, order=order, decision=decision, **titles)
            )
        )
        order += 1
    return items


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, actor: User | None, orders: Mapping[int, int]) -> None:
    """Number a meeting's agenda items as given ({item id: number}); numbers are distinct and positive."""
    _check_manages(actor)
    items = {item.pk: item for item in AgendaItem.objects.select_for_update().filter(meeting=meeting)}
    if set(orders) - set(items):
        raise Conflict(_("The agenda changed since you opened it; reload the page."))
    wanted = {pk: orders.get(pk, item.order) for pk, item in items.items()}
    numbers = list(wanted.values())
    if any(number < 1 for number in numbers) or len(set(numbers)) != len(numbers):
        raise Invalid([(None, _("Give each agenda item its own number, from 1."))])
    moved = [item for pk, item in items.items() if item.order != wanted[pk]]
    # Out of the way first: two items may swap numbers, and each number is used once per meeting.
    top = max([*numbers, *(item.order for item in items.values())])
    for step, item in enumerate(moved, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(order=top + step)
    for item in moved:
        before = snapshot(item)
        item.order = wanted[item.pk]
        AgendaItem.objects.filter(pk=item.pk).update(order=item.order)
        audit_record(actor=actor, action=Action.UPDATE, instance=item, changes=diff(before, snapshot(item)))


@transaction.atomic
def attendance_record(*, meeting: Meeting, actor: User | None, **data: Any) -> Attendance:
    """Record who attended a meeting for an organization, and whether present, absent or excused."""
    _check_manages(actor)
    return model_create(model=Attendance, actor=actor, data=dict(meeting=meeting, **data))


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor: User | None) -> None:
    """Remove an attendance line recorded by mistake."""
    _check_manages(actor)
    model_delete(instance=attendance, actor=actor)
