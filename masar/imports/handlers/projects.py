"""Rows of projects with their milestones: one row per milestone, the project's columns repeated on each."""

from __future__ import annotations

from typing import Any

from masar.core import policy
from masar.core.services import model_update
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
from masar.portfolio.models import Milestone, Project, is_currency_code
from masar.portfolio.services import milestone_create, project_create, project_update
from masar.strategy.models import Axis, Program, Strategy

PROJECT_FIELDS = (
    "code",
    "name_ar",
    "name_fr",
    "name_en",
    "description_ar",
    "description_fr",
    "description_en",
    "planned_start",
    "planned_end",
    "planned_budget",
    "currency",
    "funding_kind",
    "status",
    "classification",
)
MILESTONE_FIELDS = {
    "milestone_name_ar": "name_ar",
    "milestone_name_fr": "name_fr",
    "milestone_name_en": "name_en",
    "milestone_planned_date": "planned_date",
    "milestone_actual_date": "actual_date",
}


class ProjectRows:
    def __init__(self, *, actor: Any, source: str = ""):
        self.actor = actor
        self.refs = References(Project)
        self.milestone_refs = References(Milestone)
        self.projects: dict[tuple[str, str], Project] = {}
        self.first_row: dict[tuple[str, str], tuple[int, dict]] = {}

    def prepare(self, rows: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
        self.resolve_codes(rows)
        self.by_code = by_code(Project, {v["code"] for _n, v in rows})
        self.refs.load({key_of(v) for _n, v in rows})
        self.milestone_refs.load(
            {(v["source_system"], self._milestone_id(v)) for _n, v in rows if self._has_milestone(v)}
        )
        return self.early_problems(rows)

    def resolve_codes(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Load the owners, strategies, axes and programs the rows name (a few queries for the whole file)."""
        self.owners = by_code(Organization, {v["owner"] for _n, v in rows})
        self.strategies = by_code(Strategy, {v["strategy"] for _n, v in rows})
        ids = [s.pk for s in self.strategies.values()]
        self.axes = {(a.strategy_id, a.order): a for a in Axis.objects.filter(strategy_id__in=ids)}
        self.programs = {(p.strategy_id, p.code): p for p in Program.objects.filter(strategy_id__in=ids) if p.code}

    def early_problems(self, rows: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Return the problems found before any write: unknown codes, and rows of one project that disagree."""
        found = []
        for number, values in rows:
            found += self._references(number, values)
            first = self.first_row.setdefault(key_of(values), (number, values))
            if first[0] != number and any(values[f] != first[1][f] for f in (*PROJECT_FIELDS, "owner", "strategy")):
                found.append(problem(number, "", "project_differs", other=first[0]))
        return found

    def _references(self, number, values):
        found = []
        strategy = self.strategies.get(values["strategy"])
        if values.get("currency") is not None and not is_currency_code(values["currency"]):
            found.append(problem(number, "currency", "currency", value=values["currency"]))
        if values["owner"] not in self.owners:
            found.append(problem(number, "owner", "unknown_organization", value=values["owner"]))
        if strategy is None:
            return [*found, problem(number, "strategy", "unknown_strategy", value=values["strategy"])]
        if values.get("axis") is not None and (strategy.pk, values["axis"]) not in self.axes:
            found.append(problem(number, "axis", "unknown_axis", value=values["axis"]))
        if values.get("program") and (strategy.pk, values["program"]) not in self.programs:
            found.append(problem(number, "program", "unknown_program", value=values["program"]))
        return found

    @staticmethod
    def _has_milestone(values):
        return values.get("milestone_order") is not None or bool(values.get("milestone_id"))

    @staticmethod
    def _milestone_id(values):
        return values.get("milestone_id") or f"{values['external_id']}#{values.get('milestone_order')}"

    def _data(self, values):
        strategy = self.strategies[values["strategy"]]
        data = {name: values[name] for name in PROJECT_FIELDS if values.get(name) is not None}
        data.update(owner=self.owners[values["owner"]], strategy=strategy)
        if values.get("axis") is not None:
            data["axis"] = self.axes[(strategy.pk, values["axis"])]
        if values.get("program"):
            data["program"] = self.programs[(strategy.pk, values["program"])]
        return data

    def write(self, number: int, values: dict[str, Any]) -> str:
        key = key_of(values)
        outcome = UNCHANGED
        if key not in self.projects:
            self.projects[key], outcome = self._write_project(key, self._data(values))
        if self._has_milestone(values):
            milestone_outcome = self._write_milestone(self.projects[key], values)
            outcome = min(outcome, milestone_outcome, key=(CREATED, UPDATED, UNCHANGED).index)
        return outcome

    def _write_project(self, key, data):
        project = self.refs.find(key)
        if project is None:
            project = self.by_code.get(data["code"])
            if project is not None and project.pk in self.refs.known.values():
                raise RowRefused("code", "code_taken", value=data["code"])
        if project is None:
            level = data.get("classification") or Project._meta.get_field("classification").get_default()
            refuse_unless(policy.may_create_under(self.actor, data["owner"], "projects", level), "owner")
            project = project_create(actor=self.actor, **data)
            self.refs.link(key, project)
            return project, CREATED
        refuse_unless(policy.may_write(self.actor, project), "code")
        self.refs.link(key, project)
        changed = changes(project, data)
        if not changed:
            return project, UNCHANGED
        return project_update(project=project, actor=self.actor, expected_version=project.version, **changed), UPDATED

    def _write_milestone(self, project, values):
        key = (values["source_system"], self._milestone_id(values))
        data = {field: values[column] for column, field in MILESTONE_FIELDS.items() if values.get(column) is not None}
        if values.get("milestone_order") is not None:
            data["order"] = values["milestone_order"]
        milestone = self.milestone_refs.find(key)
        if milestone is None and "order" in data:
            milestone = project.milestones.filter(order=data["order"]).first()
        if milestone is None:
            milestone = milestone_create(actor=self.actor, project=project, **data)
            self.milestone_refs.link(key, milestone)
            return CREATED
        self.milestone_refs.link(key, milestone)
        changed = changes(milestone, data)
        if not changed:
            return UNCHANGED
        model_update(instance=milestone, actor=self.actor, data=changed, expected_version=milestone.version)
        return UPDATED
