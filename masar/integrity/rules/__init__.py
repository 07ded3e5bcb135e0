"""The red-flag rules: Cardinal's indicators and Masar's own, each a few SQL queries over the procurement trail.

`RULES` maps each code to its rule; `evaluate` runs them with the national unit's settings (`RuleSetting`):
the defaults overridden by its parameters, and the rules it switched off left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from masar.integrity.models import RuleSetting
from masar.integrity.rules import concentration, contracts, disqualification, payments, prices, process, tenderers
from masar.integrity.rules.base import Rule, RuleResult, shared_reads

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in sorted(
        [
            *process.RULES,
            *prices.RULES,
            *disqualification.RULES,
            *tenderers.RULES,
            *concentration.RULES,
            *contracts.RULES,
            *payments.RULES,
        ],
        key=lambda rule: rule.code,
    )
}


def rule_settings(codes: Iterable[str] | None = None) -> dict[str, RuleSetting]:
    """Return the national unit's settings of rules, by code (one query)."""
    settings = RuleSetting.objects.all()
    if codes is not None:
        settings = settings.filter(code__in=list(codes))
    return {setting.code: setting for setting in settings}


def selected(
    rules: Mapping[str, Rule], codes: Iterable[str] | None, settings: Mapping[str, RuleSetting]
) -> list[tuple[Rule, dict[str, Any]]]:
    """Return the rules to run (those asked for, or all, less those switched off) with their parameters."""
    wanted = list(rules) if codes is None else [code for code in codes if code in rules]
    chosen = []
    for code in wanted:
        setting = settings.get(code)
        if setting is not None and not setting.enabled:
            continue
        rule = rules[code]
        chosen.append((rule, rule.params(setting.params if setting is not None else None)))
    return chosen


def evaluate(codes: Iterable[str] | None = None) -> dict[str, RuleResult]:
    """Run the rules (all, or those codes) with the national unit's settings and return what each found."""
    codes = None if codes is None else list(codes)
    settings = rule_settings(codes)
    with shared_reads():
        return {rule.code: rule.find(params) for rule, params in selected(RULES, codes, settings)}


__all__ = ["RULES", "Rule", "RuleResult", "evaluate"]
