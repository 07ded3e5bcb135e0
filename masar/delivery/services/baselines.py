"""Re-baselining: a project's original plan, requests for a new baseline and their decision."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masar.accounts.models import User
from masar.audit.models import Action
from masar.audit.services import audit_record, diff, snapshot
from masar.core import policy
from masar.core.errors import Conflict
from masar.core.policy import may_write, national_unit, reviewers_of
from masar.core.services import model_update
from masar.core.workflow import transition
from masar.delivery.models import BASELINE_WORKFLOW, Baseline, BaselineAction, BaselineStatus, Notification
from masar.delivery.notifications import notify
from masar.delivery.services.ratings import project_health_refresh
from masar.delivery.services.updates import WorkflowError

if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any

    from masar.portfolio.models import Project


def _milestone_plan(project):
    return {str(m.pk): m.planned_date.isoformat() for m in project.milestones.all()}


def baseline_original(project: Project) -> Baseline:
    """Return the project's original baseline, recording it from the current plan the first time it is needed."""
    original = project.baselines.filter(number=1).first()
    if original is None:
        original = Baseline.objects.create(
            project=project,
            number=1,
            planned_start=project.planned_start,
            planned_end=project.planned_end,
            planned_budget=project.planned_budget,
            milestone_dates=_milestone_plan(project),
            reason="",  # the original plan needs no reason; pages say "Original plan" in the reader's language
            status=BaselineStatus.APPROVED,
        )
        audit_record(actor=None, action=Action.CREATE, instance=original, changes=diff({}, snapshot(original)))
    return original


@transaction.atomic
def baseline_request(
    *,
    project: Project,
    actor: User | None,
    planned_start: datetime.date,
    planned_end: datetime.date,
    planned_budget: Decimal,
    reason: str,
    milestone_dates: dict[Any, datetime.date | None] | None = None,
) -> Baseline:
    """Ask the national unit to re-baseline a project: new dates and budget, with a reason."""
    if not may_write(actor, project):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A re-baseline needs a reason.")})
    if planned_end < planned_start:
        raise ValidationError({"planned_end": _("The planned end cannot come before the planned start.")})
    if project.baselines.filter(status=BaselineStatus.PROPOSED).exists():
        raise Conflict(_("A re-baseline of this project already waits for approval."))
    baseline_original(project)
    plan = _milestone_plan(project)
    for key, day in (milestone_dates or {}).items():
        if str(key) in plan and day:
            plan[str(key)] = day.isoformat()
    number = project.baselines.count() + 1
    baseline = Baseline.objects.create(
        project=project,
        number=number,
        planned_start=planned_start,
        planned_end=planned_end,
        planned_budget=planned_budget,
        milestone_dates=plan,
        reason=reason.strip(),
        requested_by=actor,
    )
    audit_record(actor=actor, action=Action.CREATE, instance=baseline, changes=diff({}, snapshot(baseline)))
    # The national unit decides; the ministry's coordinators are kept in the loop.
    notify(
        users=User.objects.filter(Q(pk__in=national_unit()) | Q(pk__in=reviewers_of(project))),
        kind=Notification.Kind.BASELINE_REQUESTED,
        params={"project": project.code, "number": number},
        url=reverse("delivery-baseline-list", args=[project.pk]),
        subject=baseline,
    )
    return baseline


@transaction.atomic
def baseline_decide(
    *, baseline: Baseline, actor: User, approve: bool, note: str = "", today: datetime.date | None = None
) -> Baseline:
    """Approve or reject a proposed baseline (national unit only) with a reason that reaches the requester.

    An approved baseline becomes the project's plan.
    """
    if not policy.may_decide_baseline(actor):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the re-baseline is approved or rejected: the requester reads it.")})
    baseline = transition(
        workflow=BASELINE_WORKFLOW,
        instance=baseline,
        action=BaselineAction.APPROVE if approve else BaselineAction.REJECT,
        actor=actor,
        conflict=WorkflowError(_("This re-baseline has already been decided.")),
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=note,
    )
    project = baseline.project
    if approve:
        model_update(
            instance=project,
            actor=actor,
            expected_version=project.version,
            data=dict(
                planned_start=baseline.planned_start,
                planned_end=baseline.planned_end,
                planned_budget=baseline.planned_budget,
            ),
        )
        for milestone in project.milestones.all():
            day = baseline.milestone_dates.get(str(milestone.pk))
            if day and day != milestone.planned_date.isoformat():
                model_update(
                    instance=milestone,
                    actor=actor,
                    expected_version=milestone.version,
                    data={"planned_date": datetime.date.fromisoformat(day)},
                )
        project_health_refresh(project=project, today=today)
    told = Q(pk=baseline.requested_by_id) | Q(pk__in=reviewers_of(project))
    notify(
        users=User.objects.filter(told, is_active=True),
        kind=Notification.Kind.BASELINE_DECIDED,
        params={"project": project.code, "number": baseline.number, "approved": approve, "note": note},
        url=reverse("delivery-baseline-list", args=[project.pk]),
        subject=baseline,
    )
    return baseline
