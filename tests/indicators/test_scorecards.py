"""Ministries' scorecards and the league table: weighted attainment against trajectories, on approved values."""

import re
from decimal import Decimal

import pytest

from masar.audit.models import Action, AuditEntry
from masar.core.models import Classification
from masar.indicators.models import Indicator, ScorecardWeight
from masar.indicators.selectors import latest_judgements
from masar.indicators.services import measurement_approve, measurement_record
from masar.indicators.trajectory import JudgementStatus
from tests.html import without_isolates
from tests.indicators.factories import (
    approved,
    attainment,
    entry,
    indicator_with_trajectory,
    make_indicator,
    year,
)


@pytest.fixture
def world(ministry_a, ministry_b, coordinator_a, coordinator_b, national):
    a1 = indicator_with_trajectory("IND-A1", ministry_a, 100, 600)
    a2 = indicator_with_trajectory("IND-A2", ministry_a, 0, 100)
    b1 = indicator_with_trajectory("IND-B1", ministry_b, 10, 60)
    approved(a1, year(2024), 420, by=coordinator_a, approver=national)
    approved(a2, year(2024), 60, by=coordinator_a, approver=national)
    approved(b1, year(2024), 50, by=coordinator_b, approver=national)
    return {"a1": a1, "a2": a2, "b1": b1}


def league(client):
    body = without_isolates(client.get("/en/indicators/scorecards/").content.decode())
    rows = re.findall(
        r'<tr data-ministry="([^"]+)">\s*<td class="num rank">([^<]*)</td>.*?class="score-value">([^<]*)<', body, re.S
    )
    return [(code, rank, score) for code, rank, score in rows]


def percent(share):
    """Return a share as the pages show a percentage: at most one decimal (77.5%, 80%)."""
    shown = round(Decimal(str(share)), 3) * 100
    return f"{shown:f}".rstrip("0").rstrip(".") + "%"


def scorecard_row(client, ministry, code):
    body = client.get(f"/en/indicators/scorecards/{ministry.pk}/").content.decode()
    row = re.search(rf'<tr data-indicator="{code}">(.*?)</tr>', body, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def test_the_league_ranks_ministries_by_weighted_attainment(world, client_for, viewer_a):
    score_a = (attainment(100, 600, 2024, 420) + attainment(0, 100, 2024, 60)) / 2
    score_b = attainment(10, 60, 2024, 50)
    assert league(client_for(viewer_a)) == [("MIN-B", "1", percent(score_b)), ("MIN-A", "2", percent(score_a))]


def test_a_newly_approved_value_moves_the_scorecard_and_the_league(
    world, ministry_a, client_for, coordinator_a, national, viewer_a
):
    client = client_for(viewer_a)
    before = scorecard_row(client, ministry_a, "IND-A1")
    assert "420" in before and percent(attainment(100, 600, 2024, 420)) in before and "Off track" in before
    value = measurement_record(actor=coordinator_a, indicator=world["a1"], entry=entry(year(2025), 590), submit=True)
    assert "590" not in scorecard_row(client, ministry_a, "IND-A1")  # submitted is not approved
    measurement_approve(actor=national, measurement=value)
    after = scorecard_row(client, ministry_a, "IND-A1")
    assert "590" in after and percent(attainment(100, 600, 2025, 590)) in after and "On track" in after
    score_a = (attainment(100, 600, 2025, 590) + attainment(0, 100, 2024, 60)) / 2
    assert league(client)[1] == ("MIN-A", "2", percent(score_a))


def test_the_national_unit_sets_weights_and_every_change_is_audited(world, ministry_a, client_for, national):
    client = client_for(national)
    form = client.get(f"/en/indicators/scorecards/{ministry_a.pk}/weights/")
    assert form.status_code == 200
    data = {
        f"weight_{world['a1'].pk}": "1",
        f"version_{world['a1'].pk}": "0",
        f"weight_{world['a2'].pk}": "٣",
        f"version_{world['a2'].pk}": "0",
    }
    assert client.post(f"/en/indicators/scorecards/{ministry_a.pk}/weights/", data).status_code == 302
    weight = ScorecardWeight.objects.get()
    assert (weight.indicator, weight.weight) == (world["a2"], 3)
    assert AuditEntry.objects.for_object(weight).get().action == Action.CREATE
    score_a = (1 * attainment(100, 600, 2024, 420) + 3 * attainment(0, 100, 2024, 60)) / 4
    assert ("MIN-A", "2", percent(score_a)) in league(client)
    data[f"weight_{world['a2'].pk}"] = "2"
    data[f"version_{world['a2'].pk}"] = "1"
    assert client.post(f"/en/indicators/scorecards/{ministry_a.pk}/weights/", data).status_code == 302
    assert AuditEntry.objects.for_object(weight).order_by("id").last().changes == {"weight": ["3.00", "2.00"]}


def test_a_weight_changed_meanwhile_is_not_overwritten(world, ministry_a, client_for, national):
    client = client_for(national)
    url = f"/en/indicators/scorecards/{ministry_a.pk}/weights/"
    stale = {
        f"weight_{world['a1'].pk}": "5",
        f"version_{world['a1'].pk}": "0",
        f"weight_{world['a2'].pk}": "1",
        f"version_{world['a2'].pk}": "0",
    }
    client.post(url, {**stale, f"weight_{world['a1'].pk}": "2"})
    response = client.post(url, stale)
    assert response.status_code == 409 and "Someone else changed this record" in response.content.decode()
    assert ScorecardWeight.objects.get().weight == 2


@pytest.mark.parametrize(
    "user_name,status", [("coordinator_a", 403), ("viewer_a", 403), ("coordinator_b", 403), (None, 302)]
)
def test_only_the_national_unit_may_change_weights(world, ministry_a, client_for, request, user_name, status):
    client = client_for(request.getfixturevalue(user_name) if user_name else None)
    url = f"/en/indicators/scorecards/{ministry_a.pk}/weights/"
    assert client.get(url).status_code == status
    assert client.post(url, {f"weight_{world['a1'].pk}": "9", f"version_{world['a1'].pk}": "0"}).status_code == status
    assert not ScorecardWeight.objects.exists()


def test_scores_count_only_the_indicators_their_reader_may_see(
    world, ministry_a, client_for, coordinator_a, national, viewer_a, coordinator_b
):
    hidden = indicator_with_trajectory("IND-A-CONF", ministry_a, 0, 100, classification=Classification.CONFIDENTIAL)
    approved(hidden, year(2024), 0, by=coordinator_a, approver=national)
    visible = (attainment(100, 600, 2024, 420) + attainment(0, 100, 2024, 60)) / 2
    with_hidden = (attainment(100, 600, 2024, 420) + attainment(0, 100, 2024, 60) + 0) / 3
    assert ("MIN-A", "2", percent(with_hidden)) in league(client_for(viewer_a))
    assert ("MIN-A", "2", percent(visible)) in league(client_for(coordinator_b))
    assert ("MIN-A", "2", percent(visible)) in league(client_for(None))
    for user in (coordinator_b, None):
        assert "IND-A-CONF" not in client_for(user).get(f"/en/indicators/scorecards/{ministry_a.pk}/").content.decode()


def test_scorecards_exist_for_ministries_only(world, gov, client_for, viewer_a):
    assert client_for(viewer_a).get(f"/en/indicators/scorecards/{gov.pk}/").status_code == 404
    assert client_for(None).get("/en/indicators/scorecards/999999/").status_code == 404


def test_the_list_judges_each_indicator_on_its_latest_value_in_one_place(
    world, ministry_a, coordinator_a, national, client_for, viewer_a
):
    # 2024 expects 80 of a trajectory 0 -> 100 (2020 -> 2025): 79 is on track, 70 at risk, 40 off track.
    values = {"IND-C1": 79, "IND-C2": 70, "IND-C3": 40}
    for code, value in values.items():
        indicator = indicator_with_trajectory(code, ministry_a, 0, 100)
        approved(indicator, year(2024), value, by=coordinator_a, approver=national)
    unmeasured = indicator_with_trajectory("IND-C4", ministry_a, 0, 100)
    untracked = make_indicator("IND-C5", ministry_a)
    approved(untracked, year(2024), 5, by=coordinator_a, approver=national)
    judgements = latest_judgements(Indicator.objects.filter(code__startswith="IND-C"))
    statuses = {Indicator.objects.get(pk=pk).code: j.status for pk, j in judgements.items()}
    assert statuses == {
        "IND-C1": JudgementStatus.ON_TRACK,
        "IND-C2": JudgementStatus.AT_RISK,
        "IND-C3": JudgementStatus.OFF_TRACK,
        "IND-C4": JudgementStatus.NOT_JUDGED,
        "IND-C5": JudgementStatus.NOT_JUDGED,
    }
    assert judgements[unmeasured.pk].period is None
    body = client_for(viewer_a).get("/fr/indicators/?q=IND-C").content.decode()
    assert body.count("judgement-off_track") == 1 and "Hors trajectoire" in body
