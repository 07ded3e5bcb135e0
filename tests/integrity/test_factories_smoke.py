from masar.core.policy import Reader
from masar.integrity.models import Contract, Tender
from tests.integrity.factories import make_payment, make_supplier, make_trail


def test_a_trail_is_read_by_civil_servants_and_not_by_the_public(ministry_a, coordinator_b):
    winner = make_supplier(owner=ministry_a)
    loser = make_supplier(owner=ministry_a)
    tender, contract = make_trail(ministry_a, winner=winner, losers=[loser])
    make_payment(contract, 50_000)
    assert Tender.objects.visible_to(coordinator_b).filter(pk=tender.pk).exists()
    assert Contract.objects.visible_to(coordinator_b).filter(pk=contract.pk).exists()
    assert not Tender.objects.visible_to(Reader.public()).exists()
    assert not Contract.objects.visible_to(Reader.public()).exists()
