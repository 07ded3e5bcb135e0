"""Red flags on bid prices: close to or far below the winner's, identical, the lowest one disqualified.

Prices are compared in the national currency (`amount_base`); a process with a bid whose amount could not be
converted is not computable for these rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from masar.integrity.findings import Finding
from masar.integrity.models import AwardStatus, BidStatus
from masar.integrity.rules.base import (
    SOLE_WINNER,
    SOLE_WINNER_PARAMS,
    SUBMITTED,
    Rule,
    RuleResult,
    as_list,
    fences,
    number,
    placeholders,
    price_comparison_excluded,
    rows,
    scalar,
    score_over,
    score_under,
    shared,
    supplier_finding,
    supplier_refs,
    tender_finding,
    tender_links,
)

PRICE_COMPARISON = {"no_price_comparison_procurement_methods": [], "price_comparison_procurement_methods": []}


@dataclass(frozen=True)
class SecondLowest:
    """One process's winning bid and lowest other valid bid (Cardinal's "second-lowest bid ratio")."""

    tender_id: int
    winner_id: int
    winner_bid: int
    winner_amount: float
    second_id: int
    second_bid: int
    second_amount: float

    @property
    def ratio(self) -> float:
        return (self.second_amount - self.winner_amount) / self.winner_amount


def second_lowest_bids(params: dict[str, Any]) -> tuple[list[SecondLowest], int]:
    """Return, for each process with one active award to one supplier, its winner and lowest other valid bid.

    Processes whose lowest other bid is below the winner's (the award criterion is then not price only) are
    left out, as Cardinal does; those with an unconverted bid, or a winning bid of zero, are counted apart.
    R024 and R058 read them alike: within one `evaluate()` they are read once for the same methods.
    """
    key = ("second_lowest_bids", *(tuple(as_list(params.get(name))) for name in sorted(PRICE_COMPARISON)))
    return shared(key, lambda: _second_lowest_bids(params))


def _second_lowest_bids(params: dict[str, Any]) -> tuple[list[SecondLowest], int]:
    keep, keep_params = price_comparison_excluded(params)
    found = rows(
        f"""
        WITH sole AS ({SOLE_WINNER}),
        bids AS (
            SELECT b.id, b.tender_id, b.supplier_id, b.amount_base,
                   CASE WHEN b.supplier_id = s.winner_id THEN 1 ELSE 0 END AS is_winner
            FROM {{bid}} b
            JOIN sole s ON s.tender_id = b.tender_id
            JOIN {{tender}} t ON t.id = b.tender_id
            WHERE b.status = %s AND b.tenderers_count = 1 AND b.supplier_id IS NOT NULL AND b.amount IS NOT NULL
              AND {keep}
        ),
        unconverted AS (
            SELECT tender_id, SUM(CASE WHEN amount_base IS NULL THEN 1 ELSE 0 END) AS n FROM bids GROUP BY tender_id
        ),
        ranked AS (
            SELECT id, tender_id, supplier_id, amount_base, is_winner,
                   ROW_NUMBER() OVER (PARTITION BY tender_id, is_winner ORDER BY amount_base, id) AS rn
            FROM bids WHERE amount_base IS NOT NULL
        )
        SELECT u.tender_id, u.n AS unconverted,
               MAX(CASE WHEN r.is_winner = 1 AND r.rn = 1 THEN r.supplier_id END) AS winner_id,
               MAX(CASE WHEN r.is_winner = 1 AND r.rn = 1 THEN r.id END) AS winner_bid,
               MAX(CASE WHEN r.is_winner = 1 AND r.rn = 1 THEN r.amount_base END) AS winner_amount,
               MAX(CASE WHEN r.is_winner = 0 AND r.rn = 1 THEN r.supplier_id END) AS second_id,
               MAX(CASE WHEN r.is_winner = 0 AND r.rn = 1 THEN r.id END) AS second_bid,
               MAX(CASE WHEN r.is_winner = 0 AND r.rn = 1 THEN r.amount_base END) AS second_amount
        FROM unconverted u LEFT JOIN ranked r ON r.tender_id = u.tender_id
        GROUP BY u.tender_id, u.n
        """,
        [*SOLE_WINNER_PARAMS, BidStatus.VALID, *keep_params],
    )
    pairs, missing = [], 0
    for row in found:
        if row["unconverted"]:
            missing += 1
            continue
        winner, second = number(row["winner_amount"]), number(row["second_amount"])
        if winner is None or second is None or second < winner:
            continue
        if winner <= 0:
            missing += 1
            continue
        pairs.append(
            SecondLowest(
                tender_id=row["tender_id"],
                winner_id=row["winner_id"],
                winner_bid=row["winner_bid"],
                winner_amount=winner,
                second_id=row["second_id"],
                second_bid=row["second_bid"],
                second_amount=second,
            )
        )
    return pairs, missing


def _pair_figures(pair: SecondLowest, fence: float, cut: Any) -> dict[str, Any]:
    figures = {
        "difference": round(pair.ratio, 6),
        "threshold": round(fence, 6),
        "winning_amount": pair.winner_amount,
        "second_amount": pair.second_amount,
    }
    if cut is not None:
        figures.update(q1=round(cut.q1, 6), q3=round(cut.q3, 6))
    return figures


def _pair_findings(
    rule: Rule, flagged: list[SecondLowest], fence: float, cut: Any, *, with_second: bool, low: bool
) -> list[Finding]:
    links = tender_links(p.tender_id for p in flagged)
    suppliers = {p.winner_id for p in flagged} | ({p.second_id for p in flagged} if with_second else set())
    refs = supplier_refs(suppliers)
    scorer = score_under if low else score_over
    findings, per_supplier = [], {}
    for pair in flagged:
        records = [
            {"kind": "tender", "id": pair.tender_id},
            {"kind": "bid", "id": pair.winner_bid},
            {"kind": "bid", "id": pair.second_bid},
            {"kind": "supplier", "id": pair.winner_id},
            {"kind": "supplier", "id": pair.second_id},
        ]
        findings.append(
            tender_finding(
                rule,
                pair.tender_id,
                links,
                supplier_id=pair.winner_id,
                value=pair.ratio,
                threshold=fence,
                score=scorer(pair.ratio, fence),
                figures=_pair_figures(pair, fence, cut),
                records=records,
            )
        )
        per_supplier.setdefault(pair.winner_id, []).append(pair)
        if with_second:
            per_supplier.setdefault(pair.second_id, []).append(pair)
    for supplier_id, pairs in per_supplier.items():
        findings.append(
            supplier_finding(
                rule,
                supplier_id,
                refs,
                tender_id=pairs[0].tender_id,
                links=links,
                value=0.0,
                threshold=fence,
                score=max(scorer(p.ratio, fence) for p in pairs),
                figures={**_pair_figures(pairs[0], fence, cut), "tenders": len(pairs)},
                records=[{"kind": "tender", "id": p.tender_id} for p in pairs],
            )
        )
    return findings


class PriceCloseToWinningBid(Rule):
    code = "R024"
    title = _("Price close to winning bid")
    why = _(
        "A colluding bidder can mimic competition by bidding a price close to its partner's, different in "
        "quality rather than in price."
    )
    explanation = _(
        "The second-lowest valid bid was %(difference)s above the winning bid (as a share of it), at or below "
        "the lower fence of %(threshold)s."
    )
    notes = _(
        "As Cardinal: the lower fence Q1 - 1.5 IQR over all processes (quartiles of type 8), unless a threshold "
        "is set; nothing is flagged when Q1 or the fence is zero or less. Amounts compared in the national "
        "currency rather than in the first currency seen."
    )
    defaults = {"threshold": None, **PRICE_COMPARISON}

    def find(self, params: dict[str, Any]) -> RuleResult:
        pairs, missing = second_lowest_bids(params)
        if params.get("threshold") is not None:
            fence, cut, q1 = float(params["threshold"]), None, 1.0
        else:
            cut = fences(p.ratio for p in pairs)
            fence, q1 = cut.lower, cut.q1
        if not (q1 > 0 and fence > 0) or math.isnan(fence):
            return RuleResult([], missing)
        flagged = [p for p in pairs if p.ratio <= fence]
        return RuleResult(_pair_findings(self, flagged, fence, cut, with_second=True, low=True), missing)


class HeavilyDiscountedBid(Rule):
    code = "R058"
    title = _("Heavily discounted bid")
    why = _("A bidder can win with a price far below the others' and then deliver defective goods or works.")
    explanation = _(
        "The second-lowest valid bid was %(difference)s above the winning bid (as a share of it), at or above "
        "the upper fence of %(threshold)s."
    )
    notes = _(
        "As Cardinal: the upper fence Q3 + 1.5 IQR over all processes (quartiles of type 8), unless a threshold "
        "is set; nothing is flagged when the fence is zero or less."
    )
    defaults = {"threshold": None, **PRICE_COMPARISON}

    def find(self, params: dict[str, Any]) -> RuleResult:
        pairs, missing = second_lowest_bids(params)
        if params.get("threshold") is not None:
            fence, cut = float(params["threshold"]), None
        else:
            cut = fences(p.ratio for p in pairs)
            fence = cut.upper
        if math.isnan(fence) or fence <= 0:
            return RuleResult([], missing)
        flagged = [p for p in pairs if p.ratio >= fence]
        return RuleResult(_pair_findings(self, flagged, fence, cut, with_second=False, low=False), missing)


class IdenticalBidPrices(Rule):
    code = "R028"
    title = _("Identical bid prices")
    why = _("A corrupt buyer can help the pre-determined bidder by leaking a competitor's price to it.")
    explanation = _("%(tenderers)s different tenderers submitted bids of the same price, %(amount)s.")
    notes = _("As Cardinal, among submitted bids (pending, valid, disqualified), compared in the national currency.")
    defaults = dict(PRICE_COMPARISON)

    def find(self, params: dict[str, Any]) -> RuleResult:
        keep, keep_params = price_comparison_excluded(params)
        submitted = f"""
            SELECT b.id, b.tender_id, b.supplier_id, b.amount_base
            FROM {{bid}} b JOIN {{tender}} t ON t.id = b.tender_id
            WHERE b.status IN ({placeholders(SUBMITTED)}) AND b.supplier_id IS NOT NULL AND b.amount IS NOT NULL
              AND {keep}
        """
        base = [*SUBMITTED, *keep_params]
        missing = scalar(
            f"WITH sub AS ({submitted}) SELECT COUNT(DISTINCT tender_id) FROM sub WHERE amount_base IS NULL", base
        )
        found = rows(
            f"""
            WITH sub AS ({submitted}),
            same AS (
                SELECT tender_id, amount_base FROM sub WHERE amount_base IS NOT NULL
                GROUP BY tender_id, amount_base HAVING COUNT(DISTINCT supplier_id) > 1
            )
            SELECT s.id, s.tender_id, s.supplier_id, s.amount_base
            FROM sub s JOIN same ON same.tender_id = s.tender_id AND same.amount_base = s.amount_base
            ORDER BY s.tender_id, s.id
            """,
            base,
        )
        links = tender_links(row["tender_id"] for row in found)
        refs = supplier_refs(row["supplier_id"] for row in found)
        by_tender: dict[int, list[dict[str, Any]]] = {}
        by_supplier: dict[int, list[dict[str, Any]]] = {}
        for row in found:
            by_tender.setdefault(row["tender_id"], []).append(row)
            by_supplier.setdefault(row["supplier_id"], []).append(row)
        findings = []
        for tender_id, bids in by_tender.items():
            figures = {
                "tenderers": len({b["supplier_id"] for b in bids}),
                "amount": number(bids[0]["amount_base"]),
                "amounts": sorted({number(b["amount_base"]) for b in bids}),
            }
            findings.append(
                tender_finding(
                    self,
                    tender_id,
                    links,
                    value=1.0,
                    score=1.0,
                    figures=figures,
                    records=[{"kind": "bid", "id": b["id"]} for b in bids]
                    + [{"kind": "supplier", "id": s} for s in sorted({b["supplier_id"] for b in bids})],
                )
            )
        for supplier_id, bids in by_supplier.items():
            first = by_tender[bids[0]["tender_id"]]
            findings.append(
                supplier_finding(
                    self,
                    supplier_id,
                    refs,
                    tender_id=bids[0]["tender_id"],
                    links=links,
                    value=1.0,
                    score=1.0,
                    figures={
                        "tenderers": len({b["supplier_id"] for b in first}),
                        "amount": number(bids[0]["amount_base"]),
                        "tenders": len({b["tender_id"] for b in bids}),
                    },
                    records=[{"kind": "bid", "id": b["id"]} for b in bids],
                )
            )
        return RuleResult(findings, missing or 0)


class LowestBidDisqualified(Rule):
    code = "R036"
    title = _("Lowest bid disqualified")
    why = _("A corrupt buyer can award the pre-determined bidder by disqualifying lower-priced bids.")
    explanation = _(
        "The lowest submitted bid, %(lowest_disqualified)s, was disqualified; the lowest bid kept was %(lowest_other)s."
    )
    notes = _(
        "As Cardinal (an active award, a valid bid with an amount, the lowest submitted bid disqualified), "
        "except that a disqualified bid tied with the lowest other bid is not flagged (Cardinal's result then "
        "depends on the order the bids are listed in)."
    )
    defaults = dict(PRICE_COMPARISON)

    def find(self, params: dict[str, Any]) -> RuleResult:
        keep, keep_params = price_comparison_excluded(params)
        found = rows(
            f"""
            WITH sub AS (
                SELECT b.id, b.tender_id, b.status, b.amount_base
                FROM {{bid}} b JOIN {{tender}} t ON t.id = b.tender_id
                WHERE b.status IN ({placeholders(SUBMITTED)}) AND b.amount IS NOT NULL AND {keep}
                  AND EXISTS (SELECT 1 FROM {{award}} a WHERE a.tender_id = b.tender_id AND a.status = %s)
            ),
            per AS (
                SELECT tender_id,
                       SUM(CASE WHEN amount_base IS NULL THEN 1 ELSE 0 END) AS unconverted,
                       SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) AS valid,
                       MIN(CASE WHEN status = %s THEN amount_base END) AS lowest_disqualified,
                       MIN(CASE WHEN status <> %s THEN amount_base END) AS lowest_other
                FROM sub GROUP BY tender_id
            ),
            flagged AS (
                SELECT * FROM per WHERE unconverted > 0 OR (valid > 0 AND lowest_disqualified < lowest_other)
            )
            SELECT f.tender_id, f.unconverted, f.lowest_disqualified, f.lowest_other, MIN(s.id) AS bid_id
            FROM flagged f
            LEFT JOIN sub s ON s.tender_id = f.tender_id AND s.status = %s AND s.amount_base = f.lowest_disqualified
            GROUP BY f.tender_id, f.unconverted, f.lowest_disqualified, f.lowest_other
            ORDER BY f.tender_id
            """,
            [
                *SUBMITTED,
                *keep_params,
                AwardStatus.ACTIVE,
                BidStatus.VALID,
                BidStatus.DISQUALIFIED,
                BidStatus.DISQUALIFIED,
                BidStatus.DISQUALIFIED,
            ],
        )
        missing = sum(1 for row in found if row["unconverted"])
        flagged = [row for row in found if not row["unconverted"]]
        links = tender_links(row["tender_id"] for row in flagged)
        findings = [
            tender_finding(
                self,
                row["tender_id"],
                links,
                value=number(row["lowest_disqualified"]),
                threshold=number(row["lowest_other"]),
                score=1.0,
                figures={
                    "lowest_disqualified": number(row["lowest_disqualified"]),
                    "lowest_other": number(row["lowest_other"]),
                },
                records=[{"kind": "tender", "id": row["tender_id"]}, {"kind": "bid", "id": row["bid_id"]}],
            )
            for row in flagged
        ]
        return RuleResult(findings, missing)


RULES = [PriceCloseToWinningBid(), IdenticalBidPrices(), LowestBidDisqualified(), HeavilyDiscountedBid()]
