"""Read an import file (CSV, XLSX or JSON) into a header and numbered rows, refusing what cannot be trusted.

CSV is UTF-8, with or without a byte-order mark; any other encoding is refused with the row where
the text stops being UTF-8. XLSX is read in read-only mode, formulas as written (never their
cached results). JSON is a list of objects, or {"records": [...]}. Rows are numbered as the
person sees them: in CSV and XLSX the header is row 1 and the first record row 2; in JSON the
first object is row 1.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
    """Open the content of an import file in a format; raise FileRefused when it cannot be read."""
    if fmt == ImportFormat.XLSX:
        return _xlsx(content)
    if fmt == ImportFormat.JSON:
        return _json(content)
    return _csv(content)


def decode_utf8(content: bytes) -> str:
    """Return the text of a UTF-8 file (a byte-order mark is dropped), or refuse it naming the row that breaks."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise FileRefused([problem(line, "", "encoding", line=line)]) from None
    for mark in ("\x00", "\\u0000"):  # a NUL character, raw or as a JSON escape: no database stores it
        if mark in text:
            line = text[: text.index(mark)].count("\n") + 1
            raise FileRefused([problem(line, "", "nul", line=line)])
    return text


def _csv(content: bytes) -> Source:
    text = decode_utf8(content)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip() for cell in next(reader, [])]
    if not any(header):
        raise FileRefused([problem(1, "", "empty")])

    def rows():
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                yield number, cells

    return Source(format=ImportFormat.CSV, header=header, rows=rows(), text=text, delimiter=delimiter)


def _xlsx(content: bytes) -> Source:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        raw = sheet.iter_rows(values_only=True)
        header_cells = next(raw, ())
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, StopIteration):
        raise FileRefused([problem(0, "", "unreadable", format="XLSX")]) from None
    header = [_xlsx_text(cell) for cell in header_cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise FileRefused([problem(1, "", "empty")])

    def rows():
        try:
            for number, cells in enumerate(raw, start=2):
                values = [_xlsx_value(cell) for cell in cells]
                if any(value not in (None, "") for value in values):
                    yield number, values
        finally:
            workbook.close()

    return Source(format=ImportFormat.XLSX, header=header, rows=rows())


def _xlsx_text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _xlsx_value(cell: Any) -> Any:
    if isinstance(cell, datetime.datetime):
        return cell.date() if cell.time() == datetime.time(0) else cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


def _json(content: bytes) -> Source:
    text = decode_utf8(content)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileRefused([problem(error.lineno, "", "unreadable", format="JSON")]) from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate escape (\ud800): not a character
        raise FileRefused([problem(0, "", "unreadable", format="JSON")]) from None
    if isinstance(data, dict) and isinstance(data.get("records"), list) and set(data) == {"records"}:
        data = data["records"]
    if not isinstance(data, list):
        raise FileRefused([problem(0, "", "json_shape")])
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
    records = [(n, r) for n, r in enumerate(data, start=1) if isinstance(r, dict)]

    def rows():
        for number, record in records:
            yield number, [record.get(name) for name in header]

    return Source(format=ImportFormat.JSON, header=header, rows=rows(), problems=problems)


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
