"""The synthetic procurement trail: deterministic, labelled, ordinary where it should be, and its planted
schemes found by their rules."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum

from masar.integrity import synthetic
from masar.integrity.models import (
    Amendment,
    Award,
    Bid,
    BidStatus,
    Contract,
    ExchangeRate,
    Item,
    Payment,
    ProcurementMethod,
    Supplier,
    TaxStatus,
    Tender,
)
from masar.organizations.models import OrganizationKind
from masar.organizations.services import organization_create
from tests.portfolio.factories import make_project

SMALL = 300


@pytest.fixture
def portfolio(gov, ministry_a, ministry_b, directorate_a, axis):
    """Projects of six organizations, the buyers of the synthetic tenders."""
    owners = [gov, ministry_a, ministry_b, directorate_a]
    for n in range(2):
        owners.append(
            organization_create(
                actor=None, parent=ministry_b, kind=OrganizationKind.DIRECTORATE, code=f"MIN-B-D{n}", name_ar="مديرية"
            )
        )
    for n, owner in enumerate(owners):
        make_project(f"P-{n}-1", owner, axis)
        make_project(f"P-{n}-2", owner, axis)
    return owners


def generate(seed=1, clear=False):
    return synthetic.procurement_generate(seed=seed, contracts=SMALL, clear=clear)


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows(portfolio):
    first = generate(seed=7)
    digest = synthetic.digest()
    assert Tender.objects.count() == SMALL
    again = generate(seed=7, clear=True)
    assert synthetic.digest() == digest
    assert again.planted.keys() == first.planted.keys()
    generate(seed=8, clear=True)
    assert Tender.objects.count() == SMALL
    assert synthetic.digest() != digest


def test_it_refuses_to_generate_twice_without_clear(portfolio):
    call_command("generate_procurement", contracts=SMALL, seed=3, verbosity=0)
    bids = Bid.objects.count()
    with pytest.raises(CommandError):
        call_command("generate_procurement", contracts=SMALL, seed=3, verbosity=0)
    assert Bid.objects.count() == bids
    assert Tender.objects.count() == SMALL


def test_every_record_is_labelled_and_converted(portfolio):
    generate()
    assert Tender.objects.exclude(is_sample=True, source="synthetic").count() == 0
    assert Supplier.objects.exclude(is_sample=True, source="synthetic").count() == 0
    assert Supplier.objects.filter(phone_key="", name_key="").count() == 0
    nulls = {
        Tender: "estimated_value_base",
        Bid: "amount_base",
        Award: "amount_base",
        Item: "unit_price_base",
        Contract: "value_base",
        Payment: "amount_base",
    }
    for model, column in nulls.items():
        assert model.objects.exists()
        assert model.objects.filter(**{f"{column}__isnull": True}).count() == 0, model
    assert Contract.objects.exclude(original_value_base__isnull=False).count() == 0
    # Amounts in the national currency except a few in euros, converted with the rate of the table.
    rate = ExchangeRate.objects.get(currency="EUR").rate
    euros = Bid.objects.filter(currency="EUR")
    assert (
        Bid.objects.filter(currency="TND", amount_base=F("amount")).count()
        == Bid.objects.filter(currency="TND").count()
    )
    for bid in euros:
        assert bid.amount_base == (bid.amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_ordinary_records_are_ordinary_and_planted_ones_are_where_the_plan_says(portfolio):
    report = generate(seed=5)
    planted = synthetic.planted_keys(report.planted)
    assert set(report.planted) >= {
        "R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R044", "R048", "R055", "R058",
        "SPLIT", "SHELL", "AMEND", "PAYDATE", "PAYOVER", "TAX", "HHI", "BENFORD1", "IFOREST",
    }  # fmt: skip
    # Single bids in competitive tenders: exactly the planted ones.
    single = Tender.objects.filter(method=ProcurementMethod.OPEN).annotate(n=Count("bids")).filter(n=1)
    assert {f"R018:tender:{o}" for o in single.values_list("ocid", flat=True)} == planted["R018"]
    # Submission periods under 15 days: exactly the planted ones.
    short = [t.ocid for t in Tender.objects.all() if (t.deadline - t.published_at).days < 15]
    assert {f"R003:tender:{o}" for o in short} == planted["R003"]
    # Payments before signature: exactly the planted ones; ordinary contracts paid less than their value.
    early = Payment.objects.filter(date__lt=F("contract__signed_on")).values_list("pk", flat=True)
    assert early.exists()
    assert all(any(f"PAYDATE:payment:{pk}" in case for case in report.planted["PAYDATE"]) for pk in early)
    overpaid = [c.pk for c in Contract.objects.annotate(paid=Sum("payments__amount")).filter(paid__gt=F("value"))]
    assert {f"PAYOVER:contract:{pk}" for pk in overpaid} == {
        k for k in planted["PAYOVER"] if k.startswith("PAYOVER:contract:")
    }
    # Late winning bids: exactly the planted ones.
    late = Bid.objects.filter(received_at__gt=F("tender__deadline")).values_list("tender__ocid", flat=True)
    assert {f"R030:tender:{o}" for o in late} == {k for k in planted["R030"] if ":tender:" in k}
    # Non-compliant suppliers: only the planted ones, and they are paid.
    bad = Supplier.objects.filter(tax_status=TaxStatus.NON_COMPLIANT)
    assert bad.count() == 2
    assert Payment.objects.filter(contract__supplier__in=bad).exists()
    # Disqualified bids exist in ordinary tenders too, but never leave the winner alone outside the plan.
    assert Bid.objects.filter(status=BidStatus.DISQUALIFIED).count() > 10
    alone = (
        Tender.objects.annotate(
            valid=Count("bids", filter=Q(bids__status=BidStatus.VALID)),
            out=Count("bids", filter=Q(bids__status=BidStatus.DISQUALIFIED)),
        )
        .filter(valid=1, out__gte=1)
        .values_list("ocid", flat=True)
    )
    assert {f"R035:tender:{o}" for o in alone} == {k for k in planted["R035"] if ":tender:" in k}
    # Inflated amendments: only the planted ones pass a quarter of the value signed.
    inflated = Amendment.objects.filter(value_after__gt=F("contract__original_value") * Decimal("1.25"))
    assert {f"AMEND:contract:{a.contract_id}" for a in inflated} == {k for k in planted["AMEND"] if ":contract:" in k}
    # Suppliers registered years before the tenders, except the planted shells.
    recent = Supplier.objects.filter(registered_on__gte=datetime.date(2020, 1, 1))
    assert {f"SHELL:supplier:{i}" for i in recent.values_list("identifier", flat=True)} == {
        k for k in planted["SHELL"] if ":supplier:" in k
    }


def test_every_planted_case_is_found_by_its_rule(portfolio):
    """Recall 1.0 on the small set: every planted case has at least one of its keys among its rule's findings."""
    from masar.integrity.rules import evaluate
    from masar.integrity.statistics import benford_findings, isolation_forest_findings

    report = generate(seed=11)
    found = {}
    results = dict(evaluate())
    results["BENFORD"] = benford_findings({})
    results["IFOREST"] = isolation_forest_findings({})
    for result in results.values():
        for finding in result.findings:
            found.setdefault(finding.rule, set()).add(finding.key)
    assert found, "the rules found nothing at all"
    scores = synthetic.score(report.planted, found)
    missed = {rule: s for rule, s in scores.items() if s["cases"] and s["recall"] < 1.0}
    assert not missed, sorted((rule, s["caught"], s["cases"], s["findings"]) for rule, s in missed.items())
