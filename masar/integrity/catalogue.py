"""Every check Masar runs on the procurement trail, by code: the red-flag rules and the statistical detectors."""

from __future__ import annotations

from masar.integrity.rules import RULES
from masar.integrity.rules.base import Rule
from masar.integrity.statistics import STATISTICAL_RULES


def rule_catalogue() -> dict[str, Rule]:
    """Return the rules (Cardinal's and Masar's) and the statistical detectors, by code."""
    return {**RULES, **STATISTICAL_RULES}
