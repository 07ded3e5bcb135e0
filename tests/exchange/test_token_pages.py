"""A person's own tokens: created with a name, shown once, listed, revoked after confirmation; nobody else's."""

import re

import pytest
from django.utils import timezone

from masar.exchange.models import ApiToken
from masar.exchange.services import token_authenticate, token_issue
from tests.exchange.factories import make_client

SECRET = re.compile(r'value="(msr_[A-Za-z0-9_\-]+)"')


def test_the_profile_links_to_the_tokens_page(client_for, viewer_a):
    body = client_for(viewer_a).get("/en/accounts/profile/").content.decode()
    assert 'href="/en/exchange/tokens/"' in body


def test_a_new_token_is_shown_once_and_then_only_by_its_prefix(client_for, viewer_a):
    browser = client_for(viewer_a)
    response = browser.post("/en/exchange/tokens/", {"name": "Monthly report script", "expires_on": ""})
    assert response.status_code == 200
    body = response.content.decode()
    secret = SECRET.search(body).group(1)
    assert "shown this once" in body
    token = token_authenticate(secret)
    assert token.user == viewer_a and token.name == "Monthly report script" and token.expires_at is None
    later = browser.get("/en/exchange/tokens/").content.decode()
    assert "Monthly report script" in later and token.prefix in later
    assert secret not in later and not SECRET.search(later)


def test_a_token_may_not_expire_today(client_for, viewer_a):
    response = client_for(viewer_a).post(
        "/en/exchange/tokens/", {"name": "x", "expires_on": timezone.localdate().isoformat()}
    )
    assert "must expire after today" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_token_after_confirming(client_for, viewer_a):
    issued = token_issue(user=viewer_a, name="old laptop", actor=viewer_a)
    browser = client_for(viewer_a)
    confirm = browser.get(f"/en/exchange/tokens/{issued.token.pk}/revoke/")
    assert confirm.status_code == 200 and "old laptop" in confirm.content.decode()
    assert token_authenticate(issued.secret) is not None  # the confirmation page changes nothing
    response = browser.post(f"/en/exchange/tokens/{issued.token.pk}/revoke/")
    assert response.status_code == 302
    assert token_authenticate(issued.secret) is None
    assert "revoked" in browser.get("/en/exchange/tokens/").content.decode()


@pytest.mark.parametrize("intruder", ["manager_a", "coordinator_a", "coordinator_b", "national"])
def test_nobody_else_sees_or_revokes_my_token(client_for, viewer_a, intruder, request):
    issued = token_issue(user=viewer_a, name="mine-only", actor=viewer_a)
    other = client_for(request.getfixturevalue(intruder))
    assert other.get(f"/en/exchange/tokens/{issued.token.pk}/revoke/").status_code == 404
    assert other.post(f"/en/exchange/tokens/{issued.token.pk}/revoke/").status_code == 404
    assert "mine-only" not in other.get("/en/exchange/tokens/").content.decode()
    assert token_authenticate(issued.secret) is not None


def test_a_system_account_has_no_tokens_page(client_for, ministry_a):
    system = make_client(ministry_a)
    assert client_for(system.account).get("/en/exchange/tokens/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client_for, viewer_a):
    response = client_for(None).get("/en/exchange/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]
