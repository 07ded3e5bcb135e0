"""Closing a council decision: a request with evidence the national unit accepts or returns with a reason."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from masar.accounts.models import Role
from masar.core.errors import Conflict, Invalid, NotPermitted
from masar.decisions.models import ClosureStatus, DecisionClosure, DecisionStatus
from masar.decisions.rows import decision_row
from masar.decisions.selectors import DecisionFilters, decision_list
from masar.decisions.services import (
    ClosureConflict,
    decision_closure_accept,
    decision_closure_request,
    decision_closure_return,
)
from masar.delivery.models import Notification
from tests.accounts.factories import make_user
from tests.decisions.factories import make_decision, make_meeting


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def decision(gov, ministry_a):
    meeting = make_meeting(name_ar="مجلس وزاري", owner=gov)
    return make_decision(
        meeting=meeting,
        text_ar="رقمنة السجل التجاري",
        responsible=ministry_a,
        due_date=timezone.localdate() - datetime.timedelta(days=5),
    )


def status_of(decision, reader):
    return decision_list(reader, DecisionFilters(meeting=decision.meeting)).get(pk=decision.pk).status


def overdue_figure(client):
    html = client.get("/en/dashboards/").content.decode()
    figure = html.split('id="overdue-decisions"')[1]
    return int(re.search(r'(?:data-figure="|<span class="figure-value">)(\d+)', figure).group(1))


def request_closure(client, decision, evidence="نُشر الأمر في الرائد الرسمي"):
    return client.post(f"/en/meetings/decisions/{decision.pk}/closure/", {"evidence": evidence})


def test_a_coordinators_closure_request_leaves_the_decision_awaiting_validation_not_done(
    decision, client_for, coordinator_a, national
):
    national_client = client_for(national)
    assert status_of(decision, national) == DecisionStatus.OVERDUE
    assert overdue_figure(national_client) == 1

    assert request_closure(client_for(coordinator_a), decision).status_code == 302

    closure = DecisionClosure.objects.get(decision=decision)
    assert closure.status == ClosureStatus.REQUESTED and closure.requested_by == coordinator_a
    assert status_of(decision, national) == DecisionStatus.AWAITING_VALIDATION
    listed = national_client.get("/en/meetings/decisions/?status=done").content.decode()
    assert 'data-count="0"' in listed
    waiting = national_client.get("/en/meetings/decisions/?status=awaiting_validation").content.decode()
    assert 'data-count="1"' in waiting and "awaiting validation" in waiting
    rows = [decision_row(d) for d in decision_list(national).select_related("meeting", "responsible")]
    assert [row.status_key for row in rows] == [DecisionStatus.AWAITING_VALIDATION]
    export = national_client.get("/en/exports/decisions.csv")
    assert export.status_code == 200
    assert "Reported done, awaiting validation" in b"".join(export.streaming_content).decode("utf-8-sig")
    # Past due and not validated: the dashboard still counts it, and its link lists it.
    assert overdue_figure(national_client) == 1
    assert 'data-count="1"' in national_client.get("/en/meetings/decisions/?past_due=1").content.decode()
    # The national unit is told.
    told = Notification.objects.get(user=national, kind=Notification.Kind.CLOSURE_REQUESTED)
    assert f"#decision-{decision.pk}" in told.url


def test_the_meeting_page_offers_the_request_to_the_coordinator_and_the_review_to_the_national_unit(
    decision, client_for, coordinator_a, national, viewer_a
):
    page = client_for(coordinator_a).get(f"/en/meetings/{decision.meeting_id}/").content.decode()
    assert "Report the decision done" in page and 'name="evidence"' in page
    assert 'name="completes"' not in page
    assert (
        "Report the decision done"
        not in client_for(viewer_a).get(f"/en/meetings/{decision.meeting_id}/").content.decode()
    )
    decision_closure_request(decision=decision, actor=coordinator_a, evidence="دليل")
    page = client_for(coordinator_a).get(f"/en/meetings/{decision.meeting_id}/").content.decode()
    assert "Report the decision done" not in page and "Accept: the decision is done" not in page
    page = client_for(national).get(f"/en/meetings/{decision.meeting_id}/").content.decode()
    assert "Accept: the decision is done" in page and "Return with a reason" in page


@pytest.mark.parametrize("who", ["coordinator_a", "coordinator_b", "viewer_a"])
def test_only_the_national_unit_accepts_or_returns_a_closure(decision, client_for, coordinator_a, request, who):
    closure = decision_closure_request(decision=decision, actor=coordinator_a, evidence="دليل")
    client = client_for(request.getfixturevalue(who))
    before = list(DecisionClosure.objects.values_list("pk", "status", "version"))
    accept = client.post(f"/en/meetings/decisions/closures/{closure.pk}/accept/")
    refuse = client.post(f"/en/meetings/decisions/closures/{closure.pk}/return/", {"reason": "ناقص"})
    assert accept.status_code in (403, 404) and refuse.status_code in (403, 404)
    assert client.get("/en/meetings/decisions/closures/").status_code == 403
    assert list(DecisionClosure.objects.values_list("pk", "status", "version")) == before
    with pytest.raises(NotPermitted):
        decision_closure_accept(closure=closure, actor=request.getfixturevalue(who))
    assert DecisionClosure.objects.get().status == ClosureStatus.REQUESTED


def test_another_ministrys_coordinator_may_not_report_the_decision_done(decision, client_for, coordinator_b, viewer_a):
    assert request_closure(client_for(coordinator_b), decision).status_code == 403
    assert request_closure(client_for(viewer_a), decision).status_code == 403
    assert not DecisionClosure.objects.exists()


def test_the_national_unit_accepts_and_the_decision_is_done(decision, client_for, coordinator_a, national):
    closure = decision_closure_request(decision=decision, actor=coordinator_a, evidence="دليل")
    client = client_for(national)
    listed = client.get("/en/meetings/decisions/closures/").content.decode()
    assert 'data-count="1"' in listed and "دليل" in listed
    response = client.post(
        f"/en/meetings/decisions/closures/{closure.pk}/accept/", {"next": "/en/meetings/decisions/closures/"}
    )
    assert response.status_code == 302 and response.url == "/en/meetings/decisions/closures/"
    closure.refresh_from_db()
    assert (closure.status, closure.reviewed_by) == (ClosureStatus.ACCEPTED, national)
    assert status_of(decision, national) == DecisionStatus.DONE
    assert overdue_figure(client) == 0
    assert 'data-count="0"' in client.get("/en/meetings/decisions/closures/").content.decode()
    assert Notification.objects.filter(user=coordinator_a, kind=Notification.Kind.CLOSURE_ACCEPTED).exists()
    with pytest.raises(Conflict):
        decision_closure_request(decision=decision, actor=coordinator_a, evidence="مرة أخرى")


def test_a_return_needs_a_reason(decision, client_for, coordinator_a, national):
    closure = decision_closure_request(decision=decision, actor=coordinator_a, evidence="دليل")
    with pytest.raises(Invalid):
        decision_closure_return(closure=closure, actor=national, reason="  ")
    client_for(national).post(f"/en/meetings/decisions/closures/{closure.pk}/return/", {"reason": ""})
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.REQUESTED and closure.version == 1
    assert not Notification.objects.filter(kind=Notification.Kind.CLOSURE_RETURNED).exists()


def test_a_returned_closure_puts_the_decision_back_and_its_requester_reads_why(
    decision, client_for, coordinator_a, national
):
    closure = decision_closure_request(decision=decision, actor=coordinator_a, evidence="دليل")
    client_for(national).post(f"/en/meetings/decisions/closures/{closure.pk}/return/", {"reason": "الأمر لم ينشر بعد"})
    closure.refresh_from_db()
    assert (closure.status, closure.return_reason) == (ClosureStatus.RETURNED, "الأمر لم ينشر بعد")
    assert status_of(decision, national) == DecisionStatus.OVERDUE
    told = Notification.objects.get(user=coordinator_a, kind=Notification.Kind.CLOSURE_RETURNED)
    assert told.params["reason"] == "الأمر لم ينشر بعد"
    page = client_for(coordinator_a).get(f"/en/meetings/{decision.meeting_id}/").content.decode()
    assert "الأمر لم ينشر بعد" in page and "Report the decision done" in page
    # It may be reported done again, with better evidence.
    decision_closure_request(decision=decision, actor=coordinator_a, evidence="نُشر الأمر")
    assert status_of(decision, national) == DecisionStatus.AWAITING_VALIDATION


def test_a_returned_closure_of_a_decision_not_yet_due_leaves_it_in_progress(gov, ministry_a, coordinator_a, national):
    meeting = make_meeting(name_ar="مجلس", owner=gov)
    decision = make_decision(
        meeting=meeting, responsible=ministry_a, due_date=timezone.localdate() + datetime.timedelta(days=30)
    )
    closure = decision_closure_request(decision=decision, actor=coordinator_a, evidence="دليل")
    decision_closure_return(closure=closure, actor=national, reason="ناقص")
    assert status_of(decision, national) == DecisionStatus.IN_PROGRESS


def test_a_second_pending_request_is_refused(decision, client_for, coordinator_a, national):
    decision_closure_request(decision=decision, actor=coordinator_a, evidence="دليل")
    with pytest.raises(Conflict):
        decision_closure_request(decision=decision, actor=national, evidence="دليل آخر")
    request_closure(client_for(coordinator_a), decision, evidence="دليل ثالث")
    assert DecisionClosure.objects.filter(decision=decision).count() == 1


def test_a_closure_request_needs_evidence(decision, client_for, coordinator_a):
    with pytest.raises(Invalid):
        decision_closure_request(decision=decision, actor=coordinator_a, evidence=" ")
    assert request_closure(client_for(coordinator_a), decision, evidence="").status_code == 302
    assert not DecisionClosure.objects.exists()


def test_two_national_users_deciding_at_once_one_wins_and_the_other_is_told(
    decision, client_for, coordinator_a, national, gov
):
    other = make_user("national_2", Role.NATIONAL_ADMIN, gov)
    decision_closure_request(decision=decision, actor=coordinator_a, evidence="دليل")
    seen_by_first = DecisionClosure.objects.get()
    seen_by_second = DecisionClosure.objects.get()
    decision_closure_accept(closure=seen_by_first, actor=national)
    with pytest.raises(ClosureConflict):
        decision_closure_return(closure=seen_by_second, actor=other, reason="ناقص")
    closure = DecisionClosure.objects.get()
    assert (closure.status, closure.reviewed_by, closure.return_reason) == (ClosureStatus.ACCEPTED, national, "")
    # Through the pages: the second is told, nothing changes.
    client = client_for(other)
    response = client.post(f"/en/meetings/decisions/closures/{closure.pk}/return/", {"reason": "ناقص"}, follow=True)
    assert "already been decided" in response.content.decode()
    assert DecisionClosure.objects.get().status == ClosureStatus.ACCEPTED
