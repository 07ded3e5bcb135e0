"""Ratings: gather projects' facts, compute and store their health.

One code path rates one project after a write and every project at night: the facts are read
for a set of projects in a fixed number of set-based queries (see `facts_read`), the pure
`rate` computes each rating, and the ratings are written in bulk (see `_ratings_store`).
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from django.db import connection, transaction
from django.db.models import Count, F, Field, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from masar.audit.models import Action
from masar.audit.services import audit_record
from masar.core.months import month_end, month_start
from masar.delivery.configuration import rules_in_force
from masar.delivery.models import (
    Baseline,
    BaselineStatus,
    MilestoneReport,
    Obstacle,
    ProgressUpdate,
    ProjectHealth,
    ProjectRatingHistory,
    UpdateStatus,
)
from masar.delivery.rating import MilestoneFact, ProjectFacts, RatingRules, rate
from masar.portfolio.models import Milestone, Project, ProjectStatus

if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any

    from django.db.models import Model, QuerySet

    from masar.delivery.rating import Rating


# Projects read and written together by the nightly refresh: memory stays bounded, and each chunk
# costs the same queries whatever its size (CHUNK_QUERIES, written out in `health_refresh_all`).
CHUNK = 5000
REPORTED = [UpdateStatus.SUBMITTED, UpdateStatus.APPROVED]
# What ProjectHealth keeps of a rating, beside the project and the day it was computed.
HEALTH_FIELDS = [
    "computed",
    "declared",
    "gap",
    "flagged",
    "flag_kind",
    "schedule_days",
    "original_slip_days",
    "rebaselines",
    "cost_ratio",
    "reasons",
    "last_approved_period",
]


class ProjectRow(NamedTuple):
    """The fields of a project the rating reads."""

    pk: int
    planned_start: datetime.date
    planned_end: datetime.date
    planned_budget: Decimal | None
    status: str

    @classmethod
    def of(cls, project: Project) -> ProjectRow:
        return cls(project.pk, project.planned_start, project.planned_end, project.planned_budget, project.status)


class _Latest(NamedTuple):
    pk: int
    period: datetime.date
    spend_to_date: Decimal
    declared_confidence: str


class _Reads(NamedTuple):
    """The facts of a chunk of projects, by project id, as read from the database."""

    latest: dict[int, _Latest]  # the latest reported (submitted or approved) update
    approved: dict[int, datetime.date]  # the period of the latest approved update
    reported: dict[int, dict[int, datetime.date]]  # the latest update's milestone reports: milestone → actual date
    milestones: dict[int, list[tuple[int, datetime.date, datetime.date | None]]]  # (pk, planned, actual)
    baselines: dict[int, list[tuple[int, datetime.date, dict[str, str]]]]  # approved: (number, planned end, dates)
    severities: dict[int, list[str]]  # of the unresolved obstacles


def facts_querysets(rows: list[ProjectRow]) -> dict[str, QuerySet[Any]]:
    """Return the set-based reads of the facts of these projects, one queryset each (evaluated by `facts_read`).

    Each reads the range of project ids the rows span, so a chunk of projects costs the same queries
    whatever its size; rows of projects in the range but not in the chunk are left aside after the read.
    """
    ids = [row.pk for row in rows]
    span = {"project_id__gte": min(ids), "project_id__lte": max(ids)}
    # The latest submitted and the latest approved update of each project: at most two rows a project.
    latest = (
        ProgressUpdate.objects.filter(status__in=REPORTED, **span)
        .annotate(rank=Window(RowNumber(), partition_by=[F("project_id"), F("status")], order_by=F("period").desc()))
        .filter(rank=1)
        .order_by()
    )
    return {
        "latest": latest.values_list("pk", "project_id", "status", "period", "spend_to_date", "declared_confidence"),
        "reports": MilestoneReport.objects.filter(update__in=latest.values("pk"))
        .order_by()
        .values_list("update_id", "milestone_id", "actual_date"),
        "milestones": Milestone.objects.filter(**span)
        .order_by("project_id", "order")
        .values_list("project_id", "pk", "planned_date", "actual_date"),
        "baselines": Baseline.objects.filter(status=BaselineStatus.APPROVED, **span)
        .order_by("project_id", "number")
        .values_list("project_id", "number", "planned_end", "milestone_dates"),
        "obstacles": Obstacle.objects.unresolved()
        .filter(**span)
        .order_by()
        .values_list("project_id", "severity")
        .annotate(count=Count("pk")),
    }


def facts_read(rows: list[ProjectRow]) -> _Reads:
    """Read the facts the rating needs about these projects: five queries whatever their number."""
    querysets = facts_querysets(rows)
    latest: dict[int, _Latest] = {}
    approved: dict[int, datetime.date] = {}
    for pk, project_id, status, period, spend, declared in querysets["latest"]:
        if project_id not in latest or latest[project_id].period < period:
            latest[project_id] = _Latest(pk, period, spend, declared)
        if status == UpdateStatus.APPROVED:
            approved[project_id] = period
    latest_updates = {update.pk: project_id for project_id, update in latest.items()}
    reported: dict[int, dict[int, datetime.date]] = defaultdict(dict)
    for update_id, milestone_id, actual in querysets["reports"]:
        if update_id in latest_updates:
            reported[latest_updates[update_id]][milestone_id] = actual
    milestones: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = defaultdict(list)
    for project_id, pk, planned, actual in querysets["milestones"]:
        milestones[project_id].append((pk, planned, actual))
    baselines: dict[int, list[tuple[int, datetime.date, dict[str, str]]]] = defaultdict(list)
    for project_id, number, planned_end, dates in querysets["baselines"]:
        baselines[project_id].append((number, planned_end, dates))
    severities: dict[int, list[str]] = defaultdict(list)
    for project_id, severity, count in querysets["obstacles"]:
        severities[project_id].extend([severity] * count)
    return _Reads(latest, approved, reported, milestones, baselines, severities)


def _facts(row: ProjectRow, reads: _Reads, today: datetime.date) -> ProjectFacts:
    """Return what the rating reads about one project, from the facts read for its chunk."""
    latest = reads.latest.get(row.pk)
    approved = reads.approved.get(row.pk)
    reported = reads.reported.get(row.pk, {})
    current = [(pk, planned, reported.get(pk, actual)) for pk, planned, actual in reads.milestones.get(row.pk, ())]
    milestones = [MilestoneFact(planned=planned, actual=actual) for _, planned, actual in current]
    approved_baselines = reads.baselines.get(row.pk, [])  # oldest first
    original = approved_baselines[0] if approved_baselines and approved_baselines[0][0] == 1 else None
    # Never re-baselined: the current plan is the original one (baseline 1 is recorded at the first request).
    original_end = original[1] if original is not None else row.planned_end
    original_milestones = milestones
    if original is not None:
        original_dates = original[2]
        original_milestones = [
            MilestoneFact(planned=datetime.date.fromisoformat(original_dates[str(pk)]), actual=actual)
            for pk, _, actual in current
            if original_dates.get(str(pk))
        ]
    running = row.planned_start <= today and row.status == ProjectStatus.IN_PROGRESS
    return ProjectFacts(
        today=today,
        planned_start=row.planned_start,
        planned_end=row.planned_end,
        planned_budget=row.planned_budget,
        milestones=milestones,
        spend_to_date=latest.spend_to_date if latest else None,
        last_approved_period=approved,
        last_approved_on=month_end(approved) if approved else None,
        open_obstacle_severities=reads.severities.get(row.pk, []),
        declared=latest.declared_confidence if latest else None,
        reporting_since=row.planned_start if running else None,
        original_end=original_end,
        original_milestones=original_milestones,
        rebaselines=sum(1 for number, _, _ in approved_baselines if number > 1),
    )


def project_facts(project: Project, today: datetime.date) -> ProjectFacts:
    """Gather what the rating reads about one project (see masar.delivery.rating), as the nightly refresh does."""
    row = ProjectRow.of(project)
    return _facts(row, facts_read([row]), today)


def _health(row: ProjectRow, rating: Rating, facts: ProjectFacts, today: datetime.date) -> dict[str, Any]:
    return {
        "project_id": row.pk,
        "computed": rating.computed,
        "declared": rating.declared or "",
        "gap": rating.gap,
        "flagged": rating.flagged,
        "flag_kind": rating.flag_kind,
        "schedule_days": rating.schedule_days,
        "original_slip_days": rating.original_slip_days,
        "rebaselines": rating.rebaselines,
        "cost_ratio": rating.cost_ratio,
        "reasons": rating.reasons,
        "last_approved_period": facts.last_approved_period,
        "computed_on": today,
    }


def _history_row(row: ProjectRow, rating: Rating, today: datetime.date) -> dict[str, Any]:
    return {
        "project_id": row.pk,
        "month": month_start(today),
        "computed": rating.computed,
        "declared": rating.declared or "",
        "schedule_days": rating.schedule_days,
    }


def rows_upsert(model: type[Model], rows: list[dict[str, Any]], *, unique: list[str], update: list[str]) -> None:
    """Insert rows (field attnames to values), or update the given fields of the rows already there, in one query.

    On PostgreSQL the rows travel as one JSON document unpacked by jsonb_to_recordset: building and quoting
    one parameter per value, as bulk_create does, took more than half of the refresh at 20,000 projects.
    Elsewhere (SQLite), bulk_create.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**row) for row in rows], update_conflicts=True, unique_fields=unique, update_fields=update
        )
        return
    quote = connection.ops.quote_name
    keys = [_column(model, name)[0] for name in rows[0]]  # the JSON document's keys: the rows' columns
    columns = ", ".join(quote(key) for key in keys)
    types = ", ".join(f"{quote(column)} {db_type}" for column, db_type in (_column(model, name) for name in rows[0]))
    conflict = ", ".join(quote(_column(model, name)[0]) for name in unique)
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c, _ in (_column(model, name) for name in update))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT {columns} "
        f"FROM jsonb_to_recordset(%s::jsonb) AS rows ({types}) ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    document = json.dumps([dict(zip(keys, row.values(), strict=True)) for row in rows], default=str)
    with connection.cursor() as cursor:
        cursor.execute(sql, [document])


def _column(model: type[Model], name: str) -> tuple[str, str]:
    """Return the column of a field and its type in the database."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column, name
    return field.column, field.db_type(connection) or ""


def rating_history_store(rows: list[dict[str, Any]]) -> None:
    """Keep each project's rating of the month: insert, or replace the month's row, in one query."""
    rows_upsert(
        ProjectRatingHistory, rows, unique=["project", "month"], update=["computed", "declared", "schedule_days"]
    )


def _ratings_store(
    rows: list[ProjectRow], today: datetime.date, rules: RatingRules, *, count_changes: bool = False
) -> tuple[dict[int, Rating], int]:
    """Rate these projects, store their health and their rating of the month; return the ratings.

    Seven queries whatever the number of projects: five reads (`facts_read`) and two bulk writes; eight when
    counting the projects whose stored health changes (the day it was computed aside), returned beside.
    """
    reads = facts_read(rows)
    ratings: dict[int, Rating] = {}
    health: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for row in rows:
        facts = _facts(row, reads, today)
        rating = ratings[row.pk] = rate(facts, rules)
        health.append(_health(row, rating, facts, today))
        history.append(_history_row(row, rating, today))
    changed = _changed(health, rows) if count_changes else 0
    rows_upsert(ProjectHealth, health, unique=["project"], update=[*HEALTH_FIELDS, "computed_on"])
    rating_history_store(history)
    return ratings, changed


def _changed(health: list[dict[str, Any]], rows: list[ProjectRow]) -> int:
    """Count the projects whose stored health, the day it was computed aside, differs from health."""
    ids = [row.pk for row in rows]
    stored = ProjectHealth.objects.filter(project_id__gte=min(ids), project_id__lte=max(ids))
    before = {values[0]: values[1:] for values in stored.values_list("project_id", *HEALTH_FIELDS)}
    return sum(1 for h in health if before.get(h["project_id"]) != tuple(h[name] for name in HEALTH_FIELDS))


def project_health_refresh(
    *, project: Project, today: datetime.date | None = None, rules: RatingRules | None = None
) -> Rating:
    """Recompute and store a project's rating beside its declared confidence, and its rating of the month.

    The same code as the nightly refresh, for a chunk of one project.
    """
    today = today or timezone.localdate()
    row = ProjectRow.of(project)
    ratings, _ = _ratings_store([row], today, rules or rules_in_force())
    return ratings[row.pk]


def health_refresh_all(
    *, today: datetime.date | None = None, queryset: QuerySet[Project] | None = None, stdout: Any | None = None
) -> int:
    """Recompute every project's rating (run nightly: freshness moves with the calendar). Return the count.

    Set-based: the settings are read once, then each chunk of up to CHUNK projects, by ascending id, costs
    nine queries whatever its size: its projects, the five reads of their facts, their stored health (to
    count the ratings that change), their health and their rating of the month written in bulk. When the
    last chunk is full, one more read finds no project left. A run that changes a rating records one audit
    entry, which moves the data version the dashboards' cache keys carry, so a re-rating shows at once.
    """
    today = today or timezone.localdate()
    rules = rules_in_force()
    projects = (queryset if queryset is not None else Project.objects.all()).order_by("pk")
    count = changed = 0
    rows: list[ProjectRow] = []
    while True:
        after = rows[-1].pk if rows else 0
        rows = [
            ProjectRow(*values) for values in projects.filter(pk__gt=after).values_list(*ProjectRow._fields)[:CHUNK]
        ]
        if rows:
            with transaction.atomic():
                changed += _ratings_store(rows, today, rules, count_changes=True)[1]
            count += len(rows)
            if stdout:
                stdout.write(f"ratings {count}")
        if len(rows) < CHUNK:
            break
    if changed:
        _refresh_record(today=today, rated=count, changed=changed)
    return count


@transaction.atomic
def _refresh_record(*, today: datetime.date, rated: int, changed: int) -> None:
    """Record the run in the audit trail: one entry for all the ratings it changed."""
    audit_record(
        actor=None,
        action=Action.UPDATE,
        instance=None,  # type: ignore[arg-type]  # a run over many records, not one record
        model=ProjectHealth,
        object_id=f"ratings-{today.isoformat()}",
        changes={"rated": rated, "changed": changed, "computed_on": today.isoformat()},
    )


def milestone_lateness(milestone: Milestone, baseline_dates: dict[str, str], today: datetime.date) -> int | None:
    """Days late of a milestone against a baseline's planned date (None when the baseline has no date for it)."""
    planned_text = baseline_dates.get(str(milestone.pk))
    if not planned_text:
        return None
    planned = datetime.date.fromisoformat(planned_text)
    end = milestone.actual_date or (today if planned <= today else None)
    return (end - planned).days if end else None
