"""Reads of the document library: always through the policy, like every other record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from masar.core import policy
from masar.decisions.models import Decision, Meeting
from masar.documents.models import Document, DocumentVersion
from masar.organizations.models import Organization
from masar.portfolio.models import Project
from masar.strategy.models import Strategy

if TYPE_CHECKING:
    from django.db.models import QuerySet


@dataclass(frozen=True)
class DocumentFilters:
    """What narrows the document list; every field left empty narrows nothing."""

    kind: str = ""  # a DocumentKind value
    organization: Organization | None = None  # the issuing organization's subtree
    language: str = ""

    def query(self) -> dict[str, Any]:
        """Return the list's address parameters that give these filters back."""
        params: dict[str, Any] = {}
        for name in ("kind", "organization", "language"):
            value = getattr(self, name)
            if value:
                params[name] = getattr(value, "pk", value)
        return params


def document_list(reader: Any, filters: DocumentFilters | None = None) -> QuerySet[Document]:
    """Return the documents this reader may read, narrowed by filters, latest first."""
    filters = filters or DocumentFilters()
    documents = Document.objects.visible_to(reader).select_related("organization")
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.organization is not None:
        documents = documents.filter(organization__path__startswith=filters.organization.path)
    if filters.language:
        documents = documents.filter(language=filters.language)
    return documents.order_by("-date", "-pk")


def document_versions(reader: Any, document: Document) -> QuerySet[DocumentVersion]:
    """Return the versions of a document this reader reads (all of them with the document), latest first."""
    return (
        DocumentVersion.objects.visible_to(reader)
        .filter(document=document)
        .select_related("uploaded_by")
        .order_by("-number")
    )


@dataclass(frozen=True)
class DocumentLinks:
    """The records a document concerns, only those this reader may read."""

    organizations: list[Organization]
    strategies: list[Strategy]
    projects: list[Project]
    meetings: list[Meeting]
    decisions: list[Decision]

    def __bool__(self) -> bool:
        return any((self.organizations, self.strategies, self.projects, self.meetings, self.decisions))


def document_links(reader: Any, document: Document) -> DocumentLinks:
    """Return the records a document concerns that this reader may read (the others are not named)."""
    return DocumentLinks(
        organizations=list(document.organizations.all()),
        strategies=list(Strategy.objects.visible_to(reader).filter(documents=document)),
        projects=list(Project.objects.visible_to(reader).filter(documents=document)),
        meetings=list(Meeting.objects.visible_to(reader).filter(documents=document)),
        decisions=list(Decision.objects.visible_to(reader).filter(documents=document).select_related("meeting")),
    )


def linkable(reader: Any) -> dict[str, QuerySet[Any]]:
    """Return the records this reader may link a document to: those they may read."""
    return {
        "organizations": Organization.objects.all(),
        "strategies": Strategy.objects.visible_to(reader),
        "projects": Project.objects.visible_to(reader),
        "meetings": Meeting.objects.visible_to(reader),
        "decisions": Decision.objects.visible_to(reader).select_related("meeting"),
    }


def addable_organizations(reader: Any) -> QuerySet[Organization]:
    """Return the organizations under which this reader may add a document (at least a public one)."""
    from masar.core.models import Classification

    ids = [
        organization.pk
        for organization in Organization.objects.all()
        if policy.may_add_document(reader, organization, Classification.PUBLIC)
    ]
    return Organization.objects.filter(pk__in=ids)


def document_holding(reader: Any, text: str) -> Document | None:
    """Return a document the reader may read whose current text is text (spacing and line ends aside), or None:
    the library keeps one copy of an official text, however often it is pasted."""
    words = text.split()
    if not words:
        return None
    opening = " ".join(words[:6])
    candidates = Document.objects.visible_to(reader).filter(text__contains=words[0]).order_by("pk")
    for document in candidates.only("pk", "text"):
        if " ".join(document.text.split()[:6]) == opening and document.text.split() == words:
            return Document.objects.get(pk=document.pk)
    return None
