"""Search across everything a reader may read: one query per figure, visibility inside each query.

The query text goes through the analyzer (`masar.arabic.analyzer.parse_query`) with the national
unit's thesaurus; a word the index does not know is widened to the index's words one edit away
(ranked below exact matches); when the words find nothing, names that look like the query
(trigrams) are shown. Counts, facets, snippets and suggestions are computed over entries filtered by
the records' own `visible_to`, so nothing a reader may not see is ever counted or shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from masar.arabic.analyzer import (
    Query,
    Thesaurus,
    deletions,
    name_similarity,
    one_edit_apart,
    parse_query,
    trigrams,
)
from masar.arabic.normalize import fold
from masar.core import policy
from masar.search.expressions import matches, score
from masar.search.hits import Hit, hits_of
from masar.search.models import EntryKind, SearchEntry, SearchTermKey, ThesaurusGroup
from masar.search.sources import SOURCES

MAX_LIMIT = 100
MAX_QUERY_CHARS = 2000
SIMILAR_NAMES = 0.6  # as pg_trgm's word-similarity threshold
TYPO_CANDIDATES = 12


@dataclass(frozen=True)
class SearchFilters:
    """What a reader asks search: the text and the facets chosen, and the page wanted."""

    q: str = ""
    kinds: tuple[str, ...] = ()
    organization: int | None = None
    year: int | None = None
    classification: str | None = None
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class FacetValue:
    value: Any
    label: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    filters: SearchFilters
    count: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    message: str = ""  # why nothing was searched
    corrected: dict[str, list[str]] = field(default_factory=dict)  # typed word -> index words one edit away


# --- the thesaurus, read once per change ---------------------------------------------------------

_THESAURUS: dict[str, Any] = {"stamp": None, "thesaurus": None}


def current_thesaurus() -> Thesaurus:
    """Return the national unit's thesaurus, rebuilt only when a group changed."""
    stamp = tuple(ThesaurusGroup.objects.aggregate(n=Count("id"), v=Sum("version"), s=Sum("id")).values())
    if _THESAURUS["stamp"] != stamp:
        groups = [group.members for group in ThesaurusGroup.objects.all()]
        _THESAURUS.update(stamp=stamp, thesaurus=Thesaurus(groups))
    return _THESAURUS["thesaurus"]


# --- typo tolerance over the index's vocabulary --------------------------------------------------


def _widen(query: Query) -> tuple[Query, dict[str, list[str]]]:
    """Return the query with each word the index does not know widened to its words one edit away.

    Typos are compared on words as typed (without their article), so a slip in an ending is found too;
    a word found this way brings its index term, ranked below exact matches.
    """
    tolerant = [part for part in query.parts if part.typo_tolerant]
    if not tolerant:
        return query, {}
    terms = {t for part in tolerant for t in part.terms}
    known = set(SearchTermKey.objects.filter(term__in=terms).values_list("term", flat=True).distinct())
    unknown = [part for part in tolerant if not part.terms & known]
    keys = {key for part in unknown for key in {part.surface, *deletions(part.surface)}}
    found = list(SearchTermKey.objects.filter(key__in=keys).values_list("word", "term").distinct()) if keys else []
    parts, corrected = [], {}
    for part in query.parts:
        if part not in unknown:
            parts.append(part)
            continue
        near = sorted({(w, t) for w, t in found if one_edit_apart(part.surface, w)})[:TYPO_CANDIDATES]
        extra = tuple(dict.fromkeys((t,) for _, t in near if (t,) not in part.alternatives))
        if extra:
            corrected[part.surface] = [w for w, _ in near]
            parts.append(replace(part, alternatives=part.alternatives + extra))
        else:
            parts.append(part)
    return replace(query, parts=tuple(parts)), corrected


# --- who may read what -------------------------------------------------------------------------


def visible_entries(reader: Any, kinds: tuple[str, ...] = ()) -> QuerySet:
    """Return the entries (of these kinds, or all) of the records this reader may read.

    The records' own rule (`visible_to`), inside the query.
    """
    reader = policy.Reader.of(reader)
    condition = Q()
    everything = True
    for source in SOURCES:
        if kinds and source.kind not in kinds:
            everything = False
            continue
        visible = source.visible_ids(reader)
        on_entry = source.entry_lookups()
        if visible is None or not visible.query.where:  # the reader reads every record of this kind
            condition |= Q(kind=source.kind)
            continue
        everything = False
        if on_entry is not None:  # the policy's own rule, read on the entry's copy of owner and level
            condition |= Q(policy.visible_q(reader, on_entry), kind=source.kind)
        else:
            condition |= Q(Exists(visible.filter(pk=OuterRef("object_id"))), kind=source.kind)
    if everything:  # a reader of every record of every kind (the national unit): no condition at all
        return SearchEntry.objects.all()
    return SearchEntry.objects.filter(condition) if condition else SearchEntry.objects.none()


def _filtered(entries: QuerySet, filters: SearchFilters, skip: str = "") -> QuerySet:
    if filters.kinds and skip != "kind":
        entries = entries.filter(kind__in=filters.kinds)
    if filters.organization and skip != "organization":
        entries = entries.filter(organization_id=filters.organization)
    if filters.year and skip != "year":
        entries = entries.filter(year=filters.year)
    if filters.classification and skip != "classification":
        entries = entries.filter(classification=filters.classification)
    return entries


# --- names that look like the query ------------------------------------------------------------


def _similar_names(entries: QuerySet, text: str, exclude: set[tuple[str, int]], limit: int) -> list[SearchEntry]:
    folded = fold(text)
    grams = sorted(g for g in trigrams(folded) if g.strip() and len(g.strip()) == 3)[:12]
    if len(folded) < 4 or not grams:
        return []
    condition = Q()
    for gram in grams:
        condition |= Q(title_folded__contains=gram)
    candidates = entries.filter(condition).values_list("pk", "kind", "object_id", "title_folded")[:300]
    scored = sorted(
        (-round(name_similarity(folded, title), 4), kind, object_id, pk)
        for pk, kind, object_id, title in candidates
        if (kind, object_id) not in exclude
    )
    kept = [(pk, -negative) for negative, _, _, pk in scored if -negative >= SIMILAR_NAMES][:limit]
    entries_by_pk = SearchEntry.objects.in_bulk([pk for pk, _ in kept])
    for pk, similarity in kept:
        setattr(entries_by_pk[pk], "score", similarity)  # noqa: B010 - shown as the hit's score
    return [entries_by_pk[pk] for pk, _ in kept]


# --- the searches ------------------------------------------------------------------------------


def readable(text: str | None) -> str:
    """Return text without what no query means and no database keeps: NUL characters and unpaired surrogates."""
    text = (text or "")[: MAX_QUERY_CHARS * 3].replace("\x00", " ")
    return text.encode("utf-8", "ignore").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


def parse(text: str) -> Query:
    return parse_query((text or "")[:MAX_QUERY_CHARS], current_thesaurus())


CACHE_SECONDS = 600
GENERATION_KEY = "search:generation"  # raised by a rebuild of the index, which writes no audit entry


def _cache_key(reader: Any, filters: SearchFilters) -> str:
    """Return a key shared exactly by the readers who see the same records, for the same search, while no
    record, synonym or index entry changed (every change writes an audit entry; a rebuild bumps the generation)."""
    from masar.audit.models import AuditEntry

    asked = hashlib.sha256(repr(filters).encode("utf-8")).hexdigest()[:32]
    return (
        f"search:{policy.cache_scope(reader)}:{get_language()}:{AuditEntry.objects.data_version()}:"
        f"{cache.get(GENERATION_KEY, 0)}:{asked}"
    )


def search(reader: Any, filters: SearchFilters) -> SearchResults:
    """Return what the reader may read that matches the query: counted, faceted, ranked, with snippets.

    Kept in the cache per reader scope until any record changes, as the dashboards are.
    """
    filters = replace(filters, q=readable(filters.q))
    key = _cache_key(reader, filters)
    found = cache.get(key)
    if found is None:
        found = _search(reader, filters)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _search(reader: Any, filters: SearchFilters) -> SearchResults:
    exact = parse(filters.q)
    if not exact:
        message = (
            _("Type a word to search.")
            if not (filters.q or "").strip()
            else _("Nothing to search in “%(query)s”: type words or numbers.")
            % {"query": (filters.q or "").strip()[:80]}
        )
        return SearchResults(filters=filters, message=message)
    broad, corrected = _widen(exact)
    base = visible_entries(reader, filters.kinds)
    sql, param = matches(broad.parts)
    matched = base.extra(where=[sql], params=[param])
    results = _filtered(matched, filters)
    counted = _counted(matched, filters) if connection.vendor == "postgresql" else None
    count = counted[0] if counted else results.count()
    page = _ranked(results, exact, broad, filters.offset, filters.limit)
    hits = hits_of(page, broad)
    if count == 0 and filters.offset == 0:  # the words find nothing: names that look like the query
        exclude = {(h.kind, h.object_id) for h in hits}
        similar = _similar_names(_filtered(base, filters), filters.q, exclude, filters.limit - len(hits))
        hits += hits_of(similar, broad, similar=True)
        count += len(similar)
    facets = counted[1] if counted else _facets(matched, filters)
    return SearchResults(filters=filters, count=count, hits=hits, facets=facets, corrected=corrected)


CANDIDATES = 400


def _ranked(results: QuerySet, exact: Query, broad: Query, offset: int, limit: int) -> list[SearchEntry]:
    """Return one page of results, best first.

    The full score reads each entry's whole text vector, so it is computed for candidates only: the newest
    CANDIDATES entries whose title matches (the small title vector and its index) and the newest CANDIDATES
    entries that match at all, never for every match of a common word.
    """
    wanted = max(CANDIDATES, offset + limit)
    sql, param = matches(exact.parts, title_only=True)
    in_title = results.extra(where=[sql], params=[param]).order_by("-id").values_list("id", flat=True)[:wanted]
    newest = results.order_by("-id").values_list("id", flat=True)[:wanted]
    candidates = {*in_title, *newest}
    scored = SearchEntry.objects.filter(id__in=candidates).annotate(score=score(exact, broad))
    return list(scored.order_by("-score", "kind", "object_id")[offset : offset + limit])


def ranked_ids(reader: Any, text: str, kind: str, within: QuerySet, limit: int = 500) -> list[int] | None:
    """Return the ids of the records of one kind among `within` that match text, best first (None: no words).

    For a list that searches and filters at once (the services directory): the filter is applied inside the
    query before ranking, so a record is never lost behind other matches of its words; no count, facet or
    snippet is computed. Names that look like the query stand in when the words find nothing.
    """
    exact = parse(readable(text))
    if not exact:
        return None
    broad, _corrected = _widen(exact)
    base = visible_entries(reader, (kind,)).filter(kind=kind, object_id__in=within)
    sql, param = matches(broad.parts)
    page = _ranked(base.extra(where=[sql], params=[param]), exact, broad, 0, limit)
    if not page:
        page = _similar_names(base, text, set(), limit)
    return [entry.object_id for entry in page]


_FACET_COLUMNS = {"kind": "kind", "organization": "organization_id", "year": "year", "classification": "classification"}


def _counted(matched: QuerySet, filters: SearchFilters) -> tuple[int, dict[str, list[FacetValue]]]:
    """Return the count and the facets in one statement (PostgreSQL's GROUPING SETS), as `_facets` computes them.

    Each facet counts the entries of every chosen filter but its own; the matched entries and their
    visibility are computed once instead of once per facet and once for the count.
    """
    clauses: dict[str, tuple[str, list[Any]]] = {}
    if filters.kinds:
        clauses["kind"] = ("kind IN (" + ", ".join(["%s"] * len(filters.kinds)) + ")", list(filters.kinds))
    if filters.organization:
        clauses["organization"] = ("organization_id = %s", [filters.organization])
    if filters.year:
        clauses["year"] = ("year = %s", [filters.year])
    if filters.classification:
        clauses["classification"] = ("classification = %s", [filters.classification])

    def condition(skip: str) -> tuple[str, list[Any]]:
        kept = [clauses[name] for name in clauses if name != skip]
        return " AND ".join(sql for sql, _ in kept) or "TRUE", [p for _, params in kept for p in params]

    selects, params = [], []
    for name in (*_FACET_COLUMNS, ""):
        sql, values = condition(name)
        selects.append(f"COUNT(*) FILTER (WHERE {sql})")
        params += values
    columns = ", ".join(_FACET_COLUMNS.values())
    inner, inner_params = matched.order_by().values(*_FACET_COLUMNS.values()).query.sql_with_params()
    statement = (
        f"SELECT {', '.join(f'GROUPING({c})' for c in _FACET_COLUMNS.values())}, {columns}, {', '.join(selects)} "
        f"FROM ({inner}) AS matched "
        f"GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in _FACET_COLUMNS.values())}, ())"
    )
    with connections[matched.db].cursor() as cursor:  # where the queryset reads: a replica when the router says so
        cursor.execute(statement, [*params, *inner_params])
        rows = cursor.fetchall()
    count = 0
    found: dict[str, list[Any]] = {name: [] for name in _FACET_COLUMNS}
    width = len(_FACET_COLUMNS)
    for row in rows:
        grouped = [not flag for flag in row[:width]]
        values, counts = row[width : 2 * width], row[2 * width :]
        if not any(grouped):
            count = counts[-1]
            continue
        index = grouped.index(True)
        name = list(_FACET_COLUMNS)[index]
        if counts[index] and values[index] is not None:
            found[name].append((values[index], counts[index]))
    return count, _labelled(found)


def _facets(matched: QuerySet, filters: SearchFilters) -> dict[str, list[FacetValue]]:
    """Return the facets with one statement each (SQLite has no GROUPING SETS), as `_counted` computes them."""
    found = {}
    for name, column in _FACET_COLUMNS.items():
        rows = _filtered(matched, filters, skip=name).exclude(**{column: None}).values_list(column)
        found[name] = list(rows.annotate(n=Count("id")).order_by())
    return _labelled(found)


def _labelled(found: dict[str, list[Any]]) -> dict[str, list[FacetValue]]:
    """Return each facet's (value, count) pairs in the order pages show them, with their labels."""
    from masar.core.models import Classification
    from masar.organizations.models import Organization

    kinds, levels = dict(EntryKind.choices), dict(Classification.choices)
    organizations = sorted(found["organization"], key=lambda r: (-r[1], r[0]))[:20]
    names = {o.pk: o.name for o in Organization.objects.filter(pk__in=[pk for pk, _ in organizations])}
    return {
        "kind": [FacetValue(k, str(kinds.get(k, k)), n) for k, n in sorted(found["kind"], key=lambda r: (-r[1], r[0]))],
        "organization": [FacetValue(pk, names.get(pk, ""), n) for pk, n in organizations],
        "year": [FacetValue(y, str(y), n) for y, n in sorted(found["year"], reverse=True)],
        "classification": [FacetValue(c, str(levels.get(c, c)), n) for c, n in sorted(found["classification"])],
    }


def suggest(reader: Any, text: str, limit: int = 8) -> list[Hit]:
    """Return the best few records for what is typed so far (the last word may be unfinished); cached as searches."""
    text = readable(text)
    key = "suggest:" + _cache_key(reader, SearchFilters(q=text, limit=limit))
    hits = cache.get(key)
    if hits is None:
        hits = _suggest(reader, text, limit)
        cache.set(key, hits, CACHE_SECONDS)
    return hits


def _suggest(reader: Any, text: str, limit: int) -> list[Hit]:
    query = parse(text)
    if not query:
        return []
    prefix_last = not text.endswith(" ")
    sql, param = matches(query.parts, prefix_last=prefix_last)
    entries = (
        visible_entries(reader)
        .extra(where=[sql], params=[param])
        .annotate(score=score(query, query, prefix_last=prefix_last))
        .defer("body_ar", "body_fr", "body_en", "body_terms")
        .order_by("-score", "kind", "object_id")[:limit]
    )
    return hits_of(list(entries), query, quoted=False)
