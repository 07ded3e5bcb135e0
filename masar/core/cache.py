"""The Redis cache, degraded to an empty cache while Redis is unreachable.

Django's RedisCache raises on a connection error, which turns every page that reads the cache into a 500 when
Redis stops. Masar's cache only saves work (dashboards, searches, API rate windows), so an outage should cost
time, not pages: each call that cannot reach Redis answers as a miss, is logged, and for REDIS_CACHE_RETRY_SECONDS
after a failure the process does not try again (a black-holed host would otherwise cost a connect timeout per call).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Connection refused or lost, timeouts, and whatever else the client raises (a proxy answering in another protocol):
# the cache is never worth an error page.
_OUTAGE = RedisError
_down_until: dict[str, float] = {}  # per server list, per process: when to try Redis again
_lock = threading.Lock()


class _Unreachable(Exception):
    pass


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._location = ",".join(servers)

    def _guard(self, call: Callable[[], T]) -> T:
        """Run call, or raise _Unreachable while Redis is known to be down or when the call finds it down."""
        servers = self._location
        if _down_until.get(servers, 0.0) > time.monotonic():
            raise _Unreachable
        try:
            return call()
        except _OUTAGE as error:
            retry = settings.REDIS_CACHE_RETRY_SECONDS
            with _lock:
                _down_until[servers] = time.monotonic() + retry
            logger.error("Redis cache unreachable (%s): serving without the cache for %s s", error, retry)
            raise _Unreachable from error

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        try:
            return self._guard(lambda: super(ResilientRedisCacheClient, self).add(key, value, timeout))
        except _Unreachable:
            return False

    def get(self, key: Any, default: Any) -> Any:
        try:
            return self._guard(lambda: super(ResilientRedisCacheClient, self).get(key, default))
        except _Unreachable:
            return default

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        try:
            self._guard(lambda: super(ResilientRedisCacheClient, self).set(key, value, timeout))
        except _Unreachable:
            pass

    def touch(self, key: Any, timeout: Any) -> bool:
        try:
            return self._guard(lambda: super(ResilientRedisCacheClient, self).touch(key, timeout))
        except _Unreachable:
            return False

    def delete(self, key: Any) -> bool:
        try:
            return self._guard(lambda: super(ResilientRedisCacheClient, self).delete(key))
        except _Unreachable:
            return False

    def get_many(self, keys: Any) -> dict[Any, Any]:
        try:
            return self._guard(lambda: super(ResilientRedisCacheClient, self).get_many(keys))
        except _Unreachable:
            return {}

    def has_key(self, key: Any) -> bool:
        try:
            return self._guard(lambda: super(ResilientRedisCacheClient, self).has_key(key))
        except _Unreachable:
            return False

    def incr(self, key: Any, delta: int) -> int:
        try:
            return self._guard(lambda: super(ResilientRedisCacheClient, self).incr(key, delta))
        except _Unreachable:
            raise ValueError(f"Key {key!r} not found (the cache is unreachable).") from None

    def set_many(self, data: Any, timeout: Any) -> None:
        try:
            self._guard(lambda: super(ResilientRedisCacheClient, self).set_many(data, timeout))
        except _Unreachable:
            pass

    def delete_many(self, keys: Any) -> None:
        try:
            self._guard(lambda: super(ResilientRedisCacheClient, self).delete_many(keys))
        except _Unreachable:
            pass

    def clear_prefix(self, pattern: str) -> bool:
        """Delete the keys matching pattern (this site's prefix), not the whole database an RQ queue may share."""

        def unlink() -> bool:
            client = self.get_client(None, write=True)
            batch: list[Any] = []
            for key in client.scan_iter(match=pattern, count=500):
                batch.append(key)
                if len(batch) == 500:
                    client.unlink(*batch)
                    batch = []
            if batch:
                client.unlink(*batch)
            return True

        try:
            return self._guard(unlink)
        except _Unreachable:
            return False


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose calls answer as a miss while Redis is unreachable; clear() keeps other keys."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient

    def clear(self) -> None:
        escaped = "".join(f"\\{c}" if c in "*?[]\\" else c for c in self.key_prefix)
        client = self._cache
        assert isinstance(client, ResilientRedisCacheClient)
        client.clear_prefix(f"{escaped}:*")
