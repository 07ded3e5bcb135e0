"""Ratings: gather a project's facts, compute and store its health."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from masar.core.months import month_end, month_start
from masar.delivery.configuration import rules_in_force
from masar.delivery.models import BaselineStatus, ProjectHealth, ProjectRatingHistory, UpdateStatus
from masar.delivery.rating import MilestoneFact, ProjectFacts, RatingRules, rate
from masar.portfolio.models import Project, ProjectStatus

if TYPE_CHECKING:
    from typing import Any

    from django.db.models import QuerySet

    from masar.delivery.rating import Rating
    from masar.portfolio.models import Milestone


HISTORY_CHUNK = 500


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
    approved_baselines = sorted(
        (b for b in project.baselines.all() if b.status == BaselineStatus.APPROVED), key=lambda b: b.number
    )
    original = approved_baselines[0] if approved_baselines and approved_baselines[0].number == 1 else None
    # Never re-baselined: the current plan is the original one (baseline 1 is recorded at the first request).
    original_end = original.planned_end if original is not None else project.planned_end
    original_milestones = milestones if original is None else []
    if original is not None:
        for m in project.milestones.all():
            planned_text = original.milestone_dates.get(str(m.pk))
            if planned_text:
                original_milestones.append(
                    MilestoneFact(
                        planned=datetime.date.fromisoformat(planned_text), actual=reported.get(m.pk, m.actual_date)
                    )
                )
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
        original_end=original_end,
        original_milestones=original_milestones,
        rebaselines=sum(1 for b in approved_baselines if b.number > 1),
    )


def _health_store(project: Project, rating: Rating, facts: ProjectFacts, today: datetime.date) -> None:
    ProjectHealth.objects.update_or_create(
        project=project,
        defaults=dict(
            computed=rating.computed,
            declared=rating.declared or "",
            gap=rating.gap,
            flagged=rating.flagged,
            flag_kind=rating.flag_kind,
            schedule_days=rating.schedule_days,
            original_slip_days=rating.original_slip_days,
            rebaselines=rating.rebaselines,
            cost_ratio=rating.cost_ratio,
            reasons=rating.reasons,
            last_approved_period=facts.last_approved_period,
            computed_on=today,
        ),
    )


def _history_row(project: Project, rating: Rating, today: datetime.date) -> ProjectRatingHistory:
    return ProjectRatingHistory(
        project=project,
        month=month_start(today),
        computed=rating.computed,
        declared=rating.declared or "",
        schedule_days=rating.schedule_days,
    )


def rating_history_store(rows: list[ProjectRatingHistory]) -> None:
    """Keep each project's rating of the month: insert, or replace the month's row, in one query."""
    ProjectRatingHistory.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["project", "month"],
        update_fields=["computed", "declared", "schedule_days"],
    )


def project_health_refresh(
    *, project: Project, today: datetime.date | None = None, rules: RatingRules | None = None
) -> Rating:
    """Recompute and store a project's rating beside its declared confidence, and its rating of the month."""
    today = today or timezone.localdate()
    facts = project_facts(project, today)
    rating = rate(facts, rules or rules_in_force())
    _health_store(project, rating, facts, today)
    rating_history_store([_history_row(project, rating, today)])
    return rating


def health_refresh_all(
    *, today: datetime.date | None = None, queryset: QuerySet[Project] | None = None, stdout: Any | None = None
) -> int:
    """Recompute every project's rating (run nightly: freshness moves with the calendar). Return the count.

    The settings are read once; the month's ratings are written in bulk, one query per chunk.
    """
    today = today or timezone.localdate()
    rules = rules_in_force()
    queryset = queryset if queryset is not None else Project.objects.all()
    count = 0
    history: list[ProjectRatingHistory] = []
    for project in (
        queryset.select_related("owner")
        .prefetch_related("milestones", "obstacles", "baselines", "updates__milestone_reports")
        .iterator(chunk_size=HISTORY_CHUNK)
    ):
        facts = project_facts(project, today)
        rating = rate(facts, rules)
        _health_store(project, rating, facts, today)
        history.append(_history_row(project, rating, today))
        if len(history) >= HISTORY_CHUNK:
            rating_history_store(history)
            history = []
        count += 1
        if stdout and count % 1000 == 0:
            stdout.write(f"ratings {count}")
    if history:
        rating_history_store(history)
    return count


def milestone_lateness(milestone: Milestone, baseline_dates: dict[str, str], today: datetime.date) -> int | None:
    """Days late of a milestone against a baseline's planned date (None when the baseline has no date for it)."""
    planned_text = baseline_dates.get(str(milestone.pk))
    if not planned_text:
        return None
    planned = datetime.date.fromisoformat(planned_text)
    end = milestone.actual_date or (today if planned <= today else None)
    return (end - planned).days if end else None
