"""Repeated failed sign-ins lock out one username from one address, or a whole address; never the person elsewhere.

Bounded: the limits are the real ones (5 per username and address, 50 per address), the passwords are hashed by a
fast hasher that counts its calls, so the test can show that a locked-out attempt costs no hashing at all.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.test import Client, RequestFactory

from masar.accounts.models import User
from masar.accounts.throttle import client_address
from masar.audit.models import AuditEntry

ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


class CountingHasher(MD5PasswordHasher):
    """Django's MD5 hasher (fast, for tests) counting how often a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def _fast_counted_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_sign_in_throttling.CountingHasher"]
    CountingHasher.calls = 0


def sign_in(address, username, password, client=None):
    client = client or Client(REMOTE_ADDR=address)
    return client.post("/en/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def lockouts_of(user):
    return [e for e in AuditEntry.objects.for_object(user) if e.changes.get("sign_in") == [None, "locked_out"]]


def test_five_wrong_passwords_lock_that_username_from_that_address_only(manager_a):
    answers = [sign_in(ATTACKER, "manager_a", f"wrong-{i}").status_code for i in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    locked = sign_in(ATTACKER, "manager_a", "pw-manager_a")  # the right password, from the attacker's address
    assert locked.status_code == 429 and "_auth_user_id" not in locked.client.session
    assert sign_in(ELSEWHERE, "manager_a", "pw-manager_a").status_code == 302  # the person, from elsewhere
    assert sign_in(ATTACKER, "coord_a", "wrong").status_code == 200  # another username from that address: not yet


def test_a_locked_out_attempt_hashes_no_password(manager_a):
    for i in range(5):
        sign_in(ATTACKER, "manager_a", f"wrong-{i}")
    hashed_before = CountingHasher.calls
    assert hashed_before >= 5  # positive control: each counted failure checked a password
    for i in range(20):
        assert sign_in(ATTACKER, "manager_a", f"again-{i}").status_code == 429
    assert CountingHasher.calls == hashed_before
    # Refusals during the lock-out are not counted: the record stays one row at the limit, the cool-off does not grow.
    attempt = AccessAttempt.objects.get(username="manager_a", ip_address=ATTACKER)
    assert attempt.failures_since_start == 5


def test_failures_spread_over_many_usernames_lock_the_address(manager_a):
    answers = [sign_in(ATTACKER, f"guess-{i}", "password").status_code for i in range(50)]
    assert answers[:49] == [200] * 49 and answers[49] == 429
    assert sign_in(ATTACKER, "manager_a", "pw-manager_a").status_code == 429  # the whole address waits
    assert sign_in(ELSEWHERE, "manager_a", "pw-manager_a").status_code == 302
    (entry,) = [e for e in AuditEntry.objects.filter(object_id="") if e.changes.get("sign_in") == [None, "locked_out"]]
    assert entry.changes["lockout_scope"] == [None, "address"] and entry.changes["address"] == [None, ATTACKER]
    assert entry.changes["failures"] == [None, 50]


def test_a_session_signed_in_before_the_attack_keeps_reading_its_pages(manager_a):
    here = Client(REMOTE_ADDR=ELSEWHERE)
    assert sign_in(ELSEWHERE, "manager_a", "pw-manager_a", client=here).status_code == 302
    same_address = Client(REMOTE_ADDR=ATTACKER)
    assert sign_in(ATTACKER, "manager_a", "pw-manager_a", client=same_address).status_code == 302
    for i in range(60):
        sign_in(ATTACKER, "manager_a" if i % 2 else f"guess-{i}", "wrong")
    assert sign_in(ATTACKER, "manager_a", "pw-manager_a").status_code == 429  # the attacker is locked out
    # Both sessions opened before, even the one from the locked address, still read their pages.
    for client, address in ((here, ELSEWHERE), (same_address, ATTACKER)):
        page = client.get("/en/my-work/", REMOTE_ADDR=address)
        assert page.status_code == 200 and "manager_a" in page.content.decode()


def test_the_lock_out_is_audited_once_on_the_account_and_says_when_to_retry(manager_a):
    for i in range(12):
        response = sign_in(ATTACKER, "manager_a", f"wrong-{i}")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page and "Try again after" in page
    assert 1 <= int(response["Retry-After"]) <= 15 * 60
    (entry,) = lockouts_of(manager_a)
    assert entry.actor is None and entry.changes["address"] == [None, ATTACKER]
    assert entry.changes["lockout_scope"] == [None, "account_from_address"] and entry.changes["failures"] == [None, 5]


def test_the_lock_out_ends_after_the_cool_off(manager_a):
    for i in range(5):
        sign_in(ATTACKER, "manager_a", f"wrong-{i}")
    assert sign_in(ATTACKER, "manager_a", "pw-manager_a").status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
    assert sign_in(ATTACKER, "manager_a", "pw-manager_a").status_code == 302


def test_an_administrator_unlocks_a_username(manager_a):
    for i in range(5):
        sign_in(ATTACKER, "manager_a", f"wrong-{i}")
    assert sign_in(ATTACKER, "manager_a", "pw-manager_a").status_code == 429
    call_command("axes_reset_username", "manager_a", verbosity=0)
    assert sign_in(ATTACKER, "manager_a", "pw-manager_a").status_code == 302


def test_a_success_forgets_only_that_usernames_failures_not_the_addresss(manager_a, coordinator_a):
    for i in range(4):
        sign_in(ATTACKER, f"guess-{i}", "wrong")
    sign_in(ATTACKER, "manager_a", "wrong")
    assert sign_in(ATTACKER, "manager_a", "pw-manager_a").status_code == 302
    assert not AccessAttempt.objects.filter(username="manager_a").exists()
    assert AccessAttempt.objects.filter(ip_address=ATTACKER).count() == 4


def test_an_unknown_username_locked_out_is_audited_without_an_account(db):
    for i in range(5):
        sign_in(ATTACKER, "nobody", f"wrong-{i}")
    (entry,) = AuditEntry.objects.filter(object_id="")
    assert entry.changes["username_tried"] == [None, "nobody"]
    assert not User.objects.filter(username="nobody").exists()


def test_the_client_address_comes_from_the_proxy_header_only_when_configured(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    assert client_address(request) == "10.0.0.2"  # no proxy trusted: the header is the client's own words
    settings.SIGNIN_TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "198.51.100.9"  # what the one proxy appended, not what the client wrote
    settings.SIGNIN_TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "1.2.3.4"
    settings.SIGNIN_TRUSTED_PROXY_COUNT = 3
    assert client_address(request) == "10.0.0.2"  # fewer hops than proxies: the connection is the client
    forged = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    settings.SIGNIN_TRUSTED_PROXY_COUNT = 1
    assert client_address(forged) == "10.0.0.2"
