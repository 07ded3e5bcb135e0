"""The full-text conditions and scores of a parsed query, in each database's own language: a PostgreSQL
tsquery over the entries' tsvector, or an FTS5 expression over their FTS5 table."""

from __future__ import annotations

from django.db import connection
from django.db.models import FloatField
from django.db.models.expressions import RawSQL

from masar.arabic.analyzer import Part, Query


def tsquery_text(parts: tuple[Part, ...], weight: str = "", prefix_last: bool = False) -> str:
    def lexeme(term: str, prefix: bool) -> str:
        label = ("*" if prefix else "") + weight
        return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'" + (":" + label if label else "")

    groups = []
    for i, part in enumerate(parts):
        prefix = prefix_last and i == len(parts) - 1
        alternatives = [
            " <-> ".join(lexeme(t, prefix and j == len(alt) - 1) for j, t in enumerate(alt))
            for alt in part.alternatives
        ]
        if part.all_of:
            last = len(part.all_of) - 1
            alternatives.append(
                " & ".join(
                    "(" + " | ".join(lexeme(t, prefix and k == last) for t in word) + ")"
                    for k, word in enumerate(part.all_of)
                )
            )
        groups.append("(" + " | ".join(f"({a})" for a in alternatives) + ")")
    return " & ".join(groups)


def fts5_text(parts: tuple[Part, ...], column: str = "", prefix_last: bool = False) -> str:
    groups = []
    for i, part in enumerate(parts):
        prefix = "*" if prefix_last and i == len(parts) - 1 else ""
        alternatives = ['"' + " ".join(alt).replace('"', '""') + '"' + prefix for alt in part.alternatives]
        if part.all_of:
            last = len(part.all_of) - 1
            alternatives.append(
                "("
                + " AND ".join(
                    "("
                    + " OR ".join('"' + t.replace('"', '""') + '"' + (prefix if k == last else "") for t in word)
                    + ")"
                    for k, word in enumerate(part.all_of)
                )
                + ")"
            )
        groups.append("(" + " OR ".join(alternatives) + ")")
    expression = " AND ".join(groups)
    return f"{{{column}}} : ({expression})" if column else expression


def matches(parts: tuple[Part, ...], *, title_only: bool = False, prefix_last: bool = False) -> tuple[str, str]:
    """Return (SQL condition on an entry, its parameter) for the entries these parts find."""
    if connection.vendor == "postgresql":
        # A tsquery literal is parsed once, when the statement is planned (to_tsquery would parse it per row);
        # the terms are the analyzer's, already in the index's form.
        column = "title_vector" if title_only else "vector"
        return f"search_searchentry.{column} @@ %s::tsquery", tsquery_text(parts, "", prefix_last)
    query = fts5_text(parts, "title_terms" if title_only else "", prefix_last)
    return "search_searchentry.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)", query


def rank(parts: tuple[Part, ...], prefix_last: bool) -> tuple[str, str]:
    """Return (SQL of a number in [0, 1) that grows with how well an entry matches, its parameter)."""
    if connection.vendor == "postgresql":
        return "ts_rank(search_searchentry.vector, %s::tsquery)", tsquery_text(parts, "", prefix_last)
    return (
        "1.0 - 1.0 / (1.0 + COALESCE((SELECT -bm25(search_fts, 2.0, 1.0) FROM search_fts "
        "WHERE search_fts MATCH %s AND rowid = search_searchentry.id), 0))",
        fts5_text(parts, "", prefix_last),
    )


def score(exact: Query, broad: Query, prefix_last: bool = False) -> RawSQL:
    """Exact matches above typo matches, then title matches, then the query as a phrase, then the rank."""
    pieces, params = [], []
    if broad != exact:  # words widened to typos: an entry found by the typed words comes first
        sql, param = matches(exact.parts, prefix_last=prefix_last)
        pieces.append(f"CASE WHEN {sql} THEN 4 ELSE 0 END")
        params.append(param)
    sql, param = matches(exact.parts, title_only=True, prefix_last=prefix_last)
    pieces.append(f"CASE WHEN {sql} THEN 2 ELSE 0 END")
    params.append(param)
    if len(exact.phrase) > 1:
        phrase = (Part(" ".join(exact.phrase), (exact.phrase,)),)
        sql, param = matches(phrase)
        pieces.append(f"CASE WHEN {sql} THEN 1 ELSE 0 END")
        params.append(param)
    sql, param = rank(broad.parts, prefix_last)
    pieces.append(sql)
    params.append(param)
    return RawSQL("(" + " + ".join(pieces) + ")", params, output_field=FloatField())
