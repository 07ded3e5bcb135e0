"""Export the procurement trail as OCDS 1.1 releases: what a reader may read, never an alert.

One compiled release per tender (`tag` ["compiled"], `initiationType` "tender"), its `id` the ocid
and the tender's version. Parties are the buyer and the suppliers who bid or won, with what a company
publishes about itself (name, registration number, address, contact point): a supplier's directors
and beneficial owners never leave Masar this way. A framework agreement is exported with
`techniques.hasFrameworkAgreement` and no `procurementMethod` (OCDS has no method of that name).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from masar.core.policy import Reader
from masar.integrity.models import Bid, ProcurementMethod, Tender


def _time(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _date(value: datetime.date | None) -> str | None:
    if value is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time())).isoformat()


def _value(amount: Decimal | None, currency: str) -> dict[str, Any] | None:
    if amount is None:
        return None
    number = int(amount) if amount == amount.to_integral_value() else float(amount)
    return {"amount": number, "currency": currency} if currency else {"amount": number}


def _pruned(data: dict[str, Any]) -> dict[str, Any]:
    """Return data without its empty fields (OCDS says nothing rather than null)."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _party(supplier: Any, roles: list[str]) -> dict[str, Any]:
    contact = _pruned({"name": supplier.contact_name, "email": supplier.email, "telephone": supplier.phone})
    return _pruned(
        {
            "id": supplier.identifier,
            "name": supplier.name_ar or supplier.name_fr or supplier.identifier,
            "identifier": _pruned({"id": supplier.registration_number}),
            "address": _pruned({"streetAddress": supplier.address}),
            "contactPoint": contact,
            "roles": roles,
        }
    )


def _item(item: Any) -> dict[str, Any]:
    return _pruned(
        {
            "id": str(item.pk),
            "description": item.description,
            "classification": _pruned({"scheme": item.scheme, "id": item.code}),
            "quantity": float(item.quantity) if item.quantity is not None else None,
            "unit": _pruned({"name": item.unit, "value": _value(item.unit_price, item.currency)}),
        }
    )


def _tender(tender: Tender) -> dict[str, Any]:
    framework = tender.method == ProcurementMethod.FRAMEWORK
    items = [i for i in tender.items.all() if i.award_id is None]
    return _pruned(
        {
            "id": tender.ocid,
            "title": tender.title_ar or tender.title_fr or tender.title_en,
            "procurementMethod": None if framework else tender.method,
            "procurementMethodDetails": tender.method_details,
            "techniques": {"hasFrameworkAgreement": True} if framework else None,
            "mainProcurementCategory": tender.main_category,
            "value": _value(tender.estimated_value, tender.currency),
            "numberOfTenderers": tender.number_of_tenderers,
            "tenderPeriod": _pruned({"startDate": _time(tender.published_at), "endDate": _time(tender.deadline)}),
            "lots": [
                _pruned({"id": lot.ref, "title": lot.title, "value": _value(lot.estimated_value, lot.currency)})
                for lot in tender.lots.all()
            ],
            "items": [_item(i) for i in items],
        }
    )


def _lots(record: Any) -> list[str] | None:
    return [record.lot.ref] if record.lot_id else None


def _bids(tender: Tender) -> list[dict[str, Any]]:
    return [
        _pruned(
            {
                "id": bid.ref or str(bid.pk),
                "status": bid.status,
                "date": _time(bid.received_at),
                "value": _value(bid.amount, bid.currency),
                "tenderers": [{"id": bid.supplier.identifier, "name": bid.supplier.name}] if bid.supplier else None,
                "relatedLots": _lots(bid),
            }
        )
        for bid in tender.bids.all()
        # A tenderer known only from the parties (nothing of its bid given) is exported as a party alone.
        if bid.ref or bid.status or bid.amount is not None or bid.received_at
    ]


def _awards(tender: Tender) -> list[dict[str, Any]]:
    found = []
    for award in tender.awards.all():
        found.append(
            _pruned(
                {
                    "id": award.ref or str(award.pk),
                    "status": award.status,
                    "date": _time(award.date),
                    "value": _value(award.amount, award.currency),
                    "suppliers": [{"id": award.supplier.identifier, "name": award.supplier.name}]
                    if award.supplier
                    else None,
                    "items": [_item(i) for i in tender.items.all() if i.award_id == award.pk],
                    "relatedLots": _lots(award),
                }
            )
        )
    return found


def _contracts(tender: Tender) -> list[dict[str, Any]]:
    found = []
    for contract in tender.contracts.all():
        award = contract.award
        amendments = [
            _pruned(
                {
                    "id": a.ref or str(a.pk),
                    "date": _date(a.date),
                    "rationale": a.rationale,
                    "valueBefore": _value(a.value_before, contract.currency),
                    "valueAfter": _value(a.value_after, contract.currency),
                    "endDateBefore": _date(a.end_before),
                    "endDateAfter": _date(a.end_after),
                }
            )
            for a in contract.amendments.all()
        ]
        transactions = [
            _pruned({"id": p.ref or str(p.pk), "date": _date(p.date), "value": _value(p.amount, p.currency)})
            for p in contract.payments.all()
        ]
        found.append(
            _pruned(
                {
                    "id": contract.ref,
                    "awardID": (award.ref or str(award.pk)) if award else None,
                    "title": contract.title,
                    "status": contract.status,
                    "dateSigned": _date(contract.signed_on),
                    "period": _pruned({"endDate": _date(contract.end_on)}),
                    "value": _value(contract.value, contract.currency),
                    "amendments": amendments,
                    "implementation": {"transactions": transactions} if transactions else None,
                }
            )
        )
    return found


def _parties(tender: Tender, buyer: dict[str, Any] | None) -> list[dict[str, Any]]:
    roles: dict[int, list[str]] = {}
    suppliers = {}
    for bid in tender.bids.all():
        if bid.supplier is not None:
            suppliers[bid.supplier.pk] = bid.supplier
            roles.setdefault(bid.supplier.pk, []).append("tenderer")
    for award in tender.awards.all():
        if award.supplier is not None:
            suppliers[award.supplier.pk] = award.supplier
            roles.setdefault(award.supplier.pk, []).append("supplier")
    parties = [{**buyer, "roles": ["buyer"]}] if buyer else []
    for pk, supplier in suppliers.items():
        parties.append(_party(supplier, sorted(set(roles[pk]))))
    return parties


def release_of(tender: Tender, project_codes: dict[int, str]) -> dict[str, Any]:
    """Return the compiled release of one tender (its project named only when the reader may read it)."""
    buyer = None
    if tender.buyer_ref:
        name = tender.buyer.name if tender.buyer else tender.buyer_ref
        buyer = {"id": tender.buyer_ref, "name": str(name)}
    project = project_codes.get(tender.project_id) if tender.project_id else None
    return _pruned(
        {
            "ocid": tender.ocid,
            "id": f"{tender.ocid}-v{tender.version}",
            "date": _time(tender.updated_at),
            "tag": ["compiled"],
            "initiationType": "tender",
            "parties": _parties(tender, buyer),
            "buyer": buyer,
            "planning": {"budget": {"projectID": project}} if project else None,
            "tender": _tender(tender),
            "bids": {"details": bids} if (bids := _bids(tender)) else None,
            "awards": _awards(tender),
            "contracts": _contracts(tender),
        }
    )


def releases_for(reader: Any, tenders: Any = None) -> list[dict[str, Any]]:
    """Return the releases of the tenders (all by default) that the reader may read, oldest change first."""
    from masar.portfolio.models import Project

    reader = Reader.of(reader)
    visible = Tender.objects.visible_to(reader)
    if tenders is not None:
        visible = visible.filter(pk__in=[t.pk for t in tenders] if isinstance(tenders, list | tuple) else tenders)
    visible = visible.select_related("buyer").prefetch_related(
        "lots",
        "items",
        Prefetch("bids", queryset=Bid.objects.select_related("supplier", "lot").order_by("id")),
        "awards__supplier",
        "awards__lot",
        "contracts__award",
        "contracts__amendments",
        "contracts__payments",
    )
    tenders = list(visible.order_by("updated_at", "pk"))
    project_ids = {t.project_id for t in tenders if t.project_id}
    codes = dict(Project.objects.visible_to(reader).filter(pk__in=project_ids).values_list("pk", "code"))
    return [release_of(tender, codes) for tender in tenders]


def release_package(reader: Any, tenders: Any = None) -> dict[str, Any]:
    """Return an OCDS 1.1 release package of the tenders the reader may read (with Masar's publisher and licence)."""
    from masar.opendata import ocds as opendata_ocds

    return opendata_ocds.release_package(releases_for(reader, tenders))
