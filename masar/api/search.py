"""Search across everything the caller may read: the same selector as the search page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from masar.api.problems import ERRORS
from masar.api.references import reader_of
from masar.search.models import EntryKind
from masar.search.selectors import MAX_LIMIT, SearchFilters, search

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field("", description="Words as people type them (Arabic, French or English); up to 12 words count")
    type: list[EntryKind] = Field(default_factory=list, description="Only these kinds of records (repeatable)")
    organization: int | None = Field(None, ge=1, description="Only records of this organization (id)")
    year: int | None = Field(None, ge=1900, le=2200)
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000)


class SearchHit(Schema):
    type: EntryKind
    id: int
    title: str
    url: str = Field(..., description="The record's page")
    snippet: str = Field(..., description="HTML: the original text, escaped, the matched words in <mark>")
    score: float = Field(..., description="Higher is better; exact matches above typo matches, titles first")
    classification: str
    year: int | None
    similar: bool = Field(..., description="Found by the look of its name (few exact matches)")


class SearchAnswer(Schema):
    count: int
    results: list[SearchHit]
    message: str = Field("", description="Why nothing was searched (an empty query, only punctuation)")
    corrected: dict[str, list[str]] = Field(
        default_factory=dict, description="Typed words the index does not hold -> the index's words one edit away"
    )


@router.get("/search/", response={200: SearchAnswer, **ERRORS}, summary="Search everything")
def search_index(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    """Return the records the caller may read that match the words, best first, with highlighted snippets."""
    filters = SearchFilters(
        q=query.q,
        kinds=tuple(kind.value for kind in query.type),
        organization=query.organization,
        year=query.year,
        limit=query.limit,
        offset=query.offset,
    )
    found = search(reader_of(request), filters)
    return {
        "count": found.count,
        "results": [
            {
                "type": hit.kind,
                "id": hit.object_id,
                "title": hit.title,
                "url": request.build_absolute_uri(hit.url),
                "snippet": hit.snippet,
                "score": hit.score,
                "classification": hit.classification,
                "year": hit.year,
                "similar": hit.similar,
            }
            for hit in found.hits
        ],
        "message": str(found.message),
        "corrected": found.corrected,
    }
