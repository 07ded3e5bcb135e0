"""Anchors: the trail's head (seq, id, hash, time) written daily outside the table, so that cutting the newest
entries, or rewriting the trail wholesale with the key, is caught by comparing the trail with its anchors.

Anchors are files in AUDIT_ANCHOR_DIR, one per run, never overwritten, each signed with the audit key. The
directory is only the first copy: operators copy it off the machine to write-once storage (see the runbook).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from masar.audit import keys
from masar.audit.chain import GENESIS, Finding
from masar.audit.models import AuditEntry

if TYPE_CHECKING:
    from typing import Any

_FIELDS = ("seq", "entry_id", "hash", "entry_created_at", "anchored_at", "key_id")


def _canonical(anchor: dict[str, Any]) -> str:
    return "masar.audit.anchor:" + json.dumps([anchor.get(name) for name in _FIELDS], separators=(",", ":"))


def anchor_directory(directory: str | Path | None = None) -> Path:
    return Path(directory or settings.AUDIT_ANCHOR_DIR)


def audit_anchor_write(*, directory: str | Path | None = None) -> Path:
    """Write the trail's current head to a new signed anchor file; return its path."""
    head = AuditEntry.objects.order_by("-seq").values("seq", "id", "hash", "created_at").first()
    key_id, key = keys.current_key()
    now = timezone.now()
    anchor: dict[str, Any] = {
        "seq": head["seq"] if head else 0,
        "entry_id": head["id"] if head else None,
        "hash": head["hash"] if head else GENESIS,
        "entry_created_at": head["created_at"].isoformat() if head else None,
        "anchored_at": now.isoformat(),
        "key_id": key_id,
    }
    anchor["signature"] = keys.sign(key, _canonical(anchor))
    folder = anchor_directory(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"anchor-{now:%Y%m%dT%H%M%S%fZ}-seq{anchor['seq']}.json"
    # "x": an anchor is never overwritten; read-only: a later run cannot change it by mistake.
    with path.open("x", encoding="utf-8") as handle:
        json.dump(anchor, handle, indent=2)
        handle.write("\n")
    os.chmod(path, 0o444)
    return path


def _read(path: Path, known: dict[str, bytes]) -> tuple[dict[str, Any] | None, Finding | None]:
    try:
        anchor = json.loads(path.read_text(encoding="utf-8"))
        key = known.get(anchor["key_id"])
        seq = int(anchor["seq"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        return None, Finding(None, None, f"anchor {path.name} cannot be read: {error}")
    if key is None:
        return None, Finding(seq, None, f"anchor {path.name} is signed with unknown key id {anchor['key_id']!r}")
    if anchor.get("signature") != keys.sign(key, _canonical(anchor)):
        return None, Finding(seq, None, f"anchor {path.name} has a bad signature (altered or forged)")
    return anchor, None


def anchors_check(*, directory: str | Path | None = None) -> list[Finding]:
    """Compare every anchor with the trail: each anchored entry still has its hash, and none is beyond the end."""
    folder = anchor_directory(directory)
    paths = sorted(folder.glob("anchor-*.json")) if folder.is_dir() else []
    if not paths:
        return [Finding(None, None, f"no anchors in {folder}: cannot check for truncation")]
    known = keys.all_keys()
    findings: list[Finding] = []
    anchors = []
    for path in paths:
        anchor, problem = _read(path, known)
        if problem:
            findings.append(problem)
        elif anchor is not None:
            anchors.append((path, anchor))
    seqs = [anchor["seq"] for _, anchor in anchors if anchor["seq"]]
    stored = dict(AuditEntry.objects.filter(seq__in=seqs).values_list("seq", "hash"))
    last_seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    for path, anchor in anchors:
        seq = anchor["seq"]
        if seq > last_seq:
            findings.append(
                Finding(
                    seq,
                    anchor["entry_id"],
                    f"the trail ends at seq {last_seq} but anchor {path.name} "
                    f"recorded seq {seq}: the newest entries were removed",
                )
            )
        elif seq and stored.get(seq) is None:
            findings.append(Finding(seq, anchor["entry_id"], f"entry anchored by {path.name} is missing"))
        elif seq and stored[seq] != anchor["hash"]:
            findings.append(
                Finding(seq, anchor["entry_id"], f"hash differs from the one anchored by {path.name} (rewritten)")
            )
    return findings
