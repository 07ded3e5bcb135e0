"""Ratings: gather a project's facts, compute and store its health."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from masar.core.months import month_end
from masar.delivery.models import ProjectHealth, UpdateStatus
from masar.delivery.rating import MilestoneFact, ProjectFacts, rate
from masar.portfolio.models import Project, ProjectStatus

if TYPE_CHECKING:
    from typing import Any

    from django.db.models import QuerySet

    from masar.delivery.rating import Rating
    from masar.portfolio.models import Milestone


def project_facts(
    project: Project, today: datetime.date, *, baseline_dates: dict[str, str] | None = None
) -> ProjectFacts:
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


def project_health_refresh(*, project: Project, today: datetime.date | None = None) -> Rating:
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


def health_refresh_all(
    *, today: datetime.date | None = None, queryset: QuerySet[Project] | None = None, stdout: Any | None = None
) -> int:
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


def milestone_lateness(milestone: Milestone, baseline_dates: dict[str, str], today: datetime.date) -> int | None:
    """Days late of a milestone against a baseline's planned date (None when the baseline has no date for it)."""
    planned_text = baseline_dates.get(str(milestone.pk))
    if not planned_text:
        return None
    planned = datetime.date.fromisoformat(planned_text)
    end = milestone.actual_date or (today if planned <= today else None)
    return (end - planned).days if end else None
