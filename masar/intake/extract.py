"""Read an official text into the JSON shape the intake API returns (no Django import)."""

import enum
import re

from masar.arabic import fold
from masar.intake.decisions import extract_decisions
from masar.intake.kinds import Kind, kind_of, scores
from masar.intake.mandates import extract_mandate
from masar.intake.strategies import extract_strategy

MANDATE_KEYS = ("organization", "parent_organization", "missions")
STRATEGY_KEYS = ("name", "period", "axes", "programs", "phases", "total_projects", "budget")
DECISION_KEYS = ("body", "date", "decisions")


# The title line of an official instrument: "مرسوم رقم …", "قرار وزاري عدد …", "ظهير شريف رقم …", "Décret n° …".
_TITLE = re.compile(
    r"^\s*(?:ال)?(?:مرسوم|قرار|امر|ظهير|قانون|منشور|بلاغ|مقرر|قرار\s+وزاري|d[ée]cret|arr[êe]t[ée]|loi|circulaire)"
    r"(?![^\W\d_])[^\n]{0,60}?(?:رقم|عدد|n°|no|numero|numéro)\s*[:.]?\s*[0-9٠-٩]"
)
_SUBSTANCE = 3  # lines a text has before another title starts a second text


def parts_of(text: str) -> list[tuple[int, int]]:
    """Return the spans of the official texts pasted together: a second title line after some lines starts another."""
    starts = [0]
    offset = 0
    lines_since = 0
    for line in text.splitlines(keepends=True):
        if _TITLE.match(fold(line)) and lines_since >= _SUBSTANCE and len(line.split()) <= 40:
            starts.append(offset)
            lines_since = 0
        if line.strip():
            lines_since += 1
        offset += len(line)
    return [(start, end) for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]


class Notice(enum.StrEnum):
    """What a reviewer of a text should know besides its draft."""

    SEVERAL_TEXTS = "several_texts"  # official texts pasted together: only the first was read
    NOT_RECOGNIZED = "not_recognized"  # no cue of any kind: the draft is a guess


def _notices(text: str, parts: list[tuple[int, int]]) -> list[dict[str, object]]:
    notices: list[dict[str, object]] = []
    if len(parts) > 1:
        notices.append(
            {
                "code": Notice.SEVERAL_TEXTS,
                "texts": len(parts),
                "read": {"start": parts[0][0], "end": parts[0][1]},
            }
        )
    if not any(scores(text).values()):
        notices.append({"code": Notice.NOT_RECOGNIZED})
    return notices


def extract(text: str, *, default_country: str | None = None) -> dict[str, object]:
    """Return the kind of an official text and what it says, every key of the three kinds present.

    Keys that do not belong to the text's kind are None. When several official texts were pasted together, only the
    first is read. Raise ValueError on empty text.
    """
    return read(text, default_country=default_country)[0]


def read(text: str, *, default_country: str | None = None) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Return what extract() returns and the notices a reviewer should see (several texts, nothing recognized)."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The text is empty: there is nothing to extract.")
    parts = parts_of(text)
    notices = _notices(text, parts)
    text = text[: parts[0][1]]
    kind = kind_of(text)
    result: dict[str, object] = {"kind": kind.value}
    result.update(dict.fromkeys(MANDATE_KEYS + STRATEGY_KEYS + DECISION_KEYS))
    if kind is Kind.MANDATE:
        result.update(extract_mandate(text))
    elif kind is Kind.STRATEGY:
        result.update(extract_strategy(text, default_country=default_country))
    else:
        result.update(extract_decisions(text))
        # A communiqué may also present a program (its projects, axes, phases): that part is read as well.
        plan = extract_strategy(text, default_country=default_country)
        if states_a_plan(plan):
            result.update(plan)
    return result, notices


def states_a_plan(plan: dict[str, object]) -> bool:
    """Say whether what was read as a strategy holds at least two of its figures (projects, axes, phases, programs)."""
    axes = plan.get("axes")
    programs = plan.get("programs")
    figures = [
        plan.get("total_projects") is not None,
        isinstance(axes, list) and any(isinstance(axis, dict) and axis.get("projects") is not None for axis in axes),
        bool(plan.get("phases")),
        isinstance(programs, dict) and bool(programs.get("count")),
    ]
    return sum(figures) >= 2
