"""Isolation Forest on the platform's contracts: the contracts that stand apart from all the others.

An Isolation Forest (Liu, Ting and Zhou, 2008; scikit-learn's `IsolationForest`) splits the contracts
at random until each is alone; a contract that is isolated in few splits is unlike the rest. It needs
no labelled cases, which the platform does not have. The model is fitted by the worker on the
platform's own contracts, with a fixed seed so that two runs on the same data agree; nothing leaves
the machine.

Each contract is described by its value (log of the national amount), the bids received and the valid
ones, its duration, its amendments (how many and the share they added), the procurement method, the
supplier's age at signature and the days from the submission deadline to the award. A contract with
no national value is not computable; any other missing feature is replaced by the population's median
and named in the evidence. For each outlier the evidence names the features that weigh most: for each,
how far its value lies from the population (robust z-score, (x - median) / IQR) and how much the
anomaly score falls when that feature alone is set to the median (its effect).

Each tree is grown on every contract, up to `max_samples` of them (262,144 by default, more than a
nation's yearly contracts), not on the 256 that Liu et al. suggest. A tree does not extrapolate: a value
beyond the range of the contracts it was grown on follows the branch of the most extreme of them and
counts for no more. With 256 contracts drawn from 200,000, a given contract is in one tree in 800, so a
contract of 16 years when the others last three at most, with six amendments when the others have one,
was scored like an ordinary long, once amended contract (0.64, under the threshold of 0.65, while 1,745
ordinary ones were above it). Grown on all of them, every tree isolates it in a few splits (0.90) and
the ordinary contracts cluster (69 above the threshold among 200,000).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, DurationField, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from masar.integrity.findings import Finding
from masar.integrity.models import AlertSubject, Amendment, Bid, BidStatus, Contract, ProcurementMethod

# Numeric features, in the model's column order, with the label an inspector reads.
NUMERIC_FEATURES = {
    "value": _("value"),
    "bids": _("bids received"),
    "valid_bids": _("valid bids"),
    "duration_days": _("duration (days)"),
    "amendments": _("amendments"),
    "amended_share": _("share added by amendments"),
    "supplier_age_days": _("supplier's age at signature (days)"),
    "award_delay_days": _("days from submission deadline to award"),
}
METHOD = "method"
FEATURE_LABELS = {**NUMERIC_FEATURES, METHOD: _("procurement method")}
METHODS = [*ProcurementMethod.values, ""]  # "" for a tender whose method is not stated


@dataclass
class ContractFeatures:
    """The contracts' features as arrays, one row per contract, with what was imputed."""

    ids: np.ndarray
    numeric: np.ndarray  # (n, len(NUMERIC_FEATURES)), value as log10, missing values imputed
    methods: np.ndarray  # (n,) index into METHODS
    missing: np.ndarray  # (n, len(NUMERIC_FEATURES)) True where the median was put in
    medians: np.ndarray
    not_computable: int

    def matrix(self) -> np.ndarray:
        """Return the model's input: the numeric features then the method one-hot."""
        onehot = np.zeros((len(self.ids), len(METHODS)))
        onehot[np.arange(len(self.ids)), self.methods] = 1.0
        return np.hstack([self.numeric, onehot])


def _days(delta) -> float:
    return math.nan if delta is None else delta.total_seconds() / 86400


def _as_float(value) -> float:
    return math.nan if value is None else float(value)


def _contract_rows():
    """Return one row of raw features per contract (one query, bids and amendments in subqueries)."""
    bids = Bid.objects.filter(tender=OuterRef("tender")).order_by().values("tender")
    amendments = Amendment.objects.filter(contract=OuterRef("pk")).order_by().values("contract")
    return (
        Contract.objects.order_by("id")
        .annotate(
            n_bids=Coalesce(
                Subquery(bids.annotate(n=Count("id")).values("n"), output_field=IntegerField()),
                F("tender__number_of_tenderers"),
                output_field=IntegerField(),
            ),
            n_valid=Subquery(
                bids.annotate(n=Count("id", filter=Q(status=BidStatus.VALID))).values("n"),
                output_field=IntegerField(),
            ),
            n_amendments=Subquery(amendments.annotate(n=Count("id")).values("n"), output_field=IntegerField()),
            duration=ExpressionWrapper(F("end_on") - F("signed_on"), output_field=DurationField()),
            supplier_age=ExpressionWrapper(F("signed_on") - F("supplier__registered_on"), output_field=DurationField()),
            award_delay=ExpressionWrapper(F("award__date") - F("tender__deadline"), output_field=DurationField()),
        )
        .values_list(
            "id",
            "value_base",
            "value",
            "original_value",
            "n_bids",
            "n_valid",
            "n_amendments",
            "duration",
            "supplier_age",
            "award_delay",
            "tender__method",
        )
    )


def contract_features() -> ContractFeatures:
    """Read every contract's features (one query) and impute the missing ones with the median."""
    method_index = {m: i for i, m in enumerate(METHODS)}
    ids, rows, methods = [], [], []
    not_computable = 0
    for pk, value_base, value, original, n_bids, n_valid, n_amend, duration, age, delay, method in _contract_rows():
        if value_base is None or value_base <= 0:
            not_computable += 1
            continue
        share = math.nan
        if value is not None and original:
            share = float((value - original) / original)
        elif not n_amend:
            share = 0.0
        ids.append(pk)
        methods.append(method_index.get(method or "", len(METHODS) - 1))
        rows.append(
            (
                math.log10(value_base),
                _as_float(n_bids),
                # No bid recorded at all: the number of valid bids is unknown, not zero.
                _as_float(n_valid) if n_valid is not None or n_bids is None else math.nan,
                _days(duration),
                float(n_amend or 0),
                share,
                _days(age),
                _days(delay),
            )
        )
    numeric = np.array(rows, dtype=float).reshape(len(rows), len(NUMERIC_FEATURES))
    missing = np.isnan(numeric)
    medians = np.zeros(len(NUMERIC_FEATURES))
    for j in range(numeric.shape[1]):
        known = numeric[~missing[:, j], j]
        medians[j] = np.median(known) if known.size else 0.0
        numeric[missing[:, j], j] = medians[j]
    return ContractFeatures(
        ids=np.array(ids, dtype=np.int64),
        numeric=numeric,
        methods=np.array(methods, dtype=np.int64),
        missing=missing,
        medians=medians,
        not_computable=not_computable,
    )


def _spread(column: np.ndarray, median: float) -> float:
    """Return the IQR of a feature, or its mean absolute deviation from the median when the IQR is 0."""
    q1, q3 = np.percentile(column, [25, 75])
    if q3 > q1:
        return float(q3 - q1)
    deviation = float(np.mean(np.abs(column - median)))
    return deviation or 1.0


def _shown(name: str, raw: float) -> float:
    """Return a feature's value as an inspector reads it (the value in the national currency, not its log)."""
    if name == "value":
        return round(float(10**raw), 2)
    return round(float(raw), 4)


def explain_outliers(model, data: ContractFeatures, rows: np.ndarray, top: int = 3) -> list[list[dict]]:
    """Return, for each outlier row, its features ranked by how much they move its anomaly score.

    A feature's effect is the fall of the anomaly score when that feature alone is set to the
    population's median (the method to the most common one); all the substitutions are scored in one batch.
    """
    x = data.matrix()
    n_numeric = len(NUMERIC_FEATURES)
    mode = int(np.bincount(data.methods, minlength=len(METHODS)).argmax())
    spreads = [_spread(data.numeric[:, j], data.medians[j]) for j in range(n_numeric)]
    groups = n_numeric + 1
    batch = np.repeat(x[rows], groups, axis=0)
    for g in range(groups):
        block = batch[g::groups]
        if g < n_numeric:
            block[:, g] = data.medians[g]
        else:
            block[:, n_numeric:] = 0.0
            block[:, n_numeric + mode] = 1.0
        batch[g::groups] = block
    base = -model.score_samples(x[rows])
    changed = -model.score_samples(batch).reshape(len(rows), groups)
    explained = []
    names = list(NUMERIC_FEATURES)
    for k, row in enumerate(rows):
        features = []
        for g in range(groups):
            effect = round(float(base[k] - changed[k, g]), 4)
            if g < n_numeric:
                name, raw = names[g], data.numeric[row, g]
                features.append(
                    {
                        "feature": name,
                        "value": _shown(name, raw),
                        "median": _shown(name, data.medians[g]),
                        "robust_z": round(float((raw - data.medians[g]) / spreads[g]), 2),
                        "effect": effect,
                        "imputed": bool(data.missing[row, g]),
                    }
                )
            else:
                features.append(
                    {
                        "feature": METHOD,
                        "value": METHODS[data.methods[row]],
                        "median": METHODS[mode],
                        "effect": effect,
                    }
                )
        features.sort(key=lambda f: (-f["effect"], f["feature"]))
        explained.append(features[:top])
    return explained


def forest_fit(x: np.ndarray, *, contamination, n_estimators: int, random_state: int, max_samples: int):
    """Fit the forest on the rows of x (each tree on all of them, up to max_samples); return it and the scores.

    The scores are the anomaly scores of Liu et al., in (0, 1]: about 0.5 for an ordinary row, near 1 for
    a row that the trees isolate in few splits.
    """
    from sklearn.ensemble import IsolationForest

    model = IsolationForest(
        n_estimators=n_estimators,
        max_samples=min(len(x), max_samples),
        contamination=contamination,
        random_state=random_state,
    )
    model.fit(x)
    return model, -model.score_samples(x)


def forest_test(
    *,
    contamination,
    score_threshold: float,
    n_estimators: int,
    random_state: int,
    min_contracts: int,
    max_samples: int,
) -> tuple[list[Finding], int]:
    """Fit the forest on every contract and return a finding per outlier, and the contracts not computable."""
    data = contract_features()
    if len(data.ids) < min_contracts:
        return [], data.not_computable + len(data.ids)
    x = data.matrix()
    model, scores = forest_fit(
        x,
        contamination=contamination,
        n_estimators=n_estimators,
        random_state=random_state,
        max_samples=max_samples,
    )
    threshold = score_threshold if contamination == "auto" else float(-model.offset_)
    rows = np.flatnonzero(scores > threshold)
    rows = rows[np.argsort(-scores[rows], kind="stable")]
    explained = explain_outliers(model, data, rows) if len(rows) else []
    context = {
        c["id"]: c
        for c in Contract.objects.filter(id__in=data.ids[rows].tolist()).values(
            "id", "tender_id", "supplier_id", "tender__buyer_id", "tender__buyer_ref", "tender__project_id"
        )
    }
    names = list(NUMERIC_FEATURES)
    findings = []
    for row, features in zip(rows, explained, strict=True):
        pk = int(data.ids[row])
        info = context[pk]
        records = [{"kind": "contract", "id": pk}, {"kind": "tender", "id": info["tender_id"]}]
        if info["supplier_id"]:
            records.append({"kind": "supplier", "id": info["supplier_id"]})
        score = round(float(scores[row]), 4)
        findings.append(
            Finding(
                rule="IFOREST",
                subject=AlertSubject.CONTRACT.value,
                key=f"IFOREST:contract:{pk}",
                value=score,
                threshold=round(threshold, 4),
                score=min(1.0, max(0.0, score)),
                tender_id=info["tender_id"],
                contract_id=pk,
                supplier_id=info["supplier_id"],
                buyer_id=info["tender__buyer_id"],
                buyer_ref=info["tender__buyer_ref"],
                project_id=info["tender__project_id"],
                figures={
                    "score": score,
                    "threshold": round(threshold, 4),
                    "population": len(data.ids),
                    "features": features,
                    "imputed": [names[j] for j in np.flatnonzero(data.missing[row])],
                    "model": {
                        "n_estimators": n_estimators,
                        "max_samples": min(len(data.ids), max_samples),
                        "contamination": contamination,
                        "random_state": random_state,
                    },
                },
                records=records,
            )
        )
    return findings, data.not_computable
