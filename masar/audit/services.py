"""Write and verify the tamper-evident audit trail."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import hmac
import json
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from masar.audit import followers
from masar.audit.chain import GENESIS, Report, chain_verify, entry_sign
from masar.audit.models import AuditEntry
from masar.core.context import current_request_id

if TYPE_CHECKING:
    from typing import Any

    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models import Model

    from masar.accounts.models import User

# Any fixed number: the advisory lock that serializes appends to the chain on PostgreSQL.
_CHAIN_LOCK = 727_274_001


def serialize_value(value: Any) -> Any:
    """Return value as JSON-ready data that reads the same after a round trip through the database."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # One instant, one text: a value from a form (local time) equals the same value read back (UTC).
        return value.astimezone(datetime.UTC).isoformat()
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
            # Keyed, so that a short value (a phone number) cannot be found back by trying every candidate.
            key = settings.SECRET_KEY.encode("utf-8")
            value = "hmac-sha256:" + hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()[:12]
        data[field.name] = value
    if m2m and instance.pk:
        for field in instance._meta.many_to_many:
            data[field.name] = sorted(obj.pk for obj in field.value_from_object(instance))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [before, after]} for the fields whose value differs."""
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    instance: Model,
    changes: dict[str, Any],
    model: type[Model] | None = None,
    object_id: Any | None = None,
) -> AuditEntry:
    """Append one entry to the trail. Call inside the transaction that makes the change.

    The entry's number is the last one's plus one, taken under the chain's lock: a transaction rolled back
    leaves no hole in the numbers (database ids may skip), so a missing number always means a removed entry.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    # On SQLite the IMMEDIATE write transaction already holds the database's only write lock.
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    model = model or type(instance)
    actor_pk = getattr(actor, "pk", None)
    content_type = ContentType.objects.get_for_model(model)
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=cast("User", actor) if actor_pk else None,  # the project's user model
        actor_ref=actor_pk or None,
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        content_type=content_type,
        model_label=f"{content_type.app_label}.{content_type.model}",
        object_id=str(object_id if object_id is not None else instance.pk),
        object_repr=str(instance)[:400] if instance is not None else model._meta.verbose_name_plural[:400],
        version=getattr(instance, "version", None),
        changes=json.loads(json.dumps(changes, default=str, ensure_ascii=False)),
        request_id=current_request_id()[:64],
    )
    entry_sign(entry, seq=seq, prev_hash=prev_hash)
    entry.save()
    if instance is not None:
        followers.changed(instance, action, model, changes)
    return entry


def audit_verify() -> Report:
    """Check the whole trail; the report lists every break and every missing entry."""
    return chain_verify(AuditEntry.objects.all())
