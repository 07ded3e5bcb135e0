"""Systems of the administrations: who registers them for which organization, at which ceiling, and who manages
their tokens."""

import re

import pytest

from masar.audit.models import Action, AuditEntry
from masar.core.errors import NotPermitted
from masar.core.models import Classification
from masar.exchange.models import ApiClient, ApiToken
from masar.exchange.services import client_register, client_update, token_authenticate, token_issue
from tests.exchange.factories import make_client

SECRET = re.compile(r'value="(msr_[A-Za-z0-9_\-]+)"')


def registration(organization, **changes):
    data = {
        "name_ar": "منظومة الميزانية",
        "name_en": "Budget system",
        "organization": organization.pk,
        "description": "",
        "contact_email": "it@example.org",
        "scopes": ["projects:read", "measurements:write"],
        "clearance": Classification.RESTRICTED,
    }
    data.update(changes)
    return data


def test_a_coordinator_registers_a_system_for_their_ministry(client_for, coordinator_a, ministry_a):
    response = client_for(coordinator_a).post("/en/exchange/clients/new/", registration(ministry_a))
    assert response.status_code == 302
    system = ApiClient.objects.get()
    assert system.organization == ministry_a and system.clearance == Classification.RESTRICTED
    assert system.scopes == ["measurements:write", "projects:read"] and system.created_by == coordinator_a
    assert AuditEntry.objects.for_object(system).filter(action=Action.CREATE, actor=coordinator_a).exists()
    assert response["Location"] == f"/en/exchange/clients/{system.pk}/"


def test_a_coordinator_of_another_ministry_cannot_register_for_ministry_a(
    client_for, coordinator_b, ministry_a, ministry_b
):
    browser = client_for(coordinator_b)
    form = browser.get("/en/exchange/clients/new/").content.decode()
    assert ministry_b.name_ar in form and ministry_a.name_ar not in form
    response = browser.post("/en/exchange/clients/new/", registration(ministry_a))
    assert response.status_code == 400 and not ApiClient.objects.exists()
    with pytest.raises(NotPermitted):
        client_register(
            actor=coordinator_b,
            organization=ministry_a,
            name_ar="x",
            scopes=[],
            clearance=Classification.PUBLIC,
        )
    assert browser.post("/en/exchange/clients/new/", registration(ministry_b)).status_code == 302  # control


def test_a_viewer_registers_nothing(client_for, viewer_a, ministry_a):
    browser = client_for(viewer_a)
    assert "Register a system" not in browser.get("/en/exchange/clients/").content.decode()
    assert browser.get("/en/exchange/clients/new/").status_code == 403
    assert browser.post("/en/exchange/clients/new/", registration(ministry_a)).status_code == 403
    assert not ApiClient.objects.exists()


def test_the_ceiling_offered_is_never_above_the_registrar_and_an_unknown_level_is_refused(
    client_for, coordinator_a, ministry_a
):
    browser = client_for(coordinator_a)
    form = browser.get("/en/exchange/clients/new/").context["form"]
    assert [value for value, _label in form.fields["clearance"].choices] == [
        Classification.PUBLIC,
        Classification.RESTRICTED,
        Classification.CONFIDENTIAL,
    ]
    response = browser.post("/en/exchange/clients/new/", registration(ministry_a, clearance="secret"))
    assert response.status_code == 400 and not ApiClient.objects.exists()


def test_a_change_of_ceiling_is_audited(coordinator_a, ministry_a):
    system = make_client(ministry_a, clearance=Classification.PUBLIC)
    updated = client_update(
        client=system, actor=coordinator_a, name_ar="ن", scopes=["projects:read"], clearance=Classification.CONFIDENTIAL
    )
    assert updated.clearance == Classification.CONFIDENTIAL  # a coordinator holds confidential clearance
    change = AuditEntry.objects.for_object(system).filter(action=Action.UPDATE).get()
    assert change.changes["clearance"] == [Classification.PUBLIC, Classification.CONFIDENTIAL]


@pytest.fixture
def system_a(ministry_a):
    return make_client(ministry_a, name_ar="نظام-وزارة-أ")


def test_the_manager_issues_a_token_shown_once_and_rotates_it_with_an_overlap(client_for, coordinator_a, system_a):
    browser = client_for(coordinator_a)
    response = browser.post(f"/en/exchange/clients/{system_a.pk}/tokens/", {"name": "production", "expires_on": ""})
    first = SECRET.search(response.content.decode()).group(1)
    token = token_authenticate(first)
    assert token.client == system_a and token.user == system_a.account
    page = browser.get(f"/en/exchange/clients/{system_a.pk}/").content.decode()
    assert token.prefix in page and first not in page
    rotated = browser.post(f"/en/exchange/tokens/{token.pk}/rotate/", {"overlap": "7"})
    second = SECRET.search(rotated.content.decode()).group(1)
    assert token_authenticate(second).client == system_a
    token.refresh_from_db()
    assert token_authenticate(first) is not None and token.expires_at is not None  # works during the overlap
    browser.post(f"/en/exchange/tokens/{token.pk}/revoke/")
    assert token_authenticate(first) is None and token_authenticate(second) is not None


def test_a_deactivated_system_calls_nothing_until_reactivated(client_for, coordinator_a, system_a):
    issued = token_issue(user=system_a.account, client=system_a, name="prod", actor=coordinator_a)
    browser = client_for(coordinator_a)
    browser.post(f"/en/exchange/clients/{system_a.pk}/active/", {"active": "0"})
    assert token_authenticate(issued.secret) is None
    browser.post(f"/en/exchange/clients/{system_a.pk}/active/", {"active": "1"})
    assert token_authenticate(issued.secret) is not None
    moves = AuditEntry.objects.for_object(system_a).filter(action=Action.UPDATE, actor=coordinator_a)
    assert [m.changes["is_active"] for m in moves.order_by("id")] == [[True, False], [False, True]]


def test_who_sees_a_system_and_its_tokens(client_for, coordinator_a, viewer_a, coordinator_b, system_a):
    issued = token_issue(user=system_a.account, client=system_a, name="token-of-a", actor=coordinator_a)
    url = f"/en/exchange/clients/{system_a.pk}/"
    manager = client_for(coordinator_a).get(url).content.decode()
    assert "token-of-a" in manager and "Issue a token" in manager
    reader = client_for(viewer_a)
    page = reader.get(url)
    assert page.status_code == 200 and "token-of-a" not in page.content.decode()
    assert reader.post(f"/en/exchange/clients/{system_a.pk}/active/", {"active": "0"}).status_code == 403
    assert reader.post(f"/en/exchange/tokens/{issued.token.pk}/revoke/").status_code == 403
    other = client_for(coordinator_b)
    assert other.get(url).status_code == 404
    assert other.post(f"/en/exchange/tokens/{issued.token.pk}/revoke/").status_code == 404
    assert other.post(f"/en/exchange/clients/{system_a.pk}/tokens/", {"name": "mine"}).status_code == 404
    assert "نظام-وزارة-أ" not in other.get("/en/exchange/clients/").content.decode()
    assert token_authenticate(issued.secret) is not None
    assert ApiToken.objects.count() == 1
