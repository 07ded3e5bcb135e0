"""The exchange's commands: a personal token printed for scripts, and the check of the exchange log's chain."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from masar.accounts.models import Role
from masar.exchange.models import ApiToken, ExchangeLogEntry
from masar.exchange.services import token_authenticate, token_issue
from tests.accounts.factories import make_user
from tests.exchange.factories import log_call, make_client


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_api_token_prints_only_a_secret_that_authenticates_as_the_person(viewer_a):
    printed = run("api_token", "viewer_a", "--name", "nightly script", "--expires-days", "30")
    secret = printed.strip()
    assert printed.count("\n") == 1 and secret.startswith("msr_")
    token = token_authenticate(secret)
    assert token is not None and token.user == viewer_a and token.name == "nightly script" and token.client is None
    assert (
        timezone.now() + datetime.timedelta(days=29) < token.expires_at < timezone.now() + datetime.timedelta(days=31)
    )
    assert not ApiToken.objects.filter(digest=secret).exists()  # only the digest is stored


def test_api_token_refuses_an_unknown_user_an_inactive_one_and_a_system_account(viewer_a, ministry_a):
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        run("api_token", "nobody")
    system = make_client(ministry_a)
    with pytest.raises(CommandError, match="account of an API client"):
        run("api_token", system.account.username)
    sleeper = make_user("sleeper", Role.VIEWER, ministry_a)
    sleeper.is_active = False
    sleeper.save()
    with pytest.raises(CommandError, match="not active"):
        run("api_token", "sleeper")
    assert not ApiToken.objects.exists()
    run("api_token", "viewer_a")  # positive control
    assert ApiToken.objects.filter(user=viewer_a).count() == 1


@pytest.fixture
def logged(viewer_a, ministry_a):
    token = token_issue(user=viewer_a, name="script", actor=None).token
    return [log_call(token, path=f"/api/v1/projects/?page={n}", owners=[ministry_a]) for n in range(3)]


def test_exchange_verify_counts_an_intact_log(logged):
    assert run("exchange_verify").strip() == "exchange log intact: 3 entries"


def test_exchange_verify_names_a_row_tampered_with_in_the_database(logged):
    middle = logged[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ExchangeLogEntry._meta.db_table} SET records = 999 WHERE id = %s", [middle.pk])
    with pytest.raises(CommandError) as refused:
        run("exchange_verify")
    message = str(refused.value)
    assert f"entry #{middle.pk}" in message and "GET /api/v1/projects/?page=1" in message
    assert middle.created_at.isoformat() in message and "1 entries before it are intact" in message
