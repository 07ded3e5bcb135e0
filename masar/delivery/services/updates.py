"""Monthly progress updates and their workflow: save, submit, approve, return."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masar.accounts.models import User
from masar.core.errors import Conflict, DomainError, Locked, NotPermitted
from masar.core.months import ReportableFrom, is_reportable, month_end, month_start
from masar.core.policy import may_review, may_write_about, reviewers_of
from masar.core.records import RecordType
from masar.core.services import model_create, model_update
from masar.core.workflow import transition
from masar.delivery.models import (
    UPDATE_WORKFLOW,
    MilestoneReport,
    Notification,
    ProgressUpdate,
    UpdateAction,
    UpdateStatus,
)
from masar.delivery.notifications import notify
from masar.delivery.plausibility import Figures, PlausibilityWarning, plausibility_warnings
from masar.delivery.services.ratings import project_health_refresh
from masar.webhooks.events import emit
from masar.webhooks.models import EventType

if TYPE_CHECKING:
    import datetime
    from typing import Any

    from masar.portfolio.models import Project


class WorkflowError(Conflict):
    default_message = _("This update has moved on since you opened it; reload the page to see where it stands.")


class LockedPeriodError(Locked):
    default_message = _("This period is approved and locked: it can no longer be changed.")


class UnconfirmedFiguresError(DomainError):
    """Figures that look unusual were not confirmed; warnings says which (nothing was saved)."""

    default_message = _("Some figures look unusual: check them, then tick “I confirm these figures” to save.")

    def __init__(self, warnings: list[PlausibilityWarning]):
        self.warnings = warnings
        super().__init__()


def _validate_update(*, project, period, spend_to_date, milestone_dates, today, exclude_pk=None):
    errors = {}
    if period != month_start(period):
        errors["period"] = _("Give the month reported on.")
    elif not is_reportable(period, month_end(period), today, ReportableFrom.START):
        errors["period"] = _("A month that has not started yet cannot be reported on.")
    locked = ProgressUpdate.objects.filter(project=project, period=period, status=UpdateStatus.APPROVED)
    if exclude_pk:
        locked = locked.exclude(pk=exclude_pk)
    if locked.exists():
        raise LockedPeriodError()
    previous = ProgressUpdate.objects.previous_report(project, period)
    if previous is not None and spend_to_date is not None and spend_to_date < previous.spend_to_date:
        errors["spend_to_date"] = _(
            "Spend to date cannot go down: it was %(previous)s in the report for %(period)s."
        ) % {"previous": previous.spend_to_date, "period": previous.period.strftime("%Y-%m")}
    milestone_ids = set(project.milestones.values_list("pk", flat=True))
    for milestone_id, actual in milestone_dates.items():
        if int(milestone_id) not in milestone_ids:
            errors["milestones"] = _("A milestone of another project was given.")
        elif actual > today:
            errors["milestones"] = _("A milestone cannot be reached on a date in the future (%(date)s).") % {
                "date": actual.isoformat()
            }
    if errors:
        raise ValidationError(errors)
    return previous


def update_warnings(
    *,
    project: Project,
    period: datetime.date,
    percent_complete: Decimal,
    spend_to_date: Decimal,
    previous: ProgressUpdate | None = None,
) -> list[PlausibilityWarning]:
    """Return what looks unusual in these figures against the project's budget and its previous report."""
    if previous is None:
        previous = ProgressUpdate.objects.previous_report(project, period)
    return plausibility_warnings(
        current=Figures(period=period, percent_complete=Decimal(percent_complete), spend_to_date=spend_to_date),
        previous=(
            Figures(
                period=previous.period, percent_complete=previous.percent_complete, spend_to_date=previous.spend_to_date
            )
            if previous is not None
            else None
        ),
        planned_budget=project.planned_budget,
        percent_jump_limit=Decimal(settings.MASAR_PERCENT_JUMP_LIMIT),
    )


def _save_milestone_reports(update, milestone_dates):
    update.milestone_reports.all().delete()
    MilestoneReport.objects.bulk_create(
        [
            MilestoneReport(update=update, milestone_id=int(mid), actual_date=day)
            for mid, day in milestone_dates.items()
            if day
        ]
    )


@transaction.atomic
def update_save(
    *,
    project: Project,
    actor: User | None,
    period: datetime.date,
    percent_complete: Decimal | int,
    spend_to_date: Decimal | int,
    declared_confidence: str,
    narrative: str = "",
    milestone_dates: dict[Any, datetime.date | None] | None = None,
    update: ProgressUpdate | None = None,
    expected_version: int | None = None,
    today: datetime.date | None = None,
    figures_confirmed: bool = False,
) -> ProgressUpdate:
    """Create or change a draft (or returned) progress update of a project for one month.

    Figures that look unusual (see masar.delivery.plausibility) are saved only when the reporter
    confirms them (figures_confirmed); the warnings confirmed are kept on the update for its reviewer.
    Otherwise UnconfirmedFiguresError is raised and nothing is saved.
    """
    today = today or timezone.localdate()
    milestone_dates = {int(k): v for k, v in (milestone_dates or {}).items() if v}
    if not may_write_about(actor, project, RecordType.PROGRESS_UPDATES):
        raise PermissionDenied
    if update is not None and update.status in (UpdateStatus.SUBMITTED, UpdateStatus.APPROVED):
        if update.status == UpdateStatus.APPROVED:
            raise LockedPeriodError()
        raise WorkflowError(_("A submitted update waits for its review; it can be changed once returned."))
    percent_complete, spend_to_date = Decimal(percent_complete), Decimal(spend_to_date)
    previous = _validate_update(
        project=project,
        period=period,
        spend_to_date=spend_to_date,
        milestone_dates=milestone_dates,
        today=today,
        exclude_pk=update.pk if update else None,
    )
    warnings = update_warnings(
        project=project,
        period=period,
        percent_complete=percent_complete,
        spend_to_date=spend_to_date,
        previous=previous,
    )
    if warnings and not figures_confirmed:
        raise UnconfirmedFiguresError(warnings)
    data = dict(
        period=period,
        percent_complete=percent_complete,
        spend_to_date=spend_to_date,
        declared_confidence=declared_confidence,
        narrative=narrative,
        confirmed_warnings=[w.to_dict() for w in warnings],
    )
    if update is None:
        if ProgressUpdate.objects.filter(project=project, period=period).exists():
            raise ValidationError({"period": _("This month already has an update; open it to change it.")})
        update = model_create(
            model=ProgressUpdate,
            actor=actor,
            data=dict(project=project, created_by=actor if actor and actor.pk else None, **data),
        )
    else:
        update = model_update(instance=update, actor=actor, data=data, expected_version=expected_version)
    _save_milestone_reports(update, milestone_dates)
    return update


@transaction.atomic
def update_submit(*, update: ProgressUpdate, actor: User | None, today: datetime.date | None = None) -> ProgressUpdate:
    """Submit an update for review by the sector coordinator."""
    project = update.project
    if not may_write_about(actor, project, RecordType.PROGRESS_UPDATES):
        raise PermissionDenied
    update = transition(
        workflow=UPDATE_WORKFLOW,
        instance=update,
        action=UpdateAction.SUBMIT,
        actor=actor,
        conflict=WorkflowError(),
        submitted_by=actor,
        submitted_at=timezone.now(),
        return_reason="",
    )
    project_health_refresh(project=project, today=today)
    url = reverse("delivery-update-detail", args=[update.pk])
    # A resubmission replaces the earlier unread "waits for your review": the inbox shows one.
    Notification.objects.filter(kind=Notification.Kind.UPDATE_SUBMITTED, url=url, read_at__isnull=True).delete()
    notify(
        users=reviewers_of(project),
        kind=Notification.Kind.UPDATE_SUBMITTED,
        params={"project": project.code, "period": update.period.strftime("%Y-%m")},
        url=url,
        subject=update,
    )
    emit(EventType.PROGRESS_UPDATE_SUBMITTED, update)
    return update


def _tell_submitter(update, kind, **params):
    """Tell whoever submitted the update how its review ended."""
    if update.submitted_by_id:
        notify(
            users=User.objects.filter(pk=update.submitted_by_id),
            kind=kind,
            params={"project": update.project.code, "period": update.period.strftime("%Y-%m"), **params},
            url=reverse("delivery-update-detail", args=[update.pk]),
            subject=update,
        )


def _check_reviewer(update, actor):
    if not may_review(actor, update.project):
        raise PermissionDenied
    if update.submitted_by_id and update.submitted_by_id == actor.pk:
        raise NotPermitted(_("An update is reviewed by someone other than the person who submitted it."))


@transaction.atomic
def update_approve(*, update: ProgressUpdate, actor: User | None, today: datetime.date | None = None) -> ProgressUpdate:
    """Approve a submitted update: its milestones' actual dates are applied and its period is locked."""
    _check_reviewer(update, actor)
    update = transition(
        workflow=UPDATE_WORKFLOW,
        instance=update,
        action=UpdateAction.APPROVE,
        actor=actor,
        conflict=WorkflowError(),
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )
    for report in update.milestone_reports.select_related("milestone"):
        milestone = report.milestone
        if milestone.actual_date != report.actual_date:
            model_update(
                instance=milestone,
                actor=actor,
                data={"actual_date": report.actual_date},
                expected_version=milestone.version,
            )
    project_health_refresh(project=update.project, today=today)
    _tell_submitter(update, Notification.Kind.UPDATE_APPROVED)
    emit(EventType.PROGRESS_UPDATE_APPROVED, update)
    return update


@transaction.atomic
def update_return(
    *, update: ProgressUpdate, actor: User | None, reason: str, today: datetime.date | None = None
) -> ProgressUpdate:
    """Return a submitted update to its author with a reason."""
    _check_reviewer(update, actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the update is returned.")})
    update = transition(
        workflow=UPDATE_WORKFLOW,
        instance=update,
        action=UpdateAction.RETURN,
        actor=actor,
        conflict=WorkflowError(),
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        return_reason=reason.strip(),
    )
    project_health_refresh(project=update.project, today=today)
    _tell_submitter(update, Notification.Kind.UPDATE_RETURNED, reason=reason.strip())
    return update
