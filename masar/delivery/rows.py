"""One representation of an obstacle, typed and in the reader's language: exports, packs and the API read it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from masar.delivery.models import Obstacle


@dataclass(frozen=True)
class ObstacleRow:
    project_code: str
    project: str  # the project's name in the reader's language
    category: str
    severity: str
    description: str
    proposed_solution: str
    must_act: str | None
    due_date: datetime.date | None
    status: str
    reported_on: datetime.date | None


def obstacle_row(obstacle: Obstacle, reader: Any = None) -> ObstacleRow:
    """Return the row of an obstacle (with its project and must_act selected), in the active language.

    An obstacle is visible only with its project, so the project's name is the reader's to read.
    """
    return ObstacleRow(
        project_code=obstacle.project.code,
        project=obstacle.project.name,
        category=str(obstacle.get_category_display()),
        severity=str(obstacle.get_severity_display()),
        description=obstacle.description,
        proposed_solution=obstacle.proposed_solution,
        must_act=obstacle.must_act.name if obstacle.must_act is not None else None,
        due_date=obstacle.due_date,
        status=str(obstacle.get_status_display()),
        reported_on=obstacle.reported_at.date() if obstacle.reported_at else None,
    )
