"""Add documents and their versions: the file's kind checked from its bytes, its size capped before
it is read, its text extracted, the original kept under a random name; every write audited."""

from __future__ import annotations

import datetime
import hashlib
import os
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from masar.core import policy
from masar.core.errors import Invalid
from masar.core.models import validate_classification
from masar.core.services import model_create, model_update
from masar.documents import extract
from masar.documents.models import Document, DocumentKind, DocumentLanguage, DocumentVersion, TextStatus

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from masar.accounts.models import User
    from masar.organizations.models import Organization

ACCEPTED = _("PDF, Word (DOCX), plain text (TXT) or HTML")
LINKS = ("organizations", "strategies", "projects", "meetings", "decisions")

REASONS = {
    extract.Reason.UNKNOWN_CONTENT: _(
        "The content of “%(name)s” is not a kind Masar accepts for documents (%(accepted)s): it was refused."
    ),
    extract.Reason.NAME_MISMATCH: _(
        "The name of “%(name)s” does not match its content: a file named %(extension)s must hold that kind."
    ),
    extract.Reason.ENCRYPTED: _("“%(name)s” is encrypted with a password: remove the password and upload it again."),
    extract.Reason.CORRUPT: _("“%(name)s” is damaged and cannot be read: nothing was saved."),
    extract.Reason.ZIP_BOMB: _(
        "“%(name)s” would unpack to far more than a Word document holds (a zip bomb?): it was refused."
    ),
    extract.Reason.TOO_MANY_PAGES: _("“%(name)s” has too many pages to be read: split it and upload the parts."),
}
NO_TEXT_LAYER = _(
    "This PDF has no text layer (a scan?): it is kept, but its text cannot be searched; "
    "paste the text or upload a PDF with text."
)


class DocumentRefused(Invalid):
    """The file or text is not accepted; the message says why, beside the field it concerns."""

    def __init__(self, message: Any, field: str = "file") -> None:
        super().__init__(errors=[(field, message)], message=message)


def max_bytes() -> int:
    """Return the largest document accepted, in bytes (setting DOCUMENT_MAX_BYTES, 25 MB by default)."""
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", 25 * 1024 * 1024))


@dataclass(frozen=True)
class Content:
    """What one version holds: the original bytes (None for pasted text) and the text read from it."""

    data: bytes | None
    name: str
    content_type: str
    text: str
    text_status: str
    page_count: int | None
    size: int
    sha256: str

    @property
    def warning(self) -> Any:
        """Return what the person is told about a file kept without text (None otherwise)."""
        return NO_TEXT_LAYER if self.text_status == TextStatus.NO_TEXT_LAYER else None


def document_read_upload(*, upload: UploadedFile | None, text: str = "", language: str = "ar") -> Content:
    """Return the content of exactly one of an upload or a pasted text; refuse what cannot be taken.

    The size is judged from the upload's declared size before a byte is read (a 200 MB file is
    refused without being loaded); the kind from the bytes, never the name.
    """
    text = (text or "").strip()
    if upload is not None and text:
        raise DocumentRefused(_("Upload a file or paste its text, not both."))
    if upload is None:
        if not text:
            raise DocumentRefused(_("Upload a file or paste the document's text."))
        if "\x00" in text:
            raise DocumentRefused(_("The text holds NUL characters, which no record can keep."), field="text")
        text = extract.normalize(text)
        encoded = text.encode("utf-8")
        return Content(
            data=None,
            name="",
            content_type=extract.TXT.content_type,
            text=text,
            text_status=TextStatus.PASTED,
            page_count=None,
            size=len(encoded),
            sha256=hashlib.sha256(encoded).hexdigest(),
        )
    name = os.path.basename(upload.name or "")
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise DocumentRefused(
            _("“%(name)s” is too large: documents are limited to %(limit)s MB.")
            % {"name": name, "limit": round(limit / (1024 * 1024), 1)}
        )
    if upload.size == 0:
        raise DocumentRefused(_("“%(name)s” is empty.") % {"name": name})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # the declared size was wrong
        raise DocumentRefused(
            _("“%(name)s” is too large: documents are limited to %(limit)s MB.")
            % {"name": name, "limit": round(limit / (1024 * 1024), 1)}
        )
    try:
        found = extract.extract(data, name, language=language)
    except extract.Refusal as refusal:
        raise DocumentRefused(
            REASONS[refusal.reason]
            % {"name": name, "accepted": ACCEPTED, "extension": os.path.splitext(name)[1] or "—"}
        ) from None
    return Content(
        data=data,
        name=name[:255],
        content_type=found.kind.content_type,
        text=found.text,
        text_status=TextStatus.EXTRACTED if found.has_text else TextStatus.NO_TEXT_LAYER,
        page_count=found.page_count,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _actor_or_none(actor: User | None) -> User | None:
    return actor if actor is not None and actor.pk else None


def _check_links(actor: User | None, links: dict[str, Any]) -> dict[str, list[Any]]:
    """Return the links as lists, refusing a record the actor may not read (a link is no way to reveal it)."""
    checked: dict[str, list[Any]] = {}
    for name, records in links.items():
        records = list(records or ())
        if name not in LINKS:
            raise ValueError(name)
        model = Document._meta.get_field(name).related_model
        manager = model._default_manager  # type: ignore[union-attr]
        ids = [record.pk for record in records]
        if name != "organizations" and manager.visible_to(actor).filter(pk__in=ids).count() != len(set(ids)):
            raise Invalid(errors=[(name, gettext("This choice is unknown or not visible to you."))])
        checked[name] = records
    return checked


def _save_version(*, actor: User | None, document: Document, content: Content) -> DocumentVersion:
    """Keep the original under a random name and record the version (audited), its number the next one."""
    stored = ""
    if content.data is not None:
        stored = default_storage.save(f"documents/{uuid.uuid4().hex}", ContentFile(content.data))
    try:
        last = document.versions.aggregate(last=Max("number"))["last"] or 0
        return model_create(
            model=DocumentVersion,
            actor=actor,
            data={
                "document": document,
                "number": last + 1,
                "file": stored,
                "original_name": content.name,
                "content_type": content.content_type,
                "size": content.size,
                "sha256": content.sha256,
                "text": content.text,
                "text_status": content.text_status,
                "page_count": content.page_count,
                "uploaded_by": _actor_or_none(actor),
            },
        )
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise


@transaction.atomic
def document_create(
    *,
    actor: User | None,
    title: str,
    kind: str,
    classification: str,
    organization: Organization | None = None,
    date: datetime.date | None = None,
    language: str = DocumentLanguage.ARABIC,
    text: str = "",
    upload: UploadedFile | None = None,
    source: str = "",
    **links: Any,
) -> tuple[Document, Content]:
    """Add a document with its first version (a file or a pasted text) and its links; audit both.

    The issuing organization is the actor's own unless named. Refused (PermissionDenied) unless the
    policy lets the actor add a document there at that classification (`may_add_document`).
    """
    validate_classification(classification)  # secret material is refused before anything is read
    if organization is None and actor is not None:
        organization = getattr(actor, "organization", None) or getattr(
            getattr(actor, "api_client", None), "organization", None
        )
    if not policy.may_add_document(actor, organization, classification):
        raise PermissionDenied(gettext("You may not add a document for this organization at this classification."))
    checked = _check_links(actor, links)
    content = document_read_upload(upload=upload, text=text, language=language)
    document = model_create(
        model=Document,
        actor=actor,
        data={
            "title": (title or "").strip(),
            "kind": kind or DocumentKind.OTHER,
            "classification": classification,
            "organization": organization,
            "date": date,
            "language": language,
            "text": content.text,
            "text_status": content.text_status,
            "source": source,
            **checked,
        },
    )
    _save_version(actor=actor, document=document, content=content)
    return document, content


@transaction.atomic
def document_add_version(
    *,
    actor: User | None,
    document: Document,
    expected_version: int | None,
    upload: UploadedFile | None = None,
    text: str = "",
) -> tuple[Document, Content]:
    """Add a new version (file or pasted text): the older ones are kept; the document's text becomes the new one's."""
    if not policy.may_change_document(actor, document):
        raise PermissionDenied(gettext("You may not change this document."))
    content = document_read_upload(upload=upload, text=text, language=document.language)
    document = model_update(
        instance=document,
        actor=actor,
        data={"text": content.text, "text_status": content.text_status},
        expected_version=expected_version,
    )
    _save_version(actor=actor, document=document, content=content)
    return document, content


@transaction.atomic
def document_update(
    *,
    actor: User | None,
    document: Document,
    expected_version: int | None,
    **changes: Any,
) -> Document:
    """Change a document's details and links unless it changed since expected_version; audit what moved.

    The text is not a detail: it changes with a new version (`document_add_version`).
    """
    allowed = {"title", "kind", "date", "language", "classification", *LINKS}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(sorted(unknown))
    if not policy.may_change_document(actor, document):
        raise PermissionDenied(gettext("You may not change this document."))
    if "classification" in changes:
        validate_classification(changes["classification"])
        policy.check_classification(actor, document, changes["classification"])
        if not policy.may_add_document(actor, document.organization, changes["classification"]):
            raise PermissionDenied(gettext("You may not give this document that classification."))
    links = _check_links(actor, {name: changes.pop(name) for name in LINKS if name in changes})
    return model_update(instance=document, actor=actor, data={**changes, **links}, expected_version=expected_version)
