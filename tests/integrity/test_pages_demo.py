"""The demo's sample procurement trail: labelled sample, on the program's projects, with the planted cases."""

from decimal import Decimal

import pytest
from django.db.models import F
from django.utils.html import escape
from django.utils.translation import override

from masar.demo.procurement import OCID_PREFIX, procurement_demo_load
from masar.integrity.models import Alert, Amendment, Payment, Supplier, TaxStatus, Tender
from masar.integrity.rules import RULES
from tests.integrity.factories import make_inspector
from tests.portfolio.factories import make_project


@pytest.fixture
def program_projects(ministry_a, ministry_b, directorate_a, axis):
    return [
        make_project(f"PRJ-{owner.code}-{n}", owner, axis)
        for owner in (ministry_a, ministry_b, directorate_a)
        for n in range(3)
    ]


def test_the_sample_trail_is_labelled_linked_and_loaded_once(program_projects, program):
    created = procurement_demo_load(strategy_code=program.code)
    assert created["tenders"] == 25 and created["suppliers"] == 15
    tenders = Tender.objects.filter(ocid__startswith=OCID_PREFIX)
    assert tenders.count() == 25
    assert not tenders.exclude(is_sample=True).exists() and not tenders.exclude(source="sample").exists()
    assert not Supplier.objects.exclude(is_sample=True).exists()
    assert tenders.filter(project__in=program_projects).count() == 25
    assert tenders.values("buyer").distinct().count() == 3
    assert procurement_demo_load(strategy_code=program.code)["tenders"] == 0
    assert Tender.objects.count() == 25


def test_the_planted_cases_are_in_the_data(program_projects, program):
    procurement_demo_load(strategy_code=program.code)
    ring = Supplier.objects.filter(identifier__contains="RING")
    assert ring.count() == 3 and ring.values("phone_key").distinct().count() == 1
    assert len({s.phone for s in ring}) == 3  # written three ways
    split = Tender.objects.filter(bids__supplier__identifier__endswith="DELTA")
    assert split.count() == 4 and all(190_000 < t.estimated_value_base < 200_000 for t in split)
    shell = Supplier.objects.get(identifier__endswith="SHELL")
    contract = shell.contracts.get()
    assert contract.value_base == 900_000
    assert (contract.award.date.date() - shell.registered_on).days == 30
    amendment = Amendment.objects.get()
    assert amendment.value_after / amendment.value_before == Decimal("1.6")
    assert Payment.objects.filter(date__lt=F("contract__signed_on")).exists()
    notax = Supplier.objects.get(tax_status=TaxStatus.NON_COMPLIANT)
    assert Payment.objects.filter(contract__supplier=notax, date__gt=notax.tax_status_on).exists()


def test_the_demo_inspector_finds_the_planted_cases_and_reads_them(program_projects, program, gov, client_for):
    created = procurement_demo_load(strategy_code=program.code)
    planted = {"R044", "R028", "SPLIT", "SHELL", "AMEND", "PAYDATE", "TAX"}
    assert planted <= set(Alert.objects.values_list("rule", flat=True))
    assert created["alerts"] == Alert.objects.count() and not Alert.objects.exclude(is_sample=True).exists()
    client = client_for(make_inspector(gov))
    assert client.get("/ar/integrity/tenders/").content.decode().count("data-tender=") == 25
    queue = client.get("/en/integrity/alerts/").content.decode()
    assert queue.count("data-alert=") == Alert.objects.filter(current=True).count() > 0
    shell = Alert.objects.get(rule="SHELL")
    page = client.get(f"/en/integrity/alerts/{shell.pk}/").content.decode()
    with override("en"):
        explanation = RULES["SHELL"].explain(shell.evidence["figures"])
    assert explanation and escape(explanation) in page
    assert str(RULES["SHELL"].title) in page and 'value="review"' in page
