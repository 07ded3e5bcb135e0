"""What a client developer relies on in every call: paging, incremental sync, versions, errors,
tokens, throttling and the exchange log."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from masar.accounts.models import Role
from masar.core.models import Classification
from masar.core.policy import Reader
from masar.exchange.models import ApiToken, ExchangeLogEntry
from masar.exchange.services import exchange_log_verify, token_issue, token_revoke
from masar.portfolio.models import Project
from masar.portfolio.selectors import project_list
from tests.accounts.factories import make_user
from tests.portfolio.factories import make_project


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def national(gov):
    return make_user("api_national", Role.NATIONAL_ADMIN, gov)


@pytest.fixture
def portfolio(ministry_a, ministry_b, axis):
    projects = [make_project(f"PR-{n:03d}", ministry_a, axis) for n in range(1, 31)]
    projects.append(make_project("PR-CONF-B", ministry_b, axis, classification=Classification.CONFIDENTIAL))
    return projects


def token_for(user, **kwargs):
    return token_issue(user=user, name="tests", actor=None, **kwargs).secret


def walk(client, url, secret):
    """Return every result of a list, following `next`, and the number of pages."""
    results, pages = [], 0
    while url:
        response = client.get(url, **bearer(secret))
        assert response.status_code == 200, response.content
        body = response.json()
        results.extend(body["results"])
        url, pages = body["next"], pages + 1
    return results, pages


def test_a_list_is_read_page_by_page_in_the_envelope_and_a_new_record_shifts_no_page(
    portfolio, national, ministry_a, axis
):
    client, secret = Client(), token_for(national)
    first = client.get("/api/v1/projects/?limit=12", **bearer(secret)).json()
    assert set(first) == {"count", "next", "results"}
    assert first["count"] == 31 and len(first["results"]) == 12
    make_project("PR-000", ministry_a, axis)  # inserted while the client pages: lands after the cursor
    rest, pages = walk(client, first["next"], secret)
    ids = [row["id"] for row in first["results"] + rest]
    assert len(ids) == len(set(ids)) == 32 and pages == 2
    assert ids == sorted(ids)


def test_a_person_sees_through_the_api_exactly_what_they_see_on_the_pages(portfolio, coordinator_b, viewer_a):
    client = Client()
    for person in (coordinator_b, viewer_a):
        results, _pages = walk(client, "/api/v1/projects/?limit=7", token_for(person))
        assert {row["id"] for row in results} == set(project_list(Reader.of(person)).values_list("pk", flat=True))
    assert "PR-CONF-B" in {row["code"] for row in walk(client, "/api/v1/projects/", token_for(coordinator_b))[0]}
    assert "PR-CONF-B" not in {row["code"] for row in walk(client, "/api/v1/projects/", token_for(viewer_a))[0]}


def test_updated_since_gives_only_the_records_changed_since(portfolio, national):
    client, secret = Client(), token_for(national)
    moment = timezone.now()
    changed = portfolio[4]
    etag = client.get(f"/api/v1/projects/{changed.pk}/", **bearer(secret))["ETag"]
    response = client.patch(
        f"/api/v1/projects/{changed.pk}/",
        data=json.dumps({"name_fr": "Projet renommé"}),
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **bearer(secret),
    )
    assert response.status_code == 200 and response.json()["name"]["fr"] == "Projet renommé"
    since = moment.isoformat().replace("+00:00", "Z")
    results, _pages = walk(client, f"/api/v1/projects/?updated_since={since}", secret)
    assert [row["id"] for row in results] == [changed.pk]


def test_a_read_is_not_sent_again_when_unchanged_and_a_change_needs_the_version_read(portfolio, national):
    client, secret = Client(), token_for(national)
    project = portfolio[0]
    url = f"/api/v1/projects/{project.pk}/"
    first = client.get(url, **bearer(secret))
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer(secret)).status_code == 304

    def patch(body, **headers):
        return client.patch(url, data=json.dumps(body), content_type="application/json", **headers, **bearer(secret))

    assert patch({"name_fr": "Sans version"}).status_code == 428
    assert patch({"name_fr": "Première"}, HTTP_IF_MATCH=etag).status_code == 200
    stale = patch({"name_fr": "Seconde"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert Project.objects.get(pk=project.pk).name_fr == "Première"  # nothing saved
    fresh = client.get(url, **bearer(secret))
    assert fresh["ETag"] != etag and client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer(secret)).status_code == 200


def test_bad_input_gets_a_problem_in_the_callers_language_and_changes_nothing(portfolio, national):
    client, secret = Client(), token_for(national)
    project = portfolio[0]
    etag = client.get(f"/api/v1/projects/{project.pk}/", **bearer(secret))["ETag"]
    url = f"/api/v1/projects/{project.pk}/"
    cases = [
        json.dumps({"name_fr": "X", "unknown_field": 1}),  # unknown fields are refused, not ignored
        json.dumps({"planned_budget": "a lot"}),  # wrong type
        json.dumps({"planned_end": "2020-01-01"}),  # breaks a rule of the record (end before start)
        '{"name_fr": ',  # malformed JSON
    ]
    titles = {}
    for body in cases:
        for language in ("ar", "fr"):
            response = client.patch(
                url,
                data=body,
                content_type="application/json",
                HTTP_IF_MATCH=etag,
                HTTP_ACCEPT_LANGUAGE=language,
                **bearer(secret),
            )
            assert 400 <= response.status_code < 500, body
            assert response["Content-Type"] == "application/problem+json"
            problem = response.json()
            assert {"type", "title", "status", "detail"} <= set(problem) and problem["status"] == response.status_code
            titles.setdefault(body, {})[language] = problem["title"]
    assert all(t["ar"] != t["fr"] for t in titles.values())  # translated
    assert Project.objects.get(pk=project.pk).version == project.version  # nothing saved
    unknown = client.patch(url, data=cases[0], content_type="application/json", HTTP_IF_MATCH=etag, **bearer(secret))
    assert unknown.json()["errors"][0]["pointer"] == "body.unknown_field"


def test_an_oversized_body_is_refused_before_it_is_read(portfolio, national, settings):
    settings.API_MAX_BODY_BYTES = 1000
    client, secret = Client(), token_for(national)
    body = json.dumps({"name_fr": "x" * 2000})
    response = client.post("/api/v1/projects/", data=body, content_type="application/json", **bearer(secret))
    assert response.status_code == 413 and response["Content-Type"] == "application/problem+json"
    assert ExchangeLogEntry.objects.filter(status=413, method="POST").count() == 1


def test_expired_and_revoked_tokens_call_nothing_and_their_attempts_are_logged(portfolio, national):
    client = Client()
    expired = token_issue(user=national, name="old", actor=None, expires_at=timezone.now() - datetime.timedelta(1))
    revoked = token_issue(user=national, name="leaked", actor=None)
    token_revoke(token=revoked.token, actor=None)
    for issued in (expired, revoked):
        response = client.get("/api/v1/projects/", **bearer(issued.secret))
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
        assert "PR-001" not in response.content.decode()
        assert ExchangeLogEntry.objects.filter(token=issued.token, status=401).count() == 1
    assert client.get("/api/v1/projects/", **bearer("msr_not-a-token")).status_code == 401


def test_tokens_are_stored_hashed(national):
    issued = token_issue(user=national, name="stored", actor=None)
    row = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    assert issued.secret not in json.dumps(row, default=str)
    assert issued.secret[12:] not in json.dumps(row, default=str)


def test_a_caller_past_its_rate_is_told_when_to_come_back(portfolio, ministry_a):
    from masar.exchange.services import client_register

    system = client_register(
        actor=None, organization=ministry_a, name_ar="منظومة", scopes=["projects:read"], clearance="public"
    )
    system.rate_per_minute = 3
    system.save()
    cache.clear()  # the window counts calls by client id, which another test's rolled-back client may have had
    secret = token_for(system.account, client=system)
    client = Client()
    statuses = [client.get("/api/v1/projects/?limit=1", **bearer(secret)).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    response = client.get("/api/v1/projects/?limit=1", **bearer(secret))
    assert 1 <= int(response["Retry-After"]) <= 60


def test_every_call_is_in_the_exchange_log_and_a_tampered_entry_is_named(portfolio, national):
    client, secret = Client(), token_for(national)
    client.get("/api/v1/projects/?limit=5", **bearer(secret))
    client.get(f"/api/v1/projects/{portfolio[0].pk}/", **bearer(secret))
    client.get("/api/v1/projects/999999/", **bearer(secret))
    entries = list(ExchangeLogEntry.objects.order_by("id"))
    assert [(e.method, e.status, e.records) for e in entries] == [("GET", 200, 5), ("GET", 200, 1), ("GET", 404, 0)]
    assert all(e.user == national and e.token.name == "tests" for e in entries)
    assert exchange_log_verify() == (3, None)
    ExchangeLogEntry.objects.filter(pk=entries[1].pk).update(records=500)
    checked, bad = exchange_log_verify()
    assert checked == 1 and bad.pk == entries[1].pk


def test_a_list_costs_the_same_queries_whatever_its_page_size(portfolio, national, django_assert_max_num_queries):
    client, secret = Client(), token_for(national)
    client.get("/api/v1/projects/?limit=1", **bearer(secret))  # warms the token's last use
    counts = []
    for limit in (2, 30):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/projects/?limit={limit}", **bearer(secret)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 15


@pytest.mark.parametrize(
    "moment",
    ["0054-09-02T20:36:18.5337-23:41", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2026-01-01T00:00:00"],
)
def test_any_valid_moment_is_a_valid_updated_since(portfolio, national, moment):
    """ISO 8601 allows offsets and edges the database refuses: they are read in UTC, never a server error."""
    from urllib.parse import quote

    response = Client().get(f"/api/v1/projects/?updated_since={quote(moment)}", **bearer(token_for(national)))
    assert response.status_code == 200
    assert response.json()["count"] in (0, 31)


def test_text_no_record_can_keep_is_refused_with_a_problem(portfolio, national):
    """NUL characters and lone surrogates: PostgreSQL refuses them, so the API says so first (found by schemathesis)."""
    client, secret = Client(), token_for(national)
    assert client.get("/api/v1/projects/?q=a%00b", **bearer(secret)).status_code == 422
    for body in ('{"name_fr": "a\\u0000b"}', '{"name_fr": "a\\ud800b"}'):
        project = portfolio[0]
        etag = client.get(f"/api/v1/projects/{project.pk}/", **bearer(secret))["ETag"]
        response = client.patch(
            f"/api/v1/projects/{project.pk}/",
            data=body,
            content_type="application/json",
            HTTP_IF_MATCH=etag,
            **bearer(secret),
        )
        assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    records = {"kind": "projects", "dry_run": True, "records": [{"source_system": "x\u0000", "bad\u0000": 1}]}
    response = client.post(
        "/api/v1/imports/records/", data=json.dumps(records), content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 422
    assert Project.objects.get(pk=portfolio[0].pk).name_fr == ""
