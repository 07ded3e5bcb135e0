"""The detection run: alerts kept by key, triage untouched, corrected data no longer current, few queries."""

import pytest
from django.core.management import call_command

from masar.integrity.detection import detection_run
from masar.integrity.models import Alert, AlertStatus, BidStatus, DetectionRun, RuleSetting, Tender
from masar.integrity.rules import RULES
from tests.integrity.factories import make_bid, make_payment, make_supplier, make_tender, make_trail

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(ministry_a, project_of):
    """A single-bid tender of a project, and a process whose lowest bid was disqualified."""
    winner = make_supplier("WIN", owner=ministry_a)
    loser = make_supplier("LOS", owner=ministry_a)
    single = make_tender("single", buyer=ministry_a, project=project_of, number_of_tenderers=1)
    lowest, _ = make_trail(ministry_a, winner=winner, losers=[loser], ocid="lowest")
    lowest.bids.filter(supplier=loser).update(status=BidStatus.DISQUALIFIED, amount_base=1, amount=1)
    return single, lowest


@pytest.fixture
def project_of(ministry_a, axis):
    from tests.portfolio.factories import make_project

    return make_project("P-INT", ministry_a, axis)


def test_a_run_raises_an_alert_per_finding_with_its_evidence_and_counts(trail, project_of):
    single, lowest = trail
    run = detection_run(codes=["R018", "R036"], statistics=False)
    alert = Alert.objects.get(key="R018:tender:single")
    assert alert.status == AlertStatus.NEW and alert.current
    assert alert.tender_id == single.pk and alert.project_id == project_of.pk and alert.buyer_ref == "MIN-A"
    assert alert.evidence["records"] == [{"kind": "tender", "id": single.pk}]
    assert Alert.objects.filter(key="R036:tender:lowest", tender=lowest).exists()
    assert Alert.objects.count() == 2
    assert run.counts == {
        "R018": {"flagged": 1, "not_computable": 0},
        "R036": {"flagged": 1, "not_computable": 0},
    }
    assert run.done == run.total == 2 and run.finished_at is not None and run.rules == ["R018", "R036"]


def test_a_second_run_updates_the_alerts_and_leaves_their_triage_alone(trail):
    detection_run(statistics=False)
    first = {a.key: a for a in Alert.objects.all()}
    assert "R018:tender:single" in first
    Alert.objects.filter(key="R018:tender:single").update(status=AlertStatus.UNDER_REVIEW, score=0.1)
    detection_run(statistics=False)
    again = {a.key: a for a in Alert.objects.all()}
    assert set(again) == set(first)  # no duplicate, none lost
    reviewed = again["R018:tender:single"]
    assert reviewed.status == AlertStatus.UNDER_REVIEW and reviewed.score == 1.0 and reviewed.current
    assert reviewed.first_seen_at == first["R018:tender:single"].first_seen_at
    assert reviewed.last_seen_at > first["R018:tender:single"].last_seen_at


def test_an_alert_no_longer_found_after_a_correction_is_kept_but_not_current(trail):
    single, _ = trail
    detection_run(codes=["R018", "R036"], statistics=False)
    Tender.objects.filter(pk=single.pk).update(number_of_tenderers=3)
    run = detection_run(codes=["R018"], statistics=False)
    corrected = Alert.objects.get(key="R018:tender:single")
    assert not corrected.current and corrected.status == AlertStatus.NEW
    # The rule that did not run keeps its alert current.
    assert Alert.objects.get(key="R036:tender:lowest").current
    assert run.counts["R018"]["flagged"] == 0
    Tender.objects.filter(pk=single.pk).update(number_of_tenderers=1)
    detection_run(codes=["R018"], statistics=False)
    assert Alert.objects.get(key="R018:tender:single").current


def test_a_rule_switched_off_does_not_run(trail):
    RuleSetting.objects.create(code="R018", enabled=False)
    run = detection_run(statistics=False)
    assert "R018" not in run.counts and "R036" in run.counts
    assert not Alert.objects.filter(rule="R018").exists()
    assert Alert.objects.filter(rule="R036").exists()


def _dataset(ministry_a, tenders):
    suppliers = [make_supplier(owner=ministry_a, phone=f"7100{n:04d}") for n in range(12)]
    for n in range(tenders):
        winner, loser = suppliers[n % 12], suppliers[(n + 1) % 12]
        tender, contract = make_trail(ministry_a, winner=winner, losers=[loser], amount=1000 + n, number_of_tenderers=1)
        make_payment(contract, 1000 + n + (500 if n % 7 == 0 else 0))
        if n % 5 == 0:
            make_bid(tender, suppliers[(n + 2) % 12], 1000 + n, status=BidStatus.DISQUALIFIED)


def test_a_run_takes_a_few_queries_whatever_the_number_of_alerts(ministry_a, django_assert_max_num_queries):
    _dataset(ministry_a, 300)
    with django_assert_max_num_queries(100):
        run = detection_run(statistics=False)
    flagged = sum(count["flagged"] for count in run.counts.values())
    assert flagged > 300 and Alert.objects.count() == flagged
    with django_assert_max_num_queries(100):
        detection_run(statistics=False)
    assert Alert.objects.count() == flagged


def test_the_command_runs_the_rules(trail, capsys):
    call_command("integrity_scan", "--rule", "R018", "--no-statistics")
    assert "R018: flagged=1 not_computable=0" in capsys.readouterr().out
    assert DetectionRun.objects.count() == 1
    assert set(RULES) >= {"R018"}
