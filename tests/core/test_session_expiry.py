"""A session ends after SESSION_COOKIE_AGE seconds without use (30 minutes by default), not a fixed time
after signing in, and at the latest when the browser closes."""

import datetime
import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from masar.core.security import SEEN_KEY


def stored(client):
    return Session.objects.get(session_key=client.session.session_key)


def backdate(client, *, seen_seconds_ago, expires_in):
    """Make the stored session look last moved `seen_seconds_ago`, ending in `expires_in` seconds."""
    session = client.session
    session[SEEN_KEY] = int(time.time()) - seen_seconds_ago
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=expires_in)
    )


def test_the_defaults_end_a_session_after_thirty_idle_minutes_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True and settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_each_use_moves_the_end_forward_once_a_minute_at_most(client_for, viewer_a):
    client = client_for(viewer_a)
    backdate(client, seen_seconds_ago=120, expires_in=60)
    response = client.get("/ar/projects/")
    assert response.status_code == 200
    remaining = (stored(client).expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    # Within the minute, no write: the end stays where it was.
    backdate(client, seen_seconds_ago=5, expires_in=600)
    before = stored(client).expire_date
    client.get("/ar/projects/")
    assert stored(client).expire_date == before


def test_an_idle_session_has_ended_and_the_person_signs_in_again(client_for, viewer_a):
    client = client_for(viewer_a)
    assert client.get("/ar/accounts/profile/").status_code == 200  # positive control: signed in
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/ar/accounts/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signing_out_is_not_undone_by_the_sliding_end(client_for, viewer_a):
    client = client_for(viewer_a)
    backdate(client, seen_seconds_ago=120, expires_in=60)
    assert Session.objects.count() == 1
    client.post("/ar/accounts/logout/")
    assert Session.objects.count() == 0
