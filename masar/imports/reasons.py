"""Why a row was refused: reason keys stored on the job, worded in the reader's language when shown.

A problem is {"row": int, "column": str, "code": str, "params": dict}. A rule enforced by a
service (a locked period, a figure out of bounds...) travels as code "rule" with its message
already worded in each of the three languages (params["texts"]), as the service wrote it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("ar", "fr", "en")

REASONS = {
    "encoding": _("The file is not UTF-8 text (row %(line)s cannot be read): save it as CSV UTF-8."),
    "too_many_rows": _("The file has more than %(limit)s rows; split it (a large file goes faster as CSV)."),
    "too_many_columns": _("The file has more than %(limit)s columns."),
    "line_too_long": _("A line of the file is longer than %(limit)s characters."),
    "zip_bomb": _("The file would unpack to far more than a spreadsheet holds: it was refused."),
    "markup": _("The workbook holds markup no spreadsheet program writes (a DTD or entities): it was refused."),
    "nul": _("Row %(line)s holds a NUL character, which no record can keep: remove it and send the file again."),
    "unreadable": _("The file cannot be read as %(format)s."),
    "format": _("Upload a CSV, XLSX or JSON file."),
    "json_shape": _("A JSON file holds a list of objects, or an object whose “records” is that list."),
    "json_row": _("This record is not an object of named values."),
    "empty": _("The file has no rows below its header."),
    "too_large": _("The file is larger than %(limit)s MB; split it."),
    "unknown_column": _("“%(column)s” is not a column of this kind of import."),
    "duplicate_column": _("The column “%(column)s” appears twice."),
    "missing_column": _("The column “%(column)s” is missing."),
    "formula": _("A cell may not start with =, +, - or @ (a spreadsheet formula): “%(value)s”."),
    "required": _("This cell is required."),
    "too_long": _("This cell is longer than %(limit)s characters."),
    "not_a_number": _("“%(value)s” is not a number."),
    "not_a_date": _("“%(value)s” is not a date: write it as YYYY-MM-DD."),
    "not_a_month": _("“%(value)s” is not a month: write it as YYYY-MM."),
    "not_a_boolean": _("“%(value)s” is neither yes nor no."),
    "not_a_choice": _("“%(value)s” is not one of: %(choices)s."),
    "unknown_project": _("No project has the code “%(value)s”."),
    "unknown_indicator": _("No indicator has the code “%(value)s”."),
    "unknown_organization": _("No organization has the code “%(value)s”."),
    "unknown_region": _("No region has the code “%(value)s”."),
    "unknown_strategy": _("No strategy has the code “%(value)s”."),
    "unknown_axis": _("The strategy has no axis number %(value)s."),
    "currency": _("“%(value)s” is not a currency code: give the three capital letters of ISO 4217, e.g. TND."),
    "unknown_program": _("The strategy has no program with the code “%(value)s”."),
    "not_permitted": _("You may not write this record."),
    "duplicate_row": _("Row %(other)s already gives the same record."),
    "project_differs": _("The project's columns differ from row %(other)s, which gives the same project."),
    "code_taken": _("The code “%(value)s” belongs to another record than this external id."),
    "period_not_start": _("Give the first month of the indicator's period (%(expected)s)."),
    "period_not_ended": _("The period %(value)s has not ended yet."),
    "wrong_place": _("The region or organization does not fit how this indicator's values are broken down."),
    "awaiting_approval": _("This value waits for approval: it can change only if it is rejected."),
    "out_of_bounds": _("%(value)s is outside the indicator's acceptable values."),
    "value_exists": _("A value for this period and place already exists and was not imported from this source."),
    "locked": _("This value is approved and locked: it cannot be changed."),
    "derived": _("This indicator's values are computed from its numerator and denominator indicators."),
    "weight_required": _("This indicator needs a weight with each value."),
    "ratio_parts": _("A ratio's value is given as its numerator and denominator."),
}


def problem(row: int, column: str, code: str, /, **params: Any) -> dict[str, Any]:
    """Return one problem as the job stores it (what the file said is kept as text any database stores)."""
    return {"row": row, "column": _storable(column), "code": code, "params": {k: _plain(v) for k, v in params.items()}}


def _storable(text: str, limit: int = 200) -> str:
    """Return text without NUL characters or lone surrogates, cut at limit: it repeats what a file said."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")[:limit]


def _plain(value):
    if isinstance(value, str):
        return _storable(value, 1000)
    if isinstance(value, int | float | bool | dict | list) or value is None:
        return value
    return str(value)


def _texts(message: Any, params: dict | None = None) -> dict[str, str]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            text = str(message)
            texts[language] = text % params if params else text
    return texts


def rule_problems(row: int, error: Exception, *, column: str = "") -> list[dict[str, Any]]:
    """Return the problems a service's refusal of one row carries, worded in every language it can be."""
    if isinstance(error, ValidationError):
        found = []
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for item in errors:
                    found.append(_rule(row, column or _column_of(field), _texts(item.message, item.params)))
        else:
            for item in error.error_list:
                found.append(_rule(row, column, _texts(item.message, item.params)))
        return found
    errors = getattr(error, "errors", None)
    if errors:
        return [_rule(row, column or _column_of(field), _texts(message)) for field, message in _pairs(errors)]
    message = getattr(error, "message", None) or REASONS["not_permitted"]
    return [_rule(row, column, _texts(message))]


def _pairs(errors):
    for item in errors:
        if isinstance(item, tuple | list) and len(item) == 2:
            yield item[0], item[1]
        else:
            yield "", getattr(item, "message", item)


def _column_of(field: Any) -> str:
    return "" if not field or field == "__all__" else str(field)


def _rule(row, column, texts):
    return {"row": row, "column": column, "code": "rule", "params": {"texts": texts}}


def problem_text(item: dict[str, Any]) -> str:
    """Word one stored problem in the active language."""
    params = dict(item.get("params") or {})
    if item.get("code") == "rule":
        texts = params.get("texts") or {}
        language = (translation.get_language() or "ar")[:2]
        return texts.get(language) or next(iter(texts.values()), "")
    template = REASONS.get(item.get("code", ""))
    if template is None:
        return str(item.get("code", ""))
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
