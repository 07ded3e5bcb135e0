"""Another administration's system through the API: deny by default, then exactly what an agreement
in force opens, never above its ceiling; the matrix of who gets what on each kind of call."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from masar.accounts.models import Role
from masar.core.models import Classification
from masar.exchange.models import AgreementAction, ExchangeLogEntry, SharingAgreement
from masar.exchange.services import agreement_decide, agreement_request, client_register, token_issue
from tests.accounts.factories import make_user
from tests.portfolio.factories import make_project


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def world(gov, ministry_a, ministry_b, axis):
    return {
        "a_public": make_project("A-PUB", ministry_a, axis, classification=Classification.PUBLIC),
        "a_restricted": make_project("A-RST", ministry_a, axis, classification=Classification.RESTRICTED),
        "a_confidential": make_project("A-CONF", ministry_a, axis, classification=Classification.CONFIDENTIAL),
        "b_restricted": make_project("B-RST", ministry_b, axis, classification=Classification.RESTRICTED),
    }


def system_of(organization, scopes=("projects:read", "organizations:read"), clearance="confidential"):
    system = client_register(
        actor=None, organization=organization, name_ar="منظومة الميزانية", scopes=list(scopes), clearance=clearance
    )
    return system, token_issue(user=system.account, client=system, name="prod", actor=None).secret


def codes(client, secret, query=""):
    response = client.get(f"/api/v1/projects/?limit=500{query}", **bearer(secret))
    return response.status_code, sorted(row["code"] for row in response.json().get("results", []))


def test_a_new_system_sees_nothing_and_is_told_why(world, ministry_a, ministry_b):
    client = Client()
    _system, secret = system_of(ministry_b, scopes=())
    assert client.get("/api/v1/projects/", **bearer(secret)).status_code == 403
    assert client.get(f"/api/v1/projects/{world['a_public'].pk}/", **bearer(secret)).status_code == 403


def test_a_system_reads_its_own_ministry_and_another_only_once_the_owner_approves(
    world, ministry_a, ministry_b, coordinator_a, coordinator_b
):
    client = Client()
    system, secret = system_of(ministry_b)
    assert codes(client, secret) == (200, ["B-RST"])
    status, _rows = codes(client, secret, f"&organization={ministry_a.pk}")
    assert status == 403  # no agreement: told so, not handed an empty list
    assert client.get(f"/api/v1/projects/{world['a_public'].pk}/", **bearer(secret)).status_code == 404

    agreement = agreement_request(
        actor=coordinator_b,
        client=system,
        owner=ministry_a,
        record_type="projects",
        max_classification=Classification.RESTRICTED,
        purpose="متابعة الاعتمادات",
        legal_basis="قرار المجلس الوزاري",
        expires_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    assert coordinator_a.notifications.filter(kind="agreement_requested").exists()
    assert codes(client, secret, f"&organization={ministry_a.pk}")[0] == 403  # requested is not approved
    agreement_decide(agreement=agreement, actor=coordinator_a, action=AgreementAction.APPROVE)
    assert codes(client, secret, f"&organization={ministry_a.pk}") == (200, ["A-PUB", "A-RST"])  # not A-CONF
    assert codes(client, secret) == (200, ["A-PUB", "A-RST", "B-RST"])
    entry = ExchangeLogEntry.objects.filter(status=200, path__contains=f"organization={ministry_a.pk}").last()
    assert entry.agreements == [agreement.pk] and entry.client == system
    assert set(entry.owners.values_list("pk", flat=True)) == {ministry_a.pk}

    SharingAgreement.objects.filter(pk=agreement.pk).update(expires_on=timezone.localdate() - datetime.timedelta(1))
    assert codes(client, secret, f"&organization={ministry_a.pk}")[0] == 403  # expired: grants nothing
    assert codes(client, secret) == (200, ["B-RST"])


def test_an_agreement_opens_nothing_above_the_systems_ceiling(world, ministry_a, ministry_b, coordinator_a):
    client = Client()
    system, secret = system_of(ministry_b, clearance="public")
    agreement = agreement_request(
        actor=None,
        client=system,
        owner=ministry_a,
        record_type="projects",
        max_classification=Classification.CONFIDENTIAL,
        purpose="p",
        legal_basis="l",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    agreement_decide(agreement=agreement, actor=coordinator_a, action=AgreementAction.APPROVE)
    assert codes(client, secret, f"&organization={ministry_a.pk}") == (200, ["A-PUB"])


def test_only_the_owner_decides_an_agreement(world, ministry_a, ministry_b, coordinator_b):
    from masar.core.errors import NotPermitted

    system, _secret = system_of(ministry_b)
    agreement = agreement_request(
        actor=coordinator_b,
        client=system,
        owner=ministry_a,
        record_type="projects",
        max_classification=Classification.PUBLIC,
        purpose="p",
        legal_basis="l",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    with pytest.raises(NotPermitted):
        agreement_decide(agreement=agreement, actor=coordinator_b, action=AgreementAction.APPROVE)
    agreement.refresh_from_db()
    assert agreement.status == "requested"


WRITE = {"name_fr": "Renommé par le système"}


@pytest.mark.parametrize(
    "who, read_status, write_status",
    [
        ("nobody", 401, 401),
        ("viewer_a", 200, 403),  # reads, may not change
        ("manager_a", 200, 200),  # manages it
        ("coordinator_b", 200, 403),  # another ministry: reads restricted, changes nothing
        ("system_b", 404, 403),  # another ministry's system without agreement
        ("system_a_reader", 200, 403),  # its own ministry's system with the read scope only
        ("system_a_writer", 200, 200),  # with the write scope
        ("system_a_public", 404, 403),  # its ceiling is below the record's classification
    ],
)
def test_who_reads_and_who_changes_a_restricted_project(world, ministry_a, ministry_b, who, read_status, write_status):
    project = world["a_restricted"]
    manager = make_user("pm_matrix", Role.PROJECT_MANAGER, ministry_a)
    project.manager = manager
    project.save()
    people = {
        "viewer_a": make_user("viewer_matrix", Role.VIEWER, ministry_a),
        "manager_a": manager,
        "coordinator_b": make_user("coord_matrix", Role.SECTOR_COORDINATOR, ministry_b),
    }
    if who == "nobody":
        headers = {}
    elif who in people:
        headers = bearer(token_issue(user=people[who], name="t", actor=None).secret)
    else:
        organization, scopes, clearance = {
            "system_b": (ministry_b, ["projects:read", "projects:write"], "confidential"),
            "system_a_reader": (ministry_a, ["projects:read"], "restricted"),
            "system_a_writer": (ministry_a, ["projects:read", "projects:write"], "restricted"),
            "system_a_public": (ministry_a, ["projects:read", "projects:write"], "public"),
        }[who]
        headers = bearer(system_of(organization, scopes, clearance)[1])
    client = Client()
    url = f"/api/v1/projects/{project.pk}/"
    read = client.get(url, **headers)
    assert read.status_code == read_status
    etag = read["ETag"] if read.status_code == 200 else f'"{project.version}-0"'
    changed = client.patch(url, data=WRITE, content_type="application/json", HTTP_IF_MATCH=etag, **headers)
    assert changed.status_code in (write_status, 404 if write_status == 403 else write_status)
    project.refresh_from_db()
    assert (project.name_fr == WRITE["name_fr"]) is (write_status == 200)
