"""The services catalogue through the API: who reads which service, its representation, and monthly usage read
and reported by the people who change a service or by its back office's system."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from masar.audit.models import AuditEntry
from masar.catalogue.models import ServiceUsage
from masar.catalogue.representation import service_view, with_representation
from masar.catalogue.selectors import service_list
from masar.core.models import Classification
from masar.core.policy import Reader
from masar.exchange.models import ExchangeLogEntry
from tests.api.factories import bearer, make_system, system_bearer
from tests.catalogue.factories import (
    make_category,
    make_document,
    make_life_event,
    make_project_link,
    make_rating,
    make_service,
    make_usage,
)
from tests.portfolio.factories import make_project

JSON = "application/json"
SERVICES = "/api/v1/services/"


def codes(answer):
    """Return the codes of a list answer's results (asserting it answered 200)."""
    assert answer.status_code == 200, answer.content
    return {row["code"] for row in answer.json()["results"]}


def usage_url(code):
    return f"{SERVICES}{code}/usage/"


def usage_rows():
    return sorted(ServiceUsage.objects.values_list("service__code", "month", "channel", "transactions"))


@pytest.fixture
def birth(db):
    return make_life_event("birth", name_fr="Naissance")


@pytest.fixture
def civil(db):
    return make_category("civil", name_fr="État civil")


@pytest.fixture
def public_a(ministry_a, ministry_b, birth, civil):
    service = make_service(
        ministry_a,
        code="A-1",
        name_ar="مضمون ولادة",
        name_fr="Extrait de naissance",
        life_event=birth,
        category=civil,
        channels=["counter", "web"],
        audiences=["citizens"],
        level=3,
        fee=Decimal("2.5"),
        fee_currency="TND",
        processing_days=1,
    )
    make_document(service, "بطاقة التعريف", held_by=ministry_b, name_fr="Carte d'identité")
    make_document(service, "مطلب")
    return service


@pytest.fixture
def restricted_a(ministry_a):
    return make_service(ministry_a, code="A-R", classification=Classification.RESTRICTED, level=1)


@pytest.fixture
def confidential_a(ministry_a):
    return make_service(ministry_a, code="A-C", classification=Classification.CONFIDENTIAL, level=0)


@pytest.fixture
def public_b(ministry_b):
    return make_service(ministry_b, code="B-1", level=4, channels=["mobile"], audiences=["businesses"])


@pytest.fixture
def confidential_b(ministry_b):
    return make_service(ministry_b, code="B-C", classification=Classification.CONFIDENTIAL)


@pytest.fixture
def catalogue(public_a, restricted_a, confidential_a, public_b, confidential_b):
    return {s.code: s for s in (public_a, restricted_a, confidential_a, public_b, confidential_b)}


# Reading services ---------------------------------------------------------------------------------------


def test_people_read_the_services_the_policy_lets_them(catalogue, coordinator_a, viewer_a, coordinator_b):
    assert codes(bearer(coordinator_a).get(SERVICES)) == {"A-1", "A-R", "A-C", "B-1"}
    assert codes(bearer(viewer_a).get(SERVICES)) == {"A-1", "A-R", "A-C", "B-1"}  # reads its ministry's line
    assert codes(bearer(coordinator_b).get(SERVICES)) == {"A-1", "A-R", "B-1", "B-C"}
    assert bearer(coordinator_b).get(f"{SERVICES}A-C/").status_code == 404
    assert bearer(coordinator_b).get(f"{SERVICES}A-R/").status_code == 200
    assert bearer(coordinator_b).get(f"{SERVICES}NONE/").status_code == 404


def test_a_system_reads_only_its_own_organizations_services_within_its_clearance(catalogue, ministry_a, ministry_b):
    own = system_bearer(make_system(ministry_a, ["services:read"]))
    assert codes(own.get(SERVICES)) == {"A-1", "A-R", "A-C"}
    assert codes(own.get(SERVICES, {"q": "مضمون ولادة"})) == {"A-1"}
    capped = system_bearer(make_system(ministry_a, ["services:read"], clearance=Classification.PUBLIC))
    assert codes(capped.get(SERVICES)) == {"A-1"}
    assert capped.get(f"{SERVICES}A-R/").status_code == 404
    other = system_bearer(make_system(ministry_b, ["services:read"]))
    assert codes(other.get(SERVICES)) == {"B-1", "B-C"}
    assert other.get(SERVICES, {"organization": ministry_a.pk}).status_code == 403
    assert other.get(f"{SERVICES}A-1/").status_code == 404
    unscoped = system_bearer(make_system(ministry_a, ["projects:read"]))
    assert unscoped.get(SERVICES).status_code == 403


def test_an_anonymous_caller_is_asked_for_a_token_and_the_public_reads_only_public_services(catalogue):
    for path in (SERVICES, f"{SERVICES}A-1/", f"{SERVICES}A-R/", usage_url("A-1")):
        answer = Client().get(path)
        assert answer.status_code == 401
        assert "results" not in answer.json() and "خدمة" not in answer.content.decode()
    # The portal reads the same selector and representation as the public.
    public = Reader.public()
    seen = {service_view(s, public).code for s in with_representation(service_list(public))}
    assert seen == {"A-1", "B-1"}


def test_a_service_is_read_with_its_documents_projects_and_rating(
    public_a, ministry_a, ministry_b, axis, viewer_a, national
):
    open_project = make_project("P-OPEN", ministry_a, axis)
    secret = make_project("P-SECRET", ministry_b, axis, classification=Classification.CONFIDENTIAL)
    make_project_link(public_a, open_project, 4, datetime.date(2026, 6, 30))
    make_project_link(public_a, secret, 5)
    make_rating(public_a, 4)
    make_rating(public_a, 5)
    answer = bearer(viewer_a).get(f"{SERVICES}A-1/", HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["name"] == {"ar": "مضمون ولادة", "fr": "Extrait de naissance", "en": "", "text": "Extrait de naissance"}
    assert data["owner"]["code"] == "MIN-A" and data["life_event"]["code"] == "birth"
    assert [c["code"] for c in data["channels"]] == ["counter", "web"]
    assert data["level"]["value"] == 3 and data["online"] is True and data["fully_online"] is False
    assert (data["fee"], data["fee_currency"], data["processing_days"]) == ("2.500", "TND", 1)
    assert (data["rating_average"], data["rating_count"]) == (4.5, 2)
    documents = [(d["name"]["ar"], d["held_by"] and d["held_by"]["code"], d["once_only"]) for d in data["documents"]]
    assert documents == [("بطاقة التعريف", "MIN-B", True), ("مطلب", None, False)]
    assert [(p["project"]["code"], p["target_level"]["value"]) for p in data["projects"]] == [("P-OPEN", 4)]
    assert data["projects"][0]["target_date"] == "2026-06-30"
    assert answer.headers["ETag"].startswith(f'"{public_a.version}-')
    seen = bearer(national).get(f"{SERVICES}A-1/").json()["projects"]
    assert {p["project"]["code"] for p in seen} == {"P-OPEN", "P-SECRET"}  # the positive control


def test_the_directory_filters(catalogue, ministry_a, birth, civil, viewer_a, directorate_a):
    make_service(directorate_a, code="A-D", level=5, channels=["kiosk"])
    caller = bearer(viewer_a)
    assert codes(caller.get(SERVICES, {"organization": ministry_a.pk})) == {"A-1", "A-R", "A-C", "A-D"}
    assert codes(caller.get(SERVICES, {"life_event": birth.pk})) == {"A-1"}
    assert codes(caller.get(SERVICES, {"category": civil.pk})) == {"A-1"}
    assert codes(caller.get(SERVICES, {"channel": "web"})) == {"A-1"}
    assert codes(caller.get(SERVICES, {"audience": "businesses"})) == {"B-1"}
    assert codes(caller.get(SERVICES, {"level": 4})) == {"B-1"}
    assert codes(caller.get(SERVICES, {"min_level": 4})) == {"B-1", "A-D"}
    assert codes(caller.get(SERVICES, {"q": "مضمون الولادة"})) == {"A-1"}
    assert caller.get(SERVICES, {"level": 7}).status_code == 422
    assert caller.get(SERVICES, {"channel": "fax"}).status_code == 422
    assert caller.get(SERVICES, {"life_event": 99999}).status_code == 422


def test_a_page_of_services_costs_the_same_queries_at_any_size(ministry_a, viewer_a, django_assert_max_num_queries):
    for number in range(6):
        make_service(ministry_a, code=f"A-{number}")
    caller = bearer(viewer_a)
    for limit in (2, 6):
        with django_assert_max_num_queries(14):
            assert len(codes(caller.get(SERVICES, {"limit": limit}))) == limit


# Usage ----------------------------------------------------------------------------------------------------


def test_usage_is_read_month_by_month(
    public_a, public_b, confidential_a, viewer_a, coordinator_b, ministry_a, ministry_b
):
    for month, channel, count in (("2026-01", "web", 10), ("2026-02", "web", 12), ("2026-03", "counter", 7)):
        make_usage(public_a, month, channel, count)
    caller = bearer(viewer_a)
    answer = caller.get(usage_url("A-1"), {"from": "2026-02", "to": "2026-03"})
    assert answer.status_code == 200, answer.content
    assert [(r["month"], r["channel"], r["transactions"]) for r in answer.json()["results"]] == [
        ("2026-02", "web", 12),
        ("2026-03", "counter", 7),
    ]
    assert len(caller.get(usage_url("A-1"), {"channel": "web"}).json()["results"]) == 2
    assert caller.get(usage_url("A-1"), {"from": "2026-13"}).status_code == 422
    assert bearer(coordinator_b).get(usage_url("A-1")).status_code == 200  # a public service's usage
    assert bearer(coordinator_b).get(usage_url("A-C")).status_code == 404
    assert caller.get(usage_url("A-C")).status_code == 200
    own = system_bearer(make_system(ministry_a, ["service_usage:read"]))
    assert len(own.get(usage_url("A-1")).json()["results"]) == 3
    other = system_bearer(make_system(ministry_b, ["service_usage:read"]))
    assert other.get(usage_url("A-1")).status_code == 403
    assert other.get(usage_url("B-1")).status_code == 200


def test_a_person_who_changes_the_service_reports_its_usage(public_a, coordinator_a):
    answer = bearer(coordinator_a).post(
        usage_url("A-1"), {"month": "2026-10", "channel": "web", "transactions": 120}, content_type=JSON
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["results"][0]["month"] == "2026-10"
    usage = ServiceUsage.objects.get()
    assert (usage.month, usage.channel, usage.transactions) == (datetime.date(2026, 10, 1), "web", 120)
    assert usage.source == "api"
    assert usage.entered_by == coordinator_a


def test_those_who_may_not_change_the_service_are_refused(public_a, viewer_a, coordinator_b, coordinator_a):
    body = {"month": "2026-10", "channel": "web", "transactions": 120}
    trail = AuditEntry.objects.count()
    for reader in (viewer_a, coordinator_b):
        answer = bearer(reader).post(usage_url("A-1"), body, content_type=JSON)
        assert answer.status_code == 403, answer.content
        assert answer.headers["Content-Type"] == "application/problem+json"
    assert not ServiceUsage.objects.exists() and AuditEntry.objects.count() == trail
    assert bearer(coordinator_a).post(usage_url("A-1"), body, content_type=JSON).status_code == 201


def test_a_list_of_months_is_recorded_whole_with_the_indicators_refreshed_once(
    public_a, coordinator_a, django_capture_on_commit_callbacks
):
    body = [
        {"month": "2026-02", "channel": "web", "cumulative": 150},
        {"month": "2026-01", "channel": "web", "cumulative": 100, "processing_days": "2.5"},
        {"month": "2026-01", "channel": "counter", "transactions": 40, "backlog": 3},
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer = bearer(coordinator_a).post(usage_url("A-1"), body, content_type=JSON)
    assert answer.status_code == 201, answer.content
    assert answer.json()["count"] == 3
    assert len(callbacks) == 1
    assert usage_rows() == [
        ("A-1", datetime.date(2026, 1, 1), "counter", 40),
        ("A-1", datetime.date(2026, 1, 1), "web", 100),
        ("A-1", datetime.date(2026, 2, 1), "web", 50),
    ]


def test_a_list_with_one_wrong_month_records_nothing_and_names_every_field(public_a, coordinator_a):
    make_usage(public_a, "2026-01", "web", 100)
    body = [
        {"month": "2026-02", "channel": "web", "transactions": 5},
        {"month": "2026-03", "channel": "web", "transactions": -5},
        {"month": "2026-04", "channel": "web", "cumulative": 50},
        {"month": "2026-05", "channel": "counter", "transactions": 1, "cumulative": 2},
        {"month": "2026-02", "channel": "web", "transactions": 6},
        {"month": "2026-06", "channel": "web", "transactions": 3_000_000_000},
    ]
    before, trail = usage_rows(), AuditEntry.objects.count()
    answer = bearer(coordinator_a).post(usage_url("A-1"), body, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400, answer.content
    assert answer.headers["Content-Type"] == "application/problem+json"
    errors = {(e["pointer"], e["detail"]) for e in answer.json()["errors"]}
    assert ("body.1.transactions", "A count cannot be negative.") in errors
    assert {pointer for pointer, _detail in errors} == {
        "body.1.transactions",
        "body.2.cumulative",
        "body.3.transactions",
        "body.4.month",
        "body.5.transactions",
    }
    assert usage_rows() == before and AuditEntry.objects.count() == trail


def test_a_body_that_is_not_usage_is_refused_with_its_field(public_a, coordinator_a):
    caller = bearer(coordinator_a)
    for body, pointer in (
        ({"month": "2026-13", "channel": "web", "transactions": 1}, "body.month"),
        ({"month": "2026-10", "channel": "fax", "transactions": 1}, "body.channel"),
        ({"month": "2026-10", "channel": "web", "transactions": 1, "colour": "red"}, "body.colour"),
        ([{"month": "2026-10", "channel": "web", "transactions": 1}, {"channel": "web"}], "body.1.month"),
        ([{"month": "2026-10", "channel": "web", "transactions": "many"}], "body.0.transactions"),
    ):
        answer = caller.post(usage_url("A-1"), body, content_type=JSON)
        assert answer.status_code == 422, answer.content
        assert pointer in {e["pointer"] for e in answer.json()["errors"]}
    assert not ServiceUsage.objects.exists()


def test_a_back_office_system_reports_usage_for_its_own_organization_only(
    public_a, public_b, confidential_b, ministry_a
):
    system = make_system(ministry_a, ["service_usage:write"])
    caller = system_bearer(system)
    body = {"month": "2026-10", "channel": "kiosk", "transactions": 9}
    answer = caller.post(usage_url("A-1"), body, content_type=JSON)
    assert answer.status_code == 201, answer.content
    assert caller.post(usage_url("B-1"), body, content_type=JSON).status_code == 403
    assert caller.post(usage_url("B-C"), body, content_type=JSON).status_code == 404  # not even seen
    assert usage_rows() == [("A-1", datetime.date(2026, 10, 1), "kiosk", 9)]
    entry = ExchangeLogEntry.objects.filter(client=system, method="POST", status=201).get()
    assert entry.records == 1 and entry.path == usage_url("A-1")
    assert list(entry.owners.values_list("code", flat=True)) == ["MIN-A"]
    assert ExchangeLogEntry.objects.filter(client=system, method="POST", status=403).count() == 1


def test_a_system_without_the_scope_to_write_usage_is_refused(public_a, ministry_a):
    caller = system_bearer(make_system(ministry_a, ["services:read", "service_usage:read"]))
    body = {"month": "2026-10", "channel": "web", "transactions": 9}
    assert caller.post(usage_url("A-1"), body, content_type=JSON).status_code == 403
    assert not ServiceUsage.objects.exists()
