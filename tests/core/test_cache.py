"""The Redis cache: one dashboard computed by one app server serves the others; Redis gone costs time, not pages.

Uses the machine's Redis (127.0.0.1:6379) in database 13 under a prefix of its own, skipped when none answers.
"""

import logging
import uuid

import pytest
import redis
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from masar.core.cache import _down_until
from tests.portfolio.factories import make_project

REDIS = "redis://127.0.0.1:6379/13"
CLOSED = "redis://127.0.0.1:1/13"  # nothing listens on port 1


def _redis_answers():
    try:
        return redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return False


needs_redis = pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")


def redis_cache(location, prefix):
    """Settings naming a fresh cache backend: each override builds new connections, as another app server would."""
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "masar.core.cache.ResilientRedisCache",
                "LOCATION": location,
                "KEY_PREFIX": prefix,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
            }
        }
    )


@pytest.fixture
def prefix():
    name = f"masar-test-{uuid.uuid4().hex[:12]}"
    yield name
    raw = redis.Redis.from_url(REDIS)
    keys = list(raw.scan_iter(match=f"{name}:*"))
    if keys:
        raw.delete(*keys)


@pytest.fixture(autouse=True)
def _redis_known_up():
    _down_until.clear()
    yield
    _down_until.clear()


@pytest.fixture
def projects(ministry_a, axis):
    make_project("C-1", ministry_a, axis)
    make_project("C-2", ministry_a, axis)


def project_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "portfolio_project" in q["sql"]]


@needs_redis
def test_app_servers_share_a_dashboard_computed_by_one_of_them(projects, client_for, coordinator_a, prefix):
    with redis_cache(REDIS, prefix), CaptureQueriesContext(connection) as first:
        assert client_for(coordinator_a).get("/en/dashboards/").status_code == 200
    assert project_queries(first), "the first server computes the figures"
    assert list(redis.Redis.from_url(REDIS).scan_iter(match=f"{prefix}:*dashboards:*"))

    with redis_cache(REDIS, prefix), CaptureQueriesContext(connection) as second:
        assert client_for(coordinator_a).get("/en/dashboards/").status_code == 200
    assert not project_queries(second), "the second server reads them from Redis"

    with redis_cache(REDIS, f"{prefix}-other"), CaptureQueriesContext(connection) as elsewhere:
        client_for(coordinator_a).get("/en/dashboards/")
    assert project_queries(elsewhere), "positive control: a cache that does not hold them computes again"
    redis.Redis.from_url(REDIS).delete(*redis.Redis.from_url(REDIS).scan_iter(match=f"{prefix}-other:*"))


def test_pages_answer_while_redis_is_unreachable(projects, client_for, coordinator_a, manager_a, caplog):
    from tests.api.factories import bearer

    with redis_cache(CLOSED, "masar-down"), caplog.at_level(logging.ERROR, logger="masar.core.cache"):
        assert client_for(coordinator_a).get("/en/dashboards/").status_code == 200
        assert client_for(None).get("/en/dashboards/public/").status_code == 200
        assert client_for(coordinator_a).get("/en/search/", {"q": "C-1"}).status_code == 200
        assert bearer(manager_a).get("/api/v1/projects/").status_code == 200  # its rate window is in the cache
    assert "Redis cache unreachable" in caplog.text


def test_an_unreachable_redis_answers_as_an_empty_cache():
    from django.core.cache import cache

    with redis_cache(CLOSED, "masar-down"):
        cache.set("k", 1)
        assert cache.get("k") is None
        assert cache.get("k", "fallback") == "fallback"
        assert cache.add("k", 1) is False
        assert cache.get_or_set("k", lambda: 42) == 42
        assert cache.get_many(["k"]) == {}
        with pytest.raises(ValueError):
            cache.incr("k")
        assert cache.delete("k") is False
        cache.clear()  # nothing to clear, no error


@needs_redis
def test_clearing_the_cache_keeps_keys_it_does_not_own(prefix):
    from django.core.cache import cache

    raw = redis.Redis.from_url(REDIS)
    raw.set(f"{prefix}-rq:queue", "job")
    try:
        with redis_cache(REDIS, prefix):
            cache.set("k", 1)
            assert cache.get("k") == 1
            cache.clear()
            assert cache.get("k") is None
        assert raw.get(f"{prefix}-rq:queue") == b"job"
    finally:
        raw.delete(f"{prefix}-rq:queue")
