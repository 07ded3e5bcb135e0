"""Reads of meetings and decisions: the one decision list, filtered by one typed filter object."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from masar.core.policy import may_see_attendance
from masar.decisions.models import (
    ActionUpdate,
    AgendaItem,
    Attendance,
    ClosureStatus,
    Decision,
    DecisionClosure,
    DecisionStatus,
    Meeting,
)
from masar.delivery.models import Obstacle
from masar.organizations.models import Organization


def decisions_with_status(user: Any, today: datetime.date | None = None) -> QuerySet[Any]:
    """Return the decisions this user may read, each annotated with its computed status (in SQL).

    A decision is done only once the national unit accepted a request to close it; reported done,
    it awaits validation; a returned request leaves it in progress (or overdue). `closure_state` is
    the state of its latest closure request (`ClosureStatus.NONE` without one), which
    `DECISION_WORKFLOW` reads to say what may be done next.
    """
    today = today or timezone.localdate()
    closures = DecisionClosure.objects.filter(decision=OuterRef("pk"))
    latest = closures.order_by("-requested_at", "-pk").values("status")[:1]
    any_update = ActionUpdate.objects.filter(decision=OuterRef("pk"))
    return Decision.objects.visible_to(user).annotate(
        closure_state=Coalesce(Subquery(latest), Value(ClosureStatus.NONE)),
        status=Case(
            When(Exists(closures.filter(status=ClosureStatus.ACCEPTED)), then=Value(DecisionStatus.DONE)),
            When(
                Exists(closures.filter(status=ClosureStatus.REQUESTED)),
                then=Value(DecisionStatus.AWAITING_VALIDATION),
            ),
            When(due_date__lt=today, then=Value(DecisionStatus.OVERDUE)),
            When(Exists(any_update) | Exists(closures), then=Value(DecisionStatus.IN_PROGRESS)),
            default=Value(DecisionStatus.NOT_STARTED),
        ),
    )


@dataclass(frozen=True)
class DecisionFilters:
    """What narrows a decision list; every field left empty narrows nothing."""

    status: str = ""  # a DecisionStatus value (computed)
    organization: Organization | None = None  # the responsible organization's subtree
    meeting: Meeting | None = None
    classification: str = ""  # a Classification value
    due_by: datetime.date | None = None  # due on or before this day
    due_from: datetime.date | None = None  # due on or after this day
    open_only: bool = False  # not done
    past_due: bool = False  # due before today and not done (overdue, or reported done and awaiting validation)

    def query(self) -> dict[str, Any]:
        """Return the decision list's address parameters that give these filters back."""
        params: dict[str, Any] = {}
        for name in ("status", "organization", "meeting", "classification"):
            value = getattr(self, name)
            if value:
                params[name] = getattr(value, "pk", value)
        if self.past_due:
            params["past_due"] = 1
        return params


def decision_list(
    reader: Any, filters: DecisionFilters | None = None, today: datetime.date | None = None
) -> QuerySet[Any]:
    """Return the decisions this reader may see with their computed status, narrowed by filters, soonest due first."""
    filters = filters or DecisionFilters()
    today = today or timezone.localdate()
    decisions = decisions_with_status(reader, today)
    if filters.status:
        decisions = decisions.filter(Q(status=filters.status))
    if filters.open_only:
        decisions = decisions.filter(~Q(status=DecisionStatus.DONE))
    if filters.organization is not None:
        decisions = decisions.filter(responsible__path__startswith=filters.organization.path)
    if filters.meeting is not None:
        decisions = decisions.filter(meeting=filters.meeting)
    if filters.classification:
        decisions = decisions.filter(classification=filters.classification)
    if filters.past_due:
        decisions = decisions.filter(~Q(status=DecisionStatus.DONE), due_date__lt=today)
    if filters.due_by is not None:
        decisions = decisions.filter(due_date__lte=filters.due_by)
    if filters.due_from is not None:
        decisions = decisions.filter(due_date__gte=filters.due_from)
    return decisions.order_by("due_date", "meeting", "order", "pk")


def closures_awaiting_validation(reader: Any) -> QuerySet[DecisionClosure]:
    """Return the closure requests this reader may see that wait for the national unit, oldest first."""
    return (
        DecisionClosure.objects.visible_to(reader)
        .filter(status=ClosureStatus.REQUESTED)
        .select_related("decision__meeting", "decision__responsible", "requested_by")
        .order_by("requested_at", "pk")
    )


@dataclass(frozen=True)
class AgendaProposals:
    """What the national unit may put on a meeting's agenda, as this reader reads it."""

    on_agenda: QuerySet[AgendaItem]  # already there (obstacles escalated to this meeting, items added before)
    obstacles: QuerySet[Obstacle]  # unresolved high or critical obstacles on no agenda yet
    decisions: QuerySet[Decision]  # open decisions of other meetings due by the meeting's date, or overdue


def agenda_proposals(reader: Any, meeting: Meeting, today: datetime.date | None = None) -> AgendaProposals:
    """Return what the next agenda of meeting may hold, and what it already holds."""
    today = today or timezone.localdate()
    due_by = max(meeting.date or today, today)  # falling due before the meeting, or already overdue
    on_agenda = (
        AgendaItem.objects.visible_to(reader)
        .filter(meeting=meeting)
        .select_related("project", "obstacle", "decision")
        .order_by("order")
    )
    obstacles = (
        Obstacle.objects.visible_to(reader)
        .blocking()
        .filter(agenda_items__isnull=True)
        .select_related("project", "must_act")
        .order_by("due_date", "pk")
    )
    decisions = (
        decision_list(reader, DecisionFilters(due_by=due_by, open_only=True), today)
        .exclude(meeting=meeting)
        .exclude(agenda_items__meeting=meeting)
        .select_related("meeting", "responsible")
    )
    return AgendaProposals(on_agenda=on_agenda, obstacles=obstacles, decisions=decisions)


def attendance_of(reader: Any, meeting: Meeting) -> QuerySet[Attendance]:
    """Return who attended meeting, for readers who see people's names (none for others)."""
    if not may_see_attendance(reader):
        return Attendance.objects.none()
    return Attendance.objects.visible_to(reader).filter(meeting=meeting).select_related("organization")
