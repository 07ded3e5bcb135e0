"""Pieces every payload shares: names in Arabic, French and English, and references to records."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict


class Payload(BaseModel):
    """A payload built as plain data by a function of the record (`project_payload`, ...).

    Validated by pydantic alone, without django-ninja's per-attribute resolution: a page of 500
    records costs a fraction of the time.
    """


class Names(Payload):
    """A text in the three languages (Arabic always; French and English may be empty)."""

    ar: str
    fr: str
    en: str


def names(obj: Any, field: str = "name") -> dict[str, str]:
    """Return obj's field in the three languages."""
    return {lang: getattr(obj, f"{field}_{lang}", "") or "" for lang in ("ar", "fr", "en")}


class Ref(Payload):
    """A record this one points to: its id, code where it has one, and its names."""

    id: int
    code: str | None = None
    name: Names


def ref(obj: Any) -> dict[str, Any] | None:
    """Return the reference of obj (None for no record)."""
    if obj is None:
        return None
    return {"id": obj.pk, "code": getattr(obj, "code", None) or None, "name": names(obj)}


class Body(Schema):
    """A request body: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


class Record(Schema):
    """What every record answers: its id, version (for If-Match) and when it last changed."""

    id: int
    version: int
    updated_at: datetime.datetime
