"""Whether this app server can do its work: the database, the cache and the job queue each reached once.

Each part is checked on its own and reported with why it failed, so a load balancer's 503 tells the person on
call which part to look at. Replicas are not checked: reads fall back to the primary when one stops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.db import DEFAULT_DB_ALIAS, connections

from masar.core.context import new_request_id
from masar.core.taskqueue import queue_ping

# Long enough to name the host and the error, short enough for a probe's log.
DETAIL_MAX_CHARS = 300


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str  # what was reached (the engine, the backend), or the error


def _database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    # A key of its own per probe: two workers probing a shared Redis at once must not read each other's value.
    cache = caches[DEFAULT_CACHE_ALIAS]
    key = f"masar:readyz:{new_request_id()}"
    cache.set(key, 1, timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != 1:
        raise LookupError("the cache did not return the value just stored")
    return type(cache).__name__


def _queue() -> str:
    return str(queue_ping())


def _check(probe: Callable[[], str]) -> CheckResult:
    try:
        detail = probe()
    except Exception as error:  # whatever breaks, readiness answers 503 naming it, never a 500
        return CheckResult(ok=False, detail=f"{type(error).__name__}: {error}"[:DETAIL_MAX_CHARS])
    return CheckResult(ok=True, detail=detail)


def readiness() -> dict[str, CheckResult]:
    """Check the database, the cache and the queue, each once, in that order."""
    return {"database": _check(_database), "cache": _check(_cache), "queue": _check(_queue)}
