"""Masar's red flags on contracts: inflated by amendments, split below a threshold, won by a new company."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from masar.integrity.findings import Finding
from masar.integrity.models import AlertSubject, Amendment, Contract
from masar.integrity.rules.base import (
    Rule,
    RuleResult,
    days_between,
    number,
    rows,
    scalar,
    score_over,
    supplier_finding,
    supplier_refs,
    tender_links,
)

RECORDS_SHOWN = 100


def contract_finding(rule: Rule, row: dict[str, Any], links: dict[int, dict[str, Any]], **fields: Any) -> Finding:
    """Return a finding about one contract (keyed by its id), with its tender's links."""
    link = links.get(row["tender_id"], {})
    return Finding(
        rule=rule.code,
        subject=AlertSubject.CONTRACT,
        key=f"{rule.code}:contract:{row['id']}",
        contract_id=row["id"],
        tender_id=row["tender_id"],
        supplier_id=row.get("supplier_id"),
        buyer_id=link.get("buyer_id"),
        buyer_ref=link.get("buyer_ref") or "",
        project_id=link.get("project_id"),
        **fields,
    )


class AmendedUpward(Rule):
    code = "AMEND"
    title = _("Contract amended upward")
    why = _(
        "A contract won at a low price and then raised by amendments can hide an inflated price that would not "
        "have won the tender."
    )
    explanation = _(
        "The contract's value rose from %(original)s to %(current)s, up %(increase)s, more than the %(threshold)s "
        "allowed."
    )
    notes = _(
        "Masar's own: the current value against the value when signed, both in the national currency, flagged "
        "when the increase is more than the share set."
    )
    defaults = {"share": 0.2}

    def find(self, params: dict[str, Any]) -> RuleResult:
        share = float(params["share"])
        contracts = Contract.objects.filter(value__isnull=False, original_value__isnull=False)
        converted = Q(value_base__isnull=False, original_value_base__gt=0)
        missing = contracts.exclude(converted).count()
        factor = Value(Decimal(str(1 + share)))
        found = list(
            contracts.filter(converted, value_base__gt=F("original_value_base") * factor).values(
                "id", "tender_id", "supplier_id", "value_base", "original_value_base"
            )
        )
        flagged = []
        for row in found:
            row["increase"] = (number(row["value_base"]) - number(row["original_value_base"])) / number(
                row["original_value_base"]
            )
            if row["increase"] > share:
                flagged.append(row)
        amendments: dict[int, list[int]] = {}
        for contract_id, pk in Amendment.objects.filter(contract_id__in=[r["id"] for r in flagged]).values_list(
            "contract_id", "pk"
        ):
            amendments.setdefault(contract_id, []).append(pk)
        links = tender_links(row["tender_id"] for row in flagged)
        findings = [
            contract_finding(
                self,
                row,
                links,
                value=row["increase"],
                threshold=share,
                score=score_over(row["increase"], share),
                figures={
                    "original": number(row["original_value_base"]),
                    "current": number(row["value_base"]),
                    "increase": round(row["increase"], 6),
                    "threshold": share,
                },
                records=[{"kind": "contract", "id": row["id"]}]
                + [{"kind": "amendment", "id": pk} for pk in amendments.get(row["id"], [])],
            )
            for row in flagged
        ]
        return RuleResult(findings, missing)


class SplitPurchases(Rule):
    code = "SPLIT"
    title = _("Purchases split below a threshold")
    why = _(
        "Splitting one purchase into several contracts just below the threshold that requires an open tender "
        "avoids competition."
    )
    explanation = _(
        "%(contracts)s contracts between %(low)s and %(threshold)s, signed within %(days)s days by the same "
        "buyer with the same supplier, add up to %(total)s, above the threshold."
    )
    notes = _(
        "Masar's own: contracts of one buyer with one supplier, each in the band from the lower share of the "
        "threshold up to (not including) the threshold, at least the minimum number signed within the window of "
        "days starting at one of them, whose sum exceeds the threshold."
    )
    defaults = {"threshold": 200000, "band": 0.9, "days": 30, "minimum_contracts": 2}

    def find(self, params: dict[str, Any]) -> RuleResult:
        threshold = Decimal(str(params["threshold"]))
        low = (threshold * Decimal(str(params["band"]))).quantize(Decimal("0.01"))
        window, minimum = int(params["days"]), int(params["minimum_contracts"])
        band = """
            SELECT c.id, c.supplier_id, c.signed_on, c.value_base, t.buyer_ref, t.id AS tender_id
            FROM {contract} c JOIN {tender} t ON t.id = c.tender_id
            WHERE c.value_base >= %s AND c.value_base < %s AND c.supplier_id IS NOT NULL AND t.buyer_ref <> ''
        """
        missing = scalar(
            """
            SELECT COUNT(*) FROM {contract} c
            WHERE c.value IS NOT NULL AND (c.value_base IS NULL OR (c.signed_on IS NULL AND c.value_base >= %s
                                                                    AND c.value_base < %s))
            """,
            [float(low), float(threshold)],
        )
        gap = days_between("m.signed_on", "a.signed_on")
        found = rows(
            f"""
            WITH band AS ({band} AND c.signed_on IS NOT NULL),
            runs AS (
                SELECT a.id AS anchor FROM band a
                JOIN band m ON m.buyer_ref = a.buyer_ref AND m.supplier_id = a.supplier_id
                           AND {gap} >= 0 AND {gap} <= %s
                GROUP BY a.id
                HAVING COUNT(*) >= %s AND SUM(m.value_base) > %s
            )
            SELECT DISTINCT a.buyer_ref, a.supplier_id, m.id, m.tender_id, m.signed_on, m.value_base
            FROM runs r JOIN band a ON a.id = r.anchor
            JOIN band m ON m.buyer_ref = a.buyer_ref AND m.supplier_id = a.supplier_id
                       AND {gap} >= 0 AND {gap} <= %s
            ORDER BY a.buyer_ref, a.supplier_id, m.signed_on, m.id
            """,
            [float(low), float(threshold), window, minimum, float(threshold), window],
        )
        groups: dict[tuple[str, int], dict[int, dict[str, Any]]] = {}
        for row in found:
            groups.setdefault((row["buyer_ref"], row["supplier_id"]), {})[row["id"]] = row
        links = tender_links(row["tender_id"] for row in found)
        refs = supplier_refs(supplier for _, supplier in groups)
        findings = []
        for (buyer_ref, supplier_id), members in groups.items():
            contracts = sorted(members.values(), key=lambda r: (r["signed_on"], r["id"]))
            total = sum(number(r["value_base"]) for r in contracts)
            first = contracts[0]
            link = links.get(first["tender_id"], {})
            findings.append(
                supplier_finding(
                    self,
                    supplier_id,
                    refs,
                    suffix=f":buyer:{buyer_ref}",
                    tender_id=first["tender_id"],
                    links=links,
                    contract_id=first["id"],
                    buyer_ref=buyer_ref,
                    buyer_id=link.get("buyer_id"),
                    value=total,
                    threshold=float(threshold),
                    score=score_over(total, float(threshold)),
                    figures={
                        "contracts": len(contracts),
                        "total": total,
                        "low": float(low),
                        "threshold": float(threshold),
                        "days": window,
                        "first_signed_on": str(first["signed_on"]),
                        "last_signed_on": str(contracts[-1]["signed_on"]),
                    },
                    records=[{"kind": "contract", "id": r["id"]} for r in contracts[:RECORDS_SHOWN]],
                )
            )
        return RuleResult(findings, missing or 0)


class NewSupplierLargeContract(Rule):
    code = "SHELL"
    title = _("Supplier registered shortly before a large contract")
    why = _(
        "A company created just before winning a large contract may be a shell set up for it, with no record of "
        "delivering anything."
    )
    explanation = _(
        "The supplier was registered %(days)s days before signing a contract of %(value)s, fewer than %(threshold)s "
        "days before a contract above %(minimum_value)s."
    )
    notes = _(
        "Masar's own: a contract above the value set (national currency) signed fewer than the set number of days "
        "after the supplier's registration (or before it)."
    )
    defaults = {"days": 180, "minimum_value": 500000}

    def find(self, params: dict[str, Any]) -> RuleResult:
        days, minimum = int(params["days"]), Decimal(str(params["minimum_value"]))
        missing = scalar(
            """
            SELECT COUNT(*) FROM {contract} c JOIN {supplier} s ON s.id = c.supplier_id
            WHERE c.value IS NOT NULL
              AND (c.value_base IS NULL OR (c.value_base > %s AND (c.signed_on IS NULL OR s.registered_on IS NULL)))
            """,
            [float(minimum)],
        )
        age = days_between("c.signed_on", "s.registered_on")
        found = rows(
            f"""
            SELECT c.id, c.tender_id, c.supplier_id, c.value_base, c.signed_on, s.registered_on, {age} AS age
            FROM {{contract}} c JOIN {{supplier}} s ON s.id = c.supplier_id
            WHERE c.value_base > %s AND c.signed_on IS NOT NULL AND s.registered_on IS NOT NULL AND {age} < %s
            ORDER BY c.supplier_id, c.signed_on, c.id
            """,
            [float(minimum), days],
        )
        per_supplier: dict[int, list[dict[str, Any]]] = {}
        for row in found:
            per_supplier.setdefault(row["supplier_id"], []).append(row)
        links = tender_links(row["tender_id"] for row in found)
        refs = supplier_refs(per_supplier)
        findings = []
        for supplier_id, contracts in per_supplier.items():
            first = min(contracts, key=lambda r: int(r["age"]))
            age_days = int(first["age"])
            findings.append(
                supplier_finding(
                    self,
                    supplier_id,
                    refs,
                    tender_id=first["tender_id"],
                    links=links,
                    contract_id=first["id"],
                    value=float(age_days),
                    threshold=float(days),
                    score=round(0.5 + 0.5 * min(1.0, max(0.0, (days - age_days) / days)), 4),
                    figures={
                        "days": age_days,
                        "value": number(first["value_base"]),
                        "threshold": days,
                        "minimum_value": float(minimum),
                        "registered_on": str(first["registered_on"]),
                        "signed_on": str(first["signed_on"]),
                        "contracts": len(contracts),
                    },
                    records=[{"kind": "contract", "id": r["id"]} for r in contracts[:RECORDS_SHOWN]],
                )
            )
        return RuleResult(findings, missing or 0)


RULES = [AmendedUpward(), SplitPurchases(), NewSupplierLargeContract()]
