"""One representation of a service, typed and in the reader's language: the API reads it, the portal and the owners'
pages may too.

`with_representation(services)` loads what a list of them reads in a fixed number of queries; `service_view`
builds one service's view as a reader reads it. Documents and the projects that digitize the service are in the
view only when asked for (`detail=True`, one service): the projects are those the reader may read
(`selectors.service_projects`), so a link never shows a project its reader may not see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from masar.catalogue.models import (
    FULLY_ONLINE_LEVEL,
    Audience,
    Channel,
    DigitizationLevel,
    RequiredDocument,
    Service,
    ServiceProject,
)
from masar.catalogue.selectors import service_documents, service_projects
from masar.core.models import Classification, localized

LANGUAGES = ("ar", "fr", "en")


@dataclass(frozen=True)
class Texts:
    """A text in the three languages, and as the reader reads it (their language, else Arabic)."""

    ar: str
    fr: str
    en: str
    text: str


def texts(obj: Any, field: str = "name") -> Texts:
    """Return obj's field in the three languages and in the active one."""
    values = {language: getattr(obj, f"{field}_{language}", "") or "" for language in LANGUAGES}
    return Texts(**values, text=localized(obj, field) or "")


@dataclass(frozen=True)
class Choice:
    """A value of an enumeration: its code, kept, and its label in the reader's language, shown."""

    code: str
    label: str


def choice(enum: Any, code: Any) -> Choice:
    labels = dict(enum.choices)
    return Choice(code=str(code), label=str(labels.get(code, code)))


@dataclass(frozen=True)
class Level:
    """A digitization level (0–5) and its label in the reader's language."""

    value: int
    label: str


def level(value: int) -> Level:
    return Level(value=int(value), label=str(dict(DigitizationLevel.choices).get(value, value)))


@dataclass(frozen=True)
class RecordRef:
    """A record a service points to: its id, its code and its name."""

    id: int
    code: str
    name: Texts


def record_ref(obj: Any) -> RecordRef | None:
    if obj is None:
        return None
    return RecordRef(id=obj.pk, code=getattr(obj, "code", "") or "", name=texts(obj))


@dataclass(frozen=True)
class DocumentView:
    """A required document, and the administration that already holds it (a once-only opportunity)."""

    order: int
    name: Texts
    held_by: RecordRef | None
    once_only: bool


@dataclass(frozen=True)
class ProjectLinkView:
    """A project that digitizes the service, with the level it aims at and by when."""

    project: RecordRef
    target_level: Level
    target_date: datetime.date | None


@dataclass(frozen=True)
class ServiceView:
    id: int
    code: str
    version: int
    updated_at: datetime.datetime
    name: Texts
    description: Texts
    owner: RecordRef
    classification: Choice
    audiences: tuple[Choice, ...]
    channels: tuple[Choice, ...]
    life_event: RecordRef | None
    category: RecordRef | None
    level: Level
    online: bool  # at level 3 or more: processed and paid online
    fully_online: bool  # at level 4 or more
    steps: Texts
    fee: Decimal | None
    fee_currency: str
    fee_note: Texts
    processing_days: int | None
    legal_basis: Texts
    online_url: str
    rating_average: float | None
    rating_count: int
    is_sample: bool
    documents: tuple[DocumentView, ...] | None = None  # None: not read (a list's rows)
    projects: tuple[ProjectLinkView, ...] | None = None


def with_representation(services: QuerySet[Service]) -> QuerySet[Service]:
    """Return services with what their view reads (owner, life event, category): no query per row."""
    return services.select_related("owner", "life_event", "category")


def document_view(document: RequiredDocument) -> DocumentView:
    return DocumentView(
        order=document.order,
        name=texts(document),
        held_by=record_ref(document.held_by),
        once_only=document.is_once_only_opportunity,
    )


def project_link_view(link: ServiceProject) -> ProjectLinkView:
    return ProjectLinkView(
        project=record_ref(link.project),  # type: ignore[arg-type]
        target_level=level(link.target_level),
        target_date=link.target_date,
    )


def service_view(service: Service, reader: Any, *, detail: bool = False) -> ServiceView:
    """Return a service as this reader reads it, in the active language; with its documents and the projects the
    reader may read when detail (two queries more)."""
    documents = projects = None
    if detail:
        documents = tuple(document_view(document) for document in service_documents(service))
        projects = tuple(project_link_view(link) for link in service_projects(reader, service))
    return ServiceView(
        id=service.pk,
        code=service.code,
        version=service.version,
        updated_at=service.updated_at,
        name=texts(service),
        description=texts(service, "description"),
        owner=record_ref(service.owner),  # type: ignore[arg-type]
        classification=choice(Classification, service.classification),
        audiences=tuple(choice(Audience, code) for code in service.audience_list),
        channels=tuple(choice(Channel, code) for code in service.channel_list),
        life_event=record_ref(service.life_event),
        category=record_ref(service.category),
        level=level(service.level),
        online=service.is_online,
        fully_online=service.level >= FULLY_ONLINE_LEVEL,
        steps=texts(service, "steps"),
        fee=service.fee,
        fee_currency=service.fee_currency,
        fee_note=texts(service, "fee_note"),
        processing_days=service.processing_days,
        legal_basis=texts(service, "legal_basis"),
        online_url=service.online_url,
        rating_average=service.rating_average,
        rating_count=service.rating_count,
        is_sample=service.is_sample,
        documents=documents,
        projects=projects,
    )
