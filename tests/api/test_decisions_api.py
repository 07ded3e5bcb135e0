"""Meetings, decisions and action-taken reports through the API: who reads, who reports."""

import datetime

import pytest

from masar.core.models import Classification
from masar.decisions.models import ActionUpdate
from masar.exchange.models import ExchangeLogEntry
from tests.api.factories import agree, bearer, ids, make_system, system_bearer
from tests.decisions.factories import make_decision, make_meeting

JSON = "application/json"


@pytest.fixture
def meeting(gov):
    return make_meeting(owner=gov, name_ar="مجلس وزاري", classification=Classification.PUBLIC)


@pytest.fixture
def decision(meeting, ministry_a):
    return make_decision(meeting=meeting, responsible=ministry_a, classification=Classification.CONFIDENTIAL)


@pytest.fixture
def unpublished(gov, ministry_a):
    draft_meeting = make_meeting(owner=gov, name_ar="مجلس قادم", decisions_published=False)
    return make_decision(meeting=draft_meeting, responsible=ministry_a)


def test_decisions_are_read_as_on_the_pages(decision, unpublished, coordinator_a, viewer_a, coordinator_b):
    assert ids(bearer(coordinator_a).get("/api/v1/decisions/")) == {decision.pk, unpublished.pk}
    assert ids(bearer(viewer_a).get("/api/v1/decisions/")) == {decision.pk}  # the list is not yet published
    assert ids(bearer(coordinator_b).get("/api/v1/decisions/")) == set()
    assert bearer(coordinator_b).get(f"/api/v1/decisions/{decision.pk}/").status_code == 404
    answer = bearer(viewer_a).get(f"/api/v1/decisions/{decision.pk}/")
    assert answer.status_code == 200
    assert answer.json()["status"] == "not_started" and answer.json()["responsible"]["code"] == "MIN-A"


def test_decisions_filter_by_meeting_status_and_due_dates(decision, meeting, coordinator_a):
    decision.due_date = datetime.date(2030, 6, 30)
    decision.save()
    caller = bearer(coordinator_a)
    assert ids(caller.get("/api/v1/decisions/", {"meeting": meeting.pk})) == {decision.pk}
    assert ids(caller.get("/api/v1/decisions/", {"due_after": "2030-01-01"})) == {decision.pk}
    assert ids(caller.get("/api/v1/decisions/", {"due_before": "2029-12-31"})) == set()
    assert ids(caller.get("/api/v1/decisions/", {"status": "not_started", "meeting": meeting.pk})) == {decision.pk}
    assert ids(caller.get("/api/v1/decisions/", {"status": "done"})) == set()


def test_meetings_come_with_their_agenda(meeting, decision, viewer_a, coordinator_b, ministry_a):
    from masar.core.services import model_create
    from masar.decisions.models import AgendaItem

    model_create(model=AgendaItem, actor=None, data=dict(meeting=meeting, order=1, title_ar="متابعة القرارات"))
    answer = bearer(viewer_a).get(f"/api/v1/meetings/{meeting.pk}/")
    assert answer.status_code == 200
    assert [item["title"]["ar"] for item in answer.json()["agenda"]] == ["متابعة القرارات"]
    assert meeting.pk in ids(bearer(coordinator_b).get("/api/v1/meetings/"))  # public
    system = make_system(ministry_a, ["decisions:read"])
    assert system_bearer(system).get("/api/v1/meetings/").status_code == 403


def test_a_system_reads_another_ministrys_decisions_only_under_an_agreement(
    decision, unpublished, ministry_a, ministry_b
):
    system = make_system(ministry_b, ["decisions:read"])
    assert system_bearer(system).get("/api/v1/decisions/", {"organization": ministry_a.pk}).status_code == 403
    assert ids(system_bearer(system).get("/api/v1/decisions/")) == set()
    agree(system, ministry_a, "decisions")
    assert ids(system_bearer(system).get("/api/v1/decisions/", {"organization": ministry_a.pk})) == {decision.pk}


def test_action_taken_is_reported_by_the_responsible_line(decision, coordinator_a, viewer_a, coordinator_b, ministry_a):
    url = f"/api/v1/decisions/{decision.pk}/action-updates/"
    answer = bearer(coordinator_a).post(url, {"text": "صدر المنشور", "reported_on": "2025-05-02"}, content_type=JSON)
    assert answer.status_code == 201, answer.content
    assert ActionUpdate.objects.get(pk=answer.json()["id"]).author == coordinator_a
    assert bearer(viewer_a).post(url, {"text": "x"}, content_type=JSON).status_code == 403
    assert bearer(coordinator_b).post(url, {"text": "x"}, content_type=JSON).status_code == 404
    system = make_system(ministry_a, ["action_updates:write"])
    answer = system_bearer(system).post(url, {"text": "نشر في الرائد الرسمي"}, content_type=JSON)
    assert answer.status_code == 201, answer.content
    reader_only = make_system(ministry_a, ["decisions:read"])
    assert system_bearer(reader_only).post(url, {"text": "x"}, content_type=JSON).status_code == 403
    assert bearer(coordinator_a).post(url, {"text": "x", "done": True}, content_type=JSON).status_code == 422
    assert ActionUpdate.objects.count() == 2
    detail = bearer(viewer_a).get(f"/api/v1/decisions/{decision.pk}/").json()
    assert len(detail["action_updates"]) == 2 and detail["status"] == "in_progress"


def test_a_system_does_not_report_on_an_unpublished_decision(unpublished, ministry_a):
    system = make_system(ministry_a, ["action_updates:write"])
    url = f"/api/v1/decisions/{unpublished.pk}/action-updates/"
    assert system_bearer(system).post(url, {"text": "x"}, content_type=JSON).status_code == 404
    assert not ActionUpdate.objects.exists()


def test_a_decision_list_costs_the_same_queries_at_any_page_size(
    meeting, ministry_a, coordinator_a, django_assert_max_num_queries
):
    for order in range(1, 7):
        make_decision(meeting=meeting, responsible=ministry_a, order=order + 10)
    caller = bearer(coordinator_a)
    before = ExchangeLogEntry.objects.count()
    for limit in (2, 6):
        with django_assert_max_num_queries(14):
            assert len(ids(caller.get("/api/v1/decisions/", {"limit": limit}))) == limit
        with django_assert_max_num_queries(14):
            assert len(ids(caller.get("/api/v1/meetings/", {"limit": limit}))) == 1
    assert ExchangeLogEntry.objects.count() == before + 4
