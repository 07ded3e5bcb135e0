"""Obstacles: report, update and escalate to a meeting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from masar.accounts.models import User
from masar.core.errors import DomainError, NotPermitted
from masar.core.models import Classification
from masar.core.policy import (
    check_classification,
    coordinators_of,
    may_comment_obstacle,
    may_escalate,
    may_publish,
    may_write_about,
    national_unit,
    reviewers_of,
)
from masar.core.records import RecordType
from masar.core.services import model_create, model_update
from masar.delivery.models import Notification, Obstacle, ObstacleComment, ObstacleStatus, Severity
from masar.delivery.notifications import notify
from masar.delivery.services.ratings import project_health_refresh
from masar.webhooks.events import emit
from masar.webhooks.models import EventType

if TYPE_CHECKING:
    import datetime
    from typing import Any

    from masar.decisions.models import AgendaItem, Meeting
    from masar.portfolio.models import Project


@transaction.atomic
def obstacle_report(
    *, project: Project, actor: User | None, today: datetime.date | None = None, **data: Any
) -> Obstacle:
    """Record an obstacle to a project with its proposed solution and who must act."""
    if not may_write_about(actor, project, RecordType.OBSTACLES):
        raise PermissionDenied
    if data.get("classification") == Classification.PUBLIC and not may_publish(actor):
        raise NotPermitted(_("Only the national delivery unit publishes internal material."))
    obstacle = model_create(
        model=Obstacle,
        actor=actor,
        data=dict(project=project, reported_by=actor if actor and actor.pk else None, **data),
    )
    project_health_refresh(project=project, today=today)
    if obstacle.severity == Severity.CRITICAL:
        notify(
            users=User.objects.filter(Q(pk__in=reviewers_of(project)) | Q(pk__in=coordinators_of(obstacle.must_act))),
            kind=Notification.Kind.OBSTACLE_CRITICAL,
            params={"project": project.code, "obstacle_id": obstacle.pk},
            url=reverse("delivery-obstacle-detail", args=[obstacle.pk]),
            subject=obstacle,
        )
    emit(EventType.OBSTACLE_REPORTED, obstacle)
    return obstacle


@transaction.atomic
def obstacle_update(
    *,
    obstacle: Obstacle,
    actor: User | None,
    expected_version: int | None,
    today: datetime.date | None = None,
    **data: Any,
) -> Obstacle:
    if not may_write_about(actor, obstacle.project, RecordType.OBSTACLES):
        raise PermissionDenied
    check_classification(actor, obstacle, data.get("classification"))
    obstacle = model_update(instance=obstacle, actor=actor, data=data, expected_version=expected_version)
    project_health_refresh(project=obstacle.project, today=today)
    return obstacle


@transaction.atomic
def obstacle_escalate(*, obstacle: Obstacle, meeting: Meeting, actor: User) -> AgendaItem:
    """Put an obstacle on a meeting's agenda and tell those who must act."""
    from masar.decisions.models import AgendaItem

    if not may_escalate(actor, obstacle.project):
        raise PermissionDenied
    if obstacle.status == ObstacleStatus.RESOLVED:
        raise DomainError(_("A resolved obstacle is not escalated."))
    if AgendaItem.objects.filter(obstacle=obstacle).exists():
        # Once on an agenda it is followed there; its page says where.
        raise DomainError(_("This obstacle is already on a meeting's agenda."))
    order = (meeting.agenda.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = model_create(
        model=AgendaItem,
        actor=actor,
        data=dict(
            meeting=meeting,
            order=order,
            obstacle=obstacle,
            project=obstacle.project,
            title_ar=obstacle.description[:400],
            source="escalation",
        ),
    )
    told = (
        Q(pk__in=coordinators_of(obstacle.must_act))
        | Q(pk__in=national_unit())
        | Q(pk=obstacle.project.manager_id, is_active=True)
    )
    notify(
        users=User.objects.filter(told),
        kind=Notification.Kind.OBSTACLE_ESCALATED,
        params={"project": obstacle.project.code, "meeting_id": meeting.pk},
        url=reverse("decisions-meeting-detail", args=[meeting.pk]),
        subject=obstacle,
    )
    emit(EventType.OBSTACLE_ESCALATED, obstacle)
    return item


@transaction.atomic
def obstacle_comment_add(*, obstacle: Obstacle, actor: User, text: str) -> ObstacleComment:
    """Add a comment to an obstacle's history (audited); refused to those who may not comment."""
    if not may_comment_obstacle(actor, obstacle):
        raise PermissionDenied
    if not text.strip():
        raise DomainError(_("Write the comment."))
    return model_create(
        model=ObstacleComment, actor=actor, data=dict(obstacle=obstacle, author=actor, text=text.strip())
    )
