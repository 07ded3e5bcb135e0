"""What a reader sees of each entry found: its title in the page's language, its page, and a snippet of
its original text with the matched words marked."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import get_language

from masar.arabic.analyzer import Query, Token, tokens
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


def _matches_in(text: str, wanted: set[str]) -> tuple[list[Token], list[int]]:
    """Return the words of text and the indexes of those that match a wanted term."""
    spans = tokens(text[:SNIPPET_SCAN_CHARS])
    return spans, [i for i, t in enumerate(spans) if t.term in wanted or wanted.intersection(t.extra)]


def _best_window(spans: list[Token], found: list[int], words: int) -> int:
    """Return the index of the first word of the run of `words` words holding the most distinct matched terms."""
    best, best_start, held, right = -1, 0, Counter[str](), 0
    for i in found:
        while right < len(found) and found[right] < i + words:
            held[spans[found[right]].term] += 1
            right += 1
        if len(held) > best:
            best, best_start = len(held), i
        held[spans[i].term] -= 1
        if not held[spans[i].term]:
            del held[spans[i].term]
    return best_start


def _quote(text: str, spans: list[Token], found: list[int], words: int) -> str:
    first = max(0, _best_window(spans, found, words) - 4)
    last = min(len(spans) - 1, first + words - 1)
    start, end = spans[first].start, spans[last].end
    marked = set(found)
    out, cursor = [], start
    for i in range(first, last + 1):
        if i in marked:
            token = spans[i]
            out.append(html.escape(text[cursor : token.start]))
            out.append("<mark>" + html.escape(text[token.start : token.end]) + "</mark>")
            cursor = token.end
    out.append(html.escape(text[cursor:end]))
    body = " ".join("".join(out).split())
    return ("… " if start > 0 else "") + body + (" …" if end < len(text.rstrip()) else "")


def snippet(entry: SearchEntry, wanted: set[str], words: int = SNIPPET_WORDS) -> str:
    """Return HTML: the passage of the entry's original text richest in wanted terms, escaped, matches in <mark>.

    The text quoted is in the page's language when it holds a match, else the first that does.
    """
    language = (get_language() or "ar")[:2]
    texts = [getattr(entry, f"body_{lang}", "") for lang in dict.fromkeys([language, "ar", "fr", "en"])]
    texts = [text for text in texts if text and text.strip()] or [title_of(entry)]
    for text in texts:
        spans, found = _matches_in(text, wanted)
        if found:
            return _quote(text, spans, found, words)
    plain = texts[0].split()
    return html.escape(" ".join(plain[:words]) + (" …" if len(plain) > words else ""))


def title_of(entry: SearchEntry) -> str:
    language = (get_language() or "ar")[:2]
    return getattr(entry, f"title_{language}", "") or entry.title_ar or entry.title_fr or entry.title_en


def hits_of(entries: list[SearchEntry], query: Query, *, similar: bool = False, quoted: bool = True) -> list[Hit]:
    """Return what a reader sees of each entry; `quoted=False` leaves out the snippet (suggestions)."""
    wanted = {t for part in query.parts for t in part.terms}
    parents = parent_ids(entries)
    return [
        Hit(
            kind=entry.kind,
            object_id=entry.object_id,
            title=title_of(entry),
            url=BY_KIND[entry.kind].page(entry.object_id, parents.get((entry.kind, entry.object_id))),
            snippet=snippet(entry, wanted) if quoted else "",
            score=round(float(getattr(entry, "score", 0.0) or 0.0), 4),
            classification=entry.classification,
            year=entry.year,
            organization_id=entry.organization_id,
            similar=similar,
        )
        for entry in entries
    ]


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
