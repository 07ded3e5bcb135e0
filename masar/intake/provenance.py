"""Where each item of a draft came from in its text, so a reviewer sees it highlighted in place (no Django import).

Extracted strings are written as in the text: each is found as written, else in the folded text (tatweel,
diacritics, hamza forms and spacing do not break the location) with the offsets mapped back to the text.
A number is the written number of that value nearest the item it belongs to (an axis's projects beside the
axis's name); a period, a date or an amount the one of those values.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from masar.arabic import find_amounts, find_dates, find_numbers, find_year_ranges, fold

Span = tuple[int, int]
# Written after the last letter of a match, these belong to it (a folded match ends before them).
_TRAILING = "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"


@dataclass(frozen=True)
class _Folded:
    """The text folded as `fold` folds it, spaces collapsed, with the offset in the text of every folded character."""

    text: str
    origin: tuple[int, ...]


def _fold_with_origin(text: str) -> _Folded:
    parts: list[str] = []
    origin: list[int] = []
    space = True  # a leading space is dropped, as fold() strips
    for index, char in enumerate(text):
        if char.isspace():
            if not space:
                parts.append(" ")
                origin.append(index)
            space = True
            continue
        folded = fold(char)
        if folded:
            parts.append(folded)
            origin.extend([index] * len(folded))
            space = False
    return _Folded("".join(parts), tuple(origin))


class _Locator:
    """Finds strings of one text, as written or folded, from a cursor that keeps listed items in order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded: _Folded | None = None

    @property
    def folded(self) -> _Folded:
        if self._folded is None:
            self._folded = _fold_with_origin(self.text)
        return self._folded

    def find(self, item: str, after: int = 0) -> Span | None:
        """Return the span of item in the text, searched from after first, then from the start."""
        item = item.strip()
        if not item:
            return None
        for start in (after, 0):
            found = self.text.find(item, start)
            if found >= 0:
                return found, found + len(item)
        wanted = fold(item)
        if not wanted:
            return None
        folded = self.folded
        first = bisect_left(folded.origin, after)
        for start in (first, 0):
            found = folded.text.find(wanted, start)
            if found >= 0:
                end = folded.origin[found + len(wanted) - 1] + 1
                while end < len(self.text) and self.text[end] in _TRAILING:
                    end += 1
                return folded.origin[found], end
        return None


def _nearest(spans: Iterable[Span], anchor: Span | None) -> Span | None:
    """Return the span closest to anchor (the first one without an anchor)."""
    spans = list(spans)
    if not spans:
        return None
    if anchor is None:
        return spans[0]
    middle = (anchor[0] + anchor[1]) / 2
    return min(spans, key=lambda span: (abs((span[0] + span[1]) / 2 - middle), span[0]))


def _number_spans(text: str, value: Any) -> list[Span]:
    if value is None:
        return []
    return [(n.start, n.end) for n in find_numbers(text) if n.value == Decimal(str(value)) and not n.reference]


def _list(draft: Mapping[str, Any], key: str) -> list[Any]:
    value = draft.get(key)
    return list(value) if isinstance(value, list) else []


def _strings(where: dict[str, Span], locator: _Locator, key: str, items: Iterable[Any]) -> None:
    """Locate listed strings in order: each is looked for after the previous one."""
    cursor = 0
    for index, item in enumerate(items):
        span = locator.find(item, cursor) if isinstance(item, str) else None
        if span is not None:
            where[f"{key}.{index}"] = span
            cursor = span[1]


def _named_parts(where: dict[str, Span], locator: _Locator, key: str, parts: list[Any]) -> None:
    """Locate named parts (axes, phases, programs' items) and, beside each, its number of projects and budget."""
    cursor = 0
    text = locator.text
    for index, part in enumerate(parts):
        if not isinstance(part, Mapping):
            continue
        span = locator.find(str(part.get("name") or ""), cursor)
        if span is None:
            continue
        where[f"{key}.{index}"] = span
        cursor = span[1]
        projects = _nearest(_number_spans(text, part.get("projects")), span)
        if projects is not None:
            where[f"{key}.{index}.projects"] = projects
        budget = part.get("budget")
        if isinstance(budget, Mapping) and budget.get("amount") is not None:
            amounts = [(a.start, a.end) for a in find_amounts(text) if a.value == Decimal(str(budget["amount"]))]
            found = _nearest(amounts, span)
            if found is not None:
                where[f"{key}.{index}.budget"] = found


def locate(text: str, draft: Mapping[str, Any]) -> dict[str, Span]:
    """Return, for each item of an extract() result found in text, its (start, end) offsets in text.

    Paths: "organization", "parent_organization", "missions.3", "name", "period", "axes.1",
    "axes.1.projects", "programs.items.0", "phases.2", "total_projects", "budget", "body", "date",
    "decisions.4". An item that cannot be found has no entry.
    """
    locator = _Locator(text)
    where: dict[str, Span] = {}
    for key in ("organization", "parent_organization", "name", "body"):
        value = draft.get(key)
        span = locator.find(value) if isinstance(value, str) else None
        if span is not None:
            where[key] = span
    _strings(where, locator, "missions", _list(draft, "missions"))
    _strings(where, locator, "decisions", _list(draft, "decisions"))
    _named_parts(where, locator, "axes", _list(draft, "axes"))
    _named_parts(where, locator, "phases", _list(draft, "phases"))
    programs = draft.get("programs")
    if isinstance(programs, Mapping):
        _named_parts(where, locator, "programs.items", _list(programs, "items"))
    _figures(where, text, draft)
    return where


def _figures(where: dict[str, Span], text: str, draft: Mapping[str, Any]) -> None:
    """Locate the period, the date, the total of projects and the budget: the ones of that value nearest the name."""
    anchor = where.get("name") or where.get("body")
    period = draft.get("period")
    if isinstance(period, Mapping):
        ranges = [
            (r.start, r.end)
            for r in find_year_ranges(text)
            if (r.start_year, r.end_year) == (period.get("start_year"), period.get("end_year"))
        ]
        found = _nearest(ranges, anchor)
        if found is not None:
            where["period"] = found
    date = draft.get("date")
    if isinstance(date, str):
        found = _nearest(((d.start, d.end) for d in find_dates(text) if str(d.date) == date), anchor)
        if found is not None:
            where["date"] = found
    total = _nearest(_number_spans(text, draft.get("total_projects")), anchor)
    if total is not None:
        where["total_projects"] = total
    budget = draft.get("budget")
    if isinstance(budget, Mapping) and budget.get("amount") is not None:
        amount = Decimal(str(budget["amount"]))
        found = _nearest(
            ((a.start, a.end) for a in find_amounts(text) if a.value == amount and not a.equivalent), anchor
        )
        if found is not None:
            where["budget"] = found
