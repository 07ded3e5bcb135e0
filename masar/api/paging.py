"""The conventions every list and record of the API follows.

- Lists answer `{"count", "next", "results"}` with a cursor on the record id: stable under inserts
  (a new record never shifts a page) and cheap at any depth.
- `updated_since` narrows any list to the records changed since a moment (incremental sync).
- A record's ETag carries its version, so `If-Match` on a change names the version it was read at.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode
from ninja import Schema
from pydantic import BaseModel, create_model

from masar.api.problems import PreconditionFailed, PreconditionRequired

MAX_LIMIT = 500
DEFAULT_LIMIT = 100


def page_schema(item: type[BaseModel]) -> type[Schema]:
    """Return the schema of a page of item: the same envelope as search."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        count=(int, ...),
        next=(str | None, ...),
        results=(list[item], ...),  # type: ignore[valid-type]
    )


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"after:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Return the id a cursor continues after; a cursor not made here is refused (422)."""
    from ninja.errors import ValidationError

    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _sep, value = text.partition(":")
        if prefix != "after" or not value.isdigit():
            raise ValueError(text)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(
            [{"loc": ("query", "cursor"), "msg": "not a cursor given by this API", "type": "value_error"}]
        ) from None


def since(queryset: QuerySet, updated_since: datetime.datetime | None, field: str = "updated_at") -> QuerySet:
    """Return the records changed at or after updated_since (all of them without it)."""
    if updated_since is None:
        return queryset
    return queryset.filter(**{f"{field}__gte": in_utc(updated_since)})


def in_utc(moment: datetime.datetime) -> datetime.datetime:
    """Return a moment in UTC (a moment without offset is read as UTC).

    ISO 8601 allows offsets PostgreSQL refuses (beyond ±15:59) and moments at the very edge of the
    calendar: read in UTC, every valid moment is one the database compares.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        return (
            datetime.datetime.min.replace(tzinfo=datetime.UTC)
            if moment.year < 2
            else datetime.datetime.max.replace(tzinfo=datetime.UTC)
        )


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    limit: int,
    cursor: str | None,
    render: Callable[[Any], Any] = lambda obj: obj,
    owner_of: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """Return one page of queryset (ordered by id) in the envelope, and note what it returned for the log."""
    limit = max(1, min(limit, MAX_LIMIT))
    count = queryset.count()
    page = queryset.order_by("pk")
    if cursor:
        page = page.filter(pk__gt=decode_cursor(cursor))
    rows = list(page[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_url = None
    if more:
        params = {k: str(v) for k, v in request.GET.items() if k != "cursor"}
        params["cursor"] = encode_cursor(rows[-1].pk)
        next_url = request.build_absolute_uri(request.path) + "?" + urlencode(params)
    note_returned(request, rows, owner_of)
    return {"count": count, "next": next_url, "results": [render(row) for row in rows]}


def note_returned(request: HttpRequest, rows: Iterable[Any], owner_of: Callable[[Any], Any] | None) -> None:
    """Tell the exchange log how many records a call returned and whose they were."""
    rows = list(rows)
    request.api_records = len(rows)  # type: ignore[attr-defined]
    if owner_of is not None:
        request.api_owner_ids = {owner_of(row) for row in rows} - {None}  # type: ignore[attr-defined]


def one(
    request: HttpRequest,
    obj: Any,
    owner_of: Callable[[Any], Any] | None = None,
    render: Callable[[Any], Any] = lambda obj: obj,
) -> Any:
    """Return a single record (rendered), noting it for the log and its version for the ETag."""
    note_returned(request, [obj], owner_of)
    version = getattr(obj, "version", None)
    if version is not None:
        request.api_version = version  # type: ignore[attr-defined]
    return render(obj)


_IF_MATCH = re.compile(r'^(?:W/)?"?(\d+)(?:-[0-9a-f]*)?"?$')


def expected_version(request: HttpRequest) -> int:
    """Return the version named by If-Match: 428 without it, 412 when it names no version."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired
    match = _IF_MATCH.match(header.split(",")[0].strip())
    if match is None:
        raise PreconditionFailed
    return int(match.group(1))
