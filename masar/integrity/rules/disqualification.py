"""Red flags on disqualified bids: every bid but the winner's, and buyers or tenderers that disqualify a lot."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _

from masar.integrity.findings import Finding
from masar.integrity.models import AlertSubject, AwardStatus, BidStatus
from masar.integrity.rules.base import (
    FINAL_AWARDS,
    SUBMITTED,
    Fences,
    Rule,
    RuleResult,
    fences,
    placeholders,
    rows,
    score_over,
    supplier_finding,
    supplier_refs,
    tender_finding,
    tender_links,
)

# How many records an alert on a buyer or a tenderer lists (the figures say how many there are in all).
RECORDS_SHOWN = 100


class AllExceptWinningBidDisqualified(Rule):
    code = "R035"
    title = _("All except winning bid disqualified")
    why = _("A corrupt buyer can award the pre-determined bidder by disqualifying the other bidders' bids.")
    explanation = _(
        "Every bid but the winner's was disqualified: %(disqualified)s other tenderers, at least %(threshold)s."
    )
    notes = _(
        "As Cardinal: one tenderer with valid bids, the same as the suppliers of the active awards, no pending "
        "award, and at least the threshold of other tenderers with disqualified bids (a threshold below 1 is 1)."
    )
    defaults = {"threshold": 1}

    def find(self, params: dict[str, Any]) -> RuleResult:
        threshold = max(int(params["threshold"]), 1)
        found = rows(
            f"""
            WITH aw AS (
                SELECT tender_id,
                       SUM(CASE WHEN status <> '' AND status NOT IN ({placeholders(FINAL_AWARDS)}) THEN 1 ELSE 0 END)
                           AS open_awards,
                       COUNT(DISTINCT CASE WHEN status = %s THEN supplier_id END) AS winners,
                       MIN(CASE WHEN status = %s THEN supplier_id END) AS winner_id
                FROM {{award}} GROUP BY tender_id
            ),
            valid AS (
                SELECT tender_id, COUNT(DISTINCT supplier_id) AS n, MIN(supplier_id) AS supplier_id
                FROM {{bid}} WHERE status = %s AND supplier_id IS NOT NULL GROUP BY tender_id
            )
            SELECT v.tender_id, v.supplier_id, COUNT(DISTINCT d.supplier_id) AS disqualified
            FROM valid v
            JOIN aw ON aw.tender_id = v.tender_id
            JOIN {{bid}} d ON d.tender_id = v.tender_id AND d.status = %s AND d.supplier_id IS NOT NULL
                           AND d.supplier_id <> v.supplier_id
            WHERE v.n = 1 AND aw.open_awards = 0 AND aw.winners = 1 AND aw.winner_id = v.supplier_id
            GROUP BY v.tender_id, v.supplier_id
            HAVING COUNT(DISTINCT d.supplier_id) >= %s
            ORDER BY v.tender_id
            """,
            [*FINAL_AWARDS, AwardStatus.ACTIVE, AwardStatus.ACTIVE, BidStatus.VALID, BidStatus.DISQUALIFIED, threshold],
        )
        links = tender_links(row["tender_id"] for row in found)
        refs = supplier_refs(row["supplier_id"] for row in found)
        findings: list[Finding] = []
        per_supplier: dict[int, list[dict[str, Any]]] = {}
        for row in found:
            count = int(row["disqualified"])
            findings.append(
                tender_finding(
                    self,
                    row["tender_id"],
                    links,
                    supplier_id=row["supplier_id"],
                    value=float(count),
                    threshold=float(threshold),
                    score=score_over(count, threshold),
                    figures={"disqualified": count, "threshold": threshold},
                    records=[
                        {"kind": "tender", "id": row["tender_id"]},
                        {"kind": "supplier", "id": row["supplier_id"]},
                    ],
                )
            )
            per_supplier.setdefault(row["supplier_id"], []).append(row)
        for supplier_id, won in per_supplier.items():
            findings.append(
                supplier_finding(
                    self,
                    supplier_id,
                    refs,
                    tender_id=won[0]["tender_id"],
                    links=links,
                    value=0.0,
                    threshold=float(threshold),
                    score=max(score_over(int(r["disqualified"]), threshold) for r in won),
                    figures={"disqualified": int(won[0]["disqualified"]), "threshold": threshold, "tenders": len(won)},
                    records=[{"kind": "tender", "id": r["tender_id"]} for r in won],
                )
            )
        return RuleResult(findings, 0)


class ExcessiveDisqualifiedBids(Rule):
    code = "R038"
    title = _("Excessive disqualified bids")
    why = _(
        "A corrupt buyer can award pre-determined bidders by disqualifying the others' bids; a colluding bidder "
        "can mimic competition by submitting bids meant to be disqualified."
    )
    explanation = _(
        "%(disqualified)s of %(submitted)s submitted bids were disqualified, a ratio of %(ratio)s, at or above the "
        "upper fence of %(threshold)s."
    )
    notes = _(
        "As Cardinal, for buyers and tenderers (Masar records no procuring entity apart from the buyer). Like "
        "Cardinal's code, the buyers' minimum is compared with the number of bids submitted to the buyer, "
        "which is what Cardinal's worked example needs."
    )
    defaults = {"threshold": None, "minimum_submitted_bids": 2, "minimum_contracting_processes": 2}

    def find(self, params: dict[str, Any]) -> RuleResult:
        submitted = placeholders(SUBMITTED)
        buyers = rows(
            f"""
            SELECT t.buyer_ref AS subject, MAX(t.buyer_id) AS buyer_id, COUNT(*) AS submitted,
                   SUM(CASE WHEN b.status = %s THEN 1 ELSE 0 END) AS disqualified
            FROM {{bid}} b JOIN {{tender}} t ON t.id = b.tender_id
            WHERE b.status IN ({submitted}) AND t.buyer_ref <> ''
            GROUP BY t.buyer_ref ORDER BY t.buyer_ref
            """,
            [BidStatus.DISQUALIFIED, *SUBMITTED],
        )
        tenderers = rows(
            f"""
            SELECT supplier_id AS subject, COUNT(*) AS submitted,
                   SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) AS disqualified
            FROM {{bid}} WHERE status IN ({submitted}) AND supplier_id IS NOT NULL
            GROUP BY supplier_id ORDER BY supplier_id
            """,
            [BidStatus.DISQUALIFIED, *SUBMITTED],
        )
        flagged_buyers = self._flag(buyers, int(params["minimum_contracting_processes"]), params.get("threshold"))
        flagged_tenderers = self._flag(tenderers, int(params["minimum_submitted_bids"]), params.get("threshold"))
        return RuleResult(self._buyer_findings(flagged_buyers) + self._tenderer_findings(flagged_tenderers), 0)

    @staticmethod
    def _flag(found: list[dict[str, Any]], minimum: int, threshold: Any) -> list[dict[str, Any]]:
        kept = [row for row in found if int(row["submitted"]) >= minimum]
        for row in kept:
            row["ratio"] = int(row["disqualified"]) / int(row["submitted"])
        if not kept:
            return []
        cut: Fences | None = None
        if threshold is not None:
            fence = float(threshold)
        else:
            cut = fences(row["ratio"] for row in kept)
            fence = cut.upper
        if math.isnan(fence) or fence <= 0:
            return []
        flagged = [row for row in kept if row["ratio"] >= fence]
        for row in flagged:
            row["figures"] = {
                "ratio": round(row["ratio"], 6),
                "disqualified": int(row["disqualified"]),
                "submitted": int(row["submitted"]),
                "threshold": round(fence, 6),
            }
            if cut is not None:
                row["figures"].update(q1=round(cut.q1, 6), q3=round(cut.q3, 6))
            row["fence"] = fence
        return flagged

    def _buyer_findings(self, flagged: list[dict[str, Any]]) -> list[Finding]:
        if not flagged:
            return []
        refs = [row["subject"] for row in flagged]
        tenders: dict[str, list[int]] = {}
        for row in rows(
            f"""
            SELECT DISTINCT t.buyer_ref, t.id FROM {{tender}} t JOIN {{bid}} b ON b.tender_id = t.id
            WHERE b.status = %s AND t.buyer_ref IN ({placeholders(refs)}) ORDER BY t.buyer_ref, t.id
            """,
            [BidStatus.DISQUALIFIED, *refs],
        ):
            tenders.setdefault(row["buyer_ref"], []).append(row["id"])
        return [
            Finding(
                rule=self.code,
                subject=AlertSubject.BUYER,
                key=f"{self.code}:buyer:{row['subject']}",
                buyer_id=row["buyer_id"],
                buyer_ref=row["subject"],
                value=row["ratio"],
                threshold=row["fence"],
                score=score_over(row["ratio"], row["fence"]),
                figures=row["figures"],
                records=[{"kind": "tender", "id": pk} for pk in tenders.get(row["subject"], [])[:RECORDS_SHOWN]],
            )
            for row in flagged
        ]

    def _tenderer_findings(self, flagged: list[dict[str, Any]]) -> list[Finding]:
        if not flagged:
            return []
        ids = [row["subject"] for row in flagged]
        refs = supplier_refs(ids)
        bids: dict[int, list[dict[str, Any]]] = {}
        for row in rows(
            f"""
            SELECT id, tender_id, supplier_id FROM {{bid}}
            WHERE status = %s AND supplier_id IN ({placeholders(ids)}) ORDER BY supplier_id, id
            """,
            [BidStatus.DISQUALIFIED, *ids],
        ):
            bids.setdefault(row["supplier_id"], []).append(row)
        links = tender_links(b["tender_id"] for found in bids.values() for b in found[:1])
        findings = []
        for row in flagged:
            own = bids.get(row["subject"], [])
            findings.append(
                supplier_finding(
                    self,
                    row["subject"],
                    refs,
                    tender_id=own[0]["tender_id"] if own else None,
                    links=links,
                    value=row["ratio"],
                    threshold=row["fence"],
                    score=score_over(row["ratio"], row["fence"]),
                    figures=row["figures"],
                    records=[{"kind": "bid", "id": b["id"]} for b in own[:RECORDS_SHOWN]],
                )
            )
        return findings


RULES = [AllExceptWinningBidDisqualified(), ExcessiveDisqualifiedBids()]
