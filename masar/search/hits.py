"""What a reader sees of each entry found: its title in the page's language, its page, and a snippet of
its original text with the matched words marked."""

from __future__ import annotations

import html
from dataclasses import dataclass

from django.utils.translation import get_language

from masar.arabic.analyzer import Query, tokens
from masar.search.models import SearchEntry
from masar.search.sources import BY_KIND, PARENT_FIELD

SNIPPET_WORDS = 28
SNIPPET_SCAN_CHARS = 200_000


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    title: str
    url: str
    snippet: str  # HTML: the original text, escaped, with the matched words in <mark>
    score: float
    classification: str
    year: int | None
    organization_id: int | None
    similar: bool = False  # found by the look of its name, not by its words


def wanted_terms(query: Query) -> set[str]:
    return {t for part in query.parts for t in part.terms}


def snippet(text: str, wanted: set[str], words: int = SNIPPET_WORDS) -> str:
    """Return HTML: the passage of the original text richest in wanted terms, escaped, matches in <mark>."""
    text = text or ""
    spans = tokens(text[:SNIPPET_SCAN_CHARS])
    found = [t for t in spans if t.term in wanted or wanted.intersection(t.extra)]
    if not found:
        plain = " ".join(text.split()[:words])
        return html.escape(plain + (" …" if len(text.split()) > words else ""))
    positions = {(t.start, t.end) for t in found}
    index = [i for i, t in enumerate(spans) if (t.start, t.end) in positions]
    best, best_start = -1, 0
    for i in index:
        window = {spans[j].term for j in index if i <= j < i + words}
        if len(window) > best:
            best, best_start = len(window), i
    first = max(0, best_start - 4)
    last = min(len(spans) - 1, first + words - 1)
    start, end = spans[first].start, spans[last].end
    out, cursor = [], start
    for token in spans[first : last + 1]:
        if (token.start, token.end) in positions:
            out.append(html.escape(text[cursor : token.start]))
            out.append("<mark>" + html.escape(text[token.start : token.end]) + "</mark>")
            cursor = token.end
    out.append(html.escape(text[cursor:end]))
    body = " ".join("".join(out).split())
    return ("… " if start > 0 else "") + body + (" …" if end < len(text.rstrip()) else "")


def title_of(entry: SearchEntry) -> str:
    language = (get_language() or "ar")[:2]
    return getattr(entry, f"title_{language}", "") or entry.title_ar or entry.title_fr or entry.title_en


def snippet_text(entry: SearchEntry, wanted: set[str]) -> str:
    """Return the text to quote: in the page's language when it holds a match, else the first that does."""
    language = (get_language() or "ar")[:2]
    texts = [getattr(entry, f"body_{lang}", "") for lang in dict.fromkeys([language, "ar", "fr", "en"])]
    texts = [text for text in texts if text and text.strip()]
    for text in texts:
        if any(t.term in wanted or wanted.intersection(t.extra) for t in tokens(text[:SNIPPET_SCAN_CHARS])):
            return text
    return texts[0] if texts else title_of(entry)


def hits_of(entries: list[SearchEntry], query: Query, similar: bool = False) -> list[Hit]:
    wanted = wanted_terms(query)
    parents = parent_ids(entries)
    hits = []
    for entry in entries:
        source = BY_KIND[entry.kind]
        text = snippet_text(entry, wanted)
        hits.append(
            Hit(
                kind=entry.kind,
                object_id=entry.object_id,
                title=title_of(entry),
                url=source.page(entry.object_id, parents.get((entry.kind, entry.object_id))),
                snippet=snippet(text, wanted),
                score=round(float(getattr(entry, "score", 0.0) or 0.0), 4),
                classification=entry.classification,
                year=entry.year,
                organization_id=entry.organization_id,
                similar=similar,
            )
        )
    return hits


def parent_ids(entries: list[SearchEntry]) -> dict[tuple[str, int], int]:
    """Return the id of the page's record for entries shown on their parent's page (axes, decisions)."""
    out = {}
    for kind, attribute in PARENT_FIELD.items():
        ids = [e.object_id for e in entries if e.kind == kind]
        if ids:
            model = BY_KIND[kind].model_class
            for pk, parent in model._default_manager.filter(pk__in=ids).values_list("pk", attribute):
                out[(kind.value, pk)] = parent
    return out
