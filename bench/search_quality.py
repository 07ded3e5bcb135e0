"""Measure how well Arabic search finds what civil servants mean: `python -m bench.search_quality [--verbose]`.

The evaluation set lives in `tests/search/quality/`: `passages.json` (the five Arabic seed documents cut into
sentences and list items, copied verbatim) and `queries.json` (queries as people type them, each with the passages
judged relevant by hand, and the kind of variation it tests: hamza forms, taa marbuta, digits, proclitics, plurals,
Maghreb/Mashriq vocabulary, French/English words, typos, queries with no answer…).

Each system is asked every query; what it returns is compared with the judgments:

Two judgments per query: `relevant_strict` (the passage's own words say what the query means: its words, their
forms, their regional synonyms or translations) gives the main figures; `relevant` (the passage is about it when
read within its whole document or with world knowledge: a strategy named only by context, a head of government by
name) gives `<system>_recall_in_context` and `<system>_precision_in_context`.

- recall = relevant passages found / relevant passages, precision = relevant passages found / passages found,
  both micro-averaged over all queries (`<system>_recall`, `<system>_precision`), and macro-averaged
  (`<system>_macro_recall` over the queries that have an answer, `<system>_macro_precision` over the queries for
  which the system returned something);
- `<system>_no_answer_clean`: how many of the queries without an answer returned nothing;
- `recall_<kind>_<system>` per kind of query (micro), and `false_<system>_no_answer` for the kind without answers.

Systems:

- `pg_arabic`: PostgreSQL's `arabic` text-search configuration (`to_tsvector` / `plainto_tsquery`), in one
  transaction on a TEMP table, on `DATABASE_URL` when it is a PostgreSQL URL, else on
  `postgres://postgres@127.0.0.1:5432/postgres`; printed as `pg_arabic=unavailable` when it cannot be reached;
- `fts5`: SQLite FTS5 with `unicode61 remove_diacritics 2`, each query word an FTS5 string, ANDed;
- `search`: Masar's own search through `masar.search.quality.masar_results(passages, queries)`, which returns
  {query id: [passage ids, best first]}; printed as `search_recall=unavailable` until it exists.

`--verbose` also prints, per system and query, the relevant passages missed and the passages wrongly found.
Everything is deterministic: same data, same output.
"""

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

QUALITY = Path(__file__).resolve().parent.parent / "tests" / "search" / "quality"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def load_set():
    """Return (passages, queries) from the evaluation set."""
    passages = json.loads((QUALITY / "passages.json").read_text(encoding="utf-8"))
    queries = json.loads((QUALITY / "queries.json").read_text(encoding="utf-8"))
    return passages, queries


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_PG


def run_pg_arabic(passages, queries):
    """Return {query id: [passage ids]} found by PostgreSQL's `arabic` configuration."""
    import psycopg

    results = {}
    with psycopg.connect(postgres_url(), connect_timeout=5, autocommit=True) as conn:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("CREATE TEMP TABLE quality_passage (id text PRIMARY KEY, tsv tsvector NOT NULL) ON COMMIT DROP")
            cur.executemany(
                "INSERT INTO quality_passage (id, tsv) VALUES (%s, to_tsvector('arabic', %s))",
                [(p["id"], p["text"]) for p in passages],
            )
            for query in queries:
                cur.execute(
                    "SELECT id FROM quality_passage, plainto_tsquery('arabic', %s) AS q WHERE tsv @@ q"
                    " ORDER BY ts_rank(tsv, q) DESC, id",
                    [query["query"]],
                )
                results[query["id"]] = [row[0] for row in cur.fetchall()]
    return results


def fts5_expression(text):
    """Return an FTS5 query ANDing each word of `text` as a quoted string, or "" for no word."""
    words = text.split()
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def run_fts5(passages, queries):
    """Return {query id: [passage ids]} found by SQLite FTS5 (unicode61, diacritics removed)."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute(
            "CREATE VIRTUAL TABLE quality_passage USING fts5(id UNINDEXED, text,"
            " tokenize='unicode61 remove_diacritics 2')"
        )
        db.executemany("INSERT INTO quality_passage (id, text) VALUES (?, ?)", [(p["id"], p["text"]) for p in passages])
        results = {}
        for query in queries:
            expression = fts5_expression(query["query"])
            rows = []
            if expression:
                rows = db.execute(
                    "SELECT id FROM quality_passage WHERE quality_passage MATCH ? ORDER BY rank, id", [expression]
                ).fetchall()
            results[query["id"]] = [row[0] for row in rows]
        return results
    finally:
        db.close()


def run_masar(passages, queries):
    """Return Masar's own results, through its real index and search query.

    On PostgreSQL (`DATABASE_URL`, migrated) inside a transaction that is rolled back; otherwise in an
    in-memory SQLite database holding only the search tables.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masar.settings")
    os.environ.setdefault("SECRET_KEY", "masar-benchmark-only")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.db import connection, transaction

    from masar.audit.models import AuditEntry
    from masar.core.models import Classification
    from masar.core.policy import Reader
    from masar.organizations.models import Organization
    from masar.search.index import entries_refresh
    from masar.search.models import EntryKind, SearchEntry, SearchTermKey, ThesaurusGroup
    from masar.search.schema import install
    from masar.search.selectors import SearchFilters, search
    from masar.search.services import thesaurus_seed
    from masar.search.sources import Source

    if connection.vendor == "sqlite":
        with connection.schema_editor() as editor:
            for model in (Organization, AuditEntry, SearchEntry, SearchTermKey, ThesaurusGroup):
                editor.create_model(model)
        install(connection)
    passage_source = Source(
        kind=EntryKind.DOCUMENT,
        model="search.SearchEntry",
        titles=lambda p: {"ar": "", "fr": "", "en": ""},
        bodies=lambda p: [(p.text, "ar")],
        organization=lambda p: None,
        year=lambda p: None,
        classification=lambda p: Classification.PUBLIC,
        page=lambda pk, parent=None: "",
    )
    records = [_Passage(pk=i + 1, text=p["text"]) for i, p in enumerate(passages)]
    ids = {record.pk: p["id"] for record, p in zip(records, passages, strict=True)}
    results = {}
    with transaction.atomic():
        thesaurus_seed()
        entries_refresh(passage_source, records)
        for query in queries:
            found = search(Reader.system(), SearchFilters(q=query["query"], kinds=("document",), limit=len(passages)))
            results[query["id"]] = [ids[hit.object_id] for hit in found.hits]
        transaction.set_rollback(True)
    return results


class _Passage:
    def __init__(self, pk, text):
        self.pk, self.text = pk, text


STRICT = "relevant_strict"  # the passage's own words say what the query means
IN_CONTEXT = "relevant"  # the passage is about it, read within its whole document or with world knowledge


def score(queries, results, judgment=STRICT):
    """Return the figures of one system as an ordered list of (key suffix, value)."""
    found_total = relevant_total = hits_total = 0
    recalls, precisions, clean = [], [], 0
    by_kind = {}
    for query in queries:
        relevant = set(query[judgment])
        found = set(results.get(query["id"], []))
        hits = len(found & relevant)
        hits_total += hits
        found_total += len(found)
        relevant_total += len(relevant)
        kind = by_kind.setdefault(query["kind"], [0, 0, 0])  # hits, relevant, wrongly found
        kind[0] += hits
        kind[1] += len(relevant)
        kind[2] += len(found - relevant)
        if relevant:
            recalls.append(hits / len(relevant))
        elif not found:
            clean += 1
        if found:
            precisions.append(hits / len(found))
    figures = [
        ("recall", ratio(hits_total, relevant_total)),
        ("precision", ratio(hits_total, found_total)),
        ("macro_recall", ratio(sum(recalls), len(recalls))),
        ("macro_precision", ratio(sum(precisions), len(precisions))),
        ("queries", len(queries)),
        ("found", found_total),
        ("no_answer_clean", f"{clean}/{sum(1 for q in queries if not q[judgment])}"),
    ]
    kinds = [(kind, *by_kind[kind]) for kind in sorted(by_kind)]
    return figures, kinds


def ratio(numerator, denominator):
    return "n/a" if not denominator else f"{numerator / denominator:.3f}"


def report(name, queries, results, verbose):
    figures, kinds = score(queries, results)
    for key, value in figures:
        print(f"{name}_{key}={value}")
    for key, value in score(queries, results, IN_CONTEXT)[0][:2]:
        print(f"{name}_{key}_in_context={value}")
    for kind, hits, relevant, wrong in kinds:
        if relevant:
            print(f"recall_{kind}_{name}={ratio(hits, relevant)}")
        else:
            print(f"false_{name}_{kind}={wrong}")
    if verbose:
        for query in queries:
            relevant = set(query[STRICT])
            found = results.get(query["id"], [])
            missed = sorted(relevant - set(found))
            wrong = [pid for pid in found if pid not in relevant]
            if missed or wrong:
                print(
                    f"{name}_{query['id']} query={query['query']!r} kind={query['kind']}"
                    f" missed={','.join(missed) or '-'} false={','.join(wrong) or '-'}"
                )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print the misses and false positives per query")
    args = parser.parse_args(argv)
    passages, queries = load_set()
    print(f"passages={len(passages)}")
    print(f"queries={len(queries)}")
    try:
        pg = run_pg_arabic(passages, queries)
    except Exception as error:  # unreachable server, no `arabic` configuration, no driver: say why and go on
        reason = " ".join(str(error).split()) or type(error).__name__
        print(f"pg_arabic=unavailable reason={reason}")
    else:
        report("pg_arabic", queries, pg, args.verbose)
    report("fts5", queries, run_fts5(passages, queries), args.verbose)
    try:
        masar = run_masar(passages, queries)
    except ImportError as error:
        print(f"search_recall=unavailable reason={' '.join(str(error).split())}")
    else:
        report("search", queries, masar, args.verbose)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
