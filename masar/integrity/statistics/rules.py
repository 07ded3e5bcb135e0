"""The statistical detectors as rules: code, title, why it is a red flag, defaults, explanation, find."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from masar.integrity.rules.base import Rule, RuleResult
from masar.integrity.statistics.benford import BOUNDS, Conformity, benford_test, buyer_digit_counts
from masar.integrity.statistics.forest import FEATURE_LABELS, forest_test


def _percent(proportion: float) -> str:
    return f"{proportion * 100:.1f}"


class BenfordRule(Rule):
    """Benford's law on a buyer's payments, at one digit position."""

    position = 1

    def explain(self, figures: dict[str, Any]) -> str:
        digit = figures.get("digit", (figures.get("over_represented") or [None])[0])
        row = next((r for r in figures.get("digits", []) if r["digit"] == digit), None)
        sentence = gettext(
            "%(n)s payments of this buyer depart from Benford's law: mean absolute deviation %(mad)s "
            "against %(threshold)s for nonconformity (%(conformity)s)."
        ) % {
            "n": figures["n"],
            "mad": f"{figures['mad']:.4f}",
            "threshold": f"{figures['threshold']:.3f}",
            "conformity": Conformity(figures["conformity"]).label,
        }
        if row is not None:
            sentence += " " + gettext(
                "The digit %(digit)s stands in %(observed)s%% of the amounts where Benford expects %(expected)s%%."
            ) % {"digit": digit, "observed": _percent(row["observed"]), "expected": _percent(row["expected"])}
        return sentence

    def find(self, params: dict[str, Any]) -> RuleResult:
        params = {**self.defaults, **(params or {})}
        findings, not_computable = benford_test(
            self.position,
            min_payments=int(params["min_payments"]),
            nonconformity_above=float(params["nonconformity_above"]),
            records=int(params["records"]),
        )
        return RuleResult(findings=findings, not_computable=not_computable)


BENFORD_WHY = _(
    "Amounts that arise naturally start with 1 far more often than with 9 (Benford's law). Payments that were "
    "invented, or kept just under an approval ceiling, break that pattern."
)
BENFORD_NOTES = _(
    "Payments of 10 or more in the national currency, per buyer, from a minimum number of payments; conformity by "
    "the mean absolute deviation with Nigrini's critical values (2012)."
)


class FirstDigitRule(BenfordRule):
    code = "BENFORD1"
    title = _("Benford's law, first digit, on a buyer's payments")
    why = BENFORD_WHY
    notes = BENFORD_NOTES
    position = 1
    defaults = {"min_payments": 100, "nonconformity_above": BOUNDS[1][2], "records": 20}


class SecondDigitRule(BenfordRule):
    code = "BENFORD2"
    title = _("Benford's law, second digit, on a buyer's payments")
    why = BENFORD_WHY
    notes = BENFORD_NOTES
    position = 2
    defaults = {"min_payments": 100, "nonconformity_above": BOUNDS[2][2], "records": 20}


class IsolationForestRule(Rule):
    """Contracts that an Isolation Forest isolates from all the others."""

    code = "IFOREST"
    title = _("Contract unlike the others (Isolation Forest)")
    why = _(
        "A contract whose value, competition, duration, amendments, method and supplier together look like no "
        "other contract deserves a look: it is where unusual arrangements show."
    )
    notes = _(
        "Fitted on the platform's own contracts with a fixed seed; a missing feature takes the median and is named; "
        "a contract without a value in the national currency is not computable."
    )
    defaults = {
        "contamination": "auto",
        "score_threshold": 0.65,
        "n_estimators": 100,
        "random_state": 0,
        "min_contracts": 100,
        "max_samples": 262_144,
    }

    def explain(self, figures: dict[str, Any]) -> str:
        parts = []
        for f in figures.get("features", []):
            parts.append(
                gettext("%(feature)s %(value)s (median %(median)s)")
                % {
                    "feature": FEATURE_LABELS.get(f["feature"], f["feature"]),
                    "value": f["value"],
                    "median": f["median"],
                }
            )
        return gettext(
            "This contract stands apart from the %(population)s contracts of the platform: anomaly score "
            "%(score)s against a threshold of %(threshold)s. What sets it apart most: %(features)s."
        ) % {
            "population": figures["population"],
            "score": f"{figures['score']:.3f}",
            "threshold": f"{figures['threshold']:.3f}",
            "features": "; ".join(parts),
        }

    def find(self, params: dict[str, Any]) -> RuleResult:
        params = {**self.defaults, **(params or {})}
        contamination = params["contamination"]
        if contamination != "auto":
            contamination = float(contamination)
        findings, not_computable = forest_test(
            contamination=contamination,
            score_threshold=float(params["score_threshold"]),
            n_estimators=int(params["n_estimators"]),
            random_state=int(params["random_state"]),
            min_contracts=int(params["min_contracts"]),
            max_samples=int(params["max_samples"]),
        )
        return RuleResult(findings=findings, not_computable=not_computable)


STATISTICAL_RULES: dict[str, Rule] = {
    rule.code: rule for rule in (FirstDigitRule(), SecondDigitRule(), IsolationForestRule())
}


def benford_findings(params: dict[str, Any] | None = None) -> RuleResult:
    """Return the findings of both Benford tests (BENFORD1 and BENFORD2) from one count of the digits.

    params may hold "BENFORD1" and "BENFORD2" dicts over each rule's defaults; not_computable counts the
    buyers with too few payments once.
    """
    params = params or {}
    buyers = buyer_digit_counts()
    findings, not_computable = [], 0
    for code in ("BENFORD1", "BENFORD2"):
        rule = STATISTICAL_RULES[code]
        merged = {**rule.defaults, **params.get(code, {})}
        found, not_computable = benford_test(
            rule.position,
            min_payments=int(merged["min_payments"]),
            nonconformity_above=float(merged["nonconformity_above"]),
            records=int(merged["records"]),
            buyers=buyers,
        )
        findings += found
    return RuleResult(findings=findings, not_computable=not_computable)


def isolation_forest_findings(params: dict[str, Any] | None = None) -> RuleResult:
    """Return the findings of the Isolation Forest on the platform's contracts (rule IFOREST)."""
    return STATISTICAL_RULES["IFOREST"].find(params or {})
