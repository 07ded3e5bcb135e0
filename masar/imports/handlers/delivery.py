"""Rows of progress updates and of obstacles, written through the delivery services."""

from __future__ import annotations

from typing import Any

from masar.core import policy
from masar.delivery.models import Obstacle, ObstacleStatus, ProgressUpdate, UpdateStatus
from masar.delivery.services.obstacles import obstacle_report, obstacle_update
from masar.delivery.services.updates import update_save, update_submit
from masar.imports.handlers import (
    CREATED,
    UNCHANGED,
    UPDATED,
    References,
    RowRefused,
    by_code,
    changes,
    key_of,
    refuse_unless,
)
from masar.imports.reasons import problem
from masar.organizations.models import Organization
from masar.portfolio.models import Project

UPDATE_FIELDS = ("period", "percent_complete", "spend_to_date", "declared_confidence", "narrative")
OBSTACLE_FIELDS = ("category", "severity", "description", "proposed_solution", "due_date", "status", "classification")


class _ProjectRows:
    model: Any = None

    def __init__(self, *, actor: Any):
        self.actor = actor
        self.refs = References(self.model)

    def prepare(self, rows: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
        self.projects = by_code(Project, {v["project"] for _n, v in rows})
        self.refs.load({key_of(v) for _n, v in rows})
        return [
            problem(number, "project", "unknown_project", value=values["project"])
            for number, values in rows
            if values["project"] not in self.projects
        ]


class ProgressUpdateRows(_ProjectRows):
    model = ProgressUpdate

    def write(self, number: int, values: dict[str, Any]) -> str:
        project = self.projects[values["project"]]
        refuse_unless(policy.may_write_about(self.actor, project, "progress_updates"), "project")
        key = key_of(values)
        update = self.refs.find(key) or ProgressUpdate.objects.filter(project=project, period=values["period"]).first()
        data = {name: values[name] for name in UPDATE_FIELDS if values.get(name) is not None}
        outcome = CREATED if update is None else UPDATED
        if update is not None and update.project_id != project.pk:
            raise RowRefused("project", "code_taken", value=values["project"])
        if update is not None and not changes(update, data):
            outcome = UNCHANGED
        else:
            update = update_save(
                project=project,
                actor=self.actor,
                update=update,
                expected_version=update.version if update else None,
                figures_confirmed=bool(values.get("figures_confirmed")),
                **{"narrative": "", **data},
            )
        self.refs.link(key, update)
        if values.get("submit") and update.status in (UpdateStatus.DRAFT, UpdateStatus.RETURNED):
            update_submit(update=update, actor=self.actor)
            outcome = UPDATED if outcome == UNCHANGED else outcome
        return outcome


class ObstacleRows(_ProjectRows):
    model = Obstacle

    def prepare(self, rows: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
        found = super().prepare(rows)
        self.organizations = by_code(Organization, {v["must_act"] for _n, v in rows})
        found += [
            problem(number, "must_act", "unknown_organization", value=values["must_act"])
            for number, values in rows
            if values["must_act"] not in self.organizations
        ]
        return found

    def write(self, number: int, values: dict[str, Any]) -> str:
        project = self.projects[values["project"]]
        refuse_unless(policy.may_write_about(self.actor, project, "obstacles"), "project")
        key = key_of(values)
        data = {name: values[name] for name in OBSTACLE_FIELDS if values.get(name) is not None}
        data["must_act"] = self.organizations[values["must_act"]]
        obstacle = self.refs.find(key)
        if obstacle is None:
            data.setdefault("status", ObstacleStatus.OPEN)
            obstacle = obstacle_report(project=project, actor=self.actor, **data)
            self.refs.link(key, obstacle)
            return CREATED
        if obstacle.project_id != project.pk:
            raise RowRefused("project", "code_taken", value=values["project"])
        changed = changes(obstacle, data)
        if not changed:
            return UNCHANGED
        obstacle_update(obstacle=obstacle, actor=self.actor, expected_version=obstacle.version, **changed)
        return UPDATED
