"""Turn the cells of one row into typed values, each refusal a (row, column, reason) problem."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from masar.arabic import normalize_digits
from masar.core.numbers import TypedNumberError, read_number
from masar.imports.columns import Column
from masar.imports.parsers import is_formula
from masar.imports.reasons import problem

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-01)?$")
TRUE = {"1", "yes", "true", "oui", "vrai", "نعم", "y", "o"}
FALSE = {"0", "no", "false", "non", "faux", "لا", "n", ""}


class CellError(ValueError):
    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(code)


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw).strip()


def _number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise CellError("not_a_number", value=raw)
    if isinstance(raw, int | float | Decimal):
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            raise CellError("not_a_number", value=raw) from None
    else:
        try:
            number = read_number(_text(raw))
        except TypedNumberError:
            raise CellError("not_a_number", value=raw) from None
    if not number.is_finite():
        raise CellError("not_a_number", value=raw)
    return number


def _integer(raw: Any) -> int:
    number = _number(raw)
    if number != number.to_integral_value():
        raise CellError("not_a_number", value=raw)
    return int(number)


def _date(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = normalize_digits(_text(raw))
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CellError("not_a_date", value=raw) from None


def _month(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.date):
        return datetime.date(raw.year, raw.month, 1)
    match = _MONTH.match(normalize_digits(_text(raw)))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CellError("not_a_month", value=raw)
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError("not_a_boolean", value=raw)


def _choice(raw: Any, column: Column) -> str:
    text = _text(raw)
    if text not in column.choices:
        raise CellError("not_a_choice", value=text, choices=", ".join(column.choices))
    return text


_READERS = {"number": _number, "integer": _integer, "date": _date, "month": _month, "bool": _bool}


def read_cell(column: Column, raw: Any) -> Any:
    """Return the typed value of one cell, None when empty; raise CellError saying why it is refused."""
    if is_formula(raw, text_column=column.type in ("text", "choice")):
        raise CellError("formula", value=str(raw)[:40])
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise CellError("required")
        return False if column.type == "bool" else None
    if column.type == "text":
        text = _text(raw)
        if column.max_length and len(text) > column.max_length:
            raise CellError("too_long", limit=column.max_length)
        return text
    if column.type == "choice":
        return _choice(raw, column)
    return _READERS[column.type](raw)


def read_row(
    columns: dict[str, Column], header: list[str], number: int, cells: list[Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the typed values of a row by column name, and the problems of its cells."""
    values: dict[str, Any] = {}
    problems = []
    given = {name: (cells[index] if index < len(cells) else None) for index, name in enumerate(header) if name}
    for name, column in columns.items():
        try:
            values[name] = read_cell(column, given.get(name))
        except CellError as error:
            values[name] = None
            problems.append(problem(number, name, error.code, **error.params))
    return values, problems
