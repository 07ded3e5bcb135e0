"""The pages of webhooks: for the managers of the client only; secrets shown once; the delivery log."""

import json
import re

import pytest

from masar.audit.models import AuditEntry
from masar.core.models import Classification
from masar.portfolio.services import project_update
from masar.webhooks.models import DeliveryStatus, EventType, SubscriptionState, WebhookSubscription
from tests.portfolio.factories import make_project
from tests.webhooks.factories import make_client, subscribe

SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")


def test_a_coordinator_subscribes_a_client_of_the_ministry_and_sees_the_secret_once(
    ministry_a, client_for, coordinator_a, receiver
):
    client = make_client(ministry_a)
    browser = client_for(coordinator_a)
    form = browser.get("/en/webhooks/new/")
    assert form.status_code == 200 and "System of MIN-A" in form.content.decode()
    response = browser.post(
        "/en/webhooks/new/",
        {"client": client.pk, "target_url": receiver.url, "event_types": ["project.changed", "obstacle.escalated"]},
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    subscription = WebhookSubscription.objects.get()
    [shown] = SECRET.findall(response.content.decode())
    assert shown == subscription.secret
    assert (subscription.client, subscription.created_by, subscription.state) == (
        client,
        coordinator_a,
        SubscriptionState.ACTIVE,
    )
    assert subscription.event_types == ["obstacle.escalated", "project.changed"]
    detail = browser.get(f"/en/webhooks/{subscription.pk}/").content.decode()
    assert receiver.url in detail and "whsec_" not in detail
    assert "whsec_" not in browser.get("/en/webhooks/").content.decode()
    trail = json.dumps([e.changes for e in AuditEntry.objects.for_object(subscription)])
    assert "whsec_" not in trail and "sha256:" in trail  # the trail keeps a fingerprint, never the secret


@pytest.mark.parametrize(
    "address", ["http://example.org/hooks", "ftp://example.org/hooks", "file:///etc/passwd", "javascript:alert(1)"]
)
def test_an_address_other_than_https_is_refused(ministry_a, client_for, coordinator_a, address):
    client = make_client(ministry_a)
    response = client_for(coordinator_a).post(
        "/en/webhooks/new/", {"client": client.pk, "target_url": address, "event_types": ["project.changed"]}
    )
    assert response.status_code == 400
    assert not WebhookSubscription.objects.exists()


def test_plain_http_to_this_machine_is_refused_unless_allowed(ministry_a, client_for, coordinator_a, settings):
    client = make_client(ministry_a)
    data = {"client": client.pk, "target_url": "http://127.0.0.1:9/hooks", "event_types": ["project.changed"]}
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    assert client_for(coordinator_a).post("/en/webhooks/new/", data).status_code == 400
    assert not WebhookSubscription.objects.exists()
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    assert client_for(coordinator_a).post("/en/webhooks/new/", data).status_code == 200
    assert WebhookSubscription.objects.count() == 1


def test_rotating_the_secret_shows_a_new_one_once(ministry_a, client_for, coordinator_a, receiver):
    subscription, old = subscribe(make_client(ministry_a), receiver, EventType.PROJECT_CHANGED)
    response = client_for(coordinator_a).post(f"/en/webhooks/{subscription.pk}/rotate-secret/")
    [shown] = SECRET.findall(response.content.decode())
    subscription.refresh_from_db()
    assert shown == subscription.secret != old
    assert old not in json.dumps([e.changes for e in AuditEntry.objects.for_object(subscription)])


def test_a_coordinator_edits_pauses_and_resumes_a_subscription(ministry_a, client_for, coordinator_a, receiver):
    subscription, _ = subscribe(make_client(ministry_a), receiver, EventType.PROJECT_CHANGED)
    browser = client_for(coordinator_a)
    response = browser.post(
        f"/en/webhooks/{subscription.pk}/edit/",
        {"target_url": "https://receiver.example.org/in", "event_types": ["measurement.approved"], "version": 1},
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.target_url, subscription.event_types) == (
        "https://receiver.example.org/in",
        ["measurement.approved"],
    )
    stale = browser.post(
        f"/en/webhooks/{subscription.pk}/edit/",
        {"target_url": "https://elsewhere.example.org/", "event_types": ["project.changed"], "version": 1},
    )
    assert stale.status_code == 400
    subscription.refresh_from_db()
    assert subscription.target_url == "https://receiver.example.org/in"
    browser.post(f"/en/webhooks/{subscription.pk}/pause/")
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.PAUSED
    browser.post(f"/en/webhooks/{subscription.pk}/resume/")
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.ACTIVE


def test_only_the_managers_of_the_client_see_and_manage_its_subscriptions(
    ministry_a, axis, client_for, coordinator_a, viewer_a, coordinator_b, national, receiver
):
    subscription, secret = subscribe(make_client(ministry_a), receiver, EventType.PROJECT_CHANGED)
    project = make_project("P-SEEN", ministry_a, axis, classification=Classification.RESTRICTED)
    project_update(project=project, actor=None, expected_version=1, name_en="x")  # a withheld delivery
    delivery = subscription.deliveries.get()
    assert delivery.status == DeliveryStatus.PENDING
    type(delivery).objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    pages = [f"/en/webhooks/{subscription.pk}/", f"/en/webhooks/{subscription.pk}/edit/"]
    actions = [
        f"/en/webhooks/{subscription.pk}/pause/",
        f"/en/webhooks/{subscription.pk}/rotate-secret/",
        f"/en/webhooks/deliveries/{delivery.pk}/deliver-again/",
    ]
    for user in (coordinator_a, national):  # positive controls
        browser = client_for(user)
        assert all(browser.get(url).status_code == 200 for url in pages)
        assert receiver.url in browser.get("/en/webhooks/").content.decode()
    for user in (viewer_a, coordinator_b, None):
        browser = client_for(user)
        for url in pages + actions:
            assert browser.get(url).status_code in (404, 405), (user, url)
            assert browser.post(url).status_code == 404, (user, url)
    assert client_for(viewer_a).get("/en/webhooks/").status_code == 403
    assert receiver.url not in client_for(coordinator_b).get("/en/webhooks/").content.decode()
    assert client_for(coordinator_b).get("/en/webhooks/new/").status_code == 403  # no client of its own
    subscription.refresh_from_db()
    delivery.refresh_from_db()
    assert (subscription.state, subscription.secret, subscription.version) == (SubscriptionState.ACTIVE, secret, 1)
    assert delivery.status == DeliveryStatus.FAILED and receiver.requests == []


def test_a_coordinator_of_another_ministry_cannot_subscribe_a_client_not_theirs(
    ministry_a, ministry_b, client_for, coordinator_b, receiver
):
    make_client(ministry_b)
    foreign = make_client(ministry_a)
    response = client_for(coordinator_b).post(
        "/en/webhooks/new/", {"client": foreign.pk, "target_url": receiver.url, "event_types": ["project.changed"]}
    )
    assert response.status_code == 400  # not among the clients offered
    assert not WebhookSubscription.objects.exists()


def test_the_delivery_log_is_newest_first_and_deliver_again_keeps_the_webhook_id(
    ministry_a, axis, client_for, coordinator_a, receiver, django_capture_on_commit_callbacks
):
    client = make_client(ministry_a, scopes=[])
    subscription, _ = subscribe(client, receiver, EventType.PROJECT_CHANGED)
    first = make_project("P-FIRST", ministry_a, axis)
    second = make_project("P-SECOND", ministry_a, axis)
    with django_capture_on_commit_callbacks(execute=True):
        project_update(project=first, actor=None, expected_version=1, name_en="one")
        project_update(project=second, actor=None, expected_version=1, name_en="two")
    page = client_for(coordinator_a).get(f"/en/webhooks/{subscription.pk}/").content.decode()
    assert page.index("P-SECOND") < page.index("P-FIRST")
    assert page.count("Deliver again") == 2 and receiver.requests == []

    type(client).objects.filter(pk=client.pk).update(scopes=["projects:read"])
    delivery = subscription.deliveries.get(record_id=first.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator_a).post(f"/en/webhooks/deliveries/{delivery.pk}/deliver-again/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [r["headers"]["webhook-id"] for r in receiver.requests] == [delivery.event_id]
    page = client_for(coordinator_a).get(f"/en/webhooks/{subscription.pk}/").content.decode()
    assert page.count("Deliver again") == 1
