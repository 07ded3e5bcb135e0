"""One representation of a decision, typed and in the reader's language: exports, packs and the API read it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from masar.decisions.models import DecisionStatus


@dataclass(frozen=True)
class DecisionRow:
    meeting: str
    order: int
    text: str  # in the reader's language, falling back to Arabic
    text_ar: str
    text_fr: str
    text_en: str
    responsible: str | None
    due_date: datetime.date | None
    status: str  # the computed status's label
    status_key: str  # the computed status's value
    classification: str


def decision_row(decision: Any, reader: Any = None) -> DecisionRow:
    """Return the row of a decision read through `decision_list` (meeting and responsible selected)."""
    return DecisionRow(
        meeting=decision.meeting.name,
        order=decision.order,
        text=decision.text,
        text_ar=decision.text_ar,
        text_fr=decision.text_fr,
        text_en=decision.text_en,
        responsible=decision.responsible.name if decision.responsible is not None else None,
        due_date=decision.due_date,
        status=str(DecisionStatus(decision.status).label),
        status_key=decision.status,
        classification=str(decision.get_classification_display()),
    )
