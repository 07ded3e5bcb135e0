"""Read an import file (CSV, XLSX or JSON) into a header and numbered rows, refusing what cannot be trusted.

CSV and XLSX are read by the shared safe table reader (masar.core.tables: encodings, limits, zip
checks); XLSX formulas as written (never their cached results). JSON is a list of objects, or
{"records": [...]}. Rows are numbered as the person sees them: in CSV and XLSX the header is row 1
and the first record row 2; in JSON the first object is row 1.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

from masar.core import tables
from masar.imports.columns import columns_of
from masar.imports.models import ImportFormat
from masar.imports.reasons import problem

if TYPE_CHECKING:
    from collections.abc import Iterator

FORMULA_STARTS = ("=", "+", "-", "@")


class FileRefused(Exception):
    """The file as a whole cannot be read; problems says why (stored keys, see masar.imports.reasons)."""

    def __init__(self, problems: list[dict[str, Any]]):
        self.problems = problems
        super().__init__(problems)


@dataclass
class Source:
    """A file opened for import: its columns, and its rows as (row number, cells aligned with the header)."""

    format: str
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    problems: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""  # a CSV file's decoded text (the PostgreSQL path copies it as it is)
    delimiter: str = ","


def guess_format(filename: str, content: bytes) -> str:
    """Return the format of a file from its first bytes, else its name."""
    head = content[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if content[:2] == b"PK":
        return ImportFormat.XLSX
    if head[:1] in (b"[", b"{"):
        return ImportFormat.JSON
    name = (filename or "").lower()
    if name.endswith(".json"):
        return ImportFormat.JSON
    if name.endswith(".xlsx"):
        return ImportFormat.XLSX
    if name.endswith((".csv", ".txt")) or not name:
        return ImportFormat.CSV
    raise FileRefused([problem(0, "", "format")])


def open_source(content: bytes, fmt: str) -> Source:
    """Open the content of an import file in a format; raise FileRefused when it cannot be read.

    The rows are read lazily: one past a limit raises FileRefused while they are read.
    """
    limits = _limits(fmt)
    try:
        if fmt == ImportFormat.XLSX:
            table = tables.open_xlsx(content, limits, data_only=False)
            return Source(format=fmt, header=table.header, rows=_guarded(table.rows))
        if fmt == ImportFormat.JSON:
            return _json(content, limits)
        table = tables.open_csv(content, limits)
    except tables.TableRefused as refusal:
        raise _refused(refusal) from None
    return Source(
        format=ImportFormat.CSV,
        header=table.header,
        rows=_guarded(table.rows),
        text=table.text,
        delimiter=table.delimiter,
    )


def _limits(fmt: str) -> tables.TableLimits:
    """Return the limits of a bulk import: XLSX files, far slower to read than CSV, take fewer rows."""
    rows = settings.IMPORT_XLSX_MAX_ROWS if fmt == ImportFormat.XLSX else settings.IMPORT_MAX_ROWS
    return tables.TableLimits.from_settings(max_rows=int(rows))


# How the shared table reader's refusals are worded here (masar.imports.reasons).
CODES = {
    tables.TableProblem.UNREADABLE: "unreadable",
    tables.TableProblem.ENCODING: "encoding",
    tables.TableProblem.NUL: "nul",
    tables.TableProblem.EMPTY: "empty",
    tables.TableProblem.TOO_MANY_ROWS: "too_many_rows",
    tables.TableProblem.TOO_MANY_COLUMNS: "too_many_columns",
    tables.TableProblem.CELL_TOO_LONG: "too_long",
    tables.TableProblem.LINE_TOO_LONG: "line_too_long",
    tables.TableProblem.ZIP_BOMB: "zip_bomb",
    tables.TableProblem.MARKUP: "markup",
}


def _refused(refusal: tables.TableRefused) -> FileRefused:
    return FileRefused([problem(refusal.row, refusal.column, CODES[refusal.problem], **refusal.params)])


def _guarded(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    try:
        yield from rows
    except tables.TableRefused as refusal:
        raise _refused(refusal) from None


def decode_utf8(content: bytes) -> str:
    """Return the text of a file (UTF-8, or another Unicode encoding by its byte-order mark), or refuse it."""
    text = tables.decode_text(content)
    if "\\u0000" in text:  # a NUL character as a JSON escape: no database stores it
        line = text[: text.index("\\u0000")].count("\n") + 1
        raise tables.TableRefused(tables.TableProblem.NUL, row=line, line=line)
    return text


def _json(content: bytes, limits: tables.TableLimits) -> Source:
    text = decode_utf8(content)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileRefused([problem(error.lineno, "", "unreadable", format="JSON")]) from None
    except RecursionError:  # thousands of nested brackets
        raise FileRefused([problem(0, "", "unreadable", format="JSON")]) from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate escape (\ud800): not a character
        raise FileRefused([problem(0, "", "unreadable", format="JSON")]) from None
    if isinstance(data, dict) and isinstance(data.get("records"), list) and set(data) == {"records"}:
        data = data["records"]
    if not isinstance(data, list):
        raise FileRefused([problem(0, "", "json_shape")])
    if len(data) > limits.max_rows:
        raise tables.TableRefused(tables.TableProblem.TOO_MANY_ROWS, row=limits.max_rows + 1, limit=limits.max_rows)
    header: list[str] = []
    problems = []
    seen: set[str] = set()
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            problems.append(problem(number, "", "json_row"))
            continue
        for key in record:
            if key not in seen:
                seen.add(key)
                header.append(str(key))
        if len(header) > limits.max_columns:
            raise tables.TableRefused(
                tables.TableProblem.TOO_MANY_COLUMNS, row=number, column=header[-1], limit=limits.max_columns
            )
    records = [(n, r) for n, r in enumerate(data, start=1) if isinstance(r, dict)]

    def rows():
        for number, record in records:
            cells = [record.get(name) for name in header]
            tables.check_cells(cells, number, limits)
            yield number, cells

    return Source(format=ImportFormat.JSON, header=header, rows=_guarded(rows()), problems=problems)


def header_problems(kind: str, header: list[str]) -> list[dict[str, Any]]:
    """Return what is wrong with a file's columns for this kind: unknown, repeated or missing ones."""
    known = {column.name: column for column in columns_of(kind)}
    found = []
    seen = set()
    for name in header:
        if not name:
            continue
        if name not in known:
            found.append(problem(1, name, "unknown_column", column=name))
        elif name in seen:
            found.append(problem(1, name, "duplicate_column", column=name))
        seen.add(name)
    for column in known.values():
        if column.required and column.name not in seen:
            found.append(problem(1, column.name, "missing_column", column=column.name))
    return found


def is_formula(value: Any, *, text_column: bool) -> bool:
    """Whether a cell would run as a formula in a spreadsheet: "=" anywhere, "+ - @" in a text column."""
    if not isinstance(value, str):
        return False
    stripped = value.lstrip()
    if stripped.startswith("="):
        return True
    return text_column and stripped.startswith(FORMULA_STARTS)
