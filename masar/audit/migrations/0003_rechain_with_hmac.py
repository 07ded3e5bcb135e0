"""One-time upgrade of an existing trail from plain SHA-256 to the keyed chain.

The old chain is verified first, with the old rule; if any entry fails, the upgrade stops and says which, so a
trail that was already tampered with is never blessed with the new key. Then every entry is numbered (seq, in
id order), given the immutable copies its new hash covers (actor_ref, model_label) and re-signed with the
current audit key (AUDIT_KEY, AUDIT_KEY_FILE, or the key derived from SECRET_KEY). Set the key you mean to keep
before running `migrate`. This runs before the trigger that forbids UPDATE on the table is installed (0004).
"""

import datetime
import hashlib
import json

from django.db import migrations

from masar.audit.chain import GENESIS, entry_sign

BATCH = 2000


def _old_digest(entry, prev_hash, label):
    # The rule of masar.audit.services before the upgrade, frozen here.
    payload = json.dumps(
        [
            prev_hash,
            entry.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            entry.actor_id,
            entry.actor_name,
            entry.action,
            label,
            entry.object_id,
            entry.object_repr,
            entry.version,
            entry.changes,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _entries(AuditEntry):
    return AuditEntry.objects.select_related("content_type").order_by("id").iterator(chunk_size=BATCH)


def _verify_old_chain(AuditEntry):
    prev_hash, broken = GENESIS, []
    for entry in _entries(AuditEntry):
        label = f"{entry.content_type.app_label}.{entry.content_type.model}"
        if entry.prev_hash != prev_hash or entry.hash != _old_digest(entry, prev_hash, label):
            broken.append(entry.pk)
        prev_hash = entry.hash
    if broken:
        shown = ", ".join(f"#{pk}" for pk in broken[:20])
        raise RuntimeError(
            f"The audit trail is already broken (entries {shown}{' …' if len(broken) > 20 else ''}): "
            "refusing to re-sign it with the audit key. Restore the trail from a backup taken before the damage, "
            "or investigate and keep a copy of this database, before migrating."
        )


def rechain(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    _verify_old_chain(AuditEntry)
    prev_hash, seq, batch = GENESIS, 0, []
    fields = ["seq", "actor_ref", "model_label", "key_id", "prev_hash", "hash"]
    for entry in _entries(AuditEntry):
        seq += 1
        entry.actor_ref = entry.actor_id
        entry.model_label = f"{entry.content_type.app_label}.{entry.content_type.model}"
        entry_sign(entry, seq=seq, prev_hash=prev_hash)
        prev_hash = entry.hash
        batch.append(entry)
        if len(batch) >= BATCH:
            AuditEntry.objects.bulk_update(batch, fields)
            batch = []
    AuditEntry.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_entry_seq_key_request")]

    operations = [migrations.RunPython(rechain, migrations.RunPython.noop, elidable=False)]
