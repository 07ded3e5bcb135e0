"""Data for the statistical detectors' tests: payments that follow Benford or not, ordinary and odd contracts."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from masar.integrity.models import Amendment, Bid, BidStatus, Payment, ProcurementMethod
from masar.integrity.money import to_base
from tests.integrity.factories import make_award, make_contract, make_supplier, make_tender


def benford_amounts(n: int) -> list[Decimal]:
    """Return n amounts spread evenly on a log scale over four decades (100 to 1,000,000): Benford's law."""
    return [Decimal(10 ** (2 + 4 * (i + 0.5) / n)).quantize(Decimal("0.01")) for i in range(n)]


def clustered_amounts(n: int, *, share: float = 0.4) -> list[Decimal]:
    """Return n amounts of which a share sits just under 50,000 (49,000 to 49,990), the rest Benford."""
    odd = int(n * share)
    under = [Decimal(49_000 + (i * 37) % 990) for i in range(odd)]
    return under + benford_amounts(n - odd)


def make_payments(contract, amounts, *, date=datetime.date(2025, 6, 1)) -> list[Payment]:
    """Create one payment per amount on a contract, converted to the national currency as every writer does."""
    payments = [
        Payment(
            contract=contract,
            ref=f"P-{contract.pk}-{i}",
            date=date,
            amount=amount,
            currency=contract.currency,
            amount_base=to_base(amount, contract.currency, date),
        )
        for i, amount in enumerate(amounts)
    ]
    return Payment.objects.bulk_create(payments)


def make_buyer_payments(buyer, amounts, *, owner):
    """Return the contract of one tender of a buyer, paid in the given amounts."""
    supplier = make_supplier(owner=owner)
    tender = make_tender(buyer=buyer)
    contract = make_contract(tender, supplier, sum(amounts) or 1)
    make_payments(contract, amounts)
    return contract


def _bids(tender, amounts_and_statuses, suppliers):
    bids = [
        Bid(
            tender=tender,
            supplier=supplier,
            amount=amount,
            currency="TND",
            amount_base=to_base(amount, "TND", tender.deadline),
            status=status,
            received_at=tender.deadline - datetime.timedelta(days=1),
        )
        for (amount, status), supplier in zip(amounts_and_statuses, suppliers, strict=True)
    ]
    Bid.objects.bulk_create(bids)


def amend(contract, *, share: float, on=datetime.date(2025, 9, 1)) -> None:
    """Amend a contract's value up by a share (its value and national value follow, as an importer does)."""
    before = contract.value
    after = (before * Decimal(str(1 + share))).quantize(Decimal("0.01"))
    Amendment.objects.create(contract=contract, ref=f"A-{contract.pk}", date=on, value_before=before, value_after=after)
    contract.value = after
    contract.value_base = to_base(after, contract.currency, contract.signed_on)
    contract.save(update_fields=["value", "value_base"])


def make_ordinary_contracts(buyer, *, n: int = 300, seed: int = 7):
    """Create n contracts as a ministry signs them: open tenders, 3 to 7 bids, established suppliers."""
    rng = random.Random(seed)
    suppliers = [
        make_supplier(owner=buyer, registered_on=datetime.date(2005 + i % 15, 1 + i % 12, 1)) for i in range(40)
    ]
    contracts = []
    for _i in range(n):
        published = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(500))
        tender = make_tender(
            buyer=buyer,
            method=rng.choice([ProcurementMethod.OPEN] * 4 + [ProcurementMethod.SELECTIVE]),
            published_at=_at(published),
            deadline=_at(published + datetime.timedelta(days=rng.randrange(25, 45))),
        )
        value = Decimal(round(10 ** rng.uniform(4.5, 6.2), 2)).quantize(Decimal("0.01"))
        bidders = rng.sample(suppliers, rng.randrange(3, 8))
        statuses = [BidStatus.VALID] * len(bidders)
        if rng.random() < 0.3:
            statuses[-1] = BidStatus.DISQUALIFIED
        _bids(tender, [(value * Decimal(1 + k / 20), s) for k, s in enumerate(statuses)], bidders)
        award_date = tender.deadline + datetime.timedelta(days=rng.randrange(10, 40))
        award = make_award(tender, bidders[0], value, date=award_date)
        signed = award_date.date() + datetime.timedelta(days=rng.randrange(5, 20))
        contract = make_contract(
            tender,
            bidders[0],
            value,
            award=award,
            signed_on=signed,
            end_on=signed + datetime.timedelta(days=rng.randrange(180, 720)),
        )
        if rng.random() < 0.2:
            amend(contract, share=rng.uniform(0.0, 0.15))
        contracts.append(contract)
    return contracts


def make_planted_contract(buyer):
    """Create the odd one: a huge direct award, one bid, a supplier registered 10 days before, amended +80%."""
    signed = datetime.date(2025, 3, 1)
    supplier = make_supplier(owner=buyer, registered_on=signed - datetime.timedelta(days=10))
    tender = make_tender(
        buyer=buyer,
        method=ProcurementMethod.DIRECT,
        published_at=_at(datetime.date(2025, 1, 20)),
        deadline=_at(datetime.date(2025, 2, 1)),
    )
    value = Decimal("95000000.00")
    _bids(tender, [(value, BidStatus.VALID)], [supplier])
    award = make_award(tender, supplier, value, date=_at(datetime.date(2025, 2, 20)))
    contract = make_contract(
        tender, supplier, value, award=award, signed_on=signed, end_on=signed + datetime.timedelta(days=300)
    )
    amend(contract, share=0.8)
    return contract


def _at(day: datetime.date) -> datetime.datetime:
    from tests.integrity.factories import at

    return at(day.isoformat())
