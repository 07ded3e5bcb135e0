"""Attach evidence to a record: the file's kind is checked from its bytes, its size capped, the upload audited."""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from masar.attachments import content
from masar.attachments.models import Attachment
from masar.core import zips
from masar.core.errors import Invalid, Locked
from masar.core.policy import may_attach
from masar.core.services import model_create

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import Model

    from masar.accounts.models import User

ACCEPTED = _("PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument text or spreadsheet")


class AttachmentRefused(Invalid):
    """The file is not accepted: unknown content, a name that disagrees with the content, or too large."""

    def __init__(self, message):
        super().__init__(errors=[("file", message)], message=message)


def max_bytes() -> int:
    """Return the largest file accepted, in bytes (setting ATTACHMENT_MAX_BYTES, 10 MB by default)."""
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def attachment_check(upload: UploadedFile) -> content.FileKind:
    """Return the kind of an uploaded file, or refuse it: too large, empty, unknown content, or misnamed."""
    name = os.path.basename(upload.name or "")
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise AttachmentRefused(
            _("“%(name)s” is too large: attachments are limited to %(limit)s MB.")
            % {"name": name, "limit": round(limit / (1024 * 1024), 1)}
        )
    if upload.size == 0:
        raise AttachmentRefused(_("“%(name)s” is empty.") % {"name": name})
    found = content.detect(upload)
    if found is None:
        raise AttachmentRefused(
            _("The content of “%(name)s” is not a kind Masar accepts (%(accepted)s): it was refused.")
            % {"name": name, "accepted": ACCEPTED}
        )
    if content.kind_for_name(name) != found:
        raise AttachmentRefused(
            _("The name of “%(name)s” does not match its content: a file named %(extension)s must hold that kind.")
            % {"name": name, "extension": os.path.splitext(name)[1] or "—"}
        )
    if found in content.ZIPPED:
        _check_unpacked(upload, name)
    return found


def _check_unpacked(upload: UploadedFile, name: str) -> None:
    """Refuse an office file that would unpack to far more than any document (whoever opens it pays)."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        zips.check_zip(data, zips.ZipLimits.from_settings(), scan_xml=False)
    except zips.ZipRefused:
        raise AttachmentRefused(
            _("“%(name)s” would unpack to far more than an office document holds (a zip bomb?): it was refused.")
            % {"name": name}
        ) from None


def record_field(record: Model) -> str:
    from masar.decisions.models import ActionUpdate
    from masar.delivery.models import Obstacle, ProgressUpdate

    fields = {ProgressUpdate: "update", Obstacle: "obstacle", ActionUpdate: "action_update"}
    try:
        return fields[type(record)]
    except KeyError:
        raise PermissionDenied from None


def _store(upload: UploadedFile) -> tuple[str, str]:
    """Keep the file under a random name; return (stored name, sha256)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored = default_storage.save(f"attachments/{uuid.uuid4().hex}", upload)
    return stored, digest.hexdigest()


@transaction.atomic
def attachment_add(*, record: Model, actor: User | None, upload: UploadedFile) -> Attachment:
    """Attach a file to a progress update, an obstacle or an action-taken report; audit it.

    Refused when the actor may not change the record, when an update is approved (its period is
    locked), or when the file's content is not accepted (`attachment_check`).
    """
    field = record_field(record)
    if not may_attach(actor, record):
        raise PermissionDenied
    if getattr(record, "is_locked", False):
        raise Locked()
    kind = attachment_check(upload)
    stored, sha256 = _store(upload)
    try:
        return model_create(
            model=Attachment,
            actor=actor,
            data={
                field: record,
                "file": stored,
                "original_name": os.path.basename(upload.name or "")[:255],
                "content_type": kind.content_type,
                "size": upload.size,
                "sha256": sha256,
                "uploaded_by": actor if actor is not None and actor.pk else None,
            },
        )
    except Exception:
        default_storage.delete(stored)
        raise
