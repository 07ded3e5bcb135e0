"""Reads of the public portal beyond the catalogue's own selectors: its figures, its entry points, what a service
page shows of documents and fees, the tracking of a request, and what the government is delivering.

Each read takes the reader (the portal passes `Reader.public()`); the rules stay in the catalogue's selectors
and the policy, which these only combine for a page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, OuterRef, QuerySet, Subquery

from masar.catalogue.models import (
    DigitizationLevel,
    Feedback,
    LifeEvent,
    RequiredDocument,
    Service,
    ServiceCategory,
    ServiceProject,
)
from masar.catalogue.selectors import (
    Digitization,
    digitization_by_owner,
    feedback_tracked,
    latest_usage_month,
    service_documents,
    service_list,
)
from masar.core.selectors import paginate
from masar.delivery.models import ProgressUpdate
from masar.organizations.models import Organization, OrganizationKind
from masar.portfolio.models import Project

# A required document another administration holds is fetched from it, not asked for, once the service is
# proactive / once-only: below that level it is only an opportunity, and the citizen still brings it.
FETCHED_FROM_LEVEL = DigitizationLevel.PROACTIVE


def ministries() -> QuerySet[Organization]:
    """Return the ministries and sectors, the organizations the public looks services up by, in tree order."""
    return Organization.objects.filter(kind=OrganizationKind.MINISTRY).only(
        "pk", "path", "name_ar", "name_fr", "name_en"
    )


def totals_by_government(reader: Any) -> list[Digitization]:
    """Return, for each government (a root of the organization tree) with services this reader may read, the
    figures of its services: by level, the latest month's transactions (all and online) and the ratings.

    One government at a time, as the dashboards show them: no figure adds up two countries.
    """
    month = latest_usage_month(reader)
    roots = Organization.objects.filter(parent__isnull=True).order_by("order", "code")
    roots = roots.only("pk", "path", "name_ar", "name_fr", "name_en")
    return [part for part in digitization_by_owner(reader, roots=roots, month=month) if part.services]


def digitization_by_ministry(reader: Any) -> list[Digitization]:
    """Return the digitization figures of each ministry that has services this reader may read (latest month)."""
    month = latest_usage_month(reader)
    return [part for part in digitization_by_owner(reader, roots=ministries(), month=month) if part.services]


@dataclass(frozen=True)
class EntryPoint:
    """A life event or a category with how many services this reader may read answer it."""

    record: Any
    count: int


def _entry_points(reader: Any, model: type[LifeEvent] | type[ServiceCategory], key: str) -> list[EntryPoint]:
    counts = dict(
        service_list(reader).order_by().filter(**{f"{key}__isnull": False}).values_list(key).annotate(n=Count("pk"))
    )
    return [EntryPoint(record, counts[record.pk]) for record in model.objects.filter(pk__in=counts)]


def life_events(reader: Any) -> list[EntryPoint]:
    """Return the life events that services this reader may read answer, in their order, with their counts."""
    return _entry_points(reader, LifeEvent, "life_event")


def categories(reader: Any) -> list[EntryPoint]:
    """Return the categories of the services this reader may read, in their order, with their counts."""
    return _entry_points(reader, ServiceCategory, "category")


@dataclass(frozen=True)
class DocumentRow:
    """A required document as the public reads it: whether another administration holds it, and whether the
    service then fetches it (the citizen need not bring it) or could (a once-only opportunity)."""

    document: RequiredDocument
    held_elsewhere: bool
    fetched: bool

    @property
    def opportunity(self) -> bool:
        return self.held_elsewhere and not self.fetched


def document_rows(service: Service) -> list[DocumentRow]:
    """Return a service's required documents in order, each saying what the citizen must bring."""
    rows = []
    for document in service_documents(service):
        held = document.is_once_only_opportunity
        rows.append(DocumentRow(document, held, held and service.level >= FETCHED_FROM_LEVEL))
    return rows


class FeeKind(enum.Enum):
    FREE = "free"
    AMOUNT = "amount"
    NOT_STATED = "not_stated"


@dataclass(frozen=True)
class Fee:
    """What a service costs as the public reads it: free, an amount (with its currency when known), or not stated."""

    kind: FeeKind
    amount: Decimal | None = None
    currency: str = ""
    note: str = ""

    @property
    def is_free(self) -> bool:
        return self.kind == FeeKind.FREE

    @property
    def is_stated(self) -> bool:
        return self.kind != FeeKind.NOT_STATED


def service_fee(service: Service) -> Fee:
    """Return the fee of a service: a zero fee is free; no fee recorded is not stated (never shown as free)."""
    note = service.fee_note
    if service.fee is None:
        return Fee(FeeKind.NOT_STATED, note=note)
    if service.fee == 0:
        return Fee(FeeKind.FREE, note=note)
    return Fee(FeeKind.AMOUNT, amount=service.fee, currency=service.fee_currency, note=note)


@dataclass(frozen=True)
class TrackedRequest:
    """A complaint or a suggestion as the citizen holding its number reads it; `service` is None once the service
    is no longer public (its name is then not shown)."""

    feedback: Feedback
    service: Service | None


def request_tracked(reader: Any, number: str) -> TrackedRequest | None:
    """Return the request a tracking number names, with its service when this reader may read it, or None."""
    feedback = feedback_tracked(number)
    if feedback is None:
        return None
    shown = Service.objects.visible_to(reader).filter(pk=feedback.service_id).exists()
    return TrackedRequest(feedback, feedback.service if shown else None)


@dataclass
class DeliveringProject:
    """A project that digitizes services, with the latest progress this reader may read and its links."""

    project: Project
    percent_complete: Decimal | None
    health: Any = None  # the project's computed rating, None before its first computation
    links: list[ServiceProject] = field(default_factory=list)


def delivering_page(reader: Any, page_number: Any, per_page: int = 20) -> Page[DeliveringProject]:
    """Return a page of the projects this reader may read that digitize services it may read, by owner and code,
    each with its latest progress update this reader may read and the services it digitizes. Three queries."""
    links = ServiceProject.objects.visible_to(reader)
    latest = (
        ProgressUpdate.objects.visible_to(reader)
        .filter(project=OuterRef("pk"))
        .order_by("-period")
        .values("percent_complete")[:1]
    )
    projects = (
        Project.objects.visible_to(reader)
        .filter(pk__in=links.values("project"))
        .select_related("owner", "health")
        .annotate(published_percent=Subquery(latest))
        .order_by("owner__path", "code")
    )
    page = paginate(projects, page_number, per_page)
    rows = {p.pk: DeliveringProject(p, p.published_percent, getattr(p, "health", None)) for p in page.object_list}
    for link in links.filter(project__in=list(rows)).select_related("service").order_by("target_date", "service__code"):
        rows[link.project_id].links.append(link)
    page.object_list = list(rows.values())
    return page
