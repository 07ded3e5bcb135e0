"""The services catalogue through the API (`/services/`): services read through `service_list` and one representation
(`masar.catalogue.representation`), their monthly usage read and reported through `usage_record`.

A service is named by its code. Its usage is reported by whoever may (`policy.may_report_usage`): the people who
change the service, or the back office's system with the scope `service_usage:write` for its own organization.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from masar.api.paging import DEFAULT_LIMIT, note_returned, one, page_schema, paginate, since
from masar.api.problems import ERRORS
from masar.api.references import actor_of, filter_ref, reader_of, require, require_asking
from masar.api.schemas import Body, Payload
from masar.catalogue.models import Audience, Channel, LifeEvent, Service, ServiceCategory, ServiceUsage
from masar.catalogue.representation import service_view, with_representation
from masar.catalogue.selectors import ServiceFilters, service_list
from masar.catalogue.services import UsageEntry, UsageInvalid, usage_record
from masar.core import policy
from masar.core.errors import NotPermitted
from masar.core.records import RecordType
from masar.organizations.models import Organization

router = Router(tags=["services"])
SERVICES = RecordType.SERVICES
USAGE = RecordType.SERVICE_USAGE
MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
MAX_ENTRIES = 1000  # months and channels reported in one call


class TextsOut(Payload):
    """A text in Arabic, French and English, and in the language of Accept-Language (`text`)."""

    ar: str
    fr: str
    en: str
    text: str


class ChoiceOut(Payload):
    code: str
    label: str


class LevelOut(Payload):
    value: int = Field(..., description="0 information only … 5 proactive / once-only")
    label: str


class RefOut(Payload):
    id: int
    code: str
    name: TextsOut


class DocumentOut(Payload):
    order: int
    name: TextsOut
    held_by: RefOut | None = Field(..., description="The administration that already holds the document")
    once_only: bool = Field(..., description="Held by another administration than the owner: it could be fetched")


class ProjectLinkOut(Payload):
    project: RefOut
    target_level: LevelOut
    target_date: datetime.date | None


class ServiceOut(Payload):
    id: int
    code: str
    version: int
    updated_at: datetime.datetime
    name: TextsOut
    description: TextsOut
    owner: RefOut
    classification: ChoiceOut
    audiences: list[ChoiceOut]
    channels: list[ChoiceOut]
    life_event: RefOut | None
    category: RefOut | None
    level: LevelOut
    online: bool = Field(..., description="At level 3 or more: processed and paid online")
    fully_online: bool = Field(..., description="At level 4 or more")
    steps: TextsOut
    fee: Decimal | None
    fee_currency: str
    fee_note: TextsOut
    processing_days: int | None = Field(..., description="The target processing time, in days")
    legal_basis: TextsOut
    online_url: str
    rating_average: float | None = Field(..., description="Citizens' ratings, 1 to 5")
    rating_count: int
    is_sample: bool


class ServiceDetailOut(ServiceOut):
    documents: list[DocumentOut]
    projects: list[ProjectLinkOut] = Field(..., description="The projects digitizing it that the caller may read")


def _payload(service: Service, request: HttpRequest, *, detail: bool = False) -> dict[str, Any]:
    return dataclasses.asdict(service_view(service, reader_of(request), detail=detail))


class ServiceQuery(Schema):
    """The directory's filters, as the portal has them."""

    q: str = Field("", max_length=200, description="Words of the name or description, as people type them")
    organization: int | None = Field(None, description="Owner organization id: its whole subtree")
    life_event: int | None = None
    category: int | None = None
    channel: Channel | None = None
    audience: Audience | None = None
    level: int | None = Field(None, ge=0, le=5)
    min_level: int | None = Field(None, ge=0, le=5)
    updated_since: datetime.datetime | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)
    cursor: str | None = None


def _filters(request: HttpRequest, query: ServiceQuery) -> ServiceFilters:
    organization = filter_ref(Organization.objects.all(), query.organization, pointer="query.organization")
    if organization is not None:
        require_asking(request, SERVICES, organization)
    life_event = filter_ref(LifeEvent.objects.all(), query.life_event, pointer="query.life_event")
    category = filter_ref(ServiceCategory.objects.all(), query.category, pointer="query.category")
    return ServiceFilters(
        q=query.q,
        organization=organization.pk if organization is not None else None,
        life_event=life_event.pk if life_event is not None else None,
        category=category.pk if category is not None else None,
        channel=query.channel or None,
        audience=query.audience or None,
        level=query.level,
        min_level=query.min_level,
    )


@router.get("/services/", response={200: page_schema(ServiceOut), **ERRORS}, summary="List services")
def service_index(request: HttpRequest, query: Query[ServiceQuery]) -> Any:
    """Return the services of the catalogue the caller may read, filtered as the portal's directory filters them."""
    require(request, SERVICES)
    services = since(service_list(reader_of(request), _filters(request, query)), query.updated_since)
    return paginate(
        request,
        with_representation(services),
        limit=query.limit,
        cursor=query.cursor,
        owner_of=lambda s: s.owner_id,
        render=lambda s: _payload(s, request),
    )


def _service_pk(code: str) -> int:
    pk = Service.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404
    return pk


@router.get("/services/{code}/", response={200: ServiceDetailOut, **ERRORS}, summary="Read a service")
def service_read(request: HttpRequest, code: str) -> Any:
    """Return one service with its required documents (and who already holds them), the projects digitizing it
    that the caller may read, and its citizens' rating."""
    require(request, SERVICES)
    service = policy.get_for_reader(with_representation(Service.objects.all()), reader_of(request), _service_pk(code))
    return one(request, service, owner_of=lambda s: s.owner_id, render=lambda s: _payload(s, request, detail=True))


# Usage ----------------------------------------------------------------------------------------------------


def _usage_service(request: HttpRequest, code: str) -> Service:
    """Return the service whose usage is read or reported, as the context of that usage: 404 when the caller may
    not see it (a client sees a public or restricted service of another organization, then is refused, 403)."""
    lookups = Service.objects.all().lookups()
    visible = Service.objects.filter(policy.visible_q(reader_of(request), lookups, revealed=True))
    service = visible.select_related("owner").filter(code=code).first()
    if service is None:
        raise Http404
    return service


def _month(text: str | None, pointer: str) -> datetime.date | None:
    if not text:
        return None
    match = MONTH.match(text)
    if match is None:
        raise ValidationError([{"loc": tuple(pointer.split(".")), "msg": "a month, YYYY-MM", "type": "value_error"}])
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class UsageOut(Payload):
    id: int
    service: str = Field(..., description="The service's code")
    month: str = Field(..., description="YYYY-MM")
    channel: Channel
    transactions: int
    processing_days: Decimal | None = Field(..., description="The actual processing time, in days")
    backlog: int | None
    source: str
    entered_at: datetime.datetime


def usage_payload(usage: ServiceUsage, service: Service) -> dict[str, Any]:
    """Return one month of one channel as the API gives it."""
    return {
        "id": usage.pk,
        "service": service.code,
        "month": f"{usage.month:%Y-%m}",
        "channel": usage.channel,
        "transactions": usage.transactions,
        "processing_days": usage.processing_days,
        "backlog": usage.backlog,
        "source": usage.source,
        "entered_at": usage.entered_at,
    }


class UsageQuery(Schema):
    from_: str | None = Field(None, alias="from", description="The first month, YYYY-MM")
    to: str | None = Field(None, description="The last month, YYYY-MM")
    channel: Channel | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)
    cursor: str | None = None


@router.get("/services/{code}/usage/", response={200: page_schema(UsageOut), **ERRORS}, summary="Read usage")
def usage_index(request: HttpRequest, code: str, query: Query[UsageQuery]) -> Any:
    """Return a service's monthly usage per channel, from one month to another."""
    require(request, USAGE)
    service = _usage_service(request, code)
    require_asking(request, USAGE, service.owner)
    rows: QuerySet[ServiceUsage] = ServiceUsage.objects.visible_to(reader_of(request)).filter(service=service)
    first, last = _month(query.from_, "query.from"), _month(query.to, "query.to")
    if first is not None:
        rows = rows.filter(month__gte=first)
    if last is not None:
        rows = rows.filter(month__lte=last)
    if query.channel:
        rows = rows.filter(channel=query.channel)
    return paginate(
        request,
        rows,
        limit=query.limit,
        cursor=query.cursor,
        owner_of=lambda u: service.owner_id,
        render=lambda u: usage_payload(u, service),
    )


class UsageIn(Body):
    """One month of one channel: the month's transactions, or the running total (`cumulative`)."""

    month: str = Field(..., description="YYYY-MM", examples=["2026-10"])
    channel: Channel
    transactions: int | None = Field(None, description="The month's transactions")
    cumulative: int | None = Field(None, description="Or the running total since the first month recorded")
    processing_days: Decimal | None = Field(None, max_digits=8, decimal_places=2)
    backlog: int | None = None


class UsageRecorded(Schema):
    count: int
    results: list[UsageOut]


def _inline(schema: Any, definitions: dict[str, Any] | None = None) -> Any:
    """Return a JSON schema with its local definitions written in place (an OpenAPI request body stands alone)."""
    definitions = schema.get("$defs", {}) if definitions is None else definitions
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: _inline(value, definitions) for key, value in schema.items() if key != "$defs"}
    if isinstance(schema, list):
        return [_inline(item, definitions) for item in schema]
    return schema


USAGE_BODY = _inline(TypeAdapter(UsageIn | list[UsageIn]).json_schema())


def _body(request: HttpRequest) -> list[tuple[str, UsageIn]]:
    """Return the entries of the body, one object or a list of them, each with the prefix naming it in an error
    ("" for one object, "3." in a list); a body that does not read is refused (422) naming its fields."""
    try:
        data = json.loads(request.body or b"")
    except ValueError:
        raise ValidationError([{"loc": ("body",), "msg": "not JSON", "type": "json_invalid"}]) from None
    if isinstance(data, list) and len(data) > MAX_ENTRIES:
        raise ValidationError([{"loc": ("body",), "msg": f"at most {MAX_ENTRIES} entries", "type": "value_error"}])
    try:
        if isinstance(data, list):
            items = TypeAdapter(list[UsageIn]).validate_python(data)
            return [(f"{index}.", item) for index, item in enumerate(items)]
        return [("", UsageIn.model_validate(data))]
    except PydanticError as error:
        found = [{"loc": ("body", *e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()]
        raise ValidationError(found) from None


def _entries(items: list[tuple[str, UsageIn]]) -> list[tuple[str, UsageEntry]]:
    entries = []
    for prefix, item in items:
        month = _month(item.month, f"body.{prefix}month")
        data = item.model_dump(exclude={"month"})
        entries.append((prefix, UsageEntry(month=month, **data)))  # type: ignore[arg-type]
    return entries


@router.post(
    "/services/{code}/usage/",
    response={201: UsageRecorded, **ERRORS},
    summary="Report usage",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": USAGE_BODY}}, "required": True}},
)
def usage_report(request: HttpRequest, code: str) -> Any:
    """Record (or correct) months of a service's usage: one object, or a list of them, all or none. Each refusal
    names its field (`body.2.transactions`). The digitization indicators follow, once, when it is saved."""
    require(request, USAGE, write=True)
    service = _usage_service(request, code)
    if not policy.may_report_usage(reader_of(request), service):
        raise NotPermitted(_("You may not report the usage of this service."))
    entries = _entries(_body(request))
    with transaction.atomic():
        recorded = _record(actor_of(request), service, entries)
        from masar.catalogue.indicators import digitization_refresh

        months = sorted({entry.month for _prefix, entry in entries})
        transaction.on_commit(lambda: digitization_refresh(organization_ids=[service.owner_id], months=months))
    note_returned(request, recorded, lambda u: service.owner_id)
    return Status(201, {"count": len(recorded), "results": [usage_payload(u, service) for u in recorded]})


def _record(actor: Any, service: Service, entries: list[tuple[str, UsageEntry]]) -> list[ServiceUsage]:
    """Record every entry in month order per channel (a running total reads month after month); refuse them all,
    naming every error, when one is wrong."""
    errors: list[tuple[int, str | None, str]] = []
    seen: set[tuple[datetime.date, str]] = set()
    recorded = []
    ordered = sorted(enumerate(entries), key=lambda item: (item[1][1].channel, item[1][1].month))
    for index, (prefix, entry) in ordered:
        if (entry.month, entry.channel) in seen:
            errors.append((index, f"{prefix}month", _("Another entry gives the same month and channel.")))
            continue
        seen.add((entry.month, entry.channel))
        try:
            with transaction.atomic():
                recorded.append(usage_record(actor=actor, service=service, entry=entry, source="api", refresh=False))
        except UsageInvalid as invalid:
            for field, message in invalid.errors:
                errors.append((index, f"{prefix}{field}" if field else prefix.rstrip(".") or None, message))
    if errors:
        raise UsageInvalid([(pointer, message) for _index, pointer, message in sorted(errors, key=lambda e: e[0])])
    return recorded
