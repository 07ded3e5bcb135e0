"""The statistical detectors: Benford's law on buyers' payments, Isolation Forest on contracts."""

import datetime
from decimal import Decimal

import numpy as np
import pytest

from masar.integrity.models import AlertSubject, Payment, TaxStatus
from masar.integrity.statistics import STATISTICAL_RULES, benford_findings, isolation_forest_findings
from masar.integrity.statistics.benford import Conformity, buyer_digit_counts, digit_figures, mean_absolute_deviation
from masar.integrity.statistics.forest import contract_features, forest_fit
from tests.integrity.factories import make_contract, make_supplier, make_tender
from tests.integrity.stats_data import (
    benford_amounts,
    clustered_amounts,
    make_buyer_payments,
    make_ordinary_contracts,
    make_planted_contract,
)

pytestmark = pytest.mark.django_db

# A small set worked by hand (5 is under 10 and left out; 19.99 starts 1-9, not 2-0 as a rounding would make it).
SMALL = [Decimal(a) for a in ("12", "15", "23", "37", "41", "19.99", "55", "60", "78", "91", "5")]
# First digits 1,1,2,3,4,1,5,6,7,9: sum over d of |observed - log10(1 + 1/d)| / 9
#   = (0.00103 + 0.07609 + 0.02494 + 0.00309 + 0.02082 + 0.03305 + 0.04201 + 0.05115 + 0.05424) / 9
HAND_MAD_FIRST = 0.034047
# Second digits 2,5,3,7,1,9,5,0,8,1 against Benford's second-digit law, over 10 digits:
#   (0.01968 + 0.08611 + 0.00882 + 0.00433 + 0.10031 + 0.10332 + 0.09337 + 0.00965 + 0.01243 + 0.01500) / 10
HAND_MAD_SECOND = 0.045303


def _by_key(result):
    return {f.key: f for f in result.findings}


def test_a_buyer_whose_payments_follow_benford_is_not_flagged_and_one_clustered_under_50000_is(ministry_a, ministry_b):
    make_buyer_payments(ministry_a, benford_amounts(1000), owner=ministry_a)
    make_buyer_payments(ministry_b, clustered_amounts(1000), owner=ministry_b)

    first = STATISTICAL_RULES["BENFORD1"].find({})
    second = STATISTICAL_RULES["BENFORD2"].find({})

    assert set(_by_key(first)) == {"BENFORD1:buyer:MIN-B"}
    assert set(_by_key(second)) == {"BENFORD2:buyer:MIN-B"}
    flagged = _by_key(first)["BENFORD1:buyer:MIN-B"]
    assert flagged.subject == AlertSubject.BUYER
    assert flagged.buyer_id == ministry_b.pk and flagged.buyer_ref == "MIN-B"
    assert flagged.figures["n"] == 1000
    assert flagged.figures["conformity"] == Conformity.NONCONFORMITY
    assert flagged.value == flagged.figures["mad"] > flagged.threshold == 0.015
    assert flagged.figures["digit"] == 4 and flagged.figures["over_represented"][0] == 4
    four = next(row for row in flagged.figures["digits"] if row["digit"] == 4)
    assert four["observed"] > 0.45 and four["expected"] == pytest.approx(0.09691, abs=1e-5)
    assert 0 < flagged.score <= 1
    # The sample of payments to open: the buyer's payments that start with a 4.
    sampled = Payment.objects.filter(pk__in=[r["id"] for r in flagged.records])
    assert len(flagged.records) == 20 and sampled.count() == 20
    assert all(str(p.amount_base).startswith("4") for p in sampled)
    assert set(sampled.values_list("contract__tender__buyer_ref", flat=True)) == {"MIN-B"}
    # Second digit: the 9 of 49,xxx.
    assert _by_key(second)["BENFORD2:buyer:MIN-B"].figures["digit"] == 9
    assert _by_key(second)["BENFORD2:buyer:MIN-B"].threshold == 0.012
    # Positive control: the conforming buyer was tested, and conforms closely on both digits.
    conforming = next(b for b in buyer_digit_counts() if b.buyer_ref == "MIN-A")
    assert conforming.n == 1000
    assert digit_figures(conforming.first, 1, 0.015)["conformity"] == Conformity.CLOSE
    assert digit_figures(conforming.second, 2, 0.012)["conformity"] == Conformity.CLOSE
    assert first.not_computable == second.not_computable == 0


def test_buyers_with_too_few_payments_are_not_computable(ministry_a, ministry_b, directorate_a):
    make_buyer_payments(ministry_a, clustered_amounts(99), owner=ministry_a)
    make_buyer_payments(ministry_b, clustered_amounts(100), owner=ministry_b)
    # Amounts under 10 do not count towards the minimum.
    make_buyer_payments(directorate_a, clustered_amounts(99) + [Decimal("7")] * 5, owner=directorate_a)

    result = STATISTICAL_RULES["BENFORD1"].find({})

    assert set(_by_key(result)) == {"BENFORD1:buyer:MIN-B"}
    assert result.not_computable == 2
    lowered = STATISTICAL_RULES["BENFORD1"].find({"min_payments": 99})
    assert set(_by_key(lowered)) == {"BENFORD1:buyer:MIN-A", "BENFORD1:buyer:MIN-B", "BENFORD1:buyer:MIN-A-D1"}
    assert lowered.not_computable == 0


def test_the_mad_matches_a_hand_computation(ministry_a):
    assert mean_absolute_deviation({1: 3, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 9: 1}, 1) == pytest.approx(
        HAND_MAD_FIRST, abs=1e-6
    )
    # All amounts on one digit: |1 - 0.30103| plus the 0.69897 expected elsewhere, over 9.
    assert mean_absolute_deviation({1: 10}, 1) == pytest.approx(2 * 0.69897 / 9, abs=1e-5)

    make_buyer_payments(ministry_a, SMALL, owner=ministry_a)
    result = benford_findings({"BENFORD1": {"min_payments": 10}, "BENFORD2": {"min_payments": 10}})

    found = _by_key(result)
    assert found["BENFORD1:buyer:MIN-A"].figures["n"] == 10
    assert found["BENFORD1:buyer:MIN-A"].value == pytest.approx(HAND_MAD_FIRST, abs=1e-5)
    assert found["BENFORD2:buyer:MIN-A"].value == pytest.approx(HAND_MAD_SECOND, abs=1e-5)
    counts = {row["digit"]: row["count"] for row in found["BENFORD2:buyer:MIN-A"].figures["digits"]}
    assert counts == {0: 1, 1: 2, 2: 1, 3: 1, 4: 0, 5: 2, 6: 0, 7: 1, 8: 1, 9: 1}


def test_the_explanation_names_the_deviation_against_the_threshold_and_the_digit(ministry_b):
    make_buyer_payments(ministry_b, clustered_amounts(200), owner=ministry_b)
    finding = STATISTICAL_RULES["BENFORD1"].find({}).findings[0]

    sentence = STATISTICAL_RULES["BENFORD1"].explain(finding.figures)

    assert "200" in sentence and "0.015" in sentence and f"{finding.value:.4f}" in sentence
    assert "digit 4" in sentence and "9.7%" in sentence


def test_the_isolation_forest_flags_the_planted_contract_and_names_its_features(ministry_a):
    make_ordinary_contracts(ministry_a, n=300)
    planted = make_planted_contract(ministry_a)

    result = isolation_forest_findings({})

    found = _by_key(result)
    assert f"IFOREST:contract:{planted.pk}" in found
    odd = found[f"IFOREST:contract:{planted.pk}"]
    assert result.findings[0] == odd  # the most anomalous first
    assert len(found) <= 10  # the ordinary contracts are not the queue
    assert odd.subject == AlertSubject.CONTRACT and odd.contract_id == planted.pk
    assert odd.tender_id == planted.tender_id and odd.supplier_id == planted.supplier_id
    assert odd.buyer_ref == "MIN-A"
    assert odd.value == odd.score == odd.figures["score"] > odd.threshold == 0.65
    assert 0 <= odd.score <= 1
    assert odd.figures["population"] == 301 and odd.figures["imputed"] == []
    features = odd.figures["features"]
    assert len(features) == 3
    assert {f["feature"] for f in features} <= {
        "value",
        "bids",
        "valid_bids",
        "supplier_age_days",
        "amended_share",
        "method",
    }
    assert all(f["effect"] > 0 for f in features)
    assert [f["effect"] for f in features] == sorted((f["effect"] for f in features), reverse=True)
    by_name = {f["feature"]: f for f in features}
    if "value" in by_name:
        assert by_name["value"]["value"] == pytest.approx(171_000_000, rel=1e-6)
    if "supplier_age_days" in by_name:
        assert by_name["supplier_age_days"]["value"] == 10
    assert {"kind": "contract", "id": planted.pk} in odd.records
    sentence = STATISTICAL_RULES["IFOREST"].explain(odd.figures)
    assert "301" in sentence and "0.650" in sentence and "median" in sentence

    again = isolation_forest_findings({})
    assert [(f.key, f.value, f.figures) for f in again.findings] == [
        (f.key, f.value, f.figures) for f in result.findings
    ]


def test_without_the_planted_contract_the_ordinary_ones_stay_under_the_threshold_mostly(ministry_a):
    make_ordinary_contracts(ministry_a, n=300)

    result = isolation_forest_findings({})

    assert len(result.findings) <= 10
    assert result.not_computable == 0
    # A set contamination flags that share of the contracts instead of reading the score threshold.
    shared = isolation_forest_findings({"contamination": 0.05})
    assert 10 <= len(shared.findings) <= 20


def _national_population(n, seed=15):
    """Return n rows shaped like the national trail's features (bounded, mostly tied) and the method one-hot."""
    rng = np.random.default_rng(seed)
    amended = rng.random(n) < 0.07
    bids = rng.integers(1, 10, n).astype(float)
    numeric = np.column_stack(
        [
            rng.normal(5.1, 0.6, n),  # log10 of the value
            bids,
            np.maximum(1, bids - rng.integers(0, 2, n)),
            rng.uniform(90, 900, n) + amended * rng.uniform(30, 180, n),
            amended.astype(float),
            amended * rng.uniform(0.02, 0.10, n),
            rng.uniform(100, 11_000, n),
            rng.uniform(7, 40, n),
        ]
    )
    methods = rng.choice(5, n, p=[0.68, 0.1, 0.08, 0.12, 0.02])
    return np.hstack([numeric, np.eye(6)[methods]])


def test_a_contract_extreme_on_several_features_is_flagged_among_many():
    # Among 20,000 contracts one lasts 16 years, had six amendments and an award 400 days after the
    # deadline: beyond the range of every other contract on three features. Trees grown on 256
    # contracts never saw such values and scored it like an ordinary long, once amended contract.
    x = _national_population(20_000)
    odd = np.array([[6.5, 1, 1, 5840, 6, 0.0, 8283, 400, 0, 0, 0, 1, 0, 0]], dtype=float)
    x = np.vstack([x[:7_000], odd, x[7_000:]])
    threshold = STATISTICAL_RULES["IFOREST"].defaults["score_threshold"]
    defaults = {k: v for k, v in STATISTICAL_RULES["IFOREST"].defaults.items() if k in ("n_estimators", "max_samples")}

    _model, scores = forest_fit(x, contamination="auto", random_state=0, **defaults)

    assert scores[7_000] > threshold
    assert int(np.argmax(scores)) == 7_000
    # The ordinary contracts mostly stay under the threshold.
    assert (scores > threshold).sum() <= 0.005 * len(x)
    # The control: trees of 256 contracts rank ordinary contracts above it (eight here; 2,458 among 200,000).
    _model, small = forest_fit(x, contamination="auto", random_state=0, n_estimators=100, max_samples=256)
    assert (small > small[7_000]).sum() >= 5


def test_a_contract_without_value_is_not_computable_and_missing_features_are_imputed(ministry_a):
    supplier = make_supplier(owner=ministry_a, tax_status=TaxStatus.COMPLIANT)  # no registration date
    tender = make_tender(buyer=ministry_a, deadline=None)
    no_value = make_contract(tender, supplier, None)
    dated = make_contract(tender, supplier, 1000, end_on=None)
    other = make_supplier(owner=ministry_a, registered_on=datetime.date(2020, 5, 1))
    full = make_contract(make_tender(buyer=ministry_a), other, 2000)

    data = contract_features()

    assert data.not_computable == 1
    assert no_value.pk not in data.ids.tolist()
    assert data.ids.tolist() == [dated.pk, full.pk]
    names = ["value", "bids", "valid_bids", "duration_days", "amendments", "amended_share", "supplier_age_days"]
    missing = {names[j] for j in range(len(names)) if data.missing[0, j]}
    assert {"duration_days", "supplier_age_days", "bids", "valid_bids"} <= missing
    assert not data.missing[1, names.index("supplier_age_days")]
    assert (
        data.numeric[1, names.index("supplier_age_days")]
        == (datetime.date(2025, 5, 1) - datetime.date(2020, 5, 1)).days
    )
    # Fewer contracts than the minimum: nothing is fitted, every one counts as not computable.
    assert isolation_forest_findings({}).not_computable == 3
    assert isolation_forest_findings({}).findings == []


def test_the_statistical_rules_are_shaped_like_the_red_flags():
    assert set(STATISTICAL_RULES) == {"BENFORD1", "BENFORD2", "IFOREST"}
    for code, rule in STATISTICAL_RULES.items():
        assert rule.code == code
        assert str(rule.title) and str(rule.why)
        assert rule.params({"unknown": 1}) == rule.defaults
    assert STATISTICAL_RULES["BENFORD1"].params({"min_payments": 500})["min_payments"] == 500
    assert STATISTICAL_RULES["BENFORD1"].defaults["nonconformity_above"] == 0.015
    assert STATISTICAL_RULES["BENFORD2"].defaults["nonconformity_above"] == 0.012
