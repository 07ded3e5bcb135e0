"""The map of the administration: organizations with their missions, regions, strategies with their
axes, programs and phases."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from masar.api.paging import DEFAULT_LIMIT, one, page_schema, paginate, since
from masar.api.problems import ERRORS
from masar.api.references import filter_ref, reader_of, require
from masar.api.schemas import Names, Record, Ref, names, ref
from masar.core import policy
from masar.core.models import Classification
from masar.core.records import RecordType
from masar.organizations.models import Mission, Organization, OrganizationKind, Region, RegionKind
from masar.strategy.models import Axis, Phase, Program, Strategy, StrategyKind

router = Router(tags=["reference"])


class Paging(Schema):
    updated_since: datetime.datetime | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)
    cursor: str | None = None


class MissionOut(Schema):
    order: int
    text: Names

    @staticmethod
    def resolve_text(obj: Mission) -> dict[str, str]:
        return names(obj, "text")


class OrganizationOut(Record):
    code: str
    kind: OrganizationKind
    acronym: str
    name: Names
    description: Names
    parent_id: int | None
    path: str = Field(..., description="The ids from the root down, e.g. /1/7/42/")
    missions: list[MissionOut]

    @staticmethod
    def resolve_name(obj: Organization) -> dict[str, str]:
        return names(obj)

    @staticmethod
    def resolve_description(obj: Organization) -> dict[str, str]:
        return names(obj, "description")

    @staticmethod
    def resolve_missions(obj: Organization) -> list[Mission]:
        return list(obj.missions.all())


class OrganizationQuery(Paging):
    within: int | None = Field(None, description="An organization id: only its subtree")
    kind: OrganizationKind | None = None


def _organizations() -> Any:
    return Organization.objects.prefetch_related(Prefetch("missions", queryset=Mission.objects.order_by("order")))


@router.get("/organizations/", response={200: page_schema(OrganizationOut), **ERRORS}, summary="List organizations")
def organization_index(request: HttpRequest, query: Query[OrganizationQuery]) -> Any:
    """Return the organizations (the structure of government is public law) with their missions."""
    require(request, RecordType.ORGANIZATIONS)
    organizations = _organizations()
    within = filter_ref(Organization.objects.all(), query.within, pointer="query.within")
    if within is not None:
        organizations = organizations.filter(path__startswith=within.path)
    if query.kind:
        organizations = organizations.filter(kind=query.kind)
    organizations = since(organizations, query.updated_since)
    return paginate(request, organizations, limit=query.limit, cursor=query.cursor)


@router.get(
    "/organizations/{organization_id}/", response={200: OrganizationOut, **ERRORS}, summary="Read an organization"
)
def organization_read(request: HttpRequest, organization_id: int) -> Any:
    require(request, RecordType.ORGANIZATIONS)
    return one(request, get_object_or_404(_organizations(), pk=organization_id))


class RegionOut(Record):
    code: str
    kind: RegionKind
    name: Names
    parent_id: int | None
    path: str

    @staticmethod
    def resolve_name(obj: Region) -> dict[str, str]:
        return names(obj)


class RegionQuery(Paging):
    within: int | None = Field(None, description="A region id: only its subtree")


@router.get("/regions/", response={200: page_schema(RegionOut), **ERRORS}, summary="List regions")
def region_index(request: HttpRequest, query: Query[RegionQuery]) -> Any:
    require(request, RecordType.REGIONS)
    regions = Region.objects.all()
    within = filter_ref(Region.objects.all(), query.within, pointer="query.within")
    if within is not None:
        regions = regions.filter(path__startswith=within.path)
    return paginate(request, since(regions, query.updated_since), limit=query.limit, cursor=query.cursor)


@router.get("/regions/{region_id}/", response={200: RegionOut, **ERRORS}, summary="Read a region")
def region_read(request: HttpRequest, region_id: int) -> Any:
    require(request, RecordType.REGIONS)
    return one(request, get_object_or_404(Region, pk=region_id))


class AxisOut(Schema):
    id: int
    order: int
    name: Names
    planned_project_count: int | None

    @staticmethod
    def resolve_name(obj: Axis) -> dict[str, str]:
        return names(obj)


class ProgramOut(Schema):
    id: int
    order: int
    code: str
    axis_id: int | None
    name: Names

    @staticmethod
    def resolve_name(obj: Program) -> dict[str, str]:
        return names(obj)


class PhaseOut(Schema):
    id: int
    order: int
    name: Names
    start: datetime.date
    end: datetime.date

    @staticmethod
    def resolve_name(obj: Phase) -> dict[str, str]:
        return names(obj)


class StrategyOut(Record):
    code: str
    kind: StrategyKind
    name: Names
    description: Names
    owner: Ref
    parent_id: int | None
    period_start: datetime.date
    period_end: datetime.date
    adopted_on: datetime.date | None
    adopted_by: Names
    planned_project_count: int | None
    classification: Classification
    axes: list[AxisOut]
    programs: list[ProgramOut]
    phases: list[PhaseOut]

    @staticmethod
    def resolve_name(obj: Strategy) -> dict[str, str]:
        return names(obj)

    @staticmethod
    def resolve_description(obj: Strategy) -> dict[str, str]:
        return names(obj, "description")

    @staticmethod
    def resolve_adopted_by(obj: Strategy) -> dict[str, str]:
        return names(obj, "adopted_by")

    @staticmethod
    def resolve_owner(obj: Strategy) -> Any:
        return ref(obj.owner)

    @staticmethod
    def resolve_axes(obj: Strategy) -> list[Axis]:
        return list(obj.axes.all())

    @staticmethod
    def resolve_programs(obj: Strategy) -> list[Program]:
        return list(obj.programs.all())

    @staticmethod
    def resolve_phases(obj: Strategy) -> list[Phase]:
        return list(obj.phases.all())


def _strategies(reader: Any) -> Any:
    return (
        Strategy.objects.visible_to(reader)
        .select_related("owner")
        .prefetch_related(
            Prefetch("axes", queryset=Axis.objects.order_by("order")),
            Prefetch("programs", queryset=Program.objects.order_by("order")),
            Prefetch("phases", queryset=Phase.objects.order_by("order")),
        )
    )


class StrategyQuery(Paging):
    organization: int | None = Field(None, description="Owner organization id: its whole subtree")
    classification: Classification | None = None


@router.get("/strategies/", response={200: page_schema(StrategyOut), **ERRORS}, summary="List strategies")
def strategy_index(request: HttpRequest, query: Query[StrategyQuery]) -> Any:
    """Return the strategies the caller may read, with their axes, programs and phases."""
    require(request, RecordType.STRATEGIES)
    strategies = _strategies(reader_of(request))
    organization = filter_ref(Organization.objects.all(), query.organization, pointer="query.organization")
    if organization is not None:
        strategies = strategies.filter(owner__path__startswith=organization.path)
    if query.classification:
        strategies = strategies.filter(classification=query.classification)
    strategies = since(strategies, query.updated_since)
    return paginate(request, strategies, limit=query.limit, cursor=query.cursor, owner_of=lambda s: s.owner_id)


@router.get("/strategies/{strategy_id}/", response={200: StrategyOut, **ERRORS}, summary="Read a strategy")
def strategy_read(request: HttpRequest, strategy_id: int) -> Any:
    require(request, RecordType.STRATEGIES)
    strategy = policy.get_for_reader(_strategies(reader_of(request)), reader_of(request), strategy_id)
    return one(request, strategy, owner_of=lambda s: s.owner_id)
