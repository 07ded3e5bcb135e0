"""Reads for strategy pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q

from masar.core.timeline import Timeline
from masar.portfolio.models import Project

if TYPE_CHECKING:
    from typing import Any

    from masar.strategy.models import Strategy

AXIS_PROJECT_LIMIT = 200


def strategy_tree(strategy: Strategy, user: Any) -> dict[str, Any]:
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


def phase_timeline(strategy):
    """Return the phases with their bar on the strategy's period, and the years it covers, for a bar timeline."""
    axis = Timeline(strategy.period_start, strategy.period_end)
    rows = [{"phase": phase, "bar": axis.bar(phase.start, phase.end)} for phase in strategy.phases.all()]
    years = list(range(strategy.period_start.year, strategy.period_end.year + 1))
    return {"rows": rows, "years": years}
