"""Reads of attachments: always through the policy, like every other record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from masar.attachments.models import Attachment
from masar.attachments.services import max_bytes, record_field
from masar.core.policy import may_attach

if TYPE_CHECKING:
    from typing import Any

    from django.db.models import Model, QuerySet

UPLOAD_KINDS = {"update": "update", "obstacle": "obstacle"}  # record field -> upload URL kind


def attachment_list(reader: Any, record: Model) -> QuerySet[Attachment]:
    """Return the attachments of a record that this reader may read (all of them, or none)."""
    return Attachment.objects.visible_to(reader).filter(**{record_field(record): record})


@dataclass(frozen=True)
class AttachmentPanel:
    """What a record's page shows of its attachments, and whether it offers an upload."""

    kind: str
    record: Any
    attachments: list[Attachment]
    can_attach: bool
    limit_mb: float


def attachment_panel(reader: Any, record: Model) -> AttachmentPanel:
    """Return the attachments this reader reads on a record's page and whether they may add one."""
    field = record_field(record)
    return AttachmentPanel(
        kind=UPLOAD_KINDS.get(field, ""),
        record=record,
        attachments=list(attachment_list(reader, record)),
        can_attach=may_attach(reader, record) and not getattr(record, "is_locked", False),
        limit_mb=round(max_bytes() / (1024 * 1024), 1),
    )
