"""Meetings with their agenda, decisions with their action-taken reports: read through the decision
list selector; action-taken reports written through the follow-up service."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from masar.api.lookups import parent_for_writing
from masar.api.paging import DEFAULT_LIMIT, one, page_schema, paginate, since
from masar.api.problems import ERRORS
from masar.api.references import actor_of, filter_ref, reader_of, require, require_asking
from masar.api.schemas import Body, Names, Record, Ref, names, ref
from masar.core import policy
from masar.core.models import Classification
from masar.core.records import RecordType
from masar.decisions.models import (
    ActionUpdate,
    AgendaItem,
    ClosureStatus,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingKind,
)
from masar.decisions.selectors import DecisionFilters, decision_list, decisions_with_status
from masar.decisions.services import action_update_record
from masar.organizations.models import Organization
from masar.portfolio.models import Project

router = Router(tags=["decisions"])
MEETINGS, DECISIONS, ACTION_UPDATES = RecordType.MEETINGS, RecordType.DECISIONS, RecordType.ACTION_UPDATES


class Paging(Schema):
    updated_since: datetime.datetime | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)
    cursor: str | None = None


# Meetings ---------------------------------------------------------------------------------------


class AgendaItemOut(Schema):
    order: int
    title: Names
    project_id: int | None
    obstacle_id: int | None
    decision_id: int | None

    @staticmethod
    def resolve_title(obj: AgendaItem) -> dict[str, str]:
        return names(obj, "title")


class MeetingOut(Record):
    kind: MeetingKind
    name: Names
    body: Names
    date: datetime.date | None
    place: Names
    summary: Names
    minutes: Names
    owner: Ref
    classification: Classification
    decisions_published: bool
    agenda: list[AgendaItemOut]

    @staticmethod
    def resolve_name(obj: Meeting) -> dict[str, str]:
        return names(obj)

    @staticmethod
    def resolve_body(obj: Meeting) -> dict[str, str]:
        return names(obj, "body")

    @staticmethod
    def resolve_place(obj: Meeting) -> dict[str, str]:
        return names(obj, "place")

    @staticmethod
    def resolve_summary(obj: Meeting) -> dict[str, str]:
        return names(obj, "summary")

    @staticmethod
    def resolve_minutes(obj: Meeting) -> dict[str, str]:
        return names(obj, "minutes")

    @staticmethod
    def resolve_owner(obj: Meeting) -> Any:
        return ref(obj.owner)

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list[AgendaItem]:
        return list(obj.agenda.all())


def _meetings(request: HttpRequest) -> Any:
    """Return the meetings the caller may read with their agenda (the items it may read), in fixed queries."""
    reader = reader_of(request)
    return (
        Meeting.objects.visible_to(reader)
        .select_related("owner")
        .prefetch_related(Prefetch("agenda", queryset=AgendaItem.objects.visible_to(reader).order_by("order")))
    )


class MeetingQuery(Paging):
    organization: int | None = Field(None, description="The convening organization id: its whole subtree")
    kind: MeetingKind | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@router.get("/meetings/", response={200: page_schema(MeetingOut), **ERRORS}, summary="List meetings")
def meeting_index(request: HttpRequest, query: Query[MeetingQuery]) -> Any:
    """Return the meetings the caller may read, with their agenda."""
    require(request, MEETINGS)
    meetings = _meetings(request)
    organization = filter_ref(Organization.objects.all(), query.organization, pointer="query.organization")
    if organization is not None:
        require_asking(request, MEETINGS, organization)
        meetings = meetings.filter(owner__path__startswith=organization.path)
    if query.kind:
        meetings = meetings.filter(kind=query.kind)
    if query.date_from is not None:
        meetings = meetings.filter(date__gte=query.date_from)
    if query.date_to is not None:
        meetings = meetings.filter(date__lte=query.date_to)
    meetings = since(meetings, query.updated_since)
    return paginate(request, meetings, limit=query.limit, cursor=query.cursor, owner_of=lambda m: m.owner_id)


@router.get("/meetings/{meeting_id}/", response={200: MeetingOut, **ERRORS}, summary="Read a meeting")
def meeting_read(request: HttpRequest, meeting_id: int) -> Any:
    require(request, MEETINGS)
    meeting = policy.get_for_reader(_meetings(request), reader_of(request), meeting_id)
    return one(request, meeting, owner_of=lambda m: m.owner_id)


# Decisions --------------------------------------------------------------------------------------


class ActionUpdateOut(Schema):
    id: int
    decision_id: int
    reported_on: datetime.date
    text: str
    created_at: datetime.datetime


class DecisionOut(Record):
    meeting: Ref
    order: int
    text: Names
    responsible: Ref
    due_date: datetime.date | None
    classification: Classification
    status: DecisionStatus = Field(..., description="Computed: done only once the national unit accepted its closure")
    closure: ClosureStatus = Field(..., description="Where its latest request to close it stands")
    project_ids: list[int] = Field(..., description="The projects concerned that the caller may read")
    action_updates: list[ActionUpdateOut]

    @staticmethod
    def resolve_meeting(obj: Decision) -> Any:
        return ref(obj.meeting)

    @staticmethod
    def resolve_text(obj: Decision) -> dict[str, str]:
        return names(obj, "text")

    @staticmethod
    def resolve_responsible(obj: Decision) -> Any:
        return ref(obj.responsible)

    @staticmethod
    def resolve_closure(obj: Decision) -> str:
        return obj.closure_state  # type: ignore[attr-defined]

    @staticmethod
    def resolve_project_ids(obj: Decision) -> list[int]:
        return [project.pk for project in obj.projects.all()]

    @staticmethod
    def resolve_action_updates(obj: Decision) -> list[ActionUpdate]:
        return list(obj.action_updates.all())


def _decisions(request: HttpRequest, decisions: Any) -> Any:
    """Return decisions with what their payload reads, in a fixed number of queries whatever their number."""
    reader = reader_of(request)
    return decisions.select_related("meeting", "responsible").prefetch_related(
        Prefetch("projects", queryset=Project.objects.visible_to(reader).only("pk")),
        Prefetch("action_updates", queryset=ActionUpdate.objects.visible_to(reader).order_by("reported_on", "pk")),
    )


class DecisionQuery(Paging):
    organization: int | None = Field(None, description="The responsible organization id: its whole subtree")
    meeting: int | None = None
    status: DecisionStatus | None = None
    classification: Classification | None = None
    due_before: datetime.date | None = Field(None, description="Due on or before this day")
    due_after: datetime.date | None = Field(None, description="Due on or after this day")


@router.get("/decisions/", response={200: page_schema(DecisionOut), **ERRORS}, summary="List decisions")
def decision_index(request: HttpRequest, query: Query[DecisionQuery]) -> Any:
    """Return the decisions the caller may read with their computed status, filtered as the decisions page."""
    require(request, DECISIONS)
    reader = reader_of(request)
    organization = filter_ref(Organization.objects.all(), query.organization, pointer="query.organization")
    if organization is not None:
        require_asking(request, DECISIONS, organization)
    filters = DecisionFilters(
        status=query.status or "",
        organization=organization,
        meeting=filter_ref(Meeting.objects.visible_to(reader), query.meeting, pointer="query.meeting"),
        classification=query.classification or "",
        due_by=query.due_before,
        due_from=query.due_after,
    )
    decisions = since(decision_list(reader, filters), query.updated_since)
    return paginate(
        request,
        _decisions(request, decisions),
        limit=query.limit,
        cursor=query.cursor,
        owner_of=lambda d: d.responsible_id,
    )


@router.get("/decisions/{decision_id}/", response={200: DecisionOut, **ERRORS}, summary="Read a decision")
def decision_read(request: HttpRequest, decision_id: int) -> Any:
    require(request, DECISIONS)
    reader = reader_of(request)
    decision = policy.get_for_reader(_decisions(request, decisions_with_status(reader)), reader, decision_id)
    return one(request, decision, owner_of=lambda d: d.responsible_id)


class ActionUpdateIn(Body):
    text: str = Field(..., min_length=1, max_length=10_000)
    reported_on: datetime.date | None = Field(None, description="Today when left out")


@router.post(
    "/decisions/{decision_id}/action-updates/",
    response={201: ActionUpdateOut, **ERRORS},
    summary="Report action taken",
)
def action_update_new(request: HttpRequest, decision_id: int, body: ActionUpdateIn) -> Any:
    """Report what the responsible organization did on a decision (closing it is the national unit's step)."""
    require(request, ACTION_UPDATES, write=True)
    decision = parent_for_writing(Decision.objects.select_related("responsible"), request, decision_id)
    action = action_update_record(decision=decision, actor=actor_of(request), **body.model_dump())
    return Status(201, one(request, action, owner_of=lambda a: decision.responsible_id))
