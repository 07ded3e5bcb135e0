"""Indicators with their baselines and targets, and their values (measurements): read through the
indicator selectors, values recorded through the indicator services (the same checks as the page)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from masar.api.lookups import parent_for_writing
from masar.api.paging import DEFAULT_LIMIT, expected_version, one, page_schema, paginate, since
from masar.api.problems import ERRORS
from masar.api.references import actor_of, filter_ref, reader_of, require, require_asking
from masar.api.schemas import Body, Names, Record, Ref, names, ref
from masar.core import policy
from masar.core.models import Classification
from masar.core.records import RecordType
from masar.indicators.checks import Entry
from masar.indicators.models import (
    Aggregation,
    Baseline,
    Direction,
    Disaggregation,
    Frequency,
    Indicator,
    IndicatorKind,
    Measurement,
    MeasurementStatus,
    Target,
    TargetKind,
    TrajectoryShape,
)
from masar.indicators.selectors import IndicatorFilters, MeasurementFilters, indicator_list, measurement_list
from masar.indicators.services import measurement_record, measurement_update
from masar.organizations.models import Organization, Region, RegionKind

router = Router(tags=["indicators"])
INDICATORS, MEASUREMENTS = RecordType.INDICATORS, RecordType.MEASUREMENTS
VALUE_DIGITS, VALUE_PLACES = 20, 4  # as values are stored


class Paging(Schema):
    updated_since: datetime.datetime | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)
    cursor: str | None = None


# Indicators -------------------------------------------------------------------------------------


class BaselineOut(Schema):
    region: Ref | None = Field(..., description="null for the national baseline")
    date: datetime.date
    value: Decimal
    note: str

    @staticmethod
    def resolve_region(obj: Baseline) -> Any:
        return ref(obj.region)


class TargetOut(Schema):
    region: Ref | None = Field(..., description="null for a national target")
    period: datetime.date
    value: Decimal
    kind: TargetKind

    @staticmethod
    def resolve_region(obj: Target) -> Any:
        return ref(obj.region)


class IndicatorOut(Record):
    code: str
    name: Names
    description: Names
    unit: Names
    owner: Ref
    classification: Classification
    kind: IndicatorKind
    direction: Direction
    frequency: Frequency
    disaggregation: Disaggregation
    region_level: RegionKind
    aggregation: Aggregation
    numerator_id: int | None
    denominator_id: int | None
    factor: Decimal
    min_value: Decimal | None
    max_value: Decimal | None
    data_source: Names
    method: Names
    trajectory: TrajectoryShape
    tolerance_on_track: Decimal
    tolerance_at_risk: Decimal
    baselines: list[BaselineOut]
    targets: list[TargetOut]

    @staticmethod
    def resolve_name(obj: Indicator) -> dict[str, str]:
        return names(obj)

    @staticmethod
    def resolve_description(obj: Indicator) -> dict[str, str]:
        return names(obj, "description")

    @staticmethod
    def resolve_unit(obj: Indicator) -> dict[str, str]:
        return names(obj, "unit")

    @staticmethod
    def resolve_data_source(obj: Indicator) -> dict[str, str]:
        return names(obj, "data_source")

    @staticmethod
    def resolve_method(obj: Indicator) -> dict[str, str]:
        return names(obj, "method")

    @staticmethod
    def resolve_owner(obj: Indicator) -> Any:
        return ref(obj.owner)

    @staticmethod
    def resolve_baselines(obj: Indicator) -> list[Baseline]:
        return list(obj.baselines.all())

    @staticmethod
    def resolve_targets(obj: Indicator) -> list[Target]:
        return list(obj.targets.all())


def _indicators(queryset: Any) -> Any:
    """Return indicators with their baselines and targets, in a fixed number of queries whatever their number."""
    return queryset.select_related("owner").prefetch_related(
        Prefetch("baselines", queryset=Baseline.objects.select_related("region").order_by("region__code", "pk")),
        Prefetch("targets", queryset=Target.objects.select_related("region").order_by("region__code", "period")),
    )


class IndicatorQuery(Paging):
    q: str = Field("", max_length=200, description="Matched against code and names as Arabic is typed")
    organization: int | None = Field(None, description="The owner organization id: its whole subtree")
    classification: Classification | None = None


@router.get("/indicators/", response={200: page_schema(IndicatorOut), **ERRORS}, summary="List indicators")
def indicator_index(request: HttpRequest, query: Query[IndicatorQuery]) -> Any:
    """Return the indicators the caller may read, with their baselines and targets."""
    require(request, INDICATORS)
    organization = filter_ref(Organization.objects.all(), query.organization, pointer="query.organization")
    if organization is not None:
        require_asking(request, INDICATORS, organization)
    filters = IndicatorFilters(q=query.q, organization=organization, classification=query.classification or "")
    indicators = since(indicator_list(reader_of(request), filters), query.updated_since)
    return paginate(
        request, _indicators(indicators), limit=query.limit, cursor=query.cursor, owner_of=lambda i: i.owner_id
    )


@router.get("/indicators/{indicator_id}/", response={200: IndicatorOut, **ERRORS}, summary="Read an indicator")
def indicator_read(request: HttpRequest, indicator_id: int) -> Any:
    require(request, INDICATORS)
    indicator = policy.get_for_reader(_indicators(Indicator.objects.all()), reader_of(request), indicator_id)
    return one(request, indicator, owner_of=lambda i: i.owner_id)


# Measurements -----------------------------------------------------------------------------------


class MeasurementOut(Record):
    indicator: Ref
    period: datetime.date = Field(..., description="The first day of the period")
    region: Ref | None
    organization: Ref | None
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    weight: Decimal | None
    comment: str
    status: MeasurementStatus
    needs_review: bool = Field(..., description="Far from the rest of its series: flagged for its reviewer")
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    rejection_reason: str

    @staticmethod
    def resolve_indicator(obj: Measurement) -> Any:
        return ref(obj.indicator)

    @staticmethod
    def resolve_region(obj: Measurement) -> Any:
        return ref(obj.region)

    @staticmethod
    def resolve_organization(obj: Measurement) -> Any:
        return ref(obj.organization)


def _measurements(queryset: Any) -> Any:
    return queryset.select_related("indicator", "region", "organization")


def _owner(measurement: Measurement) -> int:
    return measurement.indicator.owner_id


class MeasurementQuery(Paging):
    indicator: int | None = None
    organization: int | None = Field(None, description="The indicator owner's organization id: its whole subtree")
    region: int | None = Field(None, description="A region id: its whole subtree")
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None
    status: MeasurementStatus | None = None


@router.get("/measurements/", response={200: page_schema(MeasurementOut), **ERRORS}, summary="List values")
def measurement_index(request: HttpRequest, query: Query[MeasurementQuery]) -> Any:
    """Return the indicator values the caller may read (values not yet approved only to those who enter them)."""
    require(request, MEASUREMENTS)
    reader = reader_of(request)
    indicator = filter_ref(
        Indicator.objects.visible_to(reader).select_related("owner"), query.indicator, pointer="query.indicator"
    )
    organization = filter_ref(Organization.objects.all(), query.organization, pointer="query.organization")
    for owner in (getattr(indicator, "owner", None), organization):
        if owner is not None:
            require_asking(request, MEASUREMENTS, owner)
    filters = MeasurementFilters(
        indicator=indicator,
        status=query.status or "",
        organization=organization,
        region=filter_ref(Region.objects.all(), query.region, pointer="query.region"),
        period_from=query.period_from,
        period_to=query.period_to,
    )
    values = since(measurement_list(reader, filters), query.updated_since)
    return paginate(request, _measurements(values), limit=query.limit, cursor=query.cursor, owner_of=_owner)


@router.get("/measurements/{measurement_id}/", response={200: MeasurementOut, **ERRORS}, summary="Read a value")
def measurement_read(request: HttpRequest, measurement_id: int) -> Any:
    require(request, MEASUREMENTS)
    value = policy.get_for_reader(_measurements(Measurement.objects.all()), reader_of(request), measurement_id)
    return one(request, value, owner_of=_owner)


class MeasurementIn(Body):
    period: datetime.date = Field(..., description="The first day of the period (a month, a quarter or a year)")
    region: int | None = Field(None, description="For an indicator by region: a region of its level")
    organization: int | None = Field(None, description="For an indicator by organization")
    value: Decimal | None = Field(None, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    numerator: Decimal | None = Field(
        None, description="For a ratio entered as its two terms", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    denominator: Decimal | None = Field(None, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    weight: Decimal | None = Field(
        None, description="For an indicator averaged with weights", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    comment: str = Field("", max_length=4000, description="Needed for a jump larger than the indicator allows")
    submit: bool = Field(False, description="Send it for approval at once (a draft otherwise)")


class MeasurementPatch(Body):
    """The fields to change; those left out stay as they are. The value becomes a draft again unless submitted."""

    period: datetime.date | None = None
    region: int | None = None
    organization: int | None = None
    value: Decimal | None = Field(None, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    numerator: Decimal | None = Field(None, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    denominator: Decimal | None = Field(None, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    weight: Decimal | None = Field(None, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    comment: str | None = Field(None, max_length=4000)
    submit: bool = False


def _entry(data: dict[str, Any], current: Measurement | None = None) -> Entry:
    """Return the value as typed: the body's fields, the current value's for those left out."""

    def field(name: str) -> Any:
        return data[name] if name in data else getattr(current, name, None)

    region, organization = field("region"), field("organization")
    if "region" in data:
        region = filter_ref(Region.objects.all(), data["region"], pointer="body.region")
    if "organization" in data:
        organization = filter_ref(Organization.objects.all(), data["organization"], pointer="body.organization")
    return Entry(
        period=data.get("period") or field("period"),
        region=region,
        organization=organization,
        value=field("value"),
        numerator=field("numerator"),
        denominator=field("denominator"),
        weight=field("weight"),
        comment=field("comment") or "",
    )


@router.post(
    "/indicators/{indicator_id}/measurements/", response={201: MeasurementOut, **ERRORS}, summary="Record a value"
)
def measurement_new(request: HttpRequest, indicator_id: int, body: MeasurementIn) -> Any:
    """Record a value of an indicator, checked as on the page, as a draft or submitted for approval."""
    require(request, MEASUREMENTS, write=True)
    indicator = parent_for_writing(
        Indicator.objects.select_related("owner", "numerator", "denominator"), request, indicator_id
    )
    data = body.model_dump(exclude={"submit"})
    value = measurement_record(
        actor=actor_of(request), indicator=indicator, entry=_entry(data), submit=body.submit, source="api"
    )
    return Status(201, one(request, _measurements(Measurement.objects.all()).get(pk=value.pk), owner_of=_owner))


@router.patch("/measurements/{measurement_id}/", response={200: MeasurementOut, **ERRORS}, summary="Change a value")
def measurement_change(request: HttpRequest, measurement_id: int, body: MeasurementPatch) -> Any:
    """Change a draft or rejected value; `If-Match` names the version read (412 when it moved on, nothing saved)."""
    require(request, MEASUREMENTS, write=True)
    version = expected_version(request)
    current = policy.get_for_reader(
        Measurement.objects.select_related("indicator__owner", "region", "organization"),
        reader_of(request),
        measurement_id,
        write=True,
    )
    data = body.model_dump(exclude_unset=True, exclude={"submit"})
    value = measurement_update(
        actor=actor_of(request),
        measurement=current,
        expected_version=version,
        entry=_entry(data, current),
        submit=body.submit,
    )
    return one(request, _measurements(Measurement.objects.all()).get(pk=value.pk), owner_of=_owner)
