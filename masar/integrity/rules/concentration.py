"""Red flags on a buyer's suppliers: one supplier taking most of its money, or few suppliers taking all of it.

A supplier is counted as one business across its records when their names fold to the same key (two Arabic
spellings of one company are one supplier here), its identifier otherwise.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from masar.integrity.findings import Finding
from masar.integrity.models import AlertSubject, AwardStatus
from masar.integrity.rules.base import Rule, RuleResult, number, rows, scalar, score_over, supplier_refs

# One business behind supplier records: the folded name when there is one, else the identifier.
ENTITY = "COALESCE(NULLIF(s.name_key, ''), s.identifier)"


class HighWinnerShare(Rule):
    code = "R055"
    title = _("High winner share per buyer")
    why = _("A supplier taking most of what one buyer awards may enjoy the buyer's favour rather than win on merit.")
    explanation = _(
        "The supplier won %(share)s of the value the buyer awarded (%(awarded)s of %(total)s over %(processes)s "
        "processes), above the threshold of %(threshold)s."
    )
    notes = _(
        "Cardinal publishes no method for R055; Masar's, chosen deliberately: a supplier's share of the value of "
        "a buyer's active awards (in the national currency) above the threshold, for buyers with at least the "
        "minimum number of awarded processes; awards to several suppliers count in the buyer's total only. A "
        "buyer with an award that could not be converted is not computable."
    )
    defaults = {"threshold": 0.5, "minimum_contracting_processes": 10}

    def find(self, params: dict[str, Any]) -> RuleResult:
        threshold, minimum = float(params["threshold"]), int(params["minimum_contracting_processes"])
        awarded = f"""
            SELECT t.buyer_ref, t.buyer_id, a.tender_id, a.amount_base, a.supplier_id,
                   CASE WHEN a.suppliers_count = 1 AND a.supplier_id IS NOT NULL THEN {ENTITY} END AS entity
            FROM {{award}} a JOIN {{tender}} t ON t.id = a.tender_id LEFT JOIN {{supplier}} s ON s.id = a.supplier_id
            WHERE a.status = %s AND a.amount IS NOT NULL AND t.buyer_ref <> ''
        """
        buyers = """
            SELECT buyer_ref, MAX(buyer_id) AS buyer_id, COUNT(DISTINCT tender_id) AS processes,
                   SUM(amount_base) AS total, SUM(CASE WHEN amount_base IS NULL THEN 1 ELSE 0 END) AS unconverted
            FROM aw GROUP BY buyer_ref
        """
        missing = scalar(
            f"WITH aw AS ({awarded}), b AS ({buyers}) SELECT COUNT(*) FROM b WHERE unconverted > 0",
            [AwardStatus.ACTIVE],
        )
        found = rows(
            f"""
            WITH aw AS ({awarded}), b AS ({buyers}),
            sh AS (
                SELECT buyer_ref, entity, MIN(supplier_id) AS supplier_id, SUM(amount_base) AS awarded,
                       COUNT(DISTINCT tender_id) AS wins
                FROM aw WHERE entity IS NOT NULL GROUP BY buyer_ref, entity
            )
            SELECT sh.buyer_ref, sh.supplier_id, sh.awarded, sh.wins, b.buyer_id, b.processes, b.total
            FROM sh JOIN b ON b.buyer_ref = sh.buyer_ref
            WHERE b.unconverted = 0 AND b.processes >= %s AND b.total > 0 AND sh.awarded >= b.total * %s
            ORDER BY sh.buyer_ref, sh.supplier_id
            """,
            [AwardStatus.ACTIVE, minimum, threshold - 1e-9],
        )
        flagged = [row for row in found if number(row["awarded"]) / number(row["total"]) > threshold]
        refs = supplier_refs(row["supplier_id"] for row in flagged)
        findings = []
        for row in flagged:
            share = number(row["awarded"]) / number(row["total"])
            findings.append(
                Finding(
                    rule=self.code,
                    subject=AlertSubject.SUPPLIER,
                    key=f"{self.code}:supplier:{refs.get(row['supplier_id'])}:buyer:{row['buyer_ref']}",
                    supplier_id=row["supplier_id"],
                    buyer_id=row["buyer_id"],
                    buyer_ref=row["buyer_ref"],
                    value=share,
                    threshold=threshold,
                    score=score_over(share, threshold),
                    figures={
                        "share": round(share, 6),
                        "awarded": number(row["awarded"]),
                        "total": number(row["total"]),
                        "wins": int(row["wins"]),
                        "processes": int(row["processes"]),
                        "threshold": threshold,
                    },
                    records=[{"kind": "supplier", "id": row["supplier_id"]}],
                )
            )
        return RuleResult(findings, missing or 0)


class BuyerConcentration(Rule):
    code = "HHI"
    title = _("Buyer concentration")
    why = _("When a few suppliers take almost all of a buyer's contracts, competition may be restricted or shared out.")
    explanation = _(
        "The Herfindahl–Hirschman index of the buyer's suppliers is %(hhi)s over %(contracts)s contracts and "
        "%(suppliers)s suppliers, above the threshold of %(threshold)s."
    )
    notes = _(
        "Masar's own: the sum of the squared shares of each supplier in the value of a buyer's contracts (national "
        "currency), for buyers with at least the minimum number of contracts; a buyer with a contract whose value "
        "could not be converted is not computable."
    )
    defaults = {"threshold": 0.25, "minimum_contracts": 10}

    def find(self, params: dict[str, Any]) -> RuleResult:
        threshold, minimum = float(params["threshold"]), int(params["minimum_contracts"])
        contracts = f"""
            SELECT t.buyer_ref, t.buyer_id, c.value_base, {ENTITY} AS entity, c.supplier_id
            FROM {{contract}} c JOIN {{tender}} t ON t.id = c.tender_id JOIN {{supplier}} s ON s.id = c.supplier_id
            WHERE c.value IS NOT NULL AND t.buyer_ref <> ''
        """
        buyers = """
            SELECT buyer_ref, MAX(buyer_id) AS buyer_id, COUNT(*) AS contracts, SUM(value_base) AS total,
                   SUM(CASE WHEN value_base IS NULL THEN 1 ELSE 0 END) AS unconverted
            FROM c GROUP BY buyer_ref
        """
        missing = scalar(f"WITH c AS ({contracts}), b AS ({buyers}) SELECT COUNT(*) FROM b WHERE unconverted > 0")
        found = rows(
            f"""
            WITH c AS ({contracts}), b AS ({buyers})
            SELECT c.buyer_ref, c.entity, MIN(c.supplier_id) AS supplier_id, SUM(c.value_base) AS awarded,
                   MAX(b.buyer_id) AS buyer_id, MAX(b.contracts) AS contracts, MAX(b.total) AS total
            FROM c JOIN b ON b.buyer_ref = c.buyer_ref
            WHERE b.unconverted = 0 AND b.contracts >= %s AND b.total > 0
            GROUP BY c.buyer_ref, c.entity
            ORDER BY c.buyer_ref, c.entity
            """,
            [minimum],
        )
        per_buyer: dict[str, list[dict[str, Any]]] = {}
        for row in found:
            per_buyer.setdefault(row["buyer_ref"], []).append(row)
        findings = []
        for buyer_ref, shares in per_buyer.items():
            total = number(shares[0]["total"])
            hhi = sum((number(row["awarded"]) / total) ** 2 for row in shares)
            if hhi <= threshold:
                continue
            top = sorted(shares, key=lambda row: -number(row["awarded"]))[:5]
            findings.append(
                Finding(
                    rule=self.code,
                    subject=AlertSubject.BUYER,
                    key=f"{self.code}:buyer:{buyer_ref}",
                    buyer_id=shares[0]["buyer_id"],
                    buyer_ref=buyer_ref,
                    value=hhi,
                    threshold=threshold,
                    score=score_over(hhi, threshold),
                    figures={
                        "hhi": round(hhi, 6),
                        "threshold": threshold,
                        "contracts": int(shares[0]["contracts"]),
                        "suppliers": len(shares),
                        "total": total,
                        "top_shares": [round(number(row["awarded"]) / total, 6) for row in top],
                    },
                    records=[{"kind": "supplier", "id": row["supplier_id"]} for row in top],
                )
            )
        return RuleResult(findings, missing or 0)


RULES = [HighWinnerShare(), BuyerConcentration()]
