"""Reads of delivery tracking, each through the reader's visibility."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from masar.core.timeline import Timeline
from masar.delivery import services
from masar.delivery.models import Baseline, BaselineStatus, Obstacle, ObstacleCategory, ProgressUpdate, UpdateStatus
from masar.delivery.services import month_start, previous_month
from masar.organizations.models import Organization
from masar.organizations.selectors import ministry_of
from masar.portfolio.models import Milestone, Project, ProjectStatus

UPDATE_DUE_DAY = 10  # the update for a month is due by this day of the next month


def due_period(today):
    """Return the month whose update is due (or overdue) on this day."""
    return previous_month(today)


def missing_updates(user, today=None):
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


def missing_updates_by_organization(user, today=None):
    projects, period = missing_updates(user, today)
    rows = projects.values("owner").annotate(n=Count("id")).order_by()
    return _fold_by_ministry(rows), projects, period


def blocked_projects(user):
    """Return the visible projects with an unresolved high or critical obstacle."""
    blocking = Obstacle.objects.blocking().filter(project=OuterRef("pk"))
    return Project.objects.visible_to(user).filter(Exists(blocking))


def blocked_matrix(user):
    """Return blocked projects counted by obstacle category (columns) and ministry (rows), in SQL."""
    projects = Project.objects.visible_to(user)
    obstacles = Obstacle.objects.blocking().filter(project__in=projects)
    per_owner = obstacles.values("project__owner", "category").annotate(n=Count("project", distinct=True)).order_by()
    rows = {}
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


def roadmap_rows(projects, today=None, limit=200):
    """Return the projects for a Gantt chart: original and current plan, forecast end, milestones."""
    today = today or timezone.localdate()
    projects = list(
        projects.select_related("health", "owner")
        .prefetch_related("milestones", "baselines")
        .order_by("planned_start", "code")[:limit]
    )
    if not projects:
        return {"rows": [], "start": today, "end": today, "years": [], "timeline": Timeline(today, today)}
    start = min(p.planned_start for p in projects)
    end = max(max(p.planned_end for p in projects), today)
    rows = []
    for project in projects:
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


def roadmap_phases(phases, timeline):
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


def baseline_variances(project, baselines, today) -> BaselineVariances:
    """Return the variances of project against its original plan (its first approved baseline) and its current one.

    baselines: the project's baselines, oldest first. Lateness counts to the actual date, or to today
    for a planned date already passed; a milestone not yet due is not late.
    """
    approved = [b for b in baselines if b.status == BaselineStatus.APPROVED]
    original = approved[0] if approved else None
    milestones = [
        MilestoneVariance(
            milestone=milestone,
            original=services.milestone_lateness(milestone, original.milestone_dates, today) if original else None,
            current=services.milestone_lateness(
                milestone, {str(milestone.pk): milestone.planned_date.isoformat()}, today
            ),
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


def rating_counts(projects):
    """Return {computed rating: count} for a queryset of projects, in SQL."""
    return dict(projects.values_list("health__computed").annotate(n=Count("pk")).order_by())
