"""The demo's sample procurement trail: labelled sample, on the program's projects, with the planted cases."""

from decimal import Decimal

import pytest
from django.db.models import F

from masar.demo.procurement import OCID_PREFIX, procurement_demo_load
from masar.integrity.models import Amendment, Payment, Supplier, TaxStatus, Tender
from tests.integrity.alert_factories import make_inspector
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


def test_the_demo_inspector_reads_the_sample_trail(program_projects, program, gov, client_for):
    procurement_demo_load(strategy_code=program.code)
    client = client_for(make_inspector(gov))
    body = client.get("/ar/integrity/tenders/").content.decode()
    assert body.count("data-tender=") == 25
    assert client.get("/ar/integrity/alerts/").status_code == 200
