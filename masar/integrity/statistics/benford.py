"""Benford's law on each buyer's payments: the first-digit and second-digit tests.

In many naturally occurring sets of amounts the leading digit d appears with probability
log10(1 + 1/d) (a 1 in about 30% of amounts, a 9 in under 5%), and the second digit follows a
flatter law of its own. Amounts that were invented, or pushed just under an approval ceiling,
depart from it. Conformity is judged by the mean absolute deviation (MAD) between the observed and
the expected proportions, with the critical values of Nigrini, M. J. (2012), *Benford's Law:
Applications for Forensic Accounting, Auditing, and Fraud Detection*, Wiley:

- first digit: close conformity <= 0.006, acceptable <= 0.012, marginally acceptable <= 0.015,
  nonconformity above;
- second digit: 0.008, 0.010, 0.012.

As Nigrini advises, amounts under 10 are left out (they have no second digit and are often fees or
rounding), and a buyer is tested only from a minimum number of amounts (default 100); buyers with
fewer are counted as not computable. A departure is a reason to look, never a proof: an inspector
reads the digits that are over-represented and opens the payments behind them.

The digits are counted in the database (one aggregate query per run, grouped by buyer and by first
and second digit, on SQLite and PostgreSQL alike), not by loading the payments into Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import models
from django.db.models import BigIntegerField, CharField, Count, F, Max
from django.db.models.functions import Cast, Floor, Substr
from django.utils.translation import gettext_lazy as _

from masar.integrity.findings import Finding
from masar.integrity.models import AlertSubject, Payment

MIN_AMOUNT = 10


class Conformity(models.TextChoices):
    """Nigrini's conformity levels for a mean absolute deviation."""

    CLOSE = "close", _("Close conformity")
    ACCEPTABLE = "acceptable", _("Acceptable conformity")
    MARGINAL = "marginal", _("Marginally acceptable conformity")
    NONCONFORMITY = "nonconformity", _("Nonconformity")


# Upper bounds of close, acceptable and marginally acceptable conformity (Nigrini 2012).
BOUNDS = {
    1: (0.006, 0.012, 0.015),
    2: (0.008, 0.010, 0.012),
}


def expected_proportions(position: int) -> dict[int, float]:
    """Return Benford's expected proportion of each digit at a position (1: first digit, 2: second)."""
    if position == 1:
        return {d: math.log10(1 + 1 / d) for d in range(1, 10)}
    if position == 2:
        return {d: sum(math.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)}
    raise ValueError(position)


def mean_absolute_deviation(counts: dict[int, int], position: int) -> float:
    """Return the MAD between the observed proportions of counts (digit -> count) and Benford's."""
    expected = expected_proportions(position)
    n = sum(counts.get(d, 0) for d in expected)
    if n == 0:
        raise ValueError("no amount")
    return sum(abs(counts.get(d, 0) / n - e) for d, e in expected.items()) / len(expected)


def conformity(mad: float, position: int, nonconformity_above: float | None = None) -> Conformity:
    """Return Nigrini's conformity level of a MAD (the last bound may be set by the national unit)."""
    close, acceptable, marginal = BOUNDS[position]
    if nonconformity_above is not None:
        marginal = nonconformity_above
    if mad <= close:
        return Conformity.CLOSE
    if mad <= acceptable:
        return Conformity.ACCEPTABLE
    if mad <= marginal:
        return Conformity.MARGINAL
    return Conformity.NONCONFORMITY


@dataclass
class BuyerDigits:
    """How often each first and second digit starts the tested payments of one buyer."""

    buyer_ref: str
    buyer_id: int | None
    first: dict[int, int]
    second: dict[int, int]

    @property
    def n(self) -> int:
        return sum(self.first.values())


def _digits():
    """Return the integer part of a payment's national amount as text (its digits, most significant first)."""
    return Cast(Cast(Floor("amount_base"), BigIntegerField()), CharField())


def _tested_payments():
    return Payment.objects.filter(amount_base__gte=MIN_AMOUNT).exclude(contract__tender__buyer_ref="")


def buyer_digit_counts() -> list[BuyerDigits]:
    """Return, per buyer, the counts of first and second digits of its payments of 10 or more (one query)."""
    rows = (
        _tested_payments()
        .annotate(
            buyer_code=F("contract__tender__buyer_ref"),
            d1=Substr(_digits(), 1, 1),
            d2=Substr(_digits(), 2, 1),
        )
        .order_by()
        .values("buyer_code", "d1", "d2")
        .annotate(n=Count("id"), buyer=Max("contract__tender__buyer"))
    )
    buyers: dict[str, BuyerDigits] = {}
    for row in rows:
        entry = buyers.get(row["buyer_code"])
        if entry is None:
            entry = buyers[row["buyer_code"]] = BuyerDigits(row["buyer_code"], row["buyer"], {}, {})
        entry.buyer_id = entry.buyer_id or row["buyer"]
        d1, d2 = int(row["d1"]), int(row["d2"])
        entry.first[d1] = entry.first.get(d1, 0) + row["n"]
        entry.second[d2] = entry.second.get(d2, 0) + row["n"]
    return sorted(buyers.values(), key=lambda b: b.buyer_ref)


def _z_statistic(observed: float, expected: float, n: int) -> float:
    """Return the Z statistic of one digit's proportion, with the continuity correction (Nigrini 2012)."""
    deviation = abs(observed - expected) - 1 / (2 * n)
    return max(deviation, 0.0) / math.sqrt(expected * (1 - expected) / n)


def digit_figures(counts: dict[int, int], position: int, nonconformity_above: float, top: int = 3) -> dict:
    """Return the figures of one buyer's test: n, MAD, conformity, and each digit observed against expected."""
    expected = expected_proportions(position)
    n = sum(counts.get(d, 0) for d in expected)
    digits = []
    for d, e in expected.items():
        observed = counts.get(d, 0) / n
        digits.append(
            {
                "digit": d,
                "count": counts.get(d, 0),
                "observed": round(observed, 5),
                "expected": round(e, 5),
                "excess": round(observed - e, 5),
                "z": round(_z_statistic(observed, e, n), 2),
            }
        )
    over = sorted((row for row in digits if row["excess"] > 0), key=lambda row: (-row["excess"], row["digit"]))
    mad = mean_absolute_deviation(counts, position)
    return {
        "test": position,
        "n": n,
        "mad": round(mad, 6),
        "conformity": conformity(mad, position, nonconformity_above).value,
        "threshold": nonconformity_above,
        "bounds": dict(zip(("close", "acceptable", "marginal"), BOUNDS[position], strict=True)),
        "digits": digits,
        "over_represented": [row["digit"] for row in over[:top]],
    }


def _sample_payments(buyer_ref: str, position: int, digit: int, limit: int) -> list[int]:
    """Return the ids of a buyer's tested payments whose digit at a position is digit (first ones by id)."""
    return list(
        _tested_payments()
        .filter(contract__tender__buyer_ref=buyer_ref)
        .annotate(digit=Substr(_digits(), position, 1))
        .filter(digit=str(digit))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def benford_test(
    position: int, *, min_payments: int, nonconformity_above: float, records: int, buyers=None
) -> tuple[list[Finding], int]:
    """Return the findings of one digit test on every buyer, and how many buyers had too few payments."""
    rule = f"BENFORD{position}"
    findings: list[Finding] = []
    not_computable = 0
    for buyer in buyer_digit_counts() if buyers is None else buyers:
        if buyer.n < min_payments:
            not_computable += 1
            continue
        counts = buyer.first if position == 1 else buyer.second
        figures = digit_figures(counts, position, nonconformity_above)
        if figures["conformity"] != Conformity.NONCONFORMITY:
            continue
        digit = figures["over_represented"][0]
        figures["digit"] = digit
        sample = _sample_payments(buyer.buyer_ref, position, digit, records)
        findings.append(
            Finding(
                rule=rule,
                subject=AlertSubject.BUYER.value,
                key=f"{rule}:buyer:{buyer.buyer_ref}",
                value=figures["mad"],
                threshold=nonconformity_above,
                score=min(1.0, figures["mad"] / (2 * nonconformity_above)),
                buyer_id=buyer.buyer_id,
                buyer_ref=buyer.buyer_ref,
                figures=figures,
                records=[{"kind": "payment", "id": pk} for pk in sample],
            )
        )
    return findings, not_computable
