"""A draft read from a text, in the shape of `masar.intake.extract`, and the same draft read back from the form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from masar.intake import extract
from masar.intake.decisions import extract_decisions
from masar.intake.kinds import Kind, scores

# Blank rows offered under each list, to add items.
EXTRA_ROWS = 2
KIND_LABELS = {Kind.MANDATE: _("Mandate"), Kind.STRATEGY: _("Strategy or program"), Kind.DECISIONS: _("Decisions")}


def draft_of(text: str) -> dict[str, Any]:
    """Return the draft Masar proposes for text: what extract() reads, with the decisions part filled too when
    a text of another kind also reports decisions (a council communiqué that states a program)."""
    draft = extract(text)
    if draft["decisions"] is None and scores(text)[Kind.DECISIONS] > 0:
        decided = extract_decisions(text)
        if decided["decisions"]:
            draft.update(decided)
    return draft


def _number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 else None


def _rows(post: Mapping[str, Any], key: str) -> list[int]:
    """Return the row numbers of a list in the form, in order, without the rows marked for removal."""
    found = sorted({int(m.group(1)) for name in post for m in [re.match(rf"^{re.escape(key)}-(\d+)-name$", name)] if m})
    return [row for row in found if not post.get(f"{key}-{row}-remove")]


def _text(post: Mapping[str, Any], name: str) -> str:
    return " ".join(str(post.get(name) or "").split())


def _years(post: Mapping[str, Any], prefix: str) -> tuple[int | None, int | None]:
    return _number(post.get(f"{prefix}-start")), _number(post.get(f"{prefix}-end"))


SLOTS = ("organization", "parent_organization", "strategy", "body", "meeting")


def draft_from_form(post: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the draft as the reviewer left it (edited values, removed rows dropped, blank rows ignored) and the
    record chosen for each name, by the item's path ("organization", "axes.1", "decisions.0.responsible")."""
    draft: dict[str, Any] = {
        "kind": post.get("kind") if post.get("kind") in {k.value for k in Kind} else Kind.DECISIONS.value
    }
    choices = {slot: str(post.get(f"match-{slot}") or "") for slot in SLOTS}
    for key in ("organization", "parent_organization", "name", "body", "date"):
        draft[key] = _text(post, key) or None
    draft["missions"] = [
        item for item in (_text(post, f"missions-{row}-name") for row in _rows(post, "missions")) if item
    ]
    draft["decisions"] = []
    for row in _rows(post, "decisions"):
        item = _text(post, f"decisions-{row}-name")
        if item:
            choices[f"decisions.{len(draft['decisions'])}.responsible"] = str(post.get(f"match-decisions-{row}") or "")
            draft["decisions"].append(item)
    start, end = _years(post, "period")
    draft["period"] = {"start_year": start, "end_year": end} if start and end else None
    draft["total_projects"] = _number(post.get("total_projects"))
    draft["axes"] = []
    for row in _rows(post, "axes"):
        name = _text(post, f"axes-{row}-name")
        if name:
            choices[f"axes.{len(draft['axes'])}"] = str(post.get(f"match-axes-{row}") or "")
            draft["axes"].append({"name": name, "projects": _number(post.get(f"axes-{row}-projects")), "budget": None})
    parts: dict[str, list[dict[str, Any]]] = {"phases": [], "programs": []}
    for key, found in parts.items():
        path = "programs.items" if key == "programs" else key
        for row in _rows(post, key):
            name = _text(post, f"{key}-{row}-name")
            start, end = _years(post, f"{key}-{row}")
            if name:
                choices[f"{path}.{len(found)}"] = str(post.get(f"match-{key}-{row}") or "")
                found.append({"name": name, "start_year": start, "end_year": end})
    draft["phases"] = parts["phases"]
    draft["programs"] = {"count": None, "items": parts["programs"]}
    return draft, choices


def rows_of(draft: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Return the lists of a draft (from extract() or from the form) as rows for the form, each with its path."""
    programs = draft.get("programs")
    items = programs.get("items") if isinstance(programs, Mapping) else programs
    rows: dict[str, list[dict[str, Any]]] = {}
    for key, values in (
        ("missions", draft.get("missions")),
        ("decisions", draft.get("decisions")),
        ("axes", draft.get("axes")),
        ("phases", draft.get("phases")),
        ("programs", items),
    ):
        path = "programs.items" if key == "programs" else key
        listed = []
        for index, value in enumerate(values or []):
            row = value if isinstance(value, Mapping) else {"name": value}
            listed.append({**row, "path": f"{path}.{index}", "row": index})
        rows[key] = listed
    return rows


def segments(text: str, where: Mapping[str, tuple[int, int]]) -> list[tuple[str, str | None]]:
    """Return text cut into pieces, each with the path of the item it is the source of (None between items).

    Where two items overlap, the one that starts first keeps the overlap.
    """
    pieces: list[tuple[str, str | None]] = []
    cursor = 0
    for path, (start, end) in sorted(where.items(), key=lambda item: (item[1][0], -item[1][1])):
        if start < cursor or end <= start:
            continue
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], path))
        cursor = end
    pieces.append((text[cursor:], None))
    return [piece for piece in pieces if piece[0]]
