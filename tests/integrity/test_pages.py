"""The integrity pages: the inspector's queue and an alert's page with its triage, the procurement trail's pages
(with few queries whatever their length), and the national unit's rule settings."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from masar.audit.models import AuditEntry
from masar.core.templatetags.masar import fmt_number
from masar.integrity.models import Alert, AlertAction, AlertStatus, BidStatus
from tests.integrity.factories import make_alert, make_bid, make_inspector, make_supplier, make_tender, make_trail
from tests.portfolio.factories import make_project

ALERTS = "/en/integrity/alerts/"


@pytest.fixture
def inspector(gov):
    return make_inspector(gov)


@pytest.fixture
def trail(ministry_a, axis):
    project = make_project("PRJ-1", ministry_a, axis)
    winner = make_supplier("SUP-W", owner=ministry_a, name_fr="Société Alpha", phone="+216 71 000 111")
    loser = make_supplier("SUP-L", owner=ministry_a)
    tender, contract = make_trail(ministry_a, project=project, winner=winner, losers=[loser], estimated_value=90_000)
    return project, tender, contract, winner


@pytest.fixture
def alert(trail):
    _project, tender, contract, winner = trail
    return make_alert(tender, contract=contract, supplier=winner, score=0.8, value=1, threshold=2)


def alert_ids(body):
    return {int(pk) for pk in re.findall(r'data-alert="(\d+)"', body)}


def test_the_inspector_sees_the_queue_by_score_with_groups(inspector, trail, alert, client_for):
    _project, tender, _contract, winner = trail
    low = make_alert(tender, rule="R024", score=0.1)
    body = client_for(inspector).get(ALERTS).content.decode()
    assert [int(pk) for pk in re.findall(r'data-alert="(\d+)"', body)] == [alert.pk, low.pk]
    assert 'id="groups-title"' in body and "Société Alpha" in body
    assert alert_ids(client_for(inspector).get(ALERTS, {"rule": "R024"}).content.decode()) == {low.pk}
    assert alert_ids(client_for(inspector).get(ALERTS, {"supplier": winner.pk}).content.decode()) == {alert.pk}
    Alert.objects.filter(pk=low.pk).update(current=False)
    assert alert_ids(client_for(inspector).get(ALERTS).content.decode()) == {alert.pk}
    assert alert_ids(client_for(inspector).get(ALERTS, {"all": "on"}).content.decode()) == {alert.pk, low.pk}


def test_an_alert_page_shows_its_numbers_records_and_triage(inspector, trail, alert, client_for):
    _project, tender, contract, winner = trail
    body = client_for(inspector).get(f"{ALERTS}{alert.pk}/").content.decode()
    assert '<code dir="ltr">bidders</code>' in body
    for url in (
        f"/en/integrity/tenders/{tender.pk}/",
        f"/en/integrity/contracts/{contract.pk}/",
        f"/en/integrity/suppliers/{winner.pk}/",
    ):
        assert f'href="{url}"' in body
    assert 'value="review"' in body and 'value="dismiss"' not in body
    assert 'id="audit-title"' in body


def test_the_arabic_page_formats_the_numbers_in_arabic(inspector, alert, client_for):
    body = client_for(inspector).get(f"/ar/integrity/alerts/{alert.pk}/").content.decode()
    assert 'dir="rtl"' in body
    with override("ar"):
        score = fmt_number(alert.score, 2)
    with override("en"):
        assert fmt_number(alert.score, 2) != score  # positive control: the languages write it apart
    assert f"<bdi>{score}</bdi>" in body


def test_triage_through_the_pages_review_dismiss_with_reason(inspector, alert, client_for):
    client = client_for(inspector)
    url = f"{ALERTS}{alert.pk}/triage/"
    assert client.post(url, {"action": AlertAction.REVIEW, "version": alert.version}).status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.UNDER_REVIEW
    refused = client.post(url, {"action": AlertAction.DISMISS, "reason": "", "version": alert.version})
    assert refused.status_code == 400
    assert "needs the reason" in refused.content.decode()
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.UNDER_REVIEW
    stale = client.post(url, {"action": AlertAction.DISMISS, "reason": "مبرر", "version": alert.version - 1})
    assert stale.status_code == 409
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.UNDER_REVIEW
    done = client.post(url, {"action": AlertAction.DISMISS, "reason": "مبرر", "version": alert.version})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.reason, alert.decided_by) == (AlertStatus.DISMISSED, "مبرر", inspector)
    assert AuditEntry.objects.for_object(alert).count() == 2
    page = client.get(f"{ALERTS}{alert.pk}/").content.decode()
    assert "مبرر" in page and 'name="action"' not in page  # a dismissed alert offers no more action


def test_the_national_unit_reads_alerts_but_does_not_triage(national, alert, client_for):
    client = client_for(national)
    body = client.get(f"{ALERTS}{alert.pk}/").content.decode()
    assert 'name="action"' not in body
    assert client.post(f"{ALERTS}{alert.pk}/triage/", {"action": "review", "version": 1}).status_code == 403
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.NEW


def test_the_tender_page_shows_bids_with_disqualification_and_awards(inspector, trail, alert, client_for, ministry_a):
    _project, tender, _contract, _winner = trail
    rejected = make_supplier("SUP-X", owner=ministry_a)
    make_bid(tender, rejected, 70_000, status=BidStatus.DISQUALIFIED, disqualification_reason="ملف إداري منقوص")
    body = client_for(inspector).get(f"/en/integrity/tenders/{tender.pk}/").content.decode()
    assert "ملف إداري منقوص" in body and "Disqualified" in body
    assert body.count("data-bid=") == 3
    assert f'href="/en/integrity/alerts/{alert.pk}/"' in body


def test_the_supplier_page_shows_its_alert_history_and_people_to_the_inspector(inspector, trail, alert, client_for):
    *_rest, winner = trail
    winner.directors = [{"name": "فلان الفلاني"}]
    winner.save()
    body = client_for(inspector).get(f"/en/integrity/suppliers/{winner.pk}/").content.decode()
    assert 'id="history-title"' in body and f'href="/en/integrity/alerts/{alert.pk}/"' in body
    assert "فلان الفلاني" in body


def test_the_procurement_list_filters(coordinator_a, trail, ministry_a, ministry_b, client_for):
    _project, tender, _contract, _winner = trail
    other = make_tender(buyer=ministry_b, title_ar="صفقة أخرى")
    client = client_for(coordinator_a)
    body = client.get("/en/integrity/tenders/").content.decode()
    assert f'data-tender="{tender.pk}"' in body and f'data-tender="{other.pk}"' in body
    body = client.get("/en/integrity/tenders/", {"buyer": ministry_b.pk}).content.decode()
    assert f'data-tender="{tender.pk}"' not in body and f'data-tender="{other.pk}"' in body


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_alert_list_and_the_tender_page_stay_flat_with_more_rows(inspector, trail, client_for, ministry_a):
    _project, tender, contract, winner = trail
    client = client_for(inspector)
    make_alert(tender, contract=contract, supplier=winner)
    client.get(ALERTS)  # the first page of a session loads what the next ones find cached
    few_alerts, few_bids = queries(client, ALERTS), queries(client, f"/en/integrity/tenders/{tender.pk}/")
    for n in range(6):
        supplier = make_supplier(owner=ministry_a)
        make_bid(tender, supplier, 100_000 + n)
        other, _ = make_trail(ministry_a, winner=supplier)
        make_alert(other, supplier=supplier)
    assert queries(client, ALERTS) == few_alerts
    assert queries(client, f"/en/integrity/tenders/{tender.pk}/") == few_bids
    assert queries(client, "/en/integrity/tenders/") == queries(client, "/en/integrity/tenders/")


def test_the_rule_settings_are_the_national_units(national, coordinator_a, viewer_a, coordinator_b, gov, client_for):
    assert client_for(national).get("/en/integrity/rules/").status_code == 200
    for user in (coordinator_a, viewer_a, coordinator_b, make_inspector(gov)):
        assert client_for(user).get("/en/integrity/rules/").status_code == 403
        assert client_for(user).post("/en/integrity/rules/R018/", {"enabled": ""}).status_code == 403
    assert client_for(None).get("/en/integrity/rules/").status_code == 302


def test_the_national_unit_edits_a_rule_through_its_page(national, client_for):
    from masar.integrity.models import RuleSetting

    client = client_for(national)
    listing = client.get("/en/integrity/rules/").content.decode()
    assert 'data-rule="SPLIT"' in listing and 'data-rule="SHELL"' in listing
    form = client.get("/en/integrity/rules/SPLIT/")
    assert form.status_code == 200 and 'name="param_band"' in form.content.decode()
    data = {"version": 0, "param_threshold": "200000", "param_band": "0.8", "param_days": "45"}
    data["param_minimum_contracts"] = "2"
    assert client.post("/en/integrity/rules/SPLIT/", data).status_code == 302
    setting = RuleSetting.objects.get(code="SPLIT")
    assert (setting.enabled, setting.params["band"], setting.params["days"]) == (False, 0.8, 45)
    stale = client.post("/en/integrity/rules/SPLIT/", {**data, "enabled": "on", "version": 0})
    assert stale.status_code == 409 and RuleSetting.objects.get(code="SPLIT").enabled is False
    assert client.get("/en/integrity/rules/NOSUCH/").status_code == 404
