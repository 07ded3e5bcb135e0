"""Procurement records for tests: a buyer's tender with its bids, award, contract and payments.

Amounts are converted to the national currency as the importers do (`masar.integrity.money`), and
suppliers get their comparison keys as every writer gives them (`masar.integrity.keys`).
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from masar.accounts.models import Role
from masar.core.models import Classification
from masar.integrity.keys import fill_supplier_keys
from masar.integrity.models import (
    Alert,
    AlertSubject,
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Contract,
    Payment,
    ProcurementMethod,
    Supplier,
    Tender,
)
from masar.integrity.money import to_base
from tests.accounts.factories import make_user

_numbers = itertools.count(1)


def at(day: str) -> datetime.datetime:
    """Return noon of a day ("2025-03-15") in the project's time zone."""
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T12:00:00"))


def make_supplier(identifier=None, *, owner, **extra) -> Supplier:
    identifier = identifier or f"SUP-{next(_numbers)}"
    data = dict(identifier=identifier, registration_number=identifier, name_ar=f"شركة {identifier}", owner=owner)
    data.update(extra)
    supplier = Supplier(**data)
    fill_supplier_keys(supplier)
    supplier.save()
    return supplier


def make_tender(ocid=None, *, buyer, project=None, classification=Classification.RESTRICTED, **extra) -> Tender:
    data = dict(
        ocid=ocid or f"ocds-test-{next(_numbers)}",
        title_ar="صفقة اختبار",
        buyer=buyer,
        buyer_ref=buyer.code if buyer is not None else "",
        owner=buyer,
        project=project,
        method=ProcurementMethod.OPEN,
        published_at=at("2025-03-01"),
        deadline=at("2025-04-01"),
        currency="TND",
        classification=classification,
    )
    data.update(extra)
    tender = Tender(**data)
    tender.estimated_value_base = to_base(tender.estimated_value, tender.currency, tender.published_at)
    tender.save()
    return tender


def make_bid(tender, supplier, amount, *, status=BidStatus.VALID, currency="TND", **extra) -> Bid:
    amount = None if amount is None else Decimal(str(amount))
    data = dict(tender=tender, supplier=supplier, amount=amount, currency=currency, status=status)
    data.setdefault("received_at", tender.deadline - datetime.timedelta(days=1) if tender.deadline else None)
    data.update(extra)
    bid = Bid(**data)
    bid.amount_base = to_base(bid.amount, bid.currency, bid.received_at or tender.published_at)
    bid.save()
    return bid


def make_award(tender, supplier, amount, *, status=AwardStatus.ACTIVE, currency="TND", **extra) -> Award:
    amount = None if amount is None else Decimal(str(amount))
    data = dict(tender=tender, supplier=supplier, amount=amount, currency=currency, status=status)
    data.setdefault("date", tender.deadline + datetime.timedelta(days=10) if tender.deadline else None)
    data.update(extra)
    award = Award(**data)
    award.amount_base = to_base(award.amount, award.currency, award.date)
    award.save()
    return award


def make_contract(tender, supplier, value, *, award=None, currency="TND", **extra) -> Contract:
    value = None if value is None else Decimal(str(value))
    data = dict(
        tender=tender,
        award=award,
        supplier=supplier,
        ref=f"C-{next(_numbers)}",
        value=value,
        original_value=value,
        currency=currency,
        signed_on=datetime.date(2025, 5, 1),
        end_on=datetime.date(2026, 5, 1),
    )
    data.update(extra)
    contract = Contract(**data)
    contract.original_end_on = contract.original_end_on or contract.end_on
    contract.value_base = to_base(contract.value, contract.currency, contract.signed_on)
    contract.original_value_base = to_base(contract.original_value, contract.currency, contract.signed_on)
    contract.save()
    return contract


def make_payment(contract, amount, *, date="2025-06-01", currency="TND", **extra) -> Payment:
    day = datetime.date.fromisoformat(date) if isinstance(date, str) else date
    data = dict(contract=contract, amount=Decimal(str(amount)), currency=currency, date=day)
    data.update(extra)
    payment = Payment(**data)
    payment.amount_base = to_base(payment.amount, payment.currency, payment.date)
    payment.save()
    return payment


def make_trail(buyer, *, project=None, winner, losers=(), amount=100_000, **tender_extra):
    """Return a tender won by winner against losers (each bidding 10% more), with its award and contract."""
    tender = make_tender(buyer=buyer, project=project, **tender_extra)
    make_bid(tender, winner, amount)
    for n, loser in enumerate(losers, start=1):
        make_bid(tender, loser, amount * (1 + n / 10))
    award = make_award(tender, winner, amount)
    contract = make_contract(tender, winner, amount, award=award)
    return tender, contract


def make_inspector(organization, username="inspector"):
    return make_user(username, Role.INSPECTOR, organization)


def make_alert(tender=None, *, rule="R018", subject=AlertSubject.TENDER, contract=None, supplier=None, **extra):
    """Return an alert on a tender (its buyer, project and supplier), with figures and the records behind it."""
    records = []
    if tender is not None:
        records.append({"kind": "tender", "id": tender.pk})
    if contract is not None:
        records.append({"kind": "contract", "id": contract.pk})
    if supplier is not None:
        records.append({"kind": "supplier", "id": supplier.pk})
    data = dict(
        rule=rule,
        subject=subject,
        key=f"{rule}:{subject}:{next(_numbers)}",
        tender=tender,
        contract=contract,
        supplier=supplier,
        buyer=tender.buyer if tender is not None else None,
        buyer_ref=tender.buyer_ref if tender is not None else "",
        project=tender.project if tender is not None else None,
        value=1.0,
        threshold=1.0,
        score=0.5,
        evidence={"figures": {"bidders": 1, "threshold": 1}, "records": records},
        last_seen_at=timezone.now(),
    )
    data.update(extra)
    return Alert.objects.create(**data)
