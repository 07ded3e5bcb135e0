"""Red flags on how a contracting process was run: its submission period, its competition, its deadline."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from masar.integrity.models import Award, AwardStatus, Bid, BidStatus, Tender
from masar.integrity.rules.base import (
    SUBMITTED,
    Rule,
    RuleResult,
    as_list,
    supplier_finding,
    supplier_refs,
    tender_finding,
    tender_links,
)


class ShortSubmissionPeriod(Rule):
    code = "R003"
    title = _("Short submission period")
    why = _(
        "A corrupt buyer can favour a pre-determined bidder by telling it of the opportunity in advance and "
        "giving the other bidders too little time to prepare competitive bids."
    )
    explanation = _("The submission period lasted %(days)s whole days, shorter than the minimum of %(threshold)s days.")
    notes = _("As Cardinal: whole days from the publication to the submission deadline, flagged when shorter.")
    defaults = {"threshold": 15, "procurement_methods": [], "procurement_method_details": {}}

    def find(self, params: dict[str, Any]) -> RuleResult:
        tenders = Tender.objects.all()
        methods = as_list(params["procurement_methods"])
        if methods:
            tenders = tenders.filter(method__in=methods)
        missing = tenders.filter(Q(published_at__isnull=True) | Q(deadline__isnull=True)).count()
        period = ExpressionWrapper(F("deadline") - F("published_at"), output_field=DurationField())
        by_details = {str(k): int(v) for k, v in (params["procurement_method_details"] or {}).items()}
        short = Q(period__lt=datetime.timedelta(days=int(params["threshold"]))) & ~Q(method_details__in=by_details)
        for details, days in by_details.items():
            short |= Q(method_details=details, period__lt=datetime.timedelta(days=days))
        flagged = list(
            tenders.filter(published_at__isnull=False, deadline__isnull=False)
            .annotate(period=period)
            .filter(short)
            .values("pk", "published_at", "deadline", "method_details")
        )
        links = tender_links(row["pk"] for row in flagged)
        findings = []
        for row in flagged:
            threshold = by_details.get(row["method_details"], int(params["threshold"]))
            # Whole days, truncated toward zero (a deadline before the publication is a negative period).
            days = int((row["deadline"] - row["published_at"]).total_seconds() / 86400)
            findings.append(
                tender_finding(
                    self,
                    row["pk"],
                    links,
                    value=float(days),
                    threshold=float(threshold),
                    score=round(0.5 + 0.5 * min(1.0, max(0.0, (threshold - days) / threshold)), 4),
                    figures={
                        "days": days,
                        "threshold": threshold,
                        "published_at": row["published_at"].isoformat(),
                        "deadline": row["deadline"].isoformat(),
                    },
                    records=[{"kind": "tender", "id": row["pk"]}],
                )
            )
        return RuleResult(findings, missing)


class SingleBidReceived(Rule):
    code = "R018"
    title = _("Single bid received")
    why = _(
        "In a competitive procedure, a lack of competition may be its suppression: the ideal outcome for a "
        "corrupt buyer and a pre-determined bidder."
    )
    explanation = _("Only %(tenderers)s tenderer submitted a bid in a %(method)s procedure.")
    notes = _(
        "As Cardinal, the number of tenderers the publisher states; where it states none, Masar counts the "
        "suppliers of the submitted bids (Cardinal then says nothing)."
    )
    defaults = {"procurement_methods": ["open", "selective"]}

    def find(self, params: dict[str, Any]) -> RuleResult:
        tenders = Tender.objects.filter(method__in=as_list(params["procurement_methods"])).annotate(
            bidders=Count("bids__supplier", filter=Q(bids__status__in=SUBMITTED), distinct=True)
        )
        missing = tenders.filter(number_of_tenderers__isnull=True, bidders=0).count()
        flagged = list(
            tenders.filter(Q(number_of_tenderers=1) | Q(number_of_tenderers__isnull=True, bidders=1)).values(
                "pk", "method", "number_of_tenderers"
            )
        )
        links = tender_links(row["pk"] for row in flagged)
        findings = [
            tender_finding(
                self,
                row["pk"],
                links,
                value=1.0,
                threshold=1.0,
                score=1.0,
                figures={
                    "tenderers": 1,
                    "method": row["method"],
                    "stated": row["number_of_tenderers"] is not None,
                },
                records=[{"kind": "tender", "id": row["pk"]}],
            )
            for row in flagged
        ]
        return RuleResult(findings, missing)


class LateBidWon(Rule):
    code = "R030"
    title = _("Late bid won")
    why = _("A corrupt buyer can award the pre-determined bidder by disregarding the submission deadline.")
    explanation = _("The winning bid was received on %(received_at)s, after the submission deadline of %(deadline)s.")
    notes = _("As Cardinal: a valid bid received after the deadline from a supplier of an active award.")
    defaults: dict[str, Any] = {}

    def find(self, params: dict[str, Any]) -> RuleResult:
        won = Award.objects.filter(tender=OuterRef("tender"), supplier=OuterRef("supplier"), status=AwardStatus.ACTIVE)
        winning = Bid.objects.filter(status=BidStatus.VALID, supplier__isnull=False).filter(Exists(won))
        missing = winning.filter(Q(received_at__isnull=True) | Q(tender__deadline__isnull=True)).count()
        late = list(
            winning.filter(received_at__gt=F("tender__deadline"))
            .values("pk", "tender_id", "supplier_id", "received_at", "tender__deadline")
            .order_by("tender_id", "pk")
        )
        links = tender_links(row["tender_id"] for row in late)
        refs = supplier_refs(row["supplier_id"] for row in late)
        findings: list = []
        by_tender: dict[int, list[dict[str, Any]]] = {}
        by_supplier: dict[int, list[dict[str, Any]]] = {}
        for row in late:
            by_tender.setdefault(row["tender_id"], []).append(row)
            by_supplier.setdefault(row["supplier_id"], []).append(row)
        for tender_id, bids in by_tender.items():
            first = bids[0]
            findings.append(
                tender_finding(
                    self,
                    tender_id,
                    links,
                    supplier_id=first["supplier_id"],
                    value=1.0,
                    threshold=None,
                    score=1.0,
                    figures=_late_figures(first),
                    records=[{"kind": "tender", "id": tender_id}]
                    + [{"kind": "bid", "id": b["pk"]} for b in bids]
                    + [{"kind": "supplier", "id": b["supplier_id"]} for b in bids],
                )
            )
        for supplier_id, bids in by_supplier.items():
            findings.append(
                supplier_finding(
                    self,
                    supplier_id,
                    refs,
                    tender_id=bids[0]["tender_id"],
                    links=links,
                    value=1.0,
                    score=1.0,
                    figures={**_late_figures(bids[0]), "tenders": len({b["tender_id"] for b in bids})},
                    records=[{"kind": "bid", "id": b["pk"]} for b in bids]
                    + [{"kind": "tender", "id": b["tender_id"]} for b in bids],
                )
            )
        return RuleResult(findings, missing)


def _late_figures(row: dict[str, Any]) -> dict[str, Any]:
    return {"received_at": row["received_at"].isoformat(), "deadline": row["tender__deadline"].isoformat()}


RULES = [ShortSubmissionPeriod(), SingleBidReceived(), LateBidWon()]
