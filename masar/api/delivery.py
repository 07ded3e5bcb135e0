"""Delivery tracking: progress updates (draft and submit), baselines, monthly ratings and obstacles,
read through the delivery selectors and written through the delivery services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from masar.api.lookups import parent_for_writing, seen_as_context
from masar.api.paging import DEFAULT_LIMIT, expected_version, one, page_schema, paginate, since
from masar.api.problems import ERRORS, problem
from masar.api.references import actor_of, filter_ref, reader_of, require, require_asking
from masar.api.schemas import Body, Names, Record, Ref, names, ref
from masar.core import policy
from masar.core.errors import StaleEditError
from masar.core.models import Classification
from masar.core.months import month_start
from masar.core.records import RecordType
from masar.delivery.models import (
    Baseline,
    BaselineStatus,
    Confidence,
    MilestoneReport,
    Obstacle,
    ObstacleCategory,
    ObstacleStatus,
    ProgressUpdate,
    ProjectRatingHistory,
    Severity,
    UpdateStatus,
)
from masar.delivery.plausibility import warning_text, warnings_text
from masar.delivery.selectors import (
    BaselineFilters,
    ObstacleFilters,
    UpdateFilters,
    baseline_list,
    obstacle_list,
    update_list,
)
from masar.delivery.services.obstacles import obstacle_report, obstacle_update
from masar.delivery.services.updates import UnconfirmedFiguresError, update_save, update_submit
from masar.organizations.models import Organization
from masar.portfolio.models import Project

router = Router(tags=["delivery"])
UPDATES, BASELINES, OBSTACLES, PROJECTS = (
    RecordType.PROGRESS_UPDATES,
    RecordType.BASELINES,
    RecordType.OBSTACLES,
    RecordType.PROJECTS,
)


class Paging(Schema):
    updated_since: datetime.datetime | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)
    cursor: str | None = None


class ProjectScoped(Paging):
    """The filters every list of what hangs from projects has."""

    project: int | None = Field(None, description="A project id")
    organization: int | None = Field(None, description="The project owner's organization id: its whole subtree")


def _scope(request: HttpRequest, query: ProjectScoped, record_type: str) -> tuple[Any, Any]:
    """Return the project and organization a list is narrowed to (403 to a client no agreement covers for them)."""
    project = filter_ref(
        seen_as_context(Project.objects.select_related("owner"), request), query.project, pointer="query.project"
    )
    organization = filter_ref(Organization.objects.all(), query.organization, pointer="query.organization")
    for owner in (getattr(project, "owner", None), organization):
        if owner is not None:
            require_asking(request, record_type, owner)
    return project, organization


def _owner(record: Any) -> Any:
    return record.project.owner_id


# Progress updates -------------------------------------------------------------------------------


class MilestoneReportOut(Schema):
    milestone_id: int
    order: int
    name: Names
    actual_date: datetime.date

    @staticmethod
    def resolve_order(obj: MilestoneReport) -> int:
        return obj.milestone.order

    @staticmethod
    def resolve_name(obj: MilestoneReport) -> dict[str, str]:
        return names(obj.milestone)


class ProgressUpdateOut(Record):
    project: Ref
    period: datetime.date = Field(..., description="The first day of the month reported on")
    percent_complete: Decimal
    spend_to_date: Decimal
    declared_confidence: Confidence
    narrative: str
    status: UpdateStatus
    classification: Classification
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    return_reason: str
    confirmed_warnings: list[str] = Field(..., description="The unusual figures the reporter confirmed, worded")
    milestone_reports: list[MilestoneReportOut]

    @staticmethod
    def resolve_project(obj: ProgressUpdate) -> Any:
        return ref(obj.project)

    @staticmethod
    def resolve_confirmed_warnings(obj: ProgressUpdate) -> list[str]:
        return warnings_text(obj.confirmed_warnings, currency=obj.project.currency)

    @staticmethod
    def resolve_milestone_reports(obj: ProgressUpdate) -> list[MilestoneReport]:
        return list(obj.milestone_reports.all())


def _updates(queryset: Any) -> Any:
    """Return updates with what their payload reads, in a fixed number of queries whatever their number."""
    return queryset.select_related("project").prefetch_related(
        Prefetch(
            "milestone_reports",
            queryset=MilestoneReport.objects.select_related("milestone").order_by("milestone__order"),
        )
    )


class UpdateQuery(ProjectScoped):
    status: UpdateStatus | None = None
    period_from: datetime.date | None = Field(None, description="Months reported on from this one")
    period_to: datetime.date | None = Field(None, description="... up to this one")


@router.get("/progress-updates/", response={200: page_schema(ProgressUpdateOut), **ERRORS}, summary="List updates")
def update_index(request: HttpRequest, query: Query[UpdateQuery]) -> Any:
    """Return the monthly progress updates the caller may read (drafts only to those who write them)."""
    require(request, UPDATES)
    project, organization = _scope(request, query, UPDATES)
    filters = UpdateFilters(
        project=project,
        organization=organization,
        status=query.status or "",
        period_from=query.period_from,
        period_to=query.period_to,
    )
    updates = since(update_list(reader_of(request), filters), query.updated_since)
    return paginate(request, _updates(updates), limit=query.limit, cursor=query.cursor, owner_of=_owner)


@router.get("/progress-updates/{update_id}/", response={200: ProgressUpdateOut, **ERRORS}, summary="Read an update")
def update_read(request: HttpRequest, update_id: int) -> Any:
    require(request, UPDATES)
    update = policy.get_for_reader(_updates(ProgressUpdate.objects.all()), reader_of(request), update_id)
    return one(request, update, owner_of=_owner)


class MilestoneDateIn(Body):
    milestone: int = Field(..., description="A milestone id of the update's project")
    actual_date: datetime.date


class UpdateIn(Body):
    period: datetime.date = Field(..., description="The first day of the month reported on")
    percent_complete: Decimal = Field(..., ge=0, le=100, max_digits=5, decimal_places=2)
    spend_to_date: Decimal = Field(..., ge=0, max_digits=16, decimal_places=2)
    declared_confidence: Confidence
    narrative: str = Field("", max_length=20_000)
    milestones: list[MilestoneDateIn] = Field([], max_length=1000, description="Milestones reached, with their date")
    figures_confirmed: bool = Field(
        False, description="Send true to save figures that look unusual (the 422 answer lists them)"
    )


class UpdatePatch(Body):
    """The fields to change; those left out stay as they are (`milestones` replaces the list when given)."""

    period: datetime.date | None = None
    percent_complete: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    spend_to_date: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    declared_confidence: Confidence | None = None
    narrative: str | None = Field(None, max_length=20_000)
    milestones: list[MilestoneDateIn] | None = Field(None, max_length=1000)
    figures_confirmed: bool = False


def _unusual_figures(request: HttpRequest, error: UnconfirmedFiguresError, project: Project) -> Any:
    """Answer figures that look unusual: 422, each warning in the caller's language, and how to confirm them."""
    return problem(
        request,
        422,
        "unusual-figures",
        _("Some figures look unusual"),
        _(
            "Nothing was saved: check the figures listed; if they are right, "
            "send them again with figures_confirmed: true."
        ),
        errors=[
            {"pointer": "body.figures_confirmed", "detail": warning_text(warning, currency=project.currency)}
            for warning in error.warnings
        ],
        warnings=[warning.to_dict() for warning in error.warnings],
    )


def _saved(request: HttpRequest, update: ProgressUpdate) -> Any:
    return one(request, _updates(ProgressUpdate.objects.all()).get(pk=update.pk), owner_of=_owner)


@router.post(
    "/projects/{project_id}/progress-updates/",
    response={201: ProgressUpdateOut, **ERRORS},
    summary="Create a draft update",
)
def update_new(request: HttpRequest, project_id: int, body: UpdateIn) -> Any:
    """Create a draft progress update of a project for one month (submit it with `.../submit/`)."""
    require(request, UPDATES, write=True)
    project = parent_for_writing(
        Project.objects.select_related("owner"),
        request,
        project_id,
    )
    data = body.model_dump(exclude={"milestones"})
    try:
        update = update_save(
            project=project,
            actor=actor_of(request),
            milestone_dates={m.milestone: m.actual_date for m in body.milestones},
            **data,
        )
    except UnconfirmedFiguresError as error:
        return _unusual_figures(request, error, project)
    return Status(201, _saved(request, update))


def _update_to_change(request: HttpRequest, update_id: int) -> ProgressUpdate:
    return policy.get_for_reader(
        ProgressUpdate.objects.select_related("project__owner"), reader_of(request), update_id, write=True
    )


@router.patch("/progress-updates/{update_id}/", response={200: ProgressUpdateOut, **ERRORS}, summary="Change an update")
def update_change(request: HttpRequest, update_id: int, body: UpdatePatch) -> Any:
    """Change a draft or returned update; `If-Match` names the version read (412 when it moved on, nothing saved)."""
    require(request, UPDATES, write=True)
    version = expected_version(request)
    update = _update_to_change(request, update_id)
    given = body.model_dump(exclude_unset=True, exclude={"milestones", "figures_confirmed"})
    fields = ("period", "percent_complete", "spend_to_date", "declared_confidence", "narrative")
    data = {name: given[name] if given.get(name) is not None else getattr(update, name) for name in fields}
    milestone_dates: dict[Any, datetime.date | None]
    if body.milestones is None:
        milestone_dates = {r.milestone_id: r.actual_date for r in update.milestone_reports.all()}
    else:
        milestone_dates = {m.milestone: m.actual_date for m in body.milestones}
    try:
        update = update_save(
            project=update.project,
            actor=actor_of(request),
            update=update,
            expected_version=version,
            milestone_dates=milestone_dates,
            figures_confirmed=body.figures_confirmed,
            **data,
        )
    except UnconfirmedFiguresError as error:
        return _unusual_figures(request, error, update.project)
    return _saved(request, update)


@router.post(
    "/progress-updates/{update_id}/submit/", response={200: ProgressUpdateOut, **ERRORS}, summary="Submit an update"
)
def update_send(request: HttpRequest, update_id: int) -> Any:
    """Send a draft or returned update to its sector coordinator for review; `If-Match` names the version read."""
    require(request, UPDATES, write=True)
    version = expected_version(request)
    update = _update_to_change(request, update_id)
    if update.version != version:
        raise StaleEditError(instance=update, expected_version=version)
    update = update_submit(update=update, actor=actor_of(request))
    return _saved(request, update)


# Baselines --------------------------------------------------------------------------------------


class BaselineOut(Record):
    project: Ref
    number: int = Field(..., description="1 is the original plan")
    planned_start: datetime.date
    planned_end: datetime.date
    planned_budget: Decimal | None
    milestone_dates: dict[str, datetime.date] = Field(..., description="Planned date per milestone id")
    reason: str
    status: BaselineStatus
    classification: Classification
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_note: str

    @staticmethod
    def resolve_project(obj: Baseline) -> Any:
        return ref(obj.project)

    @staticmethod
    def resolve_reason(obj: Baseline) -> str:
        return str(obj.reason_text)


class BaselineQuery(ProjectScoped):
    status: BaselineStatus | None = None


@router.get("/baselines/", response={200: page_schema(BaselineOut), **ERRORS}, summary="List baselines")
def baseline_index(request: HttpRequest, query: Query[BaselineQuery]) -> Any:
    """Return the project baselines (the original plan and re-baselines) the caller may read."""
    require(request, BASELINES)
    project, organization = _scope(request, query, BASELINES)
    filters = BaselineFilters(project=project, organization=organization, status=query.status or "")
    baselines = since(baseline_list(reader_of(request), filters), query.updated_since).select_related("project")
    return paginate(request, baselines, limit=query.limit, cursor=query.cursor, owner_of=_owner)


@router.get("/baselines/{baseline_id}/", response={200: BaselineOut, **ERRORS}, summary="Read a baseline")
def baseline_read(request: HttpRequest, baseline_id: int) -> Any:
    require(request, BASELINES)
    baseline = policy.get_for_reader(Baseline.objects.select_related("project"), reader_of(request), baseline_id)
    return one(request, baseline, owner_of=_owner)


# Monthly ratings --------------------------------------------------------------------------------


class RatingOut(Schema):
    month: datetime.date = Field(..., description="The first day of the month")
    computed: Confidence
    declared: Confidence | None
    schedule_days: int

    @staticmethod
    def resolve_declared(obj: ProjectRatingHistory) -> str | None:
        return obj.declared or None


class RatingQuery(Paging):
    updated_since: datetime.datetime | None = Field(
        None, description="The months from the one holding this moment on (earlier months are settled)"
    )


@router.get(
    "/projects/{project_id}/ratings/", response={200: page_schema(RatingOut), **ERRORS}, summary="List monthly ratings"
)
def rating_index(request: HttpRequest, project_id: int, query: Query[RatingQuery]) -> Any:
    """Return a project's computed rating month by month (the current one is in the project)."""
    require(request, PROJECTS)
    project = policy.get_for_reader(Project.objects.all(), reader_of(request), project_id)
    ratings = ProjectRatingHistory.objects.filter(project=project)
    if query.updated_since is not None:
        ratings = ratings.filter(month__gte=month_start(query.updated_since.date()))
    return paginate(request, ratings, limit=query.limit, cursor=query.cursor, owner_of=lambda r: project.owner_id)


# Obstacles --------------------------------------------------------------------------------------


class ObstacleOut(Record):
    project: Ref
    update_id: int | None
    category: ObstacleCategory
    severity: Severity
    status: ObstacleStatus
    description: str
    proposed_solution: str
    must_act: Ref
    due_date: datetime.date | None
    classification: Classification
    reported_at: datetime.datetime

    @staticmethod
    def resolve_project(obj: Obstacle) -> Any:
        return ref(obj.project)

    @staticmethod
    def resolve_must_act(obj: Obstacle) -> Any:
        return ref(obj.must_act)


def _obstacles(queryset: Any) -> Any:
    return queryset.select_related("project", "must_act")


class ObstacleQuery(ProjectScoped):
    category: ObstacleCategory | None = None
    severity: Severity | None = None
    status: ObstacleStatus | None = None


@router.get("/obstacles/", response={200: page_schema(ObstacleOut), **ERRORS}, summary="List obstacles")
def obstacle_index(request: HttpRequest, query: Query[ObstacleQuery]) -> Any:
    """Return the obstacles the caller may read, filtered as the obstacles page filters them."""
    require(request, OBSTACLES)
    project, organization = _scope(request, query, OBSTACLES)
    filters = ObstacleFilters(
        project=project,
        organization=organization,
        category=query.category or "",
        severity=query.severity or "",
        status=query.status or "",
    )
    obstacles = since(obstacle_list(reader_of(request), filters), query.updated_since)
    return paginate(request, _obstacles(obstacles), limit=query.limit, cursor=query.cursor, owner_of=_owner)


@router.get("/obstacles/{obstacle_id}/", response={200: ObstacleOut, **ERRORS}, summary="Read an obstacle")
def obstacle_read(request: HttpRequest, obstacle_id: int) -> Any:
    require(request, OBSTACLES)
    obstacle = policy.get_for_reader(_obstacles(Obstacle.objects.all()), reader_of(request), obstacle_id)
    return one(request, obstacle, owner_of=_owner)


class ObstacleIn(Body):
    category: ObstacleCategory
    severity: Severity
    description: str = Field(..., min_length=1, max_length=10_000)
    proposed_solution: str = Field("", max_length=10_000)
    must_act: int = Field(..., description="The id of the organization that must act")
    due_date: datetime.date | None = None
    status: ObstacleStatus = ObstacleStatus.OPEN
    classification: Classification | None = Field(
        None, description="Restricted by default, never below the project's; public only by the national unit"
    )


class ObstaclePatch(Body):
    category: ObstacleCategory | None = None
    severity: Severity | None = None
    description: str | None = Field(None, min_length=1, max_length=10_000)
    proposed_solution: str | None = Field(None, max_length=10_000)
    must_act: int | None = None
    due_date: datetime.date | None = None
    status: ObstacleStatus | None = None
    classification: Classification | None = None


def _obstacle_data(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the ids of a body into records (422 on an unknown one); drop the fields sent empty that may not be."""
    if data.get("must_act") is not None:
        data["must_act"] = filter_ref(Organization.objects.all(), data["must_act"], pointer="body.must_act")
    nullable = {"due_date"}
    return {name: value for name, value in data.items() if value is not None or name in nullable}


@router.post("/projects/{project_id}/obstacles/", response={201: ObstacleOut, **ERRORS}, summary="Report an obstacle")
def obstacle_new(request: HttpRequest, project_id: int, body: ObstacleIn) -> Any:
    """Report an obstacle to a project, with its proposed solution and who must act."""
    require(request, OBSTACLES, write=True)
    project = parent_for_writing(
        Project.objects.select_related("owner"),
        request,
        project_id,
    )
    data = _obstacle_data(body.model_dump())
    # Internal material is never less classified than its project (as the page offers it).
    data.setdefault("classification", max(Classification.RESTRICTED, project.classification, key=policy.rank))
    obstacle = obstacle_report(project=project, actor=actor_of(request), **data)
    return Status(201, one(request, _obstacles(Obstacle.objects.all()).get(pk=obstacle.pk), owner_of=_owner))


@router.patch("/obstacles/{obstacle_id}/", response={200: ObstacleOut, **ERRORS}, summary="Change an obstacle")
def obstacle_change(request: HttpRequest, obstacle_id: int, body: ObstaclePatch) -> Any:
    """Change an obstacle (its status as it is solved, its solution, who must act); `If-Match` names the version."""
    require(request, OBSTACLES, write=True)
    version = expected_version(request)
    obstacle = policy.get_for_reader(
        Obstacle.objects.select_related("project__owner"), reader_of(request), obstacle_id, write=True
    )
    data = _obstacle_data(body.model_dump(exclude_unset=True))
    obstacle = obstacle_update(obstacle=obstacle, actor=actor_of(request), expected_version=version, **data)
    return one(request, _obstacles(Obstacle.objects.all()).get(pk=obstacle.pk), owner_of=_owner)
