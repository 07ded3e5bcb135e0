"""Turn a public view's rows into the bytes of its published files: CSV (UTF-8), XLSX and JSON."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from masar.exports.writers import csv_cell, xlsx_write
from masar.opendata.models import ResourceFormat
from masar.opendata.tables import Table


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def render(table: Table, rows: Iterable[list[Any]], fmt: str, *, title: str) -> tuple[bytes, int]:
    """Return the file of these rows in one format, and how many rows it holds.

    CSV: comma-separated, point decimals, ISO dates, UTF-8 without a byte-order mark (what harvesters and
    statistical tools read); XLSX: one right-to-left sheet; JSON: the Table Schema of the columns and the rows
    as objects.
    """
    names = [column.name for column in table.columns]
    rows = list(rows)
    if fmt == ResourceFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([csv_cell(value) for value in row] for row in rows)
        return buffer.getvalue().encode("utf-8"), len(rows)
    if fmt == ResourceFormat.XLSX:
        buffer_b = io.BytesIO()
        xlsx_write(buffer_b, names, rows, sheet_title=title or "data", right_to_left=True)
        return buffer_b.getvalue(), len(rows)
    if fmt == ResourceFormat.JSON:
        document = {
            "schema": {"fields": [{"name": column.name, "type": column.type} for column in table.columns]},
            "data": [{name: _json_value(value) for name, value in zip(names, row, strict=True)} for row in rows],
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), len(rows)
    raise ValueError(f"unknown format {fmt!r}")
