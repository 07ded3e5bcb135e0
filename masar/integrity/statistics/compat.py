"""The rules' interface, for as long as `masar.integrity.rules.base` is not there (same attributes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from masar.integrity.findings import Finding


@dataclass(frozen=True)
class RuleResult:
    findings: list[Finding]
    not_computable: int = 0


@dataclass
class Rule:
    code: str
    title: Any
    why: Any
    defaults: dict[str, Any] = field(default_factory=dict)

    def explain(self, figures: dict[str, Any]) -> str:
        raise NotImplementedError

    def find(self, params: dict[str, Any]) -> RuleResult:
        raise NotImplementedError
