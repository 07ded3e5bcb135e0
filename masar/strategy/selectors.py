"""Reads for strategy pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q

from masar.portfolio.models import Project

if TYPE_CHECKING:
    from typing import Any

    from django.contrib.auth.models import AnonymousUser

    from masar.accounts.models import User
    from masar.strategy.models import Strategy

AXIS_PROJECT_LIMIT = 200


def strategy_tree(strategy: Strategy, user: User | AnonymousUser) -> dict[str, Any]:
    """Return the strategy's axes, each with its programs and visible projects, and the unplaced programs.

    Counts are computed in the database over the projects this user may read.
    """
    projects = Project.objects.visible_to(user).filter(strategy=strategy)
    axes: list[Any] = list(
        strategy.axes.annotate(project_count=Count("projects", filter=Q(projects__in=projects), distinct=True))
    )
    programs = list(
        strategy.programs.annotate(project_count=Count("projects", filter=Q(projects__in=projects), distinct=True))
    )
    for axis in axes:
        axis.program_list = [p for p in programs if p.axis_id == axis.pk]
        axis.project_list = list(
            projects.filter(axis=axis).select_related("owner", "health").order_by("code")[:AXIS_PROJECT_LIMIT]
        )
    unplaced_programs = [p for p in programs if p.axis_id is None]
    return {
        "axes": axes,
        "unplaced_programs": unplaced_programs,
        "project_count": projects.count(),
        "unplaced_project_count": projects.filter(axis__isnull=True).count(),
        "axis_project_limit": AXIS_PROJECT_LIMIT,
    }


def phase_timeline(strategy: Strategy) -> dict[str, Any]:
    """Return the phases with their offset and width as shares of the strategy's period, for a bar timeline."""
    span = (strategy.period_end - strategy.period_start).days or 1
    rows = []
    for phase in strategy.phases.all():
        start = max((phase.start - strategy.period_start).days, 0)
        width = max(min((phase.end - phase.start).days, span - start), 0)
        rows.append({"phase": phase, "offset": round(100 * start / span, 2), "width": round(100 * width / span, 2)})
    years = list(range(strategy.period_start.year, strategy.period_end.year + 1))
    return {"rows": rows, "years": years}
