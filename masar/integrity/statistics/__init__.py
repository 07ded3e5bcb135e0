"""Statistical detectors: Benford's law on each buyer's payments, and an Isolation Forest on the contracts.

`benford_findings(params)` (rules BENFORD1, BENFORD2) and `isolation_forest_findings(params)` (rule
IFOREST) return a `RuleResult`; `STATISTICAL_RULES` holds the three as rules, shaped like the red
flags' `RULES`, for the detection run, the settings page and the alerts' explanations.
"""

from masar.integrity.statistics.rules import STATISTICAL_RULES, benford_findings, isolation_forest_findings

__all__ = ["STATISTICAL_RULES", "benford_findings", "isolation_forest_findings"]
