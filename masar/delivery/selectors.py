"""Reads of delivery tracking, each through the reader's visibility."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from masar.core.months import month_end, month_start, previous_month
from masar.core.timeline import Timeline
from masar.delivery.models import Baseline, BaselineStatus, Obstacle, ObstacleCategory, ProgressUpdate, UpdateStatus
from masar.delivery.plausibility import warnings_text
from masar.delivery.rating import MilestoneFact, Rating, rate
from masar.delivery.services.ratings import milestone_lateness, project_facts
from masar.organizations.models import Organization
from masar.organizations.selectors import ministry_of
from masar.portfolio.models import Milestone, Project, ProjectStatus

if TYPE_CHECKING:
    pass

UPDATE_DUE_DAY = 10  # the default day of the next month a month's update is due by (DeliverySettings)


def reminders_due(today: datetime.date, due_day: int) -> bool:
    """Whether reminders of the month's missing updates go out on this day (from the due day of the month on)."""
    return today.day >= due_day


def due_period(today: datetime.date) -> datetime.date:
    """Return the month whose update is due (or overdue) on this day."""
    return previous_month(today)


@dataclass(frozen=True)
class UpdateStart:
    """Where a new monthly update starts: the month to report on and the figures carried over."""

    period: datetime.date
    percent_complete: Decimal | None = None
    spend_to_date: Decimal | None = None
    declared_confidence: str = ""


def _next_month(day: datetime.date) -> datetime.date:
    return month_start(month_start(day) + datetime.timedelta(days=32))


def update_start(project: Project, today: datetime.date | None = None) -> UpdateStart:
    """Return the month a new update should report on, with last month's figures as its starting point.

    The month is the earliest one that is due and not reported yet: after the last approved (locked)
    month, or from the project's start, up to the month due today; when every due month has an update,
    the month under way. The figures are those of the latest update sent before it; the narrative
    always starts empty.
    """
    today = today or timezone.localdate()
    updates = ProgressUpdate.objects.filter(project=project)
    reported = set(updates.values_list("period", flat=True))
    locked = updates.filter(status=UpdateStatus.APPROVED).order_by("-period").values_list("period", flat=True).first()
    month = _next_month(locked) if locked else month_start(project.planned_start or today)
    period = month_start(today)
    while month <= due_period(today):
        if month not in reported:
            period = month
            break
        month = _next_month(month)
    previous = (
        updates.filter(period__lt=period, status__in=[UpdateStatus.APPROVED, UpdateStatus.SUBMITTED])
        .order_by("-period")
        .first()
    )
    if previous is None:
        return UpdateStart(period=period)
    return UpdateStart(
        period=period,
        percent_complete=previous.percent_complete,
        spend_to_date=previous.spend_to_date,
        declared_confidence=previous.declared_confidence,
    )


def missing_updates(user: Any, today: datetime.date | None = None) -> tuple[QuerySet[Project], datetime.date]:
    """Return the projects in progress with no submitted or approved update for the month that is due."""
    today = today or timezone.localdate()
    period = due_period(today)
    reported = ProgressUpdate.objects.filter(
        project=OuterRef("pk"), period=period, status__in=[UpdateStatus.SUBMITTED, UpdateStatus.APPROVED]
    )
    return (
        Project.objects.visible_to(user)
        .filter(status=ProjectStatus.IN_PROGRESS, planned_start__lt=month_start(today))
        .exclude(Exists(reported))
    ), period


def _fold_by_ministry(rows, key="owner"):
    """Fold rows counted per owner (in SQL) into counts per ministry (a few hundred rows at most)."""
    organizations = {o.pk: o for o in Organization.objects.only("pk", "path", "kind", "name_ar", "name_fr", "name_en")}
    folded = {}
    for row in rows:
        ministry = ministry_of(organizations[row[key]], organizations)
        entry = folded.setdefault(ministry.pk, {"ministry": ministry, "counts": {}, "total": 0})
        for name, value in row.items():
            if name != key:
                entry["counts"][name] = entry["counts"].get(name, 0) + value
        entry["total"] += row.get("n", 0)
    return sorted(folded.values(), key=lambda e: (-e["total"], e["ministry"].name_ar))


def missing_updates_by_organization(
    user: Any, today: datetime.date | None = None
) -> tuple[list[dict[str, Any]], QuerySet[Project], datetime.date]:
    projects, period = missing_updates(user, today)
    rows = projects.values("owner").annotate(n=Count("id")).order_by()
    return _fold_by_ministry(rows), projects, period


def blocked_projects(user: Any) -> QuerySet[Project]:
    """Return the visible projects with an unresolved high or critical obstacle."""
    blocking = Obstacle.objects.blocking().filter(project=OuterRef("pk"))
    return Project.objects.visible_to(user).filter(Exists(blocking))


def blocked_matrix(user: Any) -> dict[str, Any]:
    """Return blocked projects counted by obstacle category (columns) and ministry (rows), in SQL."""
    projects = Project.objects.visible_to(user)
    obstacles = Obstacle.objects.blocking().filter(project__in=projects)
    per_owner = obstacles.values("project__owner", "category").annotate(n=Count("project", distinct=True)).order_by()
    rows: dict[Any, dict[str, Any]] = {}
    for row in per_owner:
        entry = rows.setdefault(row["project__owner"], {"owner": row["project__owner"]})
        entry[row["category"]] = entry.get(row["category"], 0) + row["n"]
    by_ministry = _fold_by_ministry(rows.values())
    totals = {
        row["category"]: row["n"]
        for row in obstacles.values("category").annotate(n=Count("project", distinct=True)).order_by()
    }
    return {
        "categories": ObstacleCategory.choices,
        "rows": by_ministry,
        "totals": totals,
        "project_count": blocked_projects(user).count(),
    }


def roadmap_rows(
    projects: QuerySet[Project], today: datetime.date | None = None, limit: int = 200, offset: int = 0
) -> dict[str, Any]:
    """Return the projects for a Gantt chart: original and current plan, forecast end, milestones.

    The projects drawn are `limit` of them from `offset`, by start date (a page of the roadmap).
    """
    today = today or timezone.localdate()
    chosen = list(
        projects.select_related("health", "owner")
        .prefetch_related("milestones", "baselines")
        .order_by("planned_start", "code")[offset : offset + limit]
    )
    if not chosen:
        return {"rows": [], "start": today, "end": today, "years": [], "timeline": Timeline(today, today)}
    start = min(p.planned_start for p in chosen)
    end = max(max(p.planned_end for p in chosen), today)
    rows: list[dict[str, Any]] = []
    for project in chosen:
        baselines = [b for b in project.baselines.all() if b.status == BaselineStatus.APPROVED]
        original = baselines[0] if baselines else None
        health = getattr(project, "health", None)
        slip = health.schedule_days if health else 0
        forecast_end = project.planned_end + datetime.timedelta(days=slip)
        start = min(start, original.planned_start if original else start)
        end = max(end, forecast_end, original.planned_end if original else end)
        rows.append(
            {
                "project": project,
                "original": original,
                "forecast_end": forecast_end,
                "health": health,
                "milestones": list(project.milestones.all()),
            }
        )
    axis = Timeline(start.replace(month=1, day=1), end.replace(month=12, day=31))
    for row in rows:
        p = row["project"]
        row["plan"] = axis.bar(p.planned_start, p.planned_end)
        if row["original"]:
            row["baseline"] = axis.bar(row["original"].planned_start, row["original"].planned_end)
        row["forecast"] = axis.bar(p.planned_end, row["forecast_end"])
        row["marks"] = [
            {"milestone": m, "at": axis.at(m.planned_date), "done": bool(m.actual_date)} for m in row["milestones"]
        ]
    years = [{"year": year, "at": at} for year, at in axis.years()]
    return {
        "rows": rows,
        "start": axis.start,
        "end": axis.end,
        "years": years,
        "today": axis.at(today),
        "timeline": axis,
    }


def roadmap_phases(phases: Any, timeline: Timeline) -> list[dict[str, Any]]:
    """Return the strategy phases that fall on the roadmap's axis, each with its bar."""
    bands = [{"phase": phase, "bar": timeline.bar(phase.start, phase.end)} for phase in phases]
    return [band for band in bands if band["bar"].width > 0]


@dataclass(frozen=True)
class MilestoneVariance:
    """Days late of a milestone against the original plan (None without one) and the current plan."""

    milestone: Milestone
    original: int | None
    current: int | None


@dataclass(frozen=True)
class BaselineVariances:
    """How far a project has moved from its original plan: end, budget and each milestone."""

    original: Baseline | None
    end_shift: int
    budget_shift: Decimal | None
    milestones: list[MilestoneVariance]


def baseline_variances(project: Project, baselines: list[Baseline], today: datetime.date) -> BaselineVariances:
    """Return the variances of project against its original plan (its first approved baseline) and its current one.

    baselines: the project's baselines, oldest first. Lateness counts to the actual date, or to today
    for a planned date already passed; a milestone not yet due is not late.
    """
    approved = [b for b in baselines if b.status == BaselineStatus.APPROVED]
    original = approved[0] if approved else None
    milestones = [
        MilestoneVariance(
            milestone=milestone,
            original=milestone_lateness(milestone, original.milestone_dates, today) if original else None,
            current=milestone_lateness(milestone, {str(milestone.pk): milestone.planned_date.isoformat()}, today),
        )
        for milestone in project.milestones.all()
    ]
    budget_shift = None
    if original is not None and original.planned_budget is not None and project.planned_budget is not None:
        budget_shift = project.planned_budget - original.planned_budget
    return BaselineVariances(
        original=original,
        end_shift=(project.planned_end - original.planned_end).days if original else 0,
        budget_shift=budget_shift,
        milestones=milestones,
    )


@dataclass(frozen=True)
class ProposalChanges:
    """What a proposed re-baseline would change in the current plan, read before it is decided."""

    start_days: int
    end_days: int
    budget_change: Decimal | None
    milestones_moved: int


def baseline_proposal_changes(project: Project, baselines: list[Baseline]) -> ProposalChanges | None:
    """Return the changes the pending re-baseline would make to the project's current plan (None without one)."""
    proposed = next((b for b in baselines if b.status == BaselineStatus.PROPOSED), None)
    if proposed is None:
        return None
    budget_change = None
    if proposed.planned_budget is not None and project.planned_budget is not None:
        budget_change = proposed.planned_budget - project.planned_budget
    current = {str(m.pk): m.planned_date.isoformat() for m in project.milestones.all()}
    moved = sum(1 for key, day in proposed.milestone_dates.items() if current.get(key) not in (None, day))
    return ProposalChanges(
        start_days=(proposed.planned_start - project.planned_start).days,
        end_days=(proposed.planned_end - project.planned_end).days,
        budget_change=budget_change,
        milestones_moved=moved,
    )


@dataclass(frozen=True)
class UpdateReview:
    """What a reviewer reads beside an update: last report's figures, the change, the rating it would give."""

    previous: ProgressUpdate | None
    percent_change: Decimal | None
    spend_change: Decimal | None
    rating_if_approved: Rating | None
    warnings: list[str]


def update_review(update: ProgressUpdate, today: datetime.date | None = None) -> UpdateReview:
    """Return the figures a reviewer weighs an update against (the rating only while it is not yet approved)."""
    today = today or timezone.localdate()
    project = update.project
    previous = ProgressUpdate.objects.previous_report(project, update.period)
    return UpdateReview(
        previous=previous,
        percent_change=update.percent_complete - previous.percent_complete if previous else None,
        spend_change=update.spend_to_date - previous.spend_to_date if previous else None,
        rating_if_approved=None if update.is_locked else rating_if_approved(update, today),
        warnings=warnings_text(update.confirmed_warnings, currency=project.currency),
    )


def rating_if_approved(update: ProgressUpdate, today: datetime.date) -> Rating:
    """Return the computed rating the project would have if this update were approved today."""
    project = update.project
    facts = project_facts(project, today)
    reported = {r.milestone_id: r.actual_date for r in update.milestone_reports.all()}
    approved = max(filter(None, [facts.last_approved_period, update.period]))
    return rate(
        replace(
            facts,
            milestones=[
                MilestoneFact(planned=m.planned_date, actual=reported.get(m.pk, m.actual_date))
                for m in project.milestones.all()
            ],
            spend_to_date=update.spend_to_date,
            last_approved_period=approved,
            last_approved_on=month_end(approved),
            declared=update.declared_confidence,
        )
    )


@dataclass(frozen=True)
class UpdateFilters:
    """What narrows a list of progress updates; every field left empty narrows nothing."""

    project: Project | None = None
    organization: Organization | None = None  # the project owner's subtree
    status: str = ""  # an UpdateStatus value
    period_from: datetime.date | None = None  # months reported on from this one
    period_to: datetime.date | None = None  # ... up to this one


def update_list(reader: Any, filters: UpdateFilters | None = None) -> QuerySet[ProgressUpdate]:
    """Return the progress updates this reader may see, narrowed by filters, by project then month."""
    filters = filters or UpdateFilters()
    updates = ProgressUpdate.objects.visible_to(reader)
    if filters.project is not None:
        updates = updates.filter(project=filters.project)
    if filters.organization is not None:
        updates = updates.filter(project__owner__path__startswith=filters.organization.path)
    if filters.status:
        updates = updates.filter(status=filters.status)
    if filters.period_from is not None:
        updates = updates.filter(period__gte=month_start(filters.period_from))
    if filters.period_to is not None:
        updates = updates.filter(period__lte=filters.period_to)
    return updates.order_by("project__code", "period", "pk")


@dataclass(frozen=True)
class BaselineFilters:
    """What narrows a list of project baselines; every field left empty narrows nothing."""

    project: Project | None = None
    organization: Organization | None = None  # the project owner's subtree
    status: str = ""  # a BaselineStatus value


def baseline_list(reader: Any, filters: BaselineFilters | None = None) -> QuerySet[Baseline]:
    """Return the baselines this reader may see, narrowed by filters, by project then number."""
    filters = filters or BaselineFilters()
    baselines = Baseline.objects.visible_to(reader)
    if filters.project is not None:
        baselines = baselines.filter(project=filters.project)
    if filters.organization is not None:
        baselines = baselines.filter(project__owner__path__startswith=filters.organization.path)
    if filters.status:
        baselines = baselines.filter(status=filters.status)
    return baselines.order_by("project__code", "number", "pk")


@dataclass(frozen=True)
class ObstacleFilters:
    """What narrows an obstacle list; every field left empty narrows nothing."""

    project: Project | None = None
    category: str = ""  # an ObstacleCategory value
    severity: str = ""  # a Severity value
    status: str = ""  # an ObstacleStatus value
    organization: Organization | None = None  # the project owner's subtree


def obstacle_list(reader: Any, filters: ObstacleFilters | None = None) -> QuerySet[Obstacle]:
    """Return the obstacles this reader may see, narrowed by filters, by project then newest first."""
    filters = filters or ObstacleFilters()
    obstacles = Obstacle.objects.visible_to(reader)
    if filters.project is not None:
        obstacles = obstacles.filter(project=filters.project)
    for name in ("category", "severity", "status"):
        if getattr(filters, name):
            obstacles = obstacles.filter(**{name: getattr(filters, name)})
    if filters.organization is not None:
        obstacles = obstacles.filter(project__owner__path__startswith=filters.organization.path)
    return obstacles.order_by("project__code", "-reported_at", "pk")
