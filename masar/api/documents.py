"""The document library: documents read through the list selector, added (a file or a pasted text,
as multipart/form-data) through the same service as the upload page."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from masar.api.paging import DEFAULT_LIMIT, one, page_schema, paginate, since
from masar.api.problems import ERRORS
from masar.api.references import actor_of, filter_ref, reader_of, require, require_asking
from masar.api.schemas import Record, Ref, ref
from masar.core import policy
from masar.core.models import Classification
from masar.core.records import RecordType
from masar.documents.models import Document, DocumentKind, DocumentLanguage, DocumentVersion, TextStatus
from masar.documents.selectors import DocumentFilters, document_links, document_list, document_versions
from masar.documents.services import DocumentRefused, document_create
from masar.organizations.models import Organization

router = Router(tags=["documents"])
DOCUMENTS = RecordType.DOCUMENTS


class VersionOut(Schema):
    number: int
    original_name: str = Field(..., description="Empty for a pasted text")
    content_type: str
    size: int
    sha256: str
    text_status: TextStatus
    page_count: int | None
    uploaded_at: datetime.datetime


class DocumentOut(Record):
    title: str
    kind: DocumentKind
    date: datetime.date | None
    organization: Ref = Field(..., description="The issuing organization")
    language: DocumentLanguage
    classification: Classification
    text_status: TextStatus
    url: str = Field(..., description="The document's page (its original is downloaded from there by its readers)")


class DocumentLinksOut(Schema):
    organization_ids: list[int]
    strategy_ids: list[int]
    project_ids: list[int]
    meeting_ids: list[int]
    decision_ids: list[int]


class DocumentDetailOut(DocumentOut):
    text: str = Field(..., description="The current version's text (extracted from the file, or pasted)")
    versions: list[VersionOut]
    links: DocumentLinksOut = Field(..., description="The records it concerns that the caller may read")


class DocumentCreated(DocumentOut):
    warning: str | None = Field(None, description="Said when the file is kept without searchable text (a scan)")


def _payload(request: HttpRequest, document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "version": document.version,
        "updated_at": document.updated_at,
        "title": document.title,
        "kind": document.kind,
        "date": document.date,
        "organization": ref(document.organization),
        "language": document.language,
        "classification": document.classification,
        "text_status": document.text_status,
        "url": request.build_absolute_uri(reverse("documents-document-detail", args=[document.pk])),
    }


def _detail(request: HttpRequest, document: Document) -> dict[str, Any]:
    reader = reader_of(request)
    links = document_links(reader, document)
    versions: list[DocumentVersion] = list(document_versions(reader, document))
    return {
        **_payload(request, document),
        "text": document.text,
        "versions": versions,
        "links": {
            "organization_ids": [o.pk for o in links.organizations],
            "strategy_ids": [o.pk for o in links.strategies],
            "project_ids": [o.pk for o in links.projects],
            "meeting_ids": [o.pk for o in links.meetings],
            "decision_ids": [o.pk for o in links.decisions],
        },
    }


class DocumentIn(Schema):
    title: str = Field(..., min_length=1, max_length=500)
    kind: DocumentKind = DocumentKind.OTHER
    classification: str = Field(
        Classification.RESTRICTED, max_length=32, description="public, restricted or confidential (secret is refused)"
    )
    organization: str | None = Field(
        None, max_length=40, description="The issuing organization's code (the caller's own when left out)"
    )
    date: datetime.date | None = None
    language: DocumentLanguage = DocumentLanguage.ARABIC
    text: str = Field("", description="The document's text, when no file is sent (PDF, DOCX, TXT or HTML)")


class DocumentQuery(Schema):
    updated_since: datetime.datetime | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)
    cursor: str | None = None
    organization: int | None = Field(None, description="The issuing organization id: its whole subtree")
    kind: DocumentKind | None = None
    language: DocumentLanguage | None = None


@router.get("/documents/", response={200: page_schema(DocumentOut), **ERRORS}, summary="List documents")
def document_index(request: HttpRequest, query: Query[DocumentQuery]) -> Any:
    """Return the documents the caller may read (without their text: read a document for it)."""
    require(request, DOCUMENTS)
    organization = filter_ref(Organization.objects.all(), query.organization, pointer="query.organization")
    if organization is not None:
        require_asking(request, DOCUMENTS, organization)
    filters = DocumentFilters(kind=query.kind or "", organization=organization, language=query.language or "")
    documents = since(document_list(reader_of(request), filters), query.updated_since)
    return paginate(
        request,
        documents,
        limit=query.limit,
        cursor=query.cursor,
        render=lambda d: _payload(request, d),
        owner_of=lambda d: d.organization_id,
    )


@router.get("/documents/{document_id}/", response={200: DocumentDetailOut, **ERRORS}, summary="Read a document")
def document_read(request: HttpRequest, document_id: int) -> Any:
    """Return a document with its current text, its versions and the records it concerns."""
    require(request, DOCUMENTS)
    reader = reader_of(request)
    document = policy.get_for_reader(Document.objects.select_related("organization"), reader, document_id)
    return one(request, document, owner_of=lambda d: d.organization_id, render=lambda d: _detail(request, d))


@router.post("/documents/", response={201: DocumentCreated, **ERRORS}, summary="Add a document")
def document_new(
    request: HttpRequest,
    form: Form[DocumentIn],
    file: File[UploadedFile | None] = None,
) -> Any:
    """Add a document as multipart/form-data: a file (its text is read from it) or the pasted text, with its details.

    Refused with a problem naming the field: a file of another kind than its name says, encrypted,
    damaged, too large, a zip bomb; a PDF without a text layer is kept and said so (`warning`).
    """
    require(request, DOCUMENTS, write=True)
    issuer = None
    if form.organization:
        issuer = Organization.objects.filter(code=form.organization).first()
        if issuer is None:
            raise DocumentRefused(gettext("There is no organization with this code."), field="organization")
    document, content = document_create(
        actor=actor_of(request),
        title=form.title,
        kind=form.kind,
        classification=form.classification,
        organization=issuer,
        date=form.date,
        language=form.language,
        text=form.text,
        upload=file,
    )
    note = content.warning
    return Status(
        201,
        one(
            request,
            document,
            owner_of=lambda d: d.organization_id,
            render=lambda d: {**_payload(request, d), "warning": str(note) if note else None},
        ),
    )
