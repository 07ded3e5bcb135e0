"""Masar's red flags on money paid: before the contract was signed, beyond its value, to a tax evader."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from masar.integrity.findings import Finding
from masar.integrity.models import AlertSubject, AwardStatus, TaxStatus
from masar.integrity.rules.base import (
    Rule,
    RuleResult,
    number,
    rows,
    scalar,
    score_over,
    supplier_finding,
    supplier_refs,
    tender_links,
)
from masar.integrity.rules.contracts import RECORDS_SHOWN, contract_finding


class PaymentBeforeSignature(Rule):
    code = "PAYDATE"
    title = _("Payment before the contract's signature")
    why = _("Money paid before a contract exists was paid without a legal basis, or the contract was backdated.")
    explanation = _("A payment of %(amount)s was made on %(paid_on)s, before the contract was signed on %(signed_on)s.")
    notes = _("Masar's own: one alert per payment dated before its contract's signature.")
    defaults: dict[str, Any] = {}

    def find(self, params: dict[str, Any]) -> RuleResult:
        missing = scalar(
            """
            SELECT COUNT(*) FROM {payment} p JOIN {contract} c ON c.id = p.contract_id
            WHERE p.date IS NULL OR c.signed_on IS NULL
            """
        )
        found = rows(
            """
            SELECT p.id, p.amount, p.currency, p.amount_base, p.date, c.id AS contract_id, c.signed_on,
                   c.tender_id, c.supplier_id
            FROM {payment} p JOIN {contract} c ON c.id = p.contract_id
            WHERE p.date < c.signed_on
            ORDER BY p.id
            """
        )
        links = tender_links(row["tender_id"] for row in found)
        findings = []
        for row in found:
            link = links.get(row["tender_id"], {})
            findings.append(
                Finding(
                    rule=self.code,
                    subject=AlertSubject.PAYMENT,
                    key=f"{self.code}:payment:{row['id']}",
                    payment_id=row["id"],
                    contract_id=row["contract_id"],
                    tender_id=row["tender_id"],
                    supplier_id=row["supplier_id"],
                    buyer_id=link.get("buyer_id"),
                    buyer_ref=link.get("buyer_ref") or "",
                    project_id=link.get("project_id"),
                    value=1.0,
                    score=1.0,
                    figures={
                        "amount": number(row["amount"]),
                        "currency": row["currency"],
                        "paid_on": str(row["date"]),
                        "signed_on": str(row["signed_on"]),
                    },
                    records=[{"kind": "payment", "id": row["id"]}, {"kind": "contract", "id": row["contract_id"]}],
                )
            )
        return RuleResult(findings, missing or 0)


class PaidOverValue(Rule):
    code = "PAYOVER"
    title = _("Payments above the contract's value")
    why = _("Paying more than a contract is worth, without an amendment raising it, is money paid for nothing.")
    explanation = _(
        "Payments add up to %(paid)s, more than the contract's value of %(value)s plus the %(tolerance)s tolerated."
    )
    notes = _(
        "Masar's own: the sum of a contract's payments against its current value (with its amendments), both in "
        "the national currency, beyond a tolerance."
    )
    defaults = {"tolerance": 0.01}

    def find(self, params: dict[str, Any]) -> RuleResult:
        tolerance = float(params["tolerance"])
        found = rows(
            """
            SELECT c.id, c.tender_id, c.supplier_id, c.value_base, COUNT(*) AS payments,
                   SUM(p.amount_base) AS paid, SUM(CASE WHEN p.amount_base IS NULL THEN 1 ELSE 0 END) AS unconverted
            FROM {payment} p JOIN {contract} c ON c.id = p.contract_id
            GROUP BY c.id, c.tender_id, c.supplier_id, c.value_base
            HAVING c.value_base IS NULL OR SUM(CASE WHEN p.amount_base IS NULL THEN 1 ELSE 0 END) > 0
                OR SUM(p.amount_base) > c.value_base * %s
            ORDER BY c.id
            """,
            [1 + tolerance - 1e-9],
        )
        missing = sum(1 for row in found if row["value_base"] is None or row["unconverted"])
        flagged = [
            row
            for row in found
            if row["value_base"] is not None
            and not row["unconverted"]
            and number(row["paid"]) > number(row["value_base"]) * (1 + tolerance)
        ]
        links = tender_links(row["tender_id"] for row in flagged)
        findings = []
        for row in flagged:
            value, paid = number(row["value_base"]), number(row["paid"])
            over = (paid - value) / value if value else 1.0
            findings.append(
                contract_finding(
                    self,
                    row,
                    links,
                    value=over,
                    threshold=tolerance,
                    score=score_over(over, tolerance) if tolerance else 1.0,
                    figures={"paid": paid, "value": value, "tolerance": tolerance, "payments": int(row["payments"])},
                    records=[{"kind": "contract", "id": row["id"]}],
                )
            )
        return RuleResult(findings, missing)


class NotTaxCompliant(Rule):
    code = "TAX"
    title = _("Supplier not tax-compliant")
    why = _(
        "A supplier that does not meet its tax obligations yet wins public contracts or is paid public money "
        "may be evading tax, and should have been excluded."
    )
    explanation = _(
        "The supplier was not tax-compliant when it won %(awards)s awards and was paid %(payments)s times "
        "(%(paid)s in all)."
    )
    notes = _(
        "Masar's own (the tax-evasion signal): the supplier's status on the award's or the payment's date, from "
        "the tax administration's latest report as of that date, or its current status when no report is that "
        "old. An award or payment with no date is not computable."
    )
    defaults: dict[str, Any] = {}

    EVENTS = """
        SELECT 'award' AS kind, a.id, a.tender_id, a.supplier_id, a.date AS on_date, a.amount_base AS amount
        FROM {award} a WHERE a.status = %s AND a.supplier_id IS NOT NULL
        UNION ALL
        SELECT 'payment' AS kind, p.id, c.tender_id, c.supplier_id, p.date AS on_date, p.amount_base AS amount
        FROM {payment} p JOIN {contract} c ON c.id = p.contract_id WHERE c.supplier_id IS NOT NULL
    """

    def find(self, params: dict[str, Any]) -> RuleResult:
        missing = scalar(
            f"""
            WITH e AS ({self.EVENTS})
            SELECT COUNT(*) FROM e JOIN {{supplier}} s ON s.id = e.supplier_id
            WHERE e.on_date IS NULL AND s.tax_status = %s
            """,
            [AwardStatus.ACTIVE, TaxStatus.NON_COMPLIANT],
        )
        found = rows(
            f"""
            WITH e AS ({self.EVENTS}),
            judged AS (
                SELECT e.*, COALESCE((
                    SELECT r.status FROM {{taxreport}} r
                    WHERE r.supplier_id = e.supplier_id AND r.as_of <= e.on_date
                    ORDER BY r.as_of DESC, r.id DESC LIMIT 1
                ), s.tax_status) AS tax_status
                FROM e JOIN {{supplier}} s ON s.id = e.supplier_id
                WHERE e.on_date IS NOT NULL
            )
            SELECT kind, id, tender_id, supplier_id, on_date, amount FROM judged WHERE tax_status = %s
            ORDER BY supplier_id, on_date, kind, id
            """,
            [AwardStatus.ACTIVE, TaxStatus.NON_COMPLIANT],
        )
        per_supplier: dict[int, list[dict[str, Any]]] = {}
        for row in found:
            per_supplier.setdefault(row["supplier_id"], []).append(row)
        links = tender_links(row["tender_id"] for row in found)
        refs = supplier_refs(per_supplier)
        findings = []
        for supplier_id, events in per_supplier.items():
            awards = [e for e in events if e["kind"] == "award"]
            payments = [e for e in events if e["kind"] == "payment"]
            paid = sum(number(e["amount"]) or 0.0 for e in payments)
            findings.append(
                supplier_finding(
                    self,
                    supplier_id,
                    refs,
                    tender_id=events[0]["tender_id"],
                    links=links,
                    value=float(len(events)),
                    score=1.0,
                    figures={"awards": len(awards), "payments": len(payments), "paid": paid},
                    records=[{"kind": e["kind"], "id": e["id"]} for e in events[:RECORDS_SHOWN]],
                )
            )
        return RuleResult(findings, missing or 0)


RULES = [PaymentBeforeSignature(), PaidOverValue(), NotTaxCompliant()]
