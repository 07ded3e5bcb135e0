"""The audit trail's signed hash chain: how an entry is hashed, and the walk that checks the whole trail.

Each entry's hash is HMAC-SHA256, under a key kept outside the database (masar.audit.keys), of its own
immutable content, its place in the chain (`seq`) and the hash of the entry before it. Someone who can write
the table but does not hold the key cannot rewrite an entry and recompute the chain; cutting the newest entries
is caught by the anchors (masar.audit.anchors).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from typing import TYPE_CHECKING

from masar.audit import keys

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from masar.audit.models import AuditEntry

GENESIS = "0" * 64


def entry_payload(
    *,
    seq: int,
    prev_hash: str,
    created_at: datetime.datetime,
    actor_ref: int | None,
    actor_name: str,
    action: str,
    model_label: str,
    object_id: str,
    object_repr: str,
    version: int | None,
    changes: dict[str, Any],
    request_id: str,
    key_id: str,
) -> str:
    """Return the canonical text that an entry's hash signs."""
    return json.dumps(
        [
            "masar.audit.v2",
            seq,
            prev_hash,
            created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            actor_ref,
            actor_name,
            action,
            model_label,
            object_id,
            object_repr,
            version,
            changes,
            request_id,
            key_id,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def payload_of(entry: AuditEntry) -> str:
    """Return the text an entry's hash signs: its content, number, link to the one before and key id."""
    return entry_payload(
        seq=entry.seq,
        prev_hash=entry.prev_hash,
        created_at=entry.created_at,
        actor_ref=entry.actor_ref,
        actor_name=entry.actor_name,
        action=entry.action,
        model_label=entry.model_label,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        version=entry.version,
        changes=entry.changes,
        request_id=entry.request_id,
        key_id=entry.key_id,
    )


def entry_hash(entry: AuditEntry, key: bytes) -> str:
    """Return the hash the entry must carry when signed with key."""
    return keys.sign(key, payload_of(entry))


def entry_sign(entry: AuditEntry, *, seq: int, prev_hash: str) -> None:
    """Place the unsaved entry after prev_hash at seq and sign it with the current key."""
    entry.key_id, key = keys.current_key()
    entry.seq, entry.prev_hash = seq, prev_hash
    entry.hash = entry_hash(entry, key)


@dataclasses.dataclass(frozen=True)
class Finding:
    """One thing wrong with the trail, told on one line."""

    seq: int | None
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"seq {self.seq}" if self.seq is not None else "trail"
        if self.entry_id is not None:
            where += f" (entry #{self.entry_id})"
        return f"{where}: {self.problem}"


@dataclasses.dataclass
class Report:
    checked: int = 0
    head_seq: int = 0
    head_id: int | None = None
    head_hash: str = GENESIS
    findings: list[Finding] = dataclasses.field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


def _missing(expected: int, found: int) -> Finding:
    span = str(expected) if found - 1 == expected else f"{expected}-{found - 1}"
    return Finding(expected, None, f"missing: no entry numbered {span} (deleted?)")


def _check(entry: AuditEntry, known: dict[str, bytes], prev_hash: str | None) -> Iterator[Finding]:
    if prev_hash is not None and entry.prev_hash != prev_hash:
        yield Finding(entry.seq, entry.pk, "prev_hash does not match the hash of the entry before (chain relinked)")
    key = known.get(entry.key_id)
    if key is None:
        yield Finding(
            entry.seq,
            entry.pk,
            f"signed with unknown key id {entry.key_id!r} (add the old key to AUDIT_KEY_FALLBACKS, or forged)",
        )
    elif entry.hash != entry_hash(entry, key):
        yield Finding(entry.seq, entry.pk, "hash does not match the entry's content and key (altered)")


def chain_verify(queryset: Any) -> Report:
    """Walk the trail in seq order and report every break and every missing number, not only the first.

    After a break the walk goes on from the stored hash, so each later entry is judged on its own.
    """
    report = Report()
    known = keys.all_keys()
    expected, prev_hash = 1, GENESIS
    for entry in queryset.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected:
            report.findings.append(_missing(expected, entry.seq))
            prev_hash = None  # the entry before is gone: its link cannot be checked
        report.findings.extend(_check(entry, known, prev_hash))
        report.checked += 1
        expected, prev_hash = entry.seq + 1, entry.hash
        report.head_seq, report.head_id, report.head_hash = entry.seq, entry.pk, entry.hash
    return report
