"""Projects and their milestones: read through `project_list`, written through the portfolio services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from masar.api.paging import DEFAULT_LIMIT, expected_version, one, page_schema, paginate, since
from masar.api.problems import ERRORS
from masar.api.references import actor_of, filter_ref, reader_of, require, require_asking
from masar.api.schemas import Body, Names, Payload, Ref, names, ref
from masar.core import policy
from masar.core.models import Classification
from masar.core.records import RecordType
from masar.delivery.models import Confidence
from masar.organizations.models import Organization, Region
from masar.portfolio import services
from masar.portfolio.models import FundingKind, Milestone, Project, ProjectStatus
from masar.portfolio.selectors import NOT_RATED, ON_TRACK, ProjectFilters, project_list
from masar.strategy.models import Axis, Phase, Program, Strategy

router = Router(tags=["projects"])
TYPE = RecordType.PROJECTS


class MilestoneOut(Payload):
    id: int
    version: int
    updated_at: datetime.datetime
    project_id: int
    order: int
    name: Names
    planned_date: datetime.date
    actual_date: datetime.date | None


def milestone_payload(milestone: Milestone) -> dict[str, Any]:
    """Return a milestone as the API gives it."""
    return {
        "id": milestone.pk,
        "version": milestone.version,
        "updated_at": milestone.updated_at,
        "project_id": milestone.project_id,
        "order": milestone.order,
        "name": names(milestone),
        "planned_date": milestone.planned_date,
        "actual_date": milestone.actual_date,
    }


class Rating(Payload):
    """The computed rating beside the declared confidence (null before the first rating)."""

    computed: Confidence
    declared: Confidence | None
    flagged: bool
    schedule_days: int
    computed_on: datetime.date


class ProjectOut(Payload):
    id: int
    version: int
    updated_at: datetime.datetime
    code: str
    name: Names
    description: Names
    owner: Ref
    strategy: Ref
    axis: Ref | None
    program: Ref | None
    phase: Ref | None
    regions: list[Ref]
    planned_start: datetime.date
    planned_end: datetime.date
    planned_budget: Decimal | None
    currency: str
    funding_kind: FundingKind
    status: ProjectStatus
    classification: Classification
    rating: Rating | None
    milestones: list[MilestoneOut]


def _rating(project: Project) -> dict[str, Any] | None:
    health = getattr(project, "health", None)
    if health is None:
        return None
    return {
        "computed": health.computed,
        "declared": health.declared or None,
        "flagged": health.flagged,
        "schedule_days": health.schedule_days,
        "computed_on": health.computed_on,
    }


def project_payload(project: Project) -> dict[str, Any]:
    """Return a project as the API gives it (its related records loaded by `_with_payload`)."""
    return {
        "id": project.pk,
        "version": project.version,
        "updated_at": project.updated_at,
        "code": project.code,
        "name": names(project),
        "description": names(project, "description"),
        "owner": ref(project.owner),
        "strategy": ref(project.strategy),
        "axis": ref(project.axis),
        "program": ref(project.program),
        "phase": ref(project.phase),
        "regions": [ref(region) for region in project.regions.all()],
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
        "planned_budget": project.planned_budget,
        "currency": project.currency,
        "funding_kind": project.funding_kind,
        "status": project.status,
        "classification": project.classification,
        "rating": _rating(project),
        "milestones": [milestone_payload(m) for m in project.milestones.all()],
    }


def _with_payload(projects: Any) -> Any:
    """Return projects with what their payload reads, in a fixed number of queries whatever their number."""
    return projects.select_related("owner", "strategy", "axis", "program", "phase", "health").prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("path")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("order")),
    )


class ProjectQuery(Schema):
    """The project list's filters, as the project list page has them."""

    q: str = ""
    organization: int | None = Field(None, description="Owner organization id: its whole subtree")
    strategy: int | None = None
    axis: int | None = None
    phase: int | None = None
    region: int | None = Field(None, description="Region id: its whole subtree")
    status: ProjectStatus | None = None
    rating: Confidence | None = Field(None, description=f"A computed rating; see also {NOT_RATED!r}, {ON_TRACK!r}")
    not_rated: bool = False
    classification: Classification | None = None
    updated_since: datetime.datetime | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)
    cursor: str | None = None


def _filters(request: HttpRequest, query: ProjectQuery) -> ProjectFilters:
    reader = reader_of(request)
    organization = filter_ref(Organization.objects.all(), query.organization)
    if organization is not None:
        require_asking(request, TYPE, organization)
    return ProjectFilters(
        q=query.q,
        organization=organization,
        strategy=filter_ref(Strategy.objects.visible_to(reader), query.strategy),
        axis=filter_ref(Axis.objects.visible_to(reader), query.axis),
        phase=filter_ref(Phase.objects.visible_to(reader), query.phase),
        region=filter_ref(Region.objects.all(), query.region),
        status=query.status or "",
        rating=NOT_RATED if query.not_rated else (query.rating or ""),
        classification=query.classification or "",
    )


@router.get("/projects/", response={200: page_schema(ProjectOut), **ERRORS}, summary="List projects")
def project_index(request: HttpRequest, query: Query[ProjectQuery]) -> Any:
    """Return the projects the caller may read, filtered as the project list page filters them."""
    require(request, TYPE)
    projects = since(project_list(reader_of(request), _filters(request, query)), query.updated_since)
    return paginate(
        request,
        _with_payload(projects),
        limit=query.limit,
        cursor=query.cursor,
        owner_of=lambda p: p.owner_id,
        render=project_payload,
    )


@router.get("/projects/{project_id}/", response={200: ProjectOut, **ERRORS}, summary="Read a project")
def project_read(request: HttpRequest, project_id: int) -> Any:
    require(request, TYPE)
    project = policy.get_for_reader(_with_payload(Project.objects.all()), reader_of(request), project_id)
    return one(request, project, owner_of=lambda p: p.owner_id, render=project_payload)


class ProjectIn(Body):
    code: str = Field(..., max_length=40)
    name_ar: str = Field(..., max_length=400)
    name_fr: str = Field("", max_length=400)
    name_en: str = Field("", max_length=400)
    description_ar: str = ""
    description_fr: str = ""
    description_en: str = ""
    owner: int
    strategy: int | None = None
    axis: int | None = None
    program: int | None = None
    phase: int | None = None
    regions: list[int] = []
    planned_start: datetime.date
    planned_end: datetime.date
    planned_budget: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str = Field("TND", min_length=3, max_length=3)
    funding_kind: FundingKind = FundingKind.STATE_BUDGET
    status: ProjectStatus = ProjectStatus.PLANNED
    classification: Classification = Classification.RESTRICTED


class ProjectPatch(Body):
    """The fields to change; those left out stay as they are."""

    name_ar: str | None = Field(None, max_length=400)
    name_fr: str | None = Field(None, max_length=400)
    name_en: str | None = Field(None, max_length=400)
    description_ar: str | None = None
    description_fr: str | None = None
    description_en: str | None = None
    axis: int | None = None
    program: int | None = None
    phase: int | None = None
    regions: list[int] | None = None
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    planned_budget: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    funding_kind: FundingKind | None = None
    status: ProjectStatus | None = None
    classification: Classification | None = None


def _references(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Turn the ids of a body into records the caller may read (422 on one it may not)."""
    reader = reader_of(request)
    sources: dict[str, Any] = {
        "owner": Organization.objects.all(),
        "strategy": Strategy.objects.visible_to(reader),
        "axis": Axis.objects.visible_to(reader),
        "program": Program.objects.visible_to(reader),
        "phase": Phase.objects.visible_to(reader),
    }
    for name, queryset in sources.items():
        if name in data and data[name] is not None:
            data[name] = filter_ref(queryset, data[name], pointer=f"body.{name}")
    if data.get("regions") is not None:
        data["regions"] = [filter_ref(Region.objects.all(), pk, pointer="body.regions") for pk in data["regions"]]
    return data


@router.post("/projects/", response={201: ProjectOut, **ERRORS}, summary="Create a project")
def project_new(request: HttpRequest, body: ProjectIn) -> Any:
    """Create a project owned by an organization the caller may write for."""
    require(request, TYPE, write=True)
    data = _references(request, body.model_dump())
    project = services.project_create(actor=actor_of(request), **data)
    return Status(201, one(request, _with_payload(Project.objects.all()).get(pk=project.pk), render=project_payload))


@router.patch("/projects/{project_id}/", response={200: ProjectOut, **ERRORS}, summary="Change a project")
def project_change(request: HttpRequest, project_id: int, body: ProjectPatch) -> Any:
    """Change a project; `If-Match` names the version read (412 when it moved on, nothing saved)."""
    require(request, TYPE, write=True)
    version = expected_version(request)
    project = policy.get_for_reader(Project.objects.all(), reader_of(request), project_id, write=True)
    data = _references(request, body.model_dump(exclude_unset=True))
    services.project_update(project=project, actor=actor_of(request), expected_version=version, **data)
    return one(request, _with_payload(Project.objects.all()).get(pk=project.pk), render=project_payload)


class MilestoneQuery(Schema):
    updated_since: datetime.datetime | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)
    cursor: str | None = None


@router.get(
    "/projects/{project_id}/milestones/", response={200: page_schema(MilestoneOut), **ERRORS}, summary="List milestones"
)
def milestone_index(request: HttpRequest, project_id: int, query: Query[MilestoneQuery]) -> Any:
    require(request, TYPE)
    project = policy.get_for_reader(Project.objects.all(), reader_of(request), project_id)
    milestones = since(Milestone.objects.visible_to(reader_of(request)).filter(project=project), query.updated_since)
    return paginate(
        request,
        milestones,
        limit=query.limit,
        cursor=query.cursor,
        owner_of=lambda m: project.owner_id,
        render=milestone_payload,
    )


class MilestoneIn(Body):
    order: int = Field(..., ge=1, le=10_000)
    name_ar: str = Field(..., max_length=400)
    name_fr: str = Field("", max_length=400)
    name_en: str = Field("", max_length=400)
    planned_date: datetime.date
    actual_date: datetime.date | None = None


class MilestonePatch(Body):
    name_ar: str | None = Field(None, max_length=400)
    name_fr: str | None = Field(None, max_length=400)
    name_en: str | None = Field(None, max_length=400)
    planned_date: datetime.date | None = None
    actual_date: datetime.date | None = None


@router.post("/projects/{project_id}/milestones/", response={201: MilestoneOut, **ERRORS}, summary="Add a milestone")
def milestone_new(request: HttpRequest, project_id: int, body: MilestoneIn) -> Any:
    require(request, TYPE, write=True)
    project = policy.get_for_reader(Project.objects.all(), reader_of(request), project_id, write=True)
    milestone = services.milestone_create(actor=actor_of(request), project=project, **body.model_dump())
    return Status(201, one(request, milestone, render=milestone_payload))


@router.patch(
    "/projects/{project_id}/milestones/{milestone_id}/",
    response={200: MilestoneOut, **ERRORS},
    summary="Change a milestone",
)
def milestone_change(request: HttpRequest, project_id: int, milestone_id: int, body: MilestonePatch) -> Any:
    require(request, TYPE, write=True)
    version = expected_version(request)
    reader = reader_of(request)
    milestone = policy.get_for_reader(Milestone.objects.filter(project_id=project_id), reader, milestone_id, write=True)
    milestone = services.milestone_update(
        milestone=milestone, actor=actor_of(request), expected_version=version, **body.model_dump(exclude_unset=True)
    )
    return one(request, milestone, render=milestone_payload)
