"""Indicators and their values through the API: who reads, who records, and how."""

import datetime
from decimal import Decimal

import pytest

from masar.core.models import Classification
from masar.exchange.models import ExchangeLogEntry
from masar.indicators.models import Measurement, MeasurementStatus
from tests.api.factories import agree, bearer, ids, if_match, make_system, system_bearer
from tests.indicators.factories import add_target, approved, entry, make_indicator, set_baseline, year

JSON = "application/json"
VALUES = "/api/v1/measurements/"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def indicator(ministry_a):
    found = make_indicator("IND-A", ministry_a, classification=Classification.RESTRICTED)
    set_baseline(found, datetime.date(2020, 1, 1), 10)
    add_target(found, year(2026), 50)
    return found


@pytest.fixture
def indicator_b(ministry_b):
    return make_indicator("IND-B", ministry_b)


@pytest.fixture
def values(indicator, coordinator_a, national):
    """An approved value of 2022 and a draft of 2023."""
    from masar.indicators.services import measurement_record

    done = approved(indicator, year(2022), 20, by=coordinator_a, approver=national)
    draft = measurement_record(actor=coordinator_a, indicator=indicator, entry=entry(year(2023), 24))
    return done, draft


def test_indicators_come_with_their_baselines_and_targets(indicator, viewer_a):
    answer = bearer(viewer_a).get(f"/api/v1/indicators/{indicator.pk}/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["name"]["fr"] == "Indicateur IND-A" and body["unit"]["ar"] == "عدد"
    assert [b["value"] for b in body["baselines"]] == ["10.0000"]
    assert [t["period"] for t in body["targets"]] == ["2026-01-01"]


def test_values_are_read_as_on_the_pages(values, coordinator_a, viewer_a, manager_b):
    done, draft = values
    assert ids(bearer(coordinator_a).get(VALUES)) == {done.pk, draft.pk}
    assert ids(bearer(viewer_a).get(VALUES)) == {done.pk}  # not yet approved: read by those who enter values
    assert bearer(viewer_a).get(f"{VALUES}{draft.pk}/").status_code == 404
    assert ids(bearer(manager_b).get(VALUES)) == {done.pk}  # a restricted indicator: every civil servant
    caller = bearer(coordinator_a)
    assert ids(caller.get(VALUES, {"period_from": "2023-01-01"})) == {draft.pk}
    assert ids(caller.get(VALUES, {"period_to": "2022-12-31", "status": "approved"})) == {done.pk}


def test_a_system_reads_another_ministrys_values_only_under_an_agreement(values, indicator, ministry_a, ministry_b):
    done, _draft = values
    system = make_system(ministry_b, ["measurements:read", "indicators:read"])
    assert system_bearer(system).get(VALUES, {"organization": ministry_a.pk}).status_code == 403
    assert ids(system_bearer(system).get(VALUES)) == set()
    agree(system, ministry_a, "measurements")
    assert ids(system_bearer(system).get(VALUES, {"organization": ministry_a.pk})) == {done.pk}
    assert ids(system_bearer(system).get("/api/v1/indicators/")) == set()  # the agreement names values only
    unscoped = make_system(ministry_a, ["projects:read"])
    assert system_bearer(unscoped).get(VALUES).status_code == 403


def _value(**extra):
    data = {"period": "2024-01-01", "value": "30", "comment": "من التقرير السنوي"}
    data.update(extra)
    return data


def test_values_are_recorded_by_those_who_may(indicator, values, coordinator_a, viewer_a, coordinator_b, ministry_a):
    url = f"/api/v1/indicators/{indicator.pk}/measurements/"
    before = Measurement.objects.count()
    assert bearer(viewer_a).post(url, _value(), content_type=JSON).status_code == 403
    assert bearer(coordinator_b).post(url, _value(), content_type=JSON).status_code == 403
    assert Measurement.objects.count() == before
    answer = bearer(coordinator_a).post(url, _value(submit=True), content_type=JSON)
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == MeasurementStatus.SUBMITTED
    system = make_system(ministry_a, ["measurements:write"])
    answer = system_bearer(system).post(url, _value(period="2025-01-01", value="33"), content_type=JSON)
    assert answer.status_code == 201, answer.content
    assert Measurement.objects.get(pk=answer.json()["id"]).entered_by == system.account


def test_a_value_of_another_ministrys_indicator_is_refused(indicator_b, ministry_a, coordinator_a):
    system = make_system(ministry_a, ["measurements:write"])
    url = f"/api/v1/indicators/{indicator_b.pk}/measurements/"
    assert system_bearer(system).post(url, _value(), content_type=JSON).status_code in (403, 404)
    assert bearer(coordinator_a).post(url, _value(), content_type=JSON).status_code == 403
    assert not Measurement.objects.filter(indicator=indicator_b).exists()


def test_a_broken_rule_is_named_and_nothing_saved(indicator, coordinator_a):
    url = f"/api/v1/indicators/{indicator.pk}/measurements/"
    answer = bearer(coordinator_a).post(url, _value(value="-3"), content_type=JSON)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["pointer"] == "body.value"
    assert bearer(coordinator_a).post(url, _value(colour="red"), content_type=JSON).status_code == 422
    assert not Measurement.objects.exists()


def test_a_value_changes_only_at_the_version_read(values, coordinator_a, viewer_a):
    _done, draft = values
    url = f"{VALUES}{draft.pk}/"
    caller = bearer(coordinator_a)
    assert caller.patch(url, {"value": "25"}, content_type=JSON).status_code == 428
    stale = {"HTTP_IF_MATCH": f'"{draft.version + 1}"'}
    assert caller.patch(url, {"value": "25"}, content_type=JSON, **stale).status_code == 412
    assert bearer(viewer_a).patch(url, {"value": "25"}, content_type=JSON, **if_match(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.value == Decimal(24)
    answer = caller.patch(url, {"value": "25"}, content_type=JSON, **if_match(draft))
    assert answer.status_code == 200, answer.content
    draft.refresh_from_db()
    assert draft.value == Decimal(25) and draft.comment == ""


def test_a_value_list_costs_the_same_queries_at_any_page_size(indicator, coordinator_a, django_assert_max_num_queries):
    from masar.indicators.services import measurement_record

    for y in range(2010, 2016):
        measurement_record(actor=coordinator_a, indicator=indicator, entry=entry(year(y), 20 + y % 3))
    caller = bearer(coordinator_a)
    before = ExchangeLogEntry.objects.count()
    for limit in (2, 6):
        with django_assert_max_num_queries(14):
            assert len(ids(caller.get(VALUES, {"limit": limit}))) == limit
        with django_assert_max_num_queries(14):
            assert len(ids(caller.get("/api/v1/indicators/", {"limit": limit}))) == 1
    assert ExchangeLogEntry.objects.count() == before + 4
