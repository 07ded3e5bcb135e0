"""Keep the search index: one owner for every entry, called after each audited change (in its
transaction) and by `search_reindex`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.db import transaction

from masar.arabic.analyzer import analyze, deletions, index_text
from masar.arabic.normalize import fold
from masar.audit import followers
from masar.search.models import SearchEntry, SearchTermKey
from masar.search.sources import BY_MODEL, LANGUAGES, SOURCES, Source

_CHUNK = 500
_FIELDS = (
    "title_ar",
    "title_fr",
    "title_en",
    "body_ar",
    "body_fr",
    "body_en",
    "title_terms",
    "body_terms",
    "title_folded",
    "organization_id",
    "year",
    "classification",
)


@cache
def _kind_terms(named_by: tuple[str, ...]) -> str:
    """Return the terms of the words naming a kind of record, kept after its own text (out of phrases)."""
    return " ".join(index_text(word) for word in named_by)


def _entry_fields(source: Source, record: Any) -> tuple[dict[str, Any], set[tuple[str, str]]]:
    """Return an entry's fields for a record, and the vocabulary of its texts."""
    titles = source.titles(record)
    bodies = [(text, lang) for text, lang in source.bodies(record) if text]
    vocabulary: set[tuple[str, str]] = set()

    def terms(texts: list[tuple[str, str]]) -> list[str]:
        out = []
        for text, lang in texts:
            indexed, pairs = analyze(text, lang)
            vocabulary.update(pairs)
            out.append(indexed)
        return out

    title_terms = terms([(titles.get(lang, ""), lang) for lang in LANGUAGES if titles.get(lang)])
    body_terms = terms(bodies)
    fields = {
        "title_ar": titles.get("ar", ""),
        "title_fr": titles.get("fr", ""),
        "title_en": titles.get("en", ""),
        **{f"body_{lang}": "\n".join(text for text, language in bodies if language == lang) for lang in LANGUAGES},
        "title_terms": " ".join(filter(None, title_terms)),
        "body_terms": " ".join(filter(None, [*body_terms, _kind_terms(source.named_by)])),
        "title_folded": fold(" ".join(filter(None, titles.values()))),
        "organization_id": source.organization(record),
        "year": source.year(record),
        "classification": source.classification(record),
    }
    return fields, vocabulary


def vocabulary_add(pairs: Iterable[tuple[str, str]]) -> None:
    """Record the new words of the index under their one-letter deletions (typo tolerance looks them up)."""
    terms = dict(p for p in pairs if len(p[0]) <= 100 and len(p[1]) <= 100)
    words = sorted(terms)
    for start in range(0, len(words), _CHUNK):
        chunk = words[start : start + _CHUNK]
        known = set(SearchTermKey.objects.filter(key__in=chunk, word__in=chunk).values_list("word", flat=True))
        rows = [
            SearchTermKey(key=key, word=word, term=terms[word])
            for word in chunk
            if word not in known
            for key in {word, *deletions(word)}
        ]
        SearchTermKey.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)


def entries_refresh(source: Source, records: Iterable[Any]) -> int:
    """Write the entries of these records (created or replaced); return how many."""
    records = list(records)
    if not records:
        return 0
    existing = dict(
        SearchEntry.objects.filter(kind=source.kind, object_id__in=[r.pk for r in records]).values_list(
            "object_id", "pk"
        )
    )
    fresh, changed, terms = [], [], set()
    for record in records:
        fields, vocabulary = _entry_fields(source, record)
        entry = SearchEntry(kind=source.kind, object_id=record.pk, **fields)
        terms.update(vocabulary)
        if record.pk in existing:
            entry.pk = existing[record.pk]
            changed.append(entry)
        else:
            fresh.append(entry)
    with transaction.atomic():
        SearchEntry.objects.bulk_create(fresh, batch_size=_CHUNK)
        for entry in changed:
            # One UPDATE per entry so that SQLite's triggers keep FTS5 in step row by row.
            SearchEntry.objects.filter(pk=entry.pk).update(**{f: getattr(entry, f) for f in _FIELDS})
        vocabulary_add(terms)
    return len(records)


def entry_refresh(record: Any) -> None:
    """Write the entry of one record, reading it afresh (with what its entry shows of related rows)."""
    source = BY_MODEL[record._meta.label_lower]
    fresh = source.records([record.pk]).first()
    if fresh is None:
        entry_remove(source, record.pk)
    else:
        entries_refresh(source, [fresh])


def entry_remove(source: Source, pk: int) -> None:
    SearchEntry.objects.filter(kind=source.kind, object_id=pk).delete()


def entries_refresh_ids(model_label: str, ids: Iterable[int]) -> int:
    """Refresh the entries of the records with these ids (a bulk import's rows)."""
    source = BY_MODEL[model_label.lower()]
    ids = list(ids)
    count = 0
    for start in range(0, len(ids), _CHUNK):
        count += entries_refresh(source, source.records(ids[start : start + _CHUNK]))
    return count


# The fields an entry is built from, by the start of their names: a change to none of them (a status, a
# rating, a version) leaves the entry as it is.
SEARCHED = (
    "name",
    "description",
    "text",
    "title",
    "body",
    "place",
    "summary",
    "minutes",
    "adopted_by",
    "unit",
    "code",
    "acronym",
    "owner",
    "organization",
    "classification",
    "planned_start",
    "period_start",
    "date",
    "language",
    "proposed_solution",
    "meeting",
    "strategy",
    "project",
    "reported_at",
)


def _touches_entry(changes: dict[str, Any]) -> bool:
    return not changes or any(name.startswith(SEARCHED) for name in changes)


def _follower(record: Any, action: str, changes: dict[str, Any]) -> None:
    from masar.audit.models import Action

    source = BY_MODEL[record._meta.label_lower]
    if action == Action.UPDATE and not _touches_entry(changes):
        return
    if action == Action.DELETE:
        entry_remove(source, record.pk)
    else:
        entry_refresh(record)
        if source.kind == "strategy":
            # Axes and programs show their strategy's classification, owner and year.
            for part in ("axis", "program"):
                child = next(s for s in SOURCES if s.kind == part)
                entries_refresh(child, child.records().filter(strategy_id=record.pk))


def _mission_follower(mission: Any, action: str, changes: dict[str, Any]) -> None:
    organization = BY_MODEL["organizations.organization"]
    entries_refresh(organization, organization.records([mission.organization_id]))


def follow_audited_changes() -> None:
    """Register the index as a follower of every audited change of a searchable record."""
    for source in SOURCES:
        followers.follow(source.model, _follower)
    followers.follow("organizations.Mission", _mission_follower)


def reindex(progress: Callable[[str, int, int], None] | None = None, kinds: Iterable[str] = ()) -> int:
    """Rebuild the entries of every searchable record (or of these kinds); return how many were written."""
    total = 0
    wanted = set(kinds)
    for source in SOURCES:
        if wanted and source.kind not in wanted:
            continue
        queryset = source.records().order_by("pk")
        count = queryset.count()
        done = 0
        with transaction.atomic():
            SearchEntry.objects.filter(kind=source.kind).exclude(
                object_id__in=source.model_class._default_manager.values("pk")
            ).delete()
            ids = list(queryset.values_list("pk", flat=True))
            for start in range(0, len(ids), _CHUNK):
                done += entries_refresh(source, source.records(ids[start : start + _CHUNK]))
                if progress:
                    progress(source.kind, done, count)
        total += done
    _forget_searches()
    return total


def _forget_searches() -> None:
    """Make every cached search stale: a rebuild changes entries without an audited change."""
    from django.core.cache import cache

    from masar.search.selectors import GENERATION_KEY

    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)
