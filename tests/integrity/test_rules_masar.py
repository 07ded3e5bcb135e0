"""Masar's own red flags (and R055, whose method Masar defines): each case flagged, each near miss not."""

import datetime

import pytest

from masar.integrity.models import Amendment, TaxStatus, TaxStatusReport
from masar.integrity.rules import RULES
from tests.integrity.factories import make_award, make_contract, make_payment, make_supplier, make_tender, make_trail

pytestmark = pytest.mark.django_db


def run(code, **params):
    rule = RULES[code]
    return rule.find(rule.params(params))


def keys(code, **params):
    return {f.key for f in run(code, **params).findings}


def day(text):
    return datetime.date.fromisoformat(text)


# AMEND -------------------------------------------------------------------------------------------------


def test_amend_flags_a_contract_raised_by_more_than_the_share(ministry_a):
    supplier = make_supplier(owner=ministry_a)
    tender = make_tender(buyer=ministry_a)
    inflated = make_contract(tender, supplier, 125_000, original_value=100_000)
    Amendment.objects.create(contract=inflated, value_before=100_000, value_after=125_000)
    make_contract(tender, supplier, 120_000, original_value=100_000)  # exactly 20%: not more
    make_contract(tender, supplier, 100_000, currency="EUR")  # no rate
    result = run("AMEND")
    assert [f.key for f in result.findings] == [f"AMEND:contract:{inflated.pk}"]
    finding = result.findings[0]
    assert finding.value == pytest.approx(0.25) and finding.contract_id == inflated.pk
    assert {"kind": "amendment", "id": inflated.amendments.get().pk} in finding.records
    assert result.not_computable == 1
    assert len(keys("AMEND", share=0.1)) == 2


# SPLIT -------------------------------------------------------------------------------------------------


def test_split_flags_contracts_just_below_the_threshold_signed_close_together(ministry_a, ministry_b):
    supplier = make_supplier("SPL", owner=ministry_a)
    tender = make_tender(buyer=ministry_a)
    first = make_contract(tender, supplier, 190_000, signed_on=day("2025-05-01"))
    second = make_contract(tender, supplier, 195_000, signed_on=day("2025-05-20"))
    # Near misses: too far apart, below the band, another buyer.
    far = make_tender(buyer=ministry_b)
    make_contract(far, supplier, 190_000, signed_on=day("2025-01-01"))
    make_contract(far, supplier, 199_000, signed_on=day("2025-03-01"))
    make_contract(make_tender(buyer=ministry_b), supplier, 150_000, signed_on=day("2025-01-10"))
    result = run("SPLIT")
    assert [f.key for f in result.findings] == ["SPLIT:supplier:SPL:buyer:MIN-A"]
    finding = result.findings[0]
    assert {r["id"] for r in finding.records} == {first.pk, second.pk}
    assert finding.figures["total"] == 385_000 and finding.figures["contracts"] == 2
    assert keys("SPLIT", days=10) == set()
    assert keys("SPLIT", days=70) == {"SPLIT:supplier:SPL:buyer:MIN-A", "SPLIT:supplier:SPL:buyer:MIN-B"}


# SHELL -------------------------------------------------------------------------------------------------


def test_shell_flags_a_supplier_registered_shortly_before_a_large_contract(ministry_a):
    young = make_supplier("NEW", owner=ministry_a, registered_on=day("2025-01-21"))
    old = make_supplier("OLD", owner=ministry_a, registered_on=day("2024-10-01"))
    small = make_supplier("SMALL", owner=ministry_a, registered_on=day("2025-01-21"))
    unknown = make_supplier("UNK", owner=ministry_a)
    tender = make_tender(buyer=ministry_a)
    for supplier, value in ((young, 600_000), (old, 600_000), (small, 400_000), (unknown, 600_000)):
        make_contract(tender, supplier, value, signed_on=day("2025-05-01"))
    result = run("SHELL")
    assert [f.key for f in result.findings] == ["SHELL:supplier:NEW"]
    assert result.findings[0].figures["days"] == 100
    assert result.not_computable == 1
    assert keys("SHELL", days=300) == {"SHELL:supplier:NEW", "SHELL:supplier:OLD"}
    assert keys("SHELL", minimum_value=300_000) == {"SHELL:supplier:NEW", "SHELL:supplier:SMALL"}


# PAYDATE and PAYOVER -----------------------------------------------------------------------------------------


def test_paydate_flags_a_payment_before_the_signature(ministry_a):
    supplier = make_supplier(owner=ministry_a)
    _, contract = make_trail(ministry_a, winner=supplier)  # signed 2025-05-01
    early = make_payment(contract, 10_000, date="2025-04-30")
    make_payment(contract, 10_000, date="2025-05-01")
    make_payment(contract, 10_000, date=None)
    result = run("PAYDATE")
    assert [f.key for f in result.findings] == [f"PAYDATE:payment:{early.pk}"]
    assert result.findings[0].subject == "payment" and result.findings[0].contract_id == contract.pk
    assert result.not_computable == 1


def test_payover_flags_payments_beyond_the_value_and_its_tolerance(ministry_a):
    supplier = make_supplier(owner=ministry_a)
    _, over = make_trail(ministry_a, winner=supplier, amount=100_000)
    make_payment(over, 60_000)
    make_payment(over, 42_000)
    _, within = make_trail(ministry_a, winner=supplier, amount=100_000)
    make_payment(within, 100_500)
    _, foreign = make_trail(ministry_a, winner=supplier, amount=100_000)
    make_payment(foreign, 100, currency="XXX")
    result = run("PAYOVER")
    assert [f.key for f in result.findings] == [f"PAYOVER:contract:{over.pk}"]
    assert result.findings[0].figures["paid"] == 102_000
    assert result.not_computable == 1
    assert len(keys("PAYOVER", tolerance=0)) == 2
    assert keys("PAYOVER", tolerance=0.05) == set()


# TAX ---------------------------------------------------------------------------------------------------


def test_tax_flags_a_non_compliant_supplier_paid_or_awarded(ministry_a):
    evader = make_supplier("EVADER", owner=ministry_a, tax_status=TaxStatus.NON_COMPLIANT)
    honest = make_supplier("HONEST", owner=ministry_a, tax_status=TaxStatus.COMPLIANT)
    unknown = make_supplier("UNKNOWN", owner=ministry_a)
    for supplier in (evader, honest, unknown):
        _, contract = make_trail(ministry_a, winner=supplier)
        make_payment(contract, 1_000, date="2025-06-01")
    result = run("TAX")
    assert [f.key for f in result.findings] == ["TAX:supplier:EVADER"]
    assert result.findings[0].figures == {"awards": 1, "payments": 1, "paid": 1000.0}


def test_tax_reads_the_status_as_of_each_date_from_the_reports(ministry_a):
    # Compliant when paid, non-compliant since: not flagged; the other way round: flagged.
    cleared = make_supplier("CLEARED", owner=ministry_a, tax_status=TaxStatus.NON_COMPLIANT)
    TaxStatusReport.objects.create(supplier=cleared, status=TaxStatus.COMPLIANT, as_of=day("2025-01-01"))
    TaxStatusReport.objects.create(supplier=cleared, status=TaxStatus.NON_COMPLIANT, as_of=day("2025-12-01"))
    lapsed = make_supplier("LAPSED", owner=ministry_a, tax_status=TaxStatus.COMPLIANT)
    TaxStatusReport.objects.create(supplier=lapsed, status=TaxStatus.NON_COMPLIANT, as_of=day("2025-01-01"))
    TaxStatusReport.objects.create(supplier=lapsed, status=TaxStatus.COMPLIANT, as_of=day("2025-12-01"))
    for supplier in (cleared, lapsed):
        _, contract = make_trail(ministry_a, winner=supplier)
        make_payment(contract, 1_000, date="2025-06-01")
    assert keys("TAX") == {"TAX:supplier:LAPSED"}


# R055 and HHI ----------------------------------------------------------------------------------------------


def test_r055_flags_a_supplier_taking_most_of_a_buyers_awards_under_two_spellings(ministry_a):
    first = make_supplier("AMAL-1", owner=ministry_a, name_ar="شركة الأمل")
    second = make_supplier("AMAL-2", owner=ministry_a, name_ar="شركه الامل")
    for _n in range(3):
        make_trail(ministry_a, winner=first, amount=100)
    for _n in range(3):
        make_trail(ministry_a, winner=second, amount=100)
    for _n in range(4):
        make_trail(ministry_a, winner=make_supplier(owner=ministry_a), amount=100)
    result = run("R055")
    assert [f.key for f in result.findings] == ["R055:supplier:AMAL-1:buyer:MIN-A"]
    assert result.findings[0].value == pytest.approx(0.6)
    assert keys("R055", threshold=0.6) == set()  # above, not at
    assert keys("R055", minimum_contracting_processes=11) == set()


def test_r055_counts_a_buyer_with_an_unconverted_award_as_not_computable(ministry_a):
    winner = make_supplier(owner=ministry_a)
    for _n in range(10):
        make_trail(ministry_a, winner=winner, amount=100)
    assert len(keys("R055")) == 1
    make_award(make_tender(buyer=ministry_a), winner, 100, currency="XXX")
    result = run("R055")
    assert result.findings == [] and result.not_computable == 1


def test_hhi_flags_a_concentrated_buyer(ministry_a, ministry_b):
    only = make_supplier(owner=ministry_a)
    for _n in range(10):
        make_trail(ministry_a, winner=only)
    for _n in range(10):
        make_trail(ministry_b, winner=make_supplier(owner=ministry_b))
    result = run("HHI")
    assert [f.key for f in result.findings] == ["HHI:buyer:MIN-A"]
    assert result.findings[0].value == pytest.approx(1.0) and result.findings[0].subject == "buyer"
    assert keys("HHI", threshold=0.05) == {"HHI:buyer:MIN-A", "HHI:buyer:MIN-B"}
    assert keys("HHI", minimum_contracts=11) == set()
