"""Write and verify the tamper-evident audit trail."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from typing import TYPE_CHECKING, cast

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from masar.audit import followers
from masar.audit.models import AuditEntry

if TYPE_CHECKING:
    from typing import Any

    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models import Model

    from masar.accounts.models import User

GENESIS = "0" * 64
# Any fixed number: the advisory lock that serializes appends to the chain on PostgreSQL.
_CHAIN_LOCK = 727_274_001


def serialize_value(value: Any) -> Any:
    """Return value as JSON-ready data that reads the same after a round trip through the database."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return sorted(serialize_value(v) for v in value)
    return value


def snapshot(instance: Model, *, m2m: bool = True) -> dict[str, Any]:
    """Return the instance's editable fields (many-to-many as sorted id lists) as JSON-ready data.

    The fields a model names in `audit_redacted` are recorded by their fingerprint, never their value.
    """
    data = {}
    redacted = getattr(instance, "audit_redacted", ())
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in ("version", "updated_at", "path", "depth", "search_text"):
            continue
        value = serialize_value(field.value_from_object(instance))
        if field.name in redacted and value:
            # A secret the model must keep readable (a webhook signing key) is never copied into the trail:
            # its fingerprint still shows that it changed.
            value = "sha256:" + hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:12]
        data[field.name] = value
    if m2m and instance.pk:
        for field in instance._meta.many_to_many:
            data[field.name] = sorted(obj.pk for obj in field.value_from_object(instance))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [before, after]} for the fields whose value differs."""
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def entry_digest(
    *,
    prev_hash: str,
    created_at: str,
    actor_id: int | None,
    actor_name: str,
    action: str,
    model_label: str,
    object_id: str,
    object_repr: str,
    version: int,
    changes: dict[str, Any],
) -> str:
    payload = json.dumps(
        [prev_hash, created_at, actor_id, actor_name, action, model_label, object_id, object_repr, version, changes],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _digest_of(entry, prev_hash):
    return entry_digest(
        prev_hash=prev_hash,
        created_at=entry.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        actor_id=entry.actor_id,
        actor_name=entry.actor_name,
        action=entry.action,
        model_label=entry.content_type.app_label + "." + entry.content_type.model,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        version=entry.version,
        changes=entry.changes,
    )


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    instance: Model,
    changes: dict[str, Any],
    model: type[Model] | None = None,
    object_id: Any | None = None,
) -> AuditEntry:
    """Append one entry to the trail. Call inside the transaction that makes the change."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    # On SQLite the IMMEDIATE write transaction already holds the database's only write lock.
    last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
    prev_hash = last or GENESIS
    model = model or type(instance)
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=cast("User", actor) if getattr(actor, "pk", None) else None,  # the project's user model
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(object_id if object_id is not None else instance.pk),
        object_repr=str(instance)[:400] if instance is not None else model._meta.verbose_name_plural[:400],
        version=getattr(instance, "version", None),
        changes=json.loads(json.dumps(changes, default=str, ensure_ascii=False)),
        prev_hash=prev_hash,
    )
    entry.hash = _digest_of(entry, prev_hash)
    entry.save()
    if instance is not None:
        followers.changed(instance, action, model, changes)
    return entry


def audit_verify() -> tuple[int, AuditEntry | None]:
    """Walk the chain in order; return (number of entries checked, first bad entry or None)."""
    prev_hash = GENESIS
    checked = 0
    for entry in AuditEntry.objects.select_related("content_type").order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev_hash or entry.hash != _digest_of(entry, prev_hash):
            return checked, entry
        prev_hash = entry.hash
        checked += 1
    return checked, None
