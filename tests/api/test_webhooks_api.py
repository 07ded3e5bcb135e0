"""A system manages its own webhook subscriptions through the API, and only its own."""

import json

from django.test import Client

from masar.exchange.services import client_register, token_issue
from masar.webhooks.models import WebhookSubscription


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def system(organization, name="منظومة"):
    client = client_register(actor=None, organization=organization, name_ar=name, scopes=[], clearance="public")
    return client, token_issue(user=client.account, client=client, name="t", actor=None).secret


def test_a_system_subscribes_itself_and_manages_only_its_own_subscriptions(
    ministry_a, ministry_b, coordinator_a, settings
):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    client = Client()
    mine, secret = system(ministry_a)
    _theirs, other = system(ministry_b)
    body = {"target_url": "http://127.0.0.1:9/hook", "event_types": ["project.changed"]}
    created = client.post("/api/v1/webhooks/", data=json.dumps(body), content_type="application/json", **bearer(secret))
    assert created.status_code == 201
    answer = created.json()
    assert answer["secret"].startswith("whsec_") and answer["state"] == "active"
    subscription = WebhookSubscription.objects.get(pk=answer["id"])
    assert subscription.client == mine and subscription.secret == answer["secret"]
    listed = client.get("/api/v1/webhooks/", **bearer(secret)).json()
    assert [row["id"] for row in listed["results"]] == [subscription.pk] and "secret" not in listed["results"][0]
    url = f"/api/v1/webhooks/{subscription.pk}/"
    assert client.get(url, **bearer(other)).status_code == 404  # another ministry's system
    assert client.get("/api/v1/webhooks/", **bearer(other)).json()["count"] == 0
    etag = client.get(url, **bearer(secret))["ETag"]
    paused = client.patch(
        url, data=json.dumps({"state": "paused"}), content_type="application/json", HTTP_IF_MATCH=etag, **bearer(secret)
    )
    assert paused.status_code == 200 and paused.json()["state"] == "paused"
    refused = client.patch(
        url, data=json.dumps({"state": "active"}), content_type="application/json", HTTP_IF_MATCH=etag, **bearer(other)
    )
    assert refused.status_code == 404
    subscription.refresh_from_db()
    assert subscription.state == "paused"


def test_a_person_uses_the_pages_for_webhooks(coordinator_a):
    secret = token_issue(user=coordinator_a, name="t", actor=None).secret
    assert Client().get("/api/v1/webhooks/", **bearer(secret)).status_code == 403


def test_an_address_that_is_not_https_is_refused(ministry_a, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    _mine, secret = system(ministry_a)
    body = {"target_url": "http://example.org/hook", "event_types": ["project.changed"]}
    response = Client().post(
        "/api/v1/webhooks/", data=json.dumps(body), content_type="application/json", **bearer(secret)
    )
    assert response.status_code in (400, 422) and not WebhookSubscription.objects.exists()
