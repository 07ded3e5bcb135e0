"""Which database a read goes to: a streaming replica where that is safe, the primary ("default") otherwise.

Reads may use a replica only inside a GET or HEAD request (the middleware below says so per request), outside a
transaction on the primary, for a caller who has not written in the last REPLICA_STICKY_SECONDS, and only while the
replica answers, is in recovery, streams from the primary and replays within REPLICA_MAX_LAG_SECONDS. Everything
else — other requests, background jobs, commands, migrations — reads and writes the primary. The router
(masar.core.routers) asks `read_alias()` and tells `note_write()`.

Read-your-own-writes: a request that wrote pins its caller to the primary for REPLICA_STICKY_SECONDS — a signed
cookie for browsers (no server state, survives the load balancer choosing another app server), and for API calls,
which send no cookies, a cache entry keyed by the bearer token's digest (shared between app servers when the cache
is Redis). The sticky window must exceed the tolerated lag, which settings enforce.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

STICKY_COOKIE = "masar_primary"
_COOKIE_SALT = "masar.core.replicas.sticky"
_TOKEN_PIN_KEY = "replica-pin:{}"
SAFE_METHODS = ("GET", "HEAD")

# Credentials are read on the primary: a sign-in, a new token, a deactivated person or a revoked token count at once.
PRIMARY_READS = frozenset({"sessions.session", "accounts.user", "exchange.apitoken"})
# Bookkeeping written on reads (a session's expiry, a token's last use, the API's exchange log): such a write
# changes nothing the caller reads back, so it does not pin the caller to the primary.
BOOKKEEPING_WRITES = frozenset({"sessions.session", "exchange.apitoken", "exchange.exchangelogentry"})

# Lag in seconds: nothing to replay when all WAL received is replayed (an idle primary), else the age of the last
# replayed commit. A replica without a running WAL receiver is cut off from the primary and may be stale forever;
# a role without pg_read_all_stats sees the receiver's row with a NULL status, which is given the benefit.
_PROBE_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END,
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status IS NULL OR status = 'streaming')
"""


@dataclass
class ReadState:
    """What one request may do with replicas, and what it did."""

    may_use_replica: bool
    alias: str | None = None  # the database this request's reads go to, chosen at its first read
    wrote: bool = False
    replicas_read: set[str] = field(default_factory=set)


_state: contextvars.ContextVar[ReadState | None] = contextvars.ContextVar("masar_read_state", default=None)


def replica_aliases() -> list[str]:
    return list(settings.REPLICA_DATABASES)


def read_alias(model: Any) -> str | None:
    """Return the database a read of model goes to now, or None when no replica is configured (Django's default)."""
    if not settings.REPLICA_DATABASES:
        return None
    state = _state.get()
    if state is None or not state.may_use_replica or state.wrote or model._meta.label_lower in PRIMARY_READS:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS  # a transaction reads what it is about to write, on the primary
    if state.alias is None:
        usable = [alias for alias in replica_aliases() if replica_usable(alias)]
        state.alias = random.choice(usable) if usable else DEFAULT_DB_ALIAS
    if state.alias != DEFAULT_DB_ALIAS:
        state.replicas_read.add(state.alias)
    return state.alias


def note_write(model: Any) -> None:
    """Remember that the request in hand wrote: its later reads and its caller's next requests use the primary."""
    state = _state.get()
    if state is not None and model._meta.label_lower not in BOOKKEEPING_WRITES:
        state.wrote = True


# Health -----------------------------------------------------------------------------------------------------------

_health: dict[str, tuple[float, bool]] = {}
_health_lock = threading.Lock()


def replica_usable(alias: str) -> bool:
    """Whether reads may go to this replica: probed at most every REPLICA_CHECK_SECONDS per process."""
    now = time.monotonic()
    checked = _health.get(alias)
    if checked is not None and now - checked[0] < settings.REPLICA_CHECK_SECONDS:
        return checked[1]
    usable = _probe(alias)
    with _health_lock:
        _health[alias] = (time.monotonic(), usable)
    return usable


def replica_health_forget(alias: str | None = None) -> None:
    """Probe this replica (every replica when None) again at its next use."""
    with _health_lock:
        if alias is None:
            _health.clear()
        else:
            _health.pop(alias, None)


def _probe(alias: str) -> bool:
    """Connect afresh with a short timeout and ask the replica whether it is one, streaming, and how late."""
    try:
        params = connections[alias].get_connection_params()
        params["connect_timeout"] = settings.REPLICA_CONNECT_TIMEOUT
        with psycopg.connect(**params, autocommit=True) as conn:
            row = conn.execute(_PROBE_SQL).fetchone()
    except Exception as error:  # noqa: BLE001 — whatever the failure, the primary answers instead
        logger.warning("replica %s unusable, reads go to the primary: %s", alias, error)
        return False
    assert row is not None
    in_recovery, lag, streaming = row
    if not in_recovery:
        logger.error("replica %s is not in recovery (promoted?): it no longer follows the primary", alias)
        return False
    if not streaming:
        logger.warning("replica %s has no streaming WAL receiver: it may be stale, reads go to the primary", alias)
        return False
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.warning(
            "replica %s lags %s s (limit %s s), reads go to the primary", alias, lag, settings.REPLICA_MAX_LAG_SECONDS
        )
        return False
    return True


# Pinning a caller who wrote --------------------------------------------------------------------------------------


def _token_pin_key(request: HttpRequest) -> str | None:
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return _TOKEN_PIN_KEY.format(hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()[:40])


def caller_pinned(request: HttpRequest) -> bool:
    """Whether this caller wrote within REPLICA_STICKY_SECONDS (its signed cookie, or its token's pin)."""
    sticky = settings.REPLICA_STICKY_SECONDS
    if request.get_signed_cookie(STICKY_COOKIE, default=None, salt=_COOKIE_SALT, max_age=sticky) is not None:
        return True
    key = _token_pin_key(request)
    return key is not None and cache.get(key) is not None


def caller_pin(request: HttpRequest, response: HttpResponse) -> None:
    """Send this caller's next requests to the primary for REPLICA_STICKY_SECONDS."""
    sticky = settings.REPLICA_STICKY_SECONDS
    key = _token_pin_key(request)
    if key is not None:
        cache.set(key, 1, sticky)
    response.set_signed_cookie(
        STICKY_COOKIE,
        "1",
        salt=_COOKIE_SALT,
        max_age=sticky,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _reading_as(state: ReadState, content: Iterator[bytes]) -> Iterator[bytes]:
    """Stream content with the request's read state: a CSV export's rows are read where its count was."""
    _state.set(state)
    try:
        yield from content
    finally:
        _state.set(None)


class ReplicaMiddleware:
    """Say per request whether its reads may use a replica; pin a caller who wrote; retry a failed replica read.

    Must come after the middleware that logs API calls, so that a retried view is logged once.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.REPLICA_DATABASES:
            return self.get_response(request)
        state = ReadState(may_use_replica=request.method in SAFE_METHODS and not caller_pinned(request))
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote:
            caller_pin(request, response)
        elif response.streaming and not response.is_async and state.may_use_replica:
            response.streaming_content = _reading_as(state, response.streaming_content)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Answer a GET whose replica failed mid-way (stopped, or a query cancelled by recovery) from the primary.

        The view runs once more with every read on the primary, and the replica is probed again before its next
        use. A view that wrote is not run twice; a streamed response that fails after it started cannot be retried.
        """
        state = _state.get()
        if state is None or not state.replicas_read or state.wrote or not isinstance(exception, OperationalError):
            return None
        for alias in state.replicas_read:
            replica_health_forget(alias)
        logger.warning("a read on replica %s failed (%s): answering from the primary", state.alias, exception)
        state.may_use_replica, state.alias, state.replicas_read = False, DEFAULT_DB_ALIAS, set()
        match = request.resolver_match
        if match is None:
            return None
        response = match.func(request, *match.args, **match.kwargs)
        render = getattr(response, "render", None)
        if callable(render) and not getattr(response, "is_rendered", True):
            response = render()
        return response
