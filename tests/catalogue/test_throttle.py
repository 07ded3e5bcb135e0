"""Throttling of the public's submissions: a limit per window, per scope and address, nothing personal kept."""

import datetime

import pytest
from django.utils import timezone

from masar.catalogue.models import SubmissionCount
from masar.catalogue.throttle import submission_allow, submission_counts_purge

ADDRESS = "198.51.100.7"


def allow(scope="rating", address=ADDRESS, limit=3, window=3600):
    return submission_allow(address=address, scope=scope, limit=limit, window_seconds=window)


@pytest.fixture
def frozen(monkeypatch):
    """Set the clock the throttle reads (its windows are aligned on the epoch); return a function moving it."""
    now = {"value": datetime.datetime(2025, 3, 10, 10, 0, 5, tzinfo=datetime.UTC)}
    monkeypatch.setattr(timezone, "now", lambda: now["value"])

    def move(**delta):
        now["value"] += datetime.timedelta(**delta)

    return move


def test_a_limit_is_kept_per_window(db, frozen):
    assert [allow() for _ in range(5)] == [True, True, True, False, False]
    assert SubmissionCount.objects.get().count == 3  # a refusal does not raise the count
    frozen(minutes=59)
    assert allow() is False  # the same window
    frozen(minutes=1)
    assert [allow() for _ in range(4)] == [True, True, True, False]  # the next window starts afresh
    assert SubmissionCount.objects.count() == 2


def test_scopes_and_addresses_are_counted_apart(db):
    assert [allow("rating") for _ in range(4)] == [True, True, True, False]
    assert allow("feedback") is True
    assert allow("rating:17", limit=1) is True
    assert allow("rating:17", limit=1) is False
    assert allow("rating:18", limit=1) is True
    assert allow("rating", address="203.0.113.9") is True
    assert allow("rating") is False  # positive control: the first is still held


def test_a_limit_of_one_allows_one_and_a_limit_of_zero_none(db):
    assert [allow(limit=1) for _ in range(2)] == [True, False]
    assert allow("other", limit=0) is False


def test_the_count_names_no_address(db):
    allow()
    allow(address="")
    keys = list(SubmissionCount.objects.values_list("key", flat=True))
    assert len(keys) == 2 and all(len(k) == 64 and ADDRESS not in k for k in keys)


def test_the_purge_deletes_only_windows_over_for_long_enough(db, frozen):
    allow("old")
    frozen(days=3)
    allow("recent")
    frozen(hours=1)
    allow("current")
    assert submission_counts_purge() == 1
    assert SubmissionCount.objects.count() == 2
    assert submission_counts_purge(older_than_seconds=1800) == 1
    assert SubmissionCount.objects.count() == 1
    assert submission_counts_purge(older_than_seconds=1800) == 0
    # The purged window's address starts afresh, the current one is still held.
    assert allow("current", limit=1) is False
