"""What a rule or a detector finds: one `Finding` per rule and subject, which becomes (or updates) an alert."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One red flag on one subject, with the numbers that triggered it and the records behind them.

    `key` is unique per rule and subject ("R018:tender:ocds-abc-1"), so a later run updates the alert
    instead of raising it twice. `figures` are the numbers an inspector reads against the threshold
    (named as the rule's explanation names them); `records` are the records to open, as
    {"kind": "tender"|"bid"|"award"|"contract"|"payment"|"supplier", "id": pk}.
    """

    rule: str
    subject: str  # an AlertSubject value
    key: str
    value: float | None = None
    threshold: float | None = None
    score: float = 0.0  # 0 to 1: how far past the threshold, for sorting an inspector's queue
    tender_id: int | None = None
    contract_id: int | None = None
    payment_id: int | None = None
    supplier_id: int | None = None
    buyer_id: int | None = None
    buyer_ref: str = ""
    project_id: int | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
