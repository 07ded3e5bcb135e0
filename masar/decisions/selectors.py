"""Reads of meetings and decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils import timezone

from masar.decisions.models import ActionUpdate, Decision, DecisionStatus

if TYPE_CHECKING:
    import datetime
    from typing import TypedDict

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet
    from django_stubs_ext import WithAnnotations

    from masar.accounts.models import User

    class _Status(TypedDict):
        status: str


def decisions_with_status(
    user: User | AnonymousUser, today: datetime.date | None = None
) -> QuerySet[WithAnnotations[Decision, _Status]]:
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
