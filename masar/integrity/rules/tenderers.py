"""Red flags on tenderers: many losing bids, business similarities between rivals, a heterogeneous supplier."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _

from masar.integrity.findings import Finding
from masar.integrity.models import AwardStatus, BidStatus
from masar.integrity.rules.base import (
    SOLE_WINNER,
    SOLE_WINNER_PARAMS,
    Rule,
    RuleResult,
    fences,
    quantile,
    rows,
    score_over,
    score_under,
    supplier_finding,
    supplier_refs,
    tender_finding,
    tender_links,
)

RECORDS_SHOWN = 100


class ExcessiveUnsuccessfulBids(Rule):
    code = "R025"
    title = _("Excessive unsuccessful bids")
    why = _(
        "A colluding bidder can mimic competition by submitting deliberately losing bids in the processes its "
        "partner takes part in."
    )
    explanation = _(
        "The tenderer won %(wins)s of the %(processes)s processes it bid validly in, a ratio of %(ratio)s, at or "
        "below the lower fence of %(threshold)s, while bidding at least as often as %(percentile)s%% of tenderers "
        "(%(top)s processes)."
    )
    notes = _(
        "As Cardinal: valid bids counted once per process, in processes with one active award to one supplier "
        "and no pending award; quartiles of type 8; nothing is flagged when Q1 or the fence is zero or less."
    )
    defaults = {"percentile": 75, "threshold": None}

    def find(self, params: dict[str, Any]) -> RuleResult:
        found = rows(
            f"""
            WITH sole AS ({SOLE_WINNER}),
            pairs AS (
                SELECT DISTINCT b.tender_id, b.supplier_id,
                       CASE WHEN b.supplier_id = s.winner_id THEN 1 ELSE 0 END AS won
                FROM {{bid}} b JOIN sole s ON s.tender_id = b.tender_id
                WHERE b.status = %s AND b.tenderers_count = 1 AND b.supplier_id IS NOT NULL
            )
            SELECT supplier_id, COUNT(*) AS processes, SUM(won) AS wins FROM pairs GROUP BY supplier_id
            """,
            [*SOLE_WINNER_PARAMS, BidStatus.VALID],
        )
        if not found:
            return RuleResult([], 0)
        for row in found:
            row["ratio"] = int(row["wins"]) / int(row["processes"])
        percentile = int(params["percentile"])
        top = quantile([float(row["processes"]) for row in found], percentile / 100)
        if params.get("threshold") is not None:
            fence, q1, cut = float(params["threshold"]), 1.0, None
        else:
            cut = fences(row["ratio"] for row in found)
            fence, q1 = cut.lower, cut.q1
        if math.isnan(fence) or not (q1 > 0 and fence > 0):
            return RuleResult([], 0)
        flagged = [row for row in found if int(row["processes"]) >= top and row["ratio"] <= fence]
        refs = supplier_refs(row["supplier_id"] for row in flagged)
        findings = []
        for row in flagged:
            figures = {
                "wins": int(row["wins"]),
                "processes": int(row["processes"]),
                "ratio": round(row["ratio"], 6),
                "threshold": round(fence, 6),
                "percentile": percentile,
                "top": round(top, 6),
            }
            if cut is not None:
                figures.update(q1=round(cut.q1, 6), q3=round(cut.q3, 6))
            findings.append(
                supplier_finding(
                    self,
                    row["supplier_id"],
                    refs,
                    value=row["ratio"],
                    threshold=fence,
                    score=score_under(row["ratio"], fence),
                    figures=figures,
                    records=[{"kind": "supplier", "id": row["supplier_id"]}],
                )
            )
        return RuleResult(findings, 0)


# What R044 compares, by setting name: the supplier's column holding the comparison key.
SIMILARITY_FIELDS = {
    "address": "address_key",
    "phone": "phone_key",
    "email": "email_key",
    "contact_name": "contact_name",
    "name": "name_key",
}


# What each compared field is called in a sentence.
SIMILARITY_LABELS = {
    "address": _("address"),
    "phone": _("telephone"),
    "email": _("e-mail"),
    "contact_name": _("contact person"),
    "name": _("name"),
}


class BusinessSimilarities(Rule):
    code = "R044"
    title = _("Business similarities between suppliers")
    why = _("Different tenderers in one process sharing an address or a contact may be one business in disguise.")
    explanation = _("Tenderers in this process share the same %(fields)s.")
    notes = _(
        "From Cardinal's unmerged R044 branch: different tenderers of one process (suppliers of its bids, "
        "whatever their status) with the same address, telephone, e-mail or contact person, compared by their "
        "folded keys (two spellings of one address or number compare equal). Masar also compares names folded "
        "as Arabic is typed: two records of one business under two spellings bidding against each other. "
        "Cardinal compares only the first contact field both parties state; Masar compares each."
    )
    defaults = {"fields": ["address", "phone", "email", "contact_name", "name"]}

    def explain(self, figures: dict[str, Any]) -> str:
        """Name the shared fields in the reader's language (the figures keep their keys)."""
        shared = [name.strip() for name in str((figures or {}).get("fields") or "").split(",") if name.strip()]
        labels = ", ".join(str(SIMILARITY_LABELS.get(name, name)) for name in shared)
        return super().explain({**(figures or {}), "fields": labels or "–"})

    def find(self, params: dict[str, Any]) -> RuleResult:
        fields = [name for name in params["fields"] if name in SIMILARITY_FIELDS]
        if not fields:
            return RuleResult([], 0)
        # Only the keys that two suppliers share anywhere can be shared in a process: they are found among
        # the suppliers first, so that the bids are read once, for those suppliers only.
        keyed = " UNION ALL ".join(
            f"SELECT id, '{name}' AS field, {SIMILARITY_FIELDS[name]} AS shared FROM {{supplier}} "
            f"WHERE {SIMILARITY_FIELDS[name]} <> ''"
            for name in fields
        )
        found = rows(
            f"""
            WITH keyed AS ({keyed}),
            twice AS (
                SELECT k.id, k.field, k.shared FROM keyed k
                JOIN (SELECT field, shared FROM keyed GROUP BY field, shared HAVING COUNT(*) > 1) g
                  ON g.field = k.field AND g.shared = k.shared
            ),
            pairs AS (
                SELECT DISTINCT b.tender_id, b.supplier_id, k.field, k.shared
                FROM {{bid}} b JOIN twice k ON k.id = b.supplier_id
            )
            SELECT p.tender_id, p.supplier_id, p.field FROM pairs p
            JOIN (
                SELECT tender_id, field, shared FROM pairs GROUP BY tender_id, field, shared HAVING COUNT(*) > 1
            ) g ON g.tender_id = p.tender_id AND g.field = p.field AND g.shared = p.shared
            ORDER BY 1, 2
            """
        )
        by_tender: dict[int, dict[str, Any]] = {}
        by_supplier: dict[int, dict[str, Any]] = {}
        for row in found:
            tender = by_tender.setdefault(row["tender_id"], {"suppliers": set(), "fields": set()})
            tender["suppliers"].add(row["supplier_id"])
            tender["fields"].add(row["field"])
            supplier = by_supplier.setdefault(row["supplier_id"], {"tenders": set(), "fields": set()})
            supplier["tenders"].add(row["tender_id"])
            supplier["fields"].add(row["field"])
        links = tender_links(by_tender)
        refs = supplier_refs(by_supplier)
        findings: list[Finding] = []
        for tender_id, seen in by_tender.items():
            findings.append(
                tender_finding(
                    self,
                    tender_id,
                    links,
                    value=1.0,
                    score=1.0,
                    figures={"fields": ", ".join(sorted(seen["fields"])), "tenderers": len(seen["suppliers"])},
                    records=[{"kind": "supplier", "id": s} for s in sorted(seen["suppliers"])],
                )
            )
        for supplier_id, seen in by_supplier.items():
            tenders = sorted(seen["tenders"])
            findings.append(
                supplier_finding(
                    self,
                    supplier_id,
                    refs,
                    tender_id=tenders[0],
                    links=links,
                    value=1.0,
                    score=1.0,
                    figures={"fields": ", ".join(sorted(seen["fields"])), "tenders": len(tenders)},
                    records=[{"kind": "tender", "id": t} for t in tenders[:RECORDS_SHOWN]],
                )
            )
        return RuleResult(findings, 0)


class HeterogeneousSupplier(Rule):
    code = "R048"
    title = _("Heterogeneous supplier")
    why = _(
        "A supplier of many unrelated kinds of goods or works is more likely unsuitable: low value for money, "
        "poor delivery, or rent extraction."
    )
    explanation = _(
        "The supplier was awarded items of %(variety)s different classifications (first %(digits)s digits), at or "
        "above the upper fence of %(threshold)s."
    )
    notes = _(
        "As Cardinal: items of active awards made to one supplier; the fence is taken over, and only flags, the "
        "suppliers awarded in at least the minimum number of processes; quartiles of type 8."
    )
    defaults = {"digits": 2, "threshold": None, "minimum_contracting_processes": 20}

    def find(self, params: dict[str, Any]) -> RuleResult:
        digits = int(params["digits"])
        found = rows(
            """
            SELECT a.supplier_id, COUNT(DISTINCT a.tender_id) AS processes,
                   COUNT(DISTINCT SUBSTR(i.code, 1, %s)) AS variety
            FROM {item} i JOIN {award} a ON a.id = i.award_id
            WHERE a.status = %s AND a.suppliers_count = 1 AND a.supplier_id IS NOT NULL AND i.code <> ''
            GROUP BY a.supplier_id
            """,
            [digits, AwardStatus.ACTIVE],
        )
        kept = [row for row in found if int(row["processes"]) >= int(params["minimum_contracting_processes"])]
        if not kept:
            return RuleResult([], 0)
        cut = None
        if params.get("threshold") is not None:
            fence = float(params["threshold"])
        else:
            cut = fences(float(row["variety"]) for row in kept)
            fence = cut.upper
        flagged = [row for row in kept if int(row["variety"]) >= fence]
        refs = supplier_refs(row["supplier_id"] for row in flagged)
        findings = []
        for row in flagged:
            figures = {
                "variety": int(row["variety"]),
                "digits": digits,
                "processes": int(row["processes"]),
                "threshold": round(fence, 6),
            }
            if cut is not None:
                figures.update(q1=round(cut.q1, 6), q3=round(cut.q3, 6))
            findings.append(
                supplier_finding(
                    self,
                    row["supplier_id"],
                    refs,
                    value=float(row["variety"]),
                    threshold=fence,
                    score=score_over(float(row["variety"]), fence),
                    figures=figures,
                    records=[{"kind": "supplier", "id": row["supplier_id"]}],
                )
            )
        return RuleResult(findings, 0)


RULES = [ExcessiveUnsuccessfulBids(), BusinessSimilarities(), HeterogeneousSupplier()]
