"""Read an uploaded table (CSV or XLSX) safely: one reader for the bulk imports and the indicator upload.

Every limit is checked before or while reading, never after: the file's size by the caller, a
zip's unpacked size, ratio, DTDs and giant cells before openpyxl opens it (masar.core.zips), then
rows, columns, cell lengths and CSV line lengths as they are read, so that a refusal comes at
the first row past a limit, whatever the file holds beyond it. A refusal is a `TableRefused` with a
`TableProblem` and where it was found; each door words it in its own language and messages.

Text files: UTF-8, with or without a byte-order mark, and UTF-16 (LE or BE) or UTF-32 with theirs,
recognized by the mark. Without a mark, a file that is not UTF-8 is refused naming the line where
the text stops being UTF-8: a guess between Windows-1256 and Latin-1 (which map the same bytes to
Arabic or to accented capitals) would store wrong names without anyone noticing.

XLSX: the first sheet, read-only, with its `<dimension>` ignored (`reset_dimensions`): a sheet whose
dimension tag is stale would otherwise lose the rows beyond it without a word.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import enum
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from masar.core.zips import ZipLimits, ZipProblem, ZipRefused, check_zip


class TableProblem(enum.Enum):
    UNREADABLE = "unreadable"  # not a file of its format (params: format)
    ENCODING = "encoding"  # not UTF-8 and no byte-order mark (row: the line)
    NUL = "nul"  # a NUL character (row: the line)
    EMPTY = "empty"  # no header row
    TOO_MANY_ROWS = "too_many_rows"  # params: limit
    TOO_MANY_COLUMNS = "too_many_columns"  # params: limit
    CELL_TOO_LONG = "cell_too_long"  # params: limit
    LINE_TOO_LONG = "line_too_long"  # a CSV line (params: limit)
    ZIP_BOMB = "zip_bomb"  # would unpack to more than a table holds
    MARKUP = "markup"  # an XML part with a DTD (entity expansion, external entities) or not in UTF-8


class TableRefused(Exception):
    """The table cannot be read: problem, the row (1 is the header, 0 the whole file), the column letter, params."""

    def __init__(self, problem: TableProblem, *, row: int = 0, column: str = "", **params: Any):
        self.problem, self.row, self.column, self.params = problem, row, column, params
        super().__init__(problem.value, row, column)


@dataclass(frozen=True)
class TableLimits:
    max_rows: int  # rows below the header, blank ones included
    max_columns: int
    max_cell_chars: int
    max_line_chars: int
    zip: ZipLimits = field(default_factory=ZipLimits)

    @classmethod
    def from_settings(cls, *, max_rows: int) -> TableLimits:
        """Return this deployment's limits (UPLOAD_* settings) for a door that takes max_rows rows."""
        from django.conf import settings

        return cls(
            max_rows=max_rows,
            max_columns=int(settings.UPLOAD_MAX_COLUMNS),
            max_cell_chars=int(settings.UPLOAD_MAX_CELL_CHARS),
            max_line_chars=int(settings.UPLOAD_MAX_LINE_CHARS),
            zip=ZipLimits.from_settings(),
        )


@dataclass
class Table:
    """An opened table: its header (text) and its rows as (row number as the person sees it, cells)."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    text: str = ""  # a CSV file's decoded text
    delimiter: str = ","


def is_zip(content: bytes) -> bool:
    return content[:2] == b"PK"


# Text -------------------------------------------------------------------------------------------

_MARKS = (  # the longest mark first: UTF-32 LE starts with UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(content: bytes) -> str:
    """Return the text of a file by its byte-order mark, else as UTF-8; refuse other encodings and NULs."""
    encoding = next((name for mark, name in _MARKS if content.startswith(mark)), None)
    if encoding is None and b"\x00" in content[:4096] and _looks_wide(content[:4096]):
        raise TableRefused(TableProblem.ENCODING, row=1, line=1)  # UTF-16 without its mark
    try:
        text = content.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        line = _line_of(content, error.start, encoding)
        raise TableRefused(TableProblem.ENCODING, row=line, line=line) from None
    if "\x00" in text:  # no database stores it
        line = text[: text.index("\x00")].count("\n") + 1
        raise TableRefused(TableProblem.NUL, row=line, line=line)
    return text


def _looks_wide(head: bytes) -> bool:
    """Whether bytes look like UTF-16 or UTF-32 text: NULs on every other byte of a mostly-ASCII text."""
    return head[0::2].count(0) > len(head) // 8 or head[1::2].count(0) > len(head) // 8


def _line_of(content: bytes, offset: int, encoding: str | None) -> int:
    if encoding in (None, "utf-8-sig"):
        return content[:offset].count(b"\n") + 1
    return content[:offset].decode(encoding, "replace").count("\n") + 1


# CSV --------------------------------------------------------------------------------------------


def open_csv(content: bytes, limits: TableLimits) -> Table:
    """Open a CSV file (delimiter , ; or tab, from its first line); refuse what breaks a limit."""
    text = decode_text(content)
    first = text[: limits.max_line_chars + 1].split("\n", 1)[0].lstrip("\ufeff")
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(_lines(text, limits.max_line_chars), delimiter=delimiter)
    header = [cell.strip() for cell in _record(reader, 1, limits) or []]
    if not any(header):
        raise TableRefused(TableProblem.EMPTY, row=1)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        while True:
            number += 1
            cells = _record(reader, number, limits)
            if cells is None:
                return
            if any(cell.strip() for cell in cells):
                yield number, cells

    return Table(header=header, rows=rows(), text=text, delimiter=delimiter)


def _lines(text: str, limit: int) -> Iterator[str]:
    """Yield the lines of text, refusing one longer than limit before the CSV reader splits it."""
    stream = io.StringIO(text)
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith("\n"):
            raise TableRefused(TableProblem.LINE_TOO_LONG, row=number, limit=limit)
        yield line


def _record(reader: Any, number: int, limits: TableLimits) -> list[str] | None:
    """Return the next record of a CSV reader, or None at the end; refuse one that breaks a limit."""
    try:
        cells = next(reader, None)
    except csv.Error as error:
        # past the reader's own field limit (131,072 characters: a quote left open counts), or malformed
        if "field limit" in str(error):
            raise TableRefused(TableProblem.CELL_TOO_LONG, row=number, limit=limits.max_cell_chars) from None
        raise TableRefused(TableProblem.UNREADABLE, row=number, format="CSV") from None
    if cells is not None:
        _check_row(cells, number, limits)
    return cells


def _check_row(cells: list[Any] | tuple[Any, ...], number: int, limits: TableLimits) -> None:
    if number - 1 > limits.max_rows:  # the first row past the limit: nothing beyond it is read
        raise TableRefused(TableProblem.TOO_MANY_ROWS, row=number, limit=limits.max_rows)
    check_cells(cells, number, limits)


def check_cells(cells: list[Any] | tuple[Any, ...], number: int, limits: TableLimits) -> None:
    """Refuse a row with more columns than allowed or a text cell longer than allowed, naming where."""
    if len(cells) > limits.max_columns:
        raise TableRefused(
            TableProblem.TOO_MANY_COLUMNS,
            row=number,
            column=get_column_letter(min(limits.max_columns + 1, 16384)),
            limit=limits.max_columns,
        )
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
            raise TableRefused(
                TableProblem.CELL_TOO_LONG, row=number, column=get_column_letter(index + 1), limit=limits.max_cell_chars
            )


# XLSX -------------------------------------------------------------------------------------------

_ZIP_PROBLEMS = {
    ZipProblem.CORRUPT: TableProblem.UNREADABLE,
    ZipProblem.BOMB: TableProblem.ZIP_BOMB,
    ZipProblem.MARKUP: TableProblem.MARKUP,
    ZipProblem.CELL_TOO_LONG: TableProblem.CELL_TOO_LONG,
}
# What openpyxl and the XML parser under it raise on a damaged or hostile workbook; defusedxml's
# refusals (EntitiesForbidden, DTDForbidden, ExternalReferenceForbidden) are ValueErrors.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    OSError,
    IndexError,
    SyntaxError,
)


def open_xlsx(content: bytes, limits: TableLimits, *, data_only: bool) -> Table:
    """Open the first sheet of a workbook; data_only: cached results of formulas instead of the formulas."""
    try:
        check_zip(content, limits.zip, max_text_chars=limits.max_cell_chars)
    except ZipRefused as refusal:
        problem = _ZIP_PROBLEMS[refusal.problem]
        raise TableRefused(problem, format="XLSX", limit=limits.max_cell_chars) from None
    try:
        reader = _FirstSheetReader(io.BytesIO(content), read_only=True, data_only=data_only)
        reader.read()
        workbook = reader.wb
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a stale <dimension> would cut the rows beyond it
        raw = sheet.iter_rows(values_only=True)
        header_cells = _xlsx_row(raw, 1, limits)
    except TableRefused:
        raise
    except _XLSX_ERRORS:
        raise TableRefused(TableProblem.UNREADABLE, format="XLSX") from None
    header = [_text(cell) for cell in header_cells or ()]
    while header and not header[-1]:
        header.pop()
    if not header:
        workbook.close()
        raise TableRefused(TableProblem.EMPTY, row=1)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            number = 1
            while True:
                number += 1
                cells = _xlsx_row(raw, number, limits)
                if cells is None:
                    return
                values = [_value(cell) for cell in cells]
                if any(value not in (None, "") for value in values):
                    yield number, values
        finally:
            workbook.close()

    return Table(header=header, rows=rows())


class _UnsizedSheet(ReadOnlyWorksheet):
    def _get_size(self) -> None:
        """Leave the sheet's size unknown, as reset_dimensions does, instead of searching the sheet for it."""


class _FirstSheetReader(ExcelReader):
    """openpyxl's read-only reader, opening only the first worksheet, without searching it for its size.

    openpyxl's read-only sheet looks for its <dimension> tag as it opens, and when the tag is
    missing it parses the whole sheet looking for it: every sheet of a workbook without one was
    parsed in full before its first row was read (the attack's million rows: 129 s of CPU).
    """

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                self.wb._sheets.append(worksheet)
                return


def _xlsx_row(raw: Iterator[tuple[Any, ...]], number: int, limits: TableLimits) -> list[Any] | None:
    try:
        padded = next(raw, None)
    except _XLSX_ERRORS:
        raise TableRefused(TableProblem.UNREADABLE, row=number, format="XLSX") from None
    if padded is None:
        return None
    _check_row(padded, number, limits)  # padded to its last cell, empty or not: the width openpyxl built
    cells = list(padded)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _value(cell: Any) -> Any:
    if isinstance(cell, datetime.datetime):
        return cell.date() if cell.time() == datetime.time(0) else cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell
