"""The rules' interface, for as long as `masar.integrity.rules.base` is not there (the same attributes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from masar.integrity.findings import Finding


@dataclass(frozen=True)
class RuleResult:
    """What a rule found: one finding per flagged subject, and how many records it could not judge."""

    findings: list[Finding] = field(default_factory=list)
    not_computable: int = 0


class Rule:
    """One red flag: code, title, why, defaults, `explain(figures)` and `find(params)`."""

    code: str = ""
    title: Any = ""
    why: Any = ""
    explanation: Any = ""
    defaults: dict[str, Any] = {}
    notes: Any = ""

    def explain(self, figures: dict[str, Any]) -> str:
        raise NotImplementedError

    def find(self, params: dict[str, Any]) -> RuleResult:
        raise NotImplementedError

    def params(self, overrides: dict[str, Any] | None) -> dict[str, Any]:
        """Return the defaults overridden by the national unit's settings (unknown names are ignored)."""
        return {name: (overrides or {}).get(name, value) for name, value in self.defaults.items()}
