"""The detection run: every rule (and the statistical detectors) over the trail, its findings kept as alerts.

An alert is keyed by its finding's key, so a later run updates it instead of raising it again: its figures,
score and evidence follow the data, its triage (status, reason, who decided) is never touched by a run. An
alert of a rule that ran and did not find it again is kept for the history with `current` False.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from masar.integrity.findings import Finding
from masar.integrity.models import Alert, AlertStatus, DetectionRun
from masar.integrity.rules import RULES, rule_settings, selected
from masar.integrity.rules.base import Rule, RuleResult

logger = logging.getLogger("masar.integrity")

BATCH = 500
# The fields a run writes on an alert it finds again (never the triage's).
FOUND_FIELDS = [
    "subject",
    "tender",
    "contract",
    "payment",
    "supplier",
    "buyer",
    "buyer_ref",
    "project",
    "value",
    "threshold",
    "score",
    "evidence",
    "last_seen_at",
    "current",
]


def statistical_rules() -> dict[str, Rule]:
    """Return the statistical detectors when their module is installed, none otherwise."""
    try:
        module = importlib.import_module("masar.integrity.statistics")
    except ImportError:
        return {}
    return dict(getattr(module, "STATISTICAL_RULES", {}))


def detection_run(*, codes: Iterable[str] | None = None, statistics: bool = True) -> DetectionRun:
    """Run the rules (all, or those codes) and the statistical detectors, and keep what they find as alerts.

    The run's row records its progress (`done` of `total` rules) while it runs and, at the end, how many
    subjects each rule flagged and how many records it could not judge.
    """
    codes = None if codes is None else list(codes)
    rules: dict[str, Rule] = dict(RULES)
    if statistics:
        rules.update(statistical_rules())
    settings = rule_settings(codes)
    chosen = selected(rules, codes, settings)
    run = DetectionRun.objects.create(rules=[rule.code for rule, _ in chosen], total=len(chosen))
    results: dict[str, RuleResult] = {}
    try:
        for done, (rule, params) in enumerate(chosen, start=1):
            result = rule.find(params)
            # A detector answering for several codes returns them all: each code keeps its own.
            results[rule.code] = RuleResult([f for f in result.findings if f.rule == rule.code], result.not_computable)
            DetectionRun.objects.filter(pk=run.pk).update(done=done)
        alerts_keep(results)
    except Exception as error:
        logger.exception("Detection run %s failed", run.pk)
        DetectionRun.objects.filter(pk=run.pk).update(error=repr(error)[:2000], finished_at=timezone.now())
        raise
    run.done = len(chosen)
    run.counts = {
        code: {"flagged": len(result.findings), "not_computable": result.not_computable}
        for code, result in results.items()
    }
    run.finished_at = timezone.now()
    run.save(update_fields=["done", "counts", "finished_at"])
    return run


def _alert_fields(finding: Finding, now: Any) -> dict[str, Any]:
    return {
        "subject": finding.subject,
        "tender_id": finding.tender_id,
        "contract_id": finding.contract_id,
        "payment_id": finding.payment_id,
        "supplier_id": finding.supplier_id,
        "buyer_id": finding.buyer_id,
        "buyer_ref": finding.buyer_ref or "",
        "project_id": finding.project_id,
        "value": finding.value,
        "threshold": finding.threshold,
        "score": max(0.0, min(1.0, float(finding.score or 0.0))),
        "evidence": {"figures": finding.figures, "records": finding.records},
        "last_seen_at": now,
        "current": True,
    }


@transaction.atomic
def alerts_keep(results: dict[str, RuleResult]) -> dict[str, int]:
    """Create the alerts first found, update those found again, and mark those no longer found.

    A handful of queries whatever the number of alerts: one read of the rules' alerts, then batched inserts
    and updates.
    """
    now = timezone.now()
    findings: dict[str, Finding] = {}
    for result in results.values():
        for finding in result.findings:
            findings[finding.key] = finding
    existing = {alert.key: alert for alert in Alert.objects.filter(rule__in=list(results))}
    # A key of another rule's alert (never expected) is updated rather than raised twice.
    strays = [key for key in findings if key not in existing]
    if strays:
        for alert in Alert.objects.filter(key__in=strays):
            existing[alert.key] = alert
    created, updated, gone = [], [], []
    for key, finding in findings.items():
        fields = _alert_fields(finding, now)
        alert = existing.get(key)
        if alert is None:
            created.append(Alert(rule=finding.rule, key=key, status=AlertStatus.NEW, **fields))
            continue
        for name, value in fields.items():
            setattr(alert, name, value)
        updated.append(alert)
    for key, alert in existing.items():
        if key not in findings and alert.current:
            alert.current = False
            gone.append(alert)
    Alert.objects.bulk_create(created, batch_size=BATCH)
    Alert.objects.bulk_update(updated, FOUND_FIELDS, batch_size=BATCH)
    Alert.objects.bulk_update(gone, ["current"], batch_size=BATCH)
    return {"created": len(created), "updated": len(updated), "gone": len(gone)}
