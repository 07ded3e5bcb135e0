"""Read an official text into the JSON shape the intake API returns (no Django import)."""

from masar.intake.decisions import extract_decisions
from masar.intake.kinds import Kind, kind_of
from masar.intake.mandates import extract_mandate
from masar.intake.strategies import extract_strategy

MANDATE_KEYS = ("organization", "parent_organization", "missions")
STRATEGY_KEYS = ("name", "period", "axes", "programs", "phases", "total_projects", "budget")
DECISION_KEYS = ("body", "date", "decisions")


def extract(text: str, *, default_country: str | None = None) -> dict[str, object]:
    """Return the kind of an official text and what it says, every key of the three kinds present.

    Keys that do not belong to the text's kind are None. Raise ValueError on empty text.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The text is empty: there is nothing to extract.")
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
    return result


def states_a_plan(plan: dict[str, object]) -> bool:
    """Say whether what was read as a strategy holds at least two of its figures (projects, axes, phases, programs)."""
    axes = plan.get("axes") or []
    figures = [
        plan.get("total_projects") is not None,
        any(isinstance(axis, dict) and axis.get("projects") is not None for axis in axes),
        bool(plan.get("phases")),
        bool(isinstance(plan.get("programs"), dict) and plan["programs"].get("count")),
    ]
    return sum(figures) >= 2
