"""Writes of delivery tracking: progress updates and their workflow, baselines, obstacles, ratings."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masar.accounts.models import Role, User
from masar.audit.models import Action
from masar.audit.services import audit_record, diff, snapshot
from masar.core.access import can_write
from masar.core.errors import DomainError
from masar.core.policy import Reader
from masar.core.services import model_create, model_update
from masar.delivery.models import (
    Baseline,
    BaselineStatus,
    MilestoneReport,
    Notification,
    Obstacle,
    ObstacleStatus,
    ProgressUpdate,
    ProjectHealth,
    UpdateStatus,
)
from masar.delivery.notifications import notify
from masar.delivery.rating import MilestoneFact, ProjectFacts, rate
from masar.portfolio.models import Project, ProjectStatus


class WorkflowError(DomainError):
    default_message = _("This update has moved on since you opened it; reload the page to see where it stands.")


class LockedPeriodError(DomainError):
    default_message = _("This period is approved and locked: it can no longer be changed.")


def month_start(day):
    return day.replace(day=1)


def month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(day):
    return month_start(month_start(day) - datetime.timedelta(days=1))


def may_review(user, project):
    """Whether this user may approve or return the project's updates: its sector coordinator or the national unit."""
    if not user.is_authenticated:
        return False
    if user.is_national:
        return True
    return (
        user.role == Role.SECTOR_COORDINATOR
        and user.organization is not None
        and project.owner.path.startswith(user.organization.path)
    )


def reviewers_of(project):
    """Return the people who approve this project's updates."""
    return User.objects.filter(is_active=True).filter(
        Q(role=Role.SECTOR_COORDINATOR, organization__in=project.owner.ancestor_ids())
    )


def national_unit():
    return User.objects.filter(is_active=True).filter(Q(role=Role.NATIONAL_ADMIN) | Q(is_superuser=True))


# Progress updates ---------------------------------------------------------------------------


def _validate_update(*, project, period, spend_to_date, milestone_dates, today, exclude_pk=None):
    errors = {}
    if period != month_start(period):
        errors["period"] = _("Give the month reported on.")
    elif period > month_start(today):
        errors["period"] = _("A month that has not started yet cannot be reported on.")
    locked = ProgressUpdate.objects.filter(project=project, period=period, status=UpdateStatus.APPROVED)
    if exclude_pk:
        locked = locked.exclude(pk=exclude_pk)
    if locked.exists():
        raise LockedPeriodError()
    previous = (
        ProgressUpdate.objects.filter(
            project=project, period__lt=period, status__in=[UpdateStatus.APPROVED, UpdateStatus.SUBMITTED]
        )
        .order_by("-period")
        .first()
    )
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
    project,
    actor,
    period,
    percent_complete,
    spend_to_date,
    declared_confidence,
    narrative="",
    milestone_dates=None,
    update=None,
    expected_version=None,
    today=None,
):
    """Create or change a draft (or returned) progress update of a project for one month."""
    today = today or timezone.localdate()
    milestone_dates = {int(k): v for k, v in (milestone_dates or {}).items() if v}
    if not can_write(actor, project):
        raise PermissionDenied
    if update is not None and update.status in (UpdateStatus.SUBMITTED, UpdateStatus.APPROVED):
        if update.status == UpdateStatus.APPROVED:
            raise LockedPeriodError()
        raise WorkflowError(_("A submitted update waits for its review; it can be changed once returned."))
    _validate_update(
        project=project,
        period=period,
        spend_to_date=spend_to_date,
        milestone_dates=milestone_dates,
        today=today,
        exclude_pk=update.pk if update else None,
    )
    data = dict(
        period=period,
        percent_complete=percent_complete,
        spend_to_date=spend_to_date,
        declared_confidence=declared_confidence,
        narrative=narrative,
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


def _transition(*, update, actor, source, target, **fields):
    """Move an update from one status to the next; exactly one of two simultaneous reviewers wins."""
    before = snapshot(update)
    moved = ProgressUpdate.objects.filter(pk=update.pk, status__in=source).update(
        status=target, version=F("version") + 1, **fields
    )
    if not moved:
        raise WorkflowError()
    update.refresh_from_db()
    audit_record(actor=actor, action=Action.UPDATE, instance=update, changes=diff(before, snapshot(update)))
    return update


@transaction.atomic
def update_submit(*, update, actor, today=None):
    """Submit an update for review by the sector coordinator."""
    project = update.project
    if not can_write(actor, project):
        raise PermissionDenied
    update = _transition(
        update=update,
        actor=actor,
        source=[UpdateStatus.DRAFT, UpdateStatus.RETURNED],
        target=UpdateStatus.SUBMITTED,
        submitted_by=actor,
        submitted_at=timezone.now(),
        return_reason="",
    )
    project_health_refresh(project=project, today=today)
    notify(
        users=reviewers_of(project),
        kind=Notification.Kind.UPDATE_SUBMITTED,
        params={"project": project.code, "period": update.period.strftime("%Y-%m")},
        url=reverse("delivery-update-detail", args=[update.pk]),
    )
    return update


def _check_reviewer(update, actor):
    if not may_review(actor, update.project):
        raise PermissionDenied
    if update.submitted_by_id and update.submitted_by_id == actor.pk:
        raise DomainError(_("An update is reviewed by someone other than the person who submitted it."))


@transaction.atomic
def update_approve(*, update, actor, today=None):
    """Approve a submitted update: its milestones' actual dates are applied and its period is locked."""
    _check_reviewer(update, actor)
    update = _transition(
        update=update,
        actor=actor,
        source=[UpdateStatus.SUBMITTED],
        target=UpdateStatus.APPROVED,
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
    if update.submitted_by_id:
        notify(
            users=User.objects.filter(pk=update.submitted_by_id),
            kind=Notification.Kind.UPDATE_APPROVED,
            params={"project": update.project.code, "period": update.period.strftime("%Y-%m")},
            url=reverse("delivery-update-detail", args=[update.pk]),
        )
    return update


@transaction.atomic
def update_return(*, update, actor, reason, today=None):
    """Return a submitted update to its author with a reason."""
    _check_reviewer(update, actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the update is returned.")})
    update = _transition(
        update=update,
        actor=actor,
        source=[UpdateStatus.SUBMITTED],
        target=UpdateStatus.RETURNED,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        return_reason=reason.strip(),
    )
    project_health_refresh(project=update.project, today=today)
    if update.submitted_by_id:
        notify(
            users=User.objects.filter(pk=update.submitted_by_id),
            kind=Notification.Kind.UPDATE_RETURNED,
            params={
                "project": update.project.code,
                "period": update.period.strftime("%Y-%m"),
                "reason": reason.strip(),
            },
            url=reverse("delivery-update-detail", args=[update.pk]),
        )
    return update


# Baselines ----------------------------------------------------------------------------------


def _milestone_plan(project):
    return {str(m.pk): m.planned_date.isoformat() for m in project.milestones.all()}


def baseline_original(project):
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
            reason=str(_("Original plan")),
            status=BaselineStatus.APPROVED,
        )
        audit_record(actor=None, action=Action.CREATE, instance=original, changes=diff({}, snapshot(original)))
    return original


@transaction.atomic
def baseline_request(*, project, actor, planned_start, planned_end, planned_budget, reason, milestone_dates=None):
    """Ask the national unit to re-baseline a project: new dates and budget, with a reason."""
    if not can_write(actor, project):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A re-baseline needs a reason.")})
    if planned_end < planned_start:
        raise ValidationError({"planned_end": _("The planned end cannot come before the planned start.")})
    if project.baselines.filter(status=BaselineStatus.PROPOSED).exists():
        raise DomainError(_("A re-baseline of this project already waits for approval."))
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
    notify(
        users=national_unit(),
        kind=Notification.Kind.BASELINE_REQUESTED,
        params={"project": project.code, "number": number},
        url=reverse("delivery-baseline-list", args=[project.pk]),
    )
    return baseline


@transaction.atomic
def baseline_decide(*, baseline, actor, approve, note="", today=None):
    """Approve or reject a proposed baseline (national unit only); an approved one becomes the project's plan."""
    if not actor.is_authenticated or not actor.is_national:
        raise PermissionDenied
    before = snapshot(baseline)
    target = BaselineStatus.APPROVED if approve else BaselineStatus.REJECTED
    moved = Baseline.objects.filter(pk=baseline.pk, status=BaselineStatus.PROPOSED).update(
        status=target, decided_by=actor, decided_at=timezone.now(), decision_note=note, version=F("version") + 1
    )
    if not moved:
        raise WorkflowError(_("This re-baseline has already been decided."))
    baseline.refresh_from_db()
    audit_record(actor=actor, action=Action.UPDATE, instance=baseline, changes=diff(before, snapshot(baseline)))
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
    if baseline.requested_by_id:
        notify(
            users=User.objects.filter(pk=baseline.requested_by_id),
            kind=Notification.Kind.BASELINE_DECIDED,
            params={"project": project.code, "number": baseline.number, "approved": approve},
            url=reverse("delivery-baseline-list", args=[project.pk]),
        )
    return baseline


# Obstacles ----------------------------------------------------------------------------------


@transaction.atomic
def obstacle_report(*, project, actor, today=None, **data):
    """Record an obstacle to a project with its proposed solution and who must act."""
    if not can_write(actor, project):
        raise PermissionDenied
    obstacle = model_create(
        model=Obstacle,
        actor=actor,
        data=dict(project=project, reported_by=actor if actor and actor.pk else None, **data),
    )
    project_health_refresh(project=project, today=today)
    return obstacle


@transaction.atomic
def obstacle_update(*, obstacle, actor, expected_version, today=None, **data):
    if not can_write(actor, obstacle.project):
        raise PermissionDenied
    obstacle = model_update(instance=obstacle, actor=actor, data=data, expected_version=expected_version)
    project_health_refresh(project=obstacle.project, today=today)
    return obstacle


@transaction.atomic
def obstacle_escalate(*, obstacle, meeting, actor):
    """Put an obstacle on a meeting's agenda and tell those who must act."""
    from masar.decisions.models import AgendaItem

    if not (actor.is_authenticated and (actor.is_national or may_review(actor, obstacle.project))):
        raise PermissionDenied
    if obstacle.status == ObstacleStatus.RESOLVED:
        raise DomainError(_("A resolved obstacle is not escalated."))
    if AgendaItem.objects.filter(meeting=meeting, obstacle=obstacle).exists():
        raise DomainError(_("This obstacle is already on that meeting's agenda."))
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
    acting = User.objects.filter(
        is_active=True, role=Role.SECTOR_COORDINATOR, organization__in=obstacle.must_act.ancestor_ids()
    )
    notify(
        users=User.objects.filter(Q(pk__in=acting) | Q(pk__in=national_unit())),
        kind=Notification.Kind.OBSTACLE_ESCALATED,
        params={"project": obstacle.project.code, "meeting": meeting.name_ar},
        url=reverse("decisions-meeting-detail", args=[meeting.pk]),
    )
    return item


# Ratings ------------------------------------------------------------------------------------


def project_facts(project, today, *, baseline_dates=None):
    """Gather what the rating reads about one project (see masar.delivery.rating)."""
    latest = (
        project.updates.filter(status__in=[UpdateStatus.SUBMITTED, UpdateStatus.APPROVED]).order_by("-period").first()
    )
    approved = project.updates.filter(status=UpdateStatus.APPROVED).order_by("-period").first()
    reported = {}
    if latest is not None:
        reported = {r.milestone_id: r.actual_date for r in latest.milestone_reports.all()}
    milestones = [
        MilestoneFact(planned=m.planned_date, actual=reported.get(m.pk, m.actual_date))
        for m in project.milestones.all()
    ]
    severities = list(project.obstacles.unresolved().values_list("severity", flat=True))
    running = project.planned_start <= today and project.status == ProjectStatus.IN_PROGRESS
    started = project.planned_start if running else None
    return ProjectFacts(
        today=today,
        planned_start=project.planned_start,
        planned_end=project.planned_end,
        planned_budget=project.planned_budget,
        milestones=milestones,
        spend_to_date=latest.spend_to_date if latest else None,
        last_approved_period=approved.period if approved else None,
        last_approved_on=month_end(approved.period) if approved else None,
        open_obstacle_severities=severities,
        declared=latest.declared_confidence if latest else None,
        reporting_since=started,
    )


def project_health_refresh(*, project, today=None):
    """Recompute and store a project's rating beside its declared confidence."""
    today = today or timezone.localdate()
    facts = project_facts(project, today)
    rating = rate(facts)
    ProjectHealth.objects.update_or_create(
        project=project,
        defaults=dict(
            computed=rating.computed,
            declared=rating.declared or "",
            gap=rating.gap,
            flagged=rating.flagged,
            schedule_days=rating.schedule_days,
            cost_ratio=rating.cost_ratio,
            reasons=rating.reasons,
            last_approved_period=facts.last_approved_period,
            computed_on=today,
        ),
    )
    return rating


def health_refresh_all(*, today=None, queryset=None, stdout=None):
    """Recompute every project's rating (run nightly: freshness moves with the calendar). Return the count."""
    today = today or timezone.localdate()
    queryset = queryset if queryset is not None else Project.objects.all()
    count = 0
    for project in (
        queryset.select_related("owner")
        .prefetch_related("milestones", "obstacles", "updates__milestone_reports")
        .iterator(chunk_size=500)
    ):
        project_health_refresh(project=project, today=today)
        count += 1
        if stdout and count % 1000 == 0:
            stdout.write(f"ratings {count}")
    return count


def milestone_lateness(milestone, baseline_dates, today):
    """Days late of a milestone against a baseline's planned date (None when the baseline has no date for it)."""
    planned = baseline_dates.get(str(milestone.pk))
    if not planned:
        return None
    planned = datetime.date.fromisoformat(planned)
    end = milestone.actual_date or (today if planned <= today else None)
    return (end - planned).days if end else None


# Reminders ----------------------------------------------------------------------------------

DECISION_WARNING_DAYS = 14


def reminders_send(*, today=None):
    """Remind people of what is due: missing monthly updates and decisions falling due.

    Idempotent: each reminder has a key, so running it twice a day sends nothing new.
    Return (update reminders, decision reminders) sent.
    """
    from masar.decisions.models import DecisionStatus
    from masar.decisions.selectors import decisions_with_status
    from masar.delivery.selectors import UPDATE_DUE_DAY, missing_updates

    today = today or timezone.localdate()
    system = Reader.system()
    update_count = decision_count = 0
    if today.day >= UPDATE_DUE_DAY:
        projects, period = missing_updates(system, today)
        for project in projects.select_related("owner", "manager"):
            users = User.objects.filter(pk=project.manager_id) if project.manager_id else reviewers_of(project)
            update_count += len(
                notify(
                    users=users,
                    kind=Notification.Kind.UPDATE_DUE,
                    params={"project": project.code, "period": period.strftime("%Y-%m")},
                    url=reverse("delivery-update-create", args=[project.pk]),
                    key=f"update-due:{project.pk}:{period:%Y-%m}",
                )
            )
    horizon = today + datetime.timedelta(days=DECISION_WARNING_DAYS)
    due = decisions_with_status(system, today).filter(due_date__lte=horizon).exclude(status=DecisionStatus.DONE)
    for decision in due.select_related("responsible"):
        users = User.objects.filter(
            is_active=True, role=Role.SECTOR_COORDINATOR, organization__in=decision.responsible.ancestor_ids()
        )
        decision_count += len(
            notify(
                users=User.objects.filter(Q(pk__in=users) | Q(pk__in=national_unit())),
                kind=Notification.Kind.DECISION_DUE,
                params={"decision": decision.text_ar[:120], "due": decision.due_date.isoformat()},
                url=reverse("decisions-meeting-detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}",
                key=f"decision-due:{decision.pk}:{decision.due_date.isoformat()}",
            )
        )
    return update_count, decision_count
