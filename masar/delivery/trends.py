"""Reads of ratings over time: a project's months, the portfolio heat map, what changed since a council."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masar.core.months import month_start, previous_month
from masar.decisions.models import Meeting, MeetingKind
from masar.delivery.models import Confidence, Obstacle, ProjectRatingHistory
from masar.portfolio.models import Milestone, Project
from masar.portfolio.selectors import ProjectFilters, project_list

HEATMAP_MONTHS = 12
HEATMAP_ROWS = 200  # projects drawn on the heat map; the page says how many more the list holds
CHANGES_SHOWN = 10  # items of each kind of change named; the counts cover all


def last_months(today: datetime.date, count: int = HEATMAP_MONTHS) -> list[datetime.date]:
    """Return the first days of the count months ending with today's month, oldest first."""
    months = [month_start(today)]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months[::-1]


@dataclass(frozen=True)
class MonthRating:
    """A project's rating kept for one month (computed None: not rated that month)."""

    month: datetime.date
    computed: str | None
    declared: str | None

    @property
    def computed_label(self) -> str | None:
        return str(Confidence(self.computed).label) if self.computed else None


def _cells(months: list[datetime.date], kept: dict[datetime.date, Any]) -> list[MonthRating]:
    cells = []
    for month in months:
        row = kept.get(month)
        cells.append(
            MonthRating(
                month=month,
                computed=row.computed if row is not None else None,
                declared=(row.declared or None) if row is not None else None,
            )
        )
    return cells


def project_rating_months(
    project: Project, today: datetime.date | None = None, count: int = HEATMAP_MONTHS
) -> list[MonthRating]:
    """Return a project's rating month by month over the last count months (empty before its first rating)."""
    months = last_months(today or timezone.localdate(), count)
    kept = {row.month: row for row in project.rating_history.filter(month__gte=months[0], month__lte=months[-1])}
    if not kept:
        return []
    first = min(kept)
    return _cells([m for m in months if m >= first], kept)


def rating_heatmap(
    projects: QuerySet[Project], today: datetime.date | None = None, limit: int = HEATMAP_ROWS
) -> dict[str, Any]:
    """Return projects × the last twelve months of their ratings, for the first limit projects of the list."""
    months = last_months(today or timezone.localdate())
    chosen = list(projects.select_related("health")[:limit])
    kept: dict[int, dict[datetime.date, ProjectRatingHistory]] = {}
    history = ProjectRatingHistory.objects.filter(
        project__in=[p.pk for p in chosen], month__gte=months[0], month__lte=months[-1]
    )
    for row in history:
        kept.setdefault(row.project_id, {})[row.month] = row
    rows = [{"project": p, "cells": _cells(months, kept.get(p.pk, {}))} for p in chosen]
    return {"months": months, "rows": rows}


def last_council(reader: Any, today: datetime.date | None = None) -> Meeting | None:
    """Return the latest council of ministers before today that this reader may see."""
    today = today or timezone.localdate()
    return (
        Meeting.objects.visible_to(reader)
        .filter(kind=MeetingKind.COUNCIL_OF_MINISTERS, date__lt=today)
        .order_by("-date", "-pk")
        .first()
    )


@dataclass(frozen=True)
class Changes:
    """What changed in a reader's projects since a day: new reds, recoveries, slipped milestones, new obstacles."""

    since: datetime.date
    new_reds: QuerySet[Project]
    recovered: QuerySet[Project]
    slipped_milestones: QuerySet[Milestone]
    new_obstacles: QuerySet[Obstacle]
    meeting: Meeting | None = None


def changes_since(
    reader: Any,
    day: datetime.date,
    *,
    today: datetime.date | None = None,
    filters: ProjectFilters | None = None,
    meeting: Meeting | None = None,
) -> Changes:
    """Return what changed in the projects this reader may see (narrowed by filters) between day and today.

    A project's rating "then" is the one kept for the last month before day's month (ratings are kept
    monthly): a new red is red now and was not then, a recovery was red then and is not now; projects
    with no rating kept then are in neither. A slipped milestone fell due after day and was not reached
    on time; a new obstacle was reported after day.
    """
    today = today or timezone.localdate()
    projects = project_list(reader, filters or ProjectFilters())
    then = ProjectRatingHistory.objects.filter(project=OuterRef("pk"), month__lt=month_start(day)).order_by("-month")
    rated = projects.annotate(rating_then=Subquery(then.values("computed")[:1])).filter(
        rating_then__isnull=False, health__isnull=False
    )
    new_reds = rated.filter(health__computed=Confidence.RED).exclude(rating_then=Confidence.RED)
    recovered = rated.filter(rating_then=Confidence.RED).exclude(health__computed=Confidence.RED)
    slipped = (
        Milestone.objects.filter(
            project__in=projects.order_by().values("pk"), planned_date__gt=day, planned_date__lte=today
        )
        .filter(Q(actual_date__isnull=True) | Q(actual_date__gt=F("planned_date")))
        .select_related("project")
        .order_by("planned_date", "project__code", "order")
    )
    obstacles = (
        Obstacle.objects.visible_to(reader)
        .filter(project__in=projects.order_by().values("pk"), reported_at__date__gt=day)
        .select_related("project", "must_act")
        .order_by("-reported_at", "pk")
    )
    return Changes(
        since=day,
        new_reds=new_reds.order_by("code"),
        recovered=recovered.order_by("code"),
        slipped_milestones=slipped,
        new_obstacles=obstacles,
        meeting=meeting,
    )


def changes_since_last_council(
    reader: Any, *, today: datetime.date | None = None, filters: ProjectFilters | None = None
) -> Changes | None:
    """Return what changed since the last council of ministers this reader may see (None without one)."""
    today = today or timezone.localdate()
    meeting = last_council(reader, today)
    if meeting is None or meeting.date is None:
        return None
    return changes_since(reader, meeting.date, today=today, filters=filters, meeting=meeting)


@dataclass(frozen=True)
class ChangeGroup:
    """One kind of change: its title, how many, and the first few named (label, link)."""

    key: str
    title: Any
    count: int
    items: list[tuple[str, str]]


def changes_digest(changes: Changes, limit: int = CHANGES_SHOWN) -> list[ChangeGroup]:
    """Return the changes as groups to show (counts cover all, the first limit of each are named)."""

    def project_item(project: Project) -> tuple[str, str]:
        return (project.name, reverse("portfolio-project-detail", args=[project.pk]))

    groups = [
        ChangeGroup(
            "new_reds",
            _("Newly rated red"),
            changes.new_reds.count(),
            [project_item(p) for p in changes.new_reds[:limit]],
        ),
        ChangeGroup(
            "recovered",
            _("Recovered from red"),
            changes.recovered.count(),
            [project_item(p) for p in changes.recovered[:limit]],
        ),
        ChangeGroup(
            "slipped_milestones",
            _("Milestones missed"),
            changes.slipped_milestones.count(),
            [
                (
                    _("%(project)s: %(milestone)s") % {"project": m.project.name, "milestone": m.name},
                    reverse("portfolio-project-detail", args=[m.project_id]),
                )
                for m in changes.slipped_milestones[:limit]
            ],
        ),
        ChangeGroup(
            "new_obstacles",
            _("New obstacles"),
            changes.new_obstacles.count(),
            [
                (
                    _("%(project)s: %(obstacle)s") % {"project": o.project.name, "obstacle": str(o)},
                    reverse("delivery-obstacle-detail", args=[o.pk]),
                )
                for o in changes.new_obstacles[:limit]
            ],
        ),
    ]
    return groups
