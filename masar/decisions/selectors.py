"""Reads of meetings and decisions: the one decision list, filtered by one typed filter object."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.utils import timezone

from masar.decisions.models import ActionUpdate, Decision, DecisionStatus, Meeting
from masar.organizations.models import Organization


def decisions_with_status(user: Any, today: datetime.date | None = None) -> QuerySet[Any]:
    """Return the decisions this user may read, each annotated with its computed status (in SQL)."""
    today = today or timezone.localdate()
    done = ActionUpdate.objects.filter(decision=OuterRef("pk"), completes=True)
    any_update = ActionUpdate.objects.filter(decision=OuterRef("pk"))
    return Decision.objects.visible_to(user).annotate(
        status=Case(
            When(Exists(done), then=Value(DecisionStatus.DONE)),
            When(due_date__lt=today, then=Value(DecisionStatus.OVERDUE)),
            When(Exists(any_update), then=Value(DecisionStatus.IN_PROGRESS)),
            default=Value(DecisionStatus.NOT_STARTED),
        )
    )


@dataclass(frozen=True)
class DecisionFilters:
    """What narrows a decision list; every field left empty narrows nothing."""

    status: str = ""  # a DecisionStatus value (computed)
    organization: Organization | None = None  # the responsible organization's subtree
    meeting: Meeting | None = None
    classification: str = ""  # a Classification value
    due_by: datetime.date | None = None  # due on or before this day
    open_only: bool = False  # not done

    def query(self) -> dict[str, Any]:
        """Return the decision list's address parameters that give these filters back."""
        params: dict[str, Any] = {}
        for name in ("status", "organization", "meeting", "classification"):
            value = getattr(self, name)
            if value:
                params[name] = getattr(value, "pk", value)
        return params


def decision_list(
    reader: Any, filters: DecisionFilters | None = None, today: datetime.date | None = None
) -> QuerySet[Any]:
    """Return the decisions this reader may see with their computed status, narrowed by filters, soonest due first."""
    filters = filters or DecisionFilters()
    decisions = decisions_with_status(reader, today)
    if filters.status:
        decisions = decisions.filter(status=filters.status)
    if filters.open_only:
        decisions = decisions.exclude(status=DecisionStatus.DONE)
    if filters.organization is not None:
        decisions = decisions.filter(responsible__path__startswith=filters.organization.path)
    if filters.meeting is not None:
        decisions = decisions.filter(meeting=filters.meeting)
    if filters.classification:
        decisions = decisions.filter(classification=filters.classification)
    if filters.due_by is not None:
        decisions = decisions.filter(due_date__lte=filters.due_by)
    return decisions.order_by("due_date", "meeting", "order", "pk")
